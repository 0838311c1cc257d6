import type { ChannelType } from '@yunwei/contracts/notify';
import type { NotificationChannel } from '../channel.js';
import { dingtalkChannel } from './dingtalk.channel.js';
import { emailChannel } from './email.channel.js';
import { feishuChannel } from './feishu.channel.js';
import { webhookChannel } from './webhook.channel.js';
import { wecomChannel } from './wecom.channel.js';

/** Every notification channel type. Adding one is a `<id>.channel.ts` file and a line here. */
const CHANNELS: { [T in ChannelType]: NotificationChannel<T> } = {
  email: emailChannel,
  webhook: webhookChannel,
  dingtalk: dingtalkChannel,
  wecom: wecomChannel,
  feishu: feishuChannel,
};

export function channelOf<T extends ChannelType>(type: T): NotificationChannel<T> {
  return CHANNELS[type];
}

export function allChannels(): NotificationChannel[] {
  return Object.values(CHANNELS) as NotificationChannel[];
}
