import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { formatMessageTime, linkTo, PRODUCT_NAME } from '../../platform/notify/message-format.js';

export interface TestMessageSettings {
  /** `YUNWEI_TIME_ZONE`: the time is written as in every other message. */
  timeZone?: string;
  /** `YUNWEI_PUBLIC_URL`: the link to the channels page is absolute under it. */
  publicUrl?: string;
}

/** The "send a test message" message, in both languages (the channel sends its locale's). */
export function testMessage(channelName: string, username: string, at: number, settings: TestMessageSettings = {}): LocalizedMessage {
  const time = formatMessageTime(at, settings.timeZone);
  const url = linkTo(settings.publicUrl, '/alerts/channels');
  const zh = PRODUCT_NAME['zh-CN'];
  const en = PRODUCT_NAME.en;
  const data = { kind: 'test', channel: channelName, user: username, at };
  return {
    'zh-CN': {
      title: `【${zh}】测试消息：${channelName}`,
      markdown: `这是一条来自${zh}的**测试消息**。\n\n- 通知渠道：${channelName}\n- 发送人：${username}\n- 时间：${time}\n\n收到即表示该渠道配置正确。\n\n[在${zh}中查看通知渠道](${url})`,
      text: `这是一条来自${zh}的测试消息。\n通知渠道：${channelName}\n发送人：${username}\n时间：${time}\n收到即表示该渠道配置正确。\n在${zh}中查看通知渠道：${url}`,
      severity: 'info',
      status: 'test',
      url,
      data,
    },
    en: {
      title: `[${en}] Test message: ${channelName}`,
      markdown: `This is a **test message** from ${en}.\n\n- Channel: ${channelName}\n- Sent by: ${username}\n- Time: ${time}\n\nIf you can read this, the channel works.\n\n[Open the channels in ${en}](${url})`,
      text: `This is a test message from ${en}.\nChannel: ${channelName}\nSent by: ${username}\nTime: ${time}\nIf you can read this, the channel works.\nOpen the channels in ${en}: ${url}`,
      severity: 'info',
      status: 'test',
      url,
      data,
    },
  };
}
