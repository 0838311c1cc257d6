import { createHmac } from 'node:crypto';
import { CHANNEL_DESTINATION_FIELDS, CHANNEL_SECRET_FIELDS, CHANNEL_SECRET_MAPS, DingtalkConfig } from '@yunwei/contracts/notify';
import type { NotificationChannel } from '../channel.js';
import { postJson, requireZero, withQuery } from '../http-post.js';
import { mobilesOf, truncateBytes } from '../robot-text.js';

export const DINGTALK_URL = 'https://oapi.dingtalk.com/robot/send';

/** DingTalk 加签: base64(HmacSHA256(key = secret, `${timestamp}\n${secret}`)), timestamp in ms (URL-encoded by the caller). */
export function dingtalkSign(secret: string, timestamp: string): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

/**
 * DingTalk group robot (自定义机器人): a Markdown message; mobiles to @mention are listed in `at`
 * and written into the text (DingTalk only highlights a mention that appears in it). A 200 answer
 * with `errcode != 0` is a failure with its `errmsg`.
 */
export const dingtalkChannel: NotificationChannel<'dingtalk'> = {
  id: 'dingtalk',
  name: { zh: '钉钉机器人', en: 'DingTalk robot' },
  configSchema: DingtalkConfig,
  secretFields: CHANNEL_SECRET_FIELDS.dingtalk,
  secretMaps: CHANNEL_SECRET_MAPS.dingtalk,
  destinationFields: CHANNEL_DESTINATION_FIELDS.dingtalk,
  supportsMarkdown: true,
  validate: (config) => (config.accessToken ? undefined : ['accessToken', { zh: '必填', en: 'is required' }]),
  async send(message, config, { recipients, signal, outbound }) {
    const atMobiles = [...new Set([...(config.atMobiles ?? []), ...mobilesOf(recipients)])];
    const mentions = atMobiles.map((m) => `@${m}`).join(' ');
    const text = truncateBytes(`#### ${message.title}\n\n${message.markdown}${message.url && !message.markdown.includes(message.url) ? `\n\n[→ 运维 Yunwei](${message.url})` : ''}${mentions ? `\n\n${mentions}` : ''}`, 18_000);
    const params: Record<string, string> = { access_token: config.accessToken ?? '' };
    if (config.signSecret) {
      const timestamp = String(Date.now());
      params.timestamp = timestamp;
      params.sign = dingtalkSign(config.signSecret, timestamp);
    }
    const body = JSON.stringify({ msgtype: 'markdown', markdown: { title: message.title, text }, at: { atMobiles, isAtAll: config.atAll === true } });
    const { json } = await postJson(withQuery(config.baseUrl ?? DINGTALK_URL, params), body, { signal, outbound });
    requireZero(json, 'errcode', 'errmsg');
  },
};
