import { CHANNEL_DESTINATION_FIELDS, CHANNEL_SECRET_FIELDS, CHANNEL_SECRET_MAPS, WecomConfig } from '@yunwei/contracts/notify';
import type { NotificationChannel } from '../channel.js';
import { postJson, requireZero, withQuery } from '../http-post.js';
import { mobilesOf, truncateBytes } from '../robot-text.js';

export const WECOM_URL = 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send';

/**
 * WeCom (企业微信) group robot: a Markdown message (`content` ≤ 4096 bytes) mentioning user ids as
 * `<@userid>`. WeCom's Markdown cannot mention by mobile, so mobiles (configured or the recipients)
 * go in a short text message after it with `mentioned_mobile_list`. `errcode != 0` is a failure.
 */
export const wecomChannel: NotificationChannel<'wecom'> = {
  id: 'wecom',
  name: { zh: '企业微信机器人', en: 'WeCom robot' },
  configSchema: WecomConfig,
  secretFields: CHANNEL_SECRET_FIELDS.wecom,
  secretMaps: CHANNEL_SECRET_MAPS.wecom,
  destinationFields: CHANNEL_DESTINATION_FIELDS.wecom,
  supportsMarkdown: true,
  validate: (config) => (config.key ? undefined : ['key', { zh: '必填', en: 'is required' }]),
  async send(message, config, { recipients, signal, outbound }) {
    const url = withQuery(config.baseUrl ?? WECOM_URL, { key: config.key ?? '' });
    const userIds = [...(config.mentionedUserIds ?? []), ...recipients.filter((r) => r.startsWith('@')).map((r) => r.slice(1))];
    const mentions = userIds.map((id) => `<@${id}>`).join(' ');
    // The message's own Markdown usually carries its link already.
    const link = message.url && !message.markdown.includes(message.url) ? `\n[→ 运维 Yunwei](${message.url})` : '';
    const content = truncateBytes(`**${message.title}**\n${message.markdown}${link}${mentions ? `\n${mentions}` : ''}`, 4096);
    requireZero((await postJson(url, JSON.stringify({ msgtype: 'markdown', markdown: { content } }), { signal, outbound })).json, 'errcode', 'errmsg');

    const mobiles = [...new Set([...(config.mentionedMobiles ?? []), ...mobilesOf(recipients)])];
    if (mobiles.length) {
      const text = { content: truncateBytes(message.title, 2048), mentioned_mobile_list: mobiles };
      requireZero((await postJson(url, JSON.stringify({ msgtype: 'text', text }), { signal, outbound })).json, 'errcode', 'errmsg');
    }
  },
};
