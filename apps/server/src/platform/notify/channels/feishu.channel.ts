import { createHmac } from 'node:crypto';
import { CHANNEL_DESTINATION_FIELDS, CHANNEL_SECRET_FIELDS, CHANNEL_SECRET_MAPS, FeishuConfig, type NotificationMessage } from '@yunwei/contracts/notify';
import type { NotificationChannel } from '../channel.js';
import { postJson, requireZero } from '../http-post.js';
import { truncateBytes } from '../robot-text.js';

export const FEISHU_URL = 'https://open.feishu.cn/open-apis/bot/v2/hook';

/** Feishu 签名校验: base64(HmacSHA256(key = `${timestamp}\n${secret}`, message = empty)), timestamp in seconds. */
export function feishuSign(secret: string, timestamp: string): string {
  return createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
}

const TEMPLATE: Record<string, string> = { critical: 'red', warning: 'orange', resolved: 'green', test: 'blue' };

/** An interactive card: coloured header (severity, green when resolved), the Markdown body, a button into Yunwei. */
function cardOf(message: NotificationMessage) {
  const template = TEMPLATE[message.status === 'resolved' || message.status === 'test' ? message.status : (message.severity ?? '')] ?? 'blue';
  const elements: unknown[] = [{ tag: 'markdown', content: truncateBytes(message.markdown || message.text, 20_000) }];
  // A card button needs an absolute URL (YUNWEI_PUBLIC_URL set); the Markdown keeps the link text otherwise.
  if (message.url && /^https?:\/\//.test(message.url)) {
    elements.push({ tag: 'action', actions: [{ tag: 'button', text: { tag: 'plain_text', content: '运维 Yunwei →' }, url: message.url, type: 'primary' }] });
  }
  return { config: { wide_screen_mode: true }, header: { template, title: { tag: 'plain_text', content: message.title } }, elements };
}

/**
 * Feishu / Lark group robot (自定义机器人): an interactive card. With a signing secret the body
 * carries `timestamp` and `sign`. A 200 answer with `code != 0` is a failure with its `msg`.
 */
export const feishuChannel: NotificationChannel<'feishu'> = {
  id: 'feishu',
  name: { zh: '飞书机器人', en: 'Feishu robot' },
  configSchema: FeishuConfig,
  secretFields: CHANNEL_SECRET_FIELDS.feishu,
  secretMaps: CHANNEL_SECRET_MAPS.feishu,
  destinationFields: CHANNEL_DESTINATION_FIELDS.feishu,
  supportsMarkdown: true,
  validate: (config) => (config.token ? undefined : ['token', { zh: '必填', en: 'is required' }]),
  async send(message, config, { signal, outbound }) {
    const signed: Record<string, string> = {};
    if (config.signSecret) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      signed.timestamp = timestamp;
      signed.sign = feishuSign(config.signSecret, timestamp);
    }
    const url = `${(config.baseUrl ?? FEISHU_URL).replace(/\/+$/, '')}/${encodeURIComponent(config.token ?? '')}`;
    const body = JSON.stringify({ ...signed, msg_type: 'interactive', card: cardOf(message) });
    requireZero((await postJson(url, body, { signal, outbound })).json, 'code', 'msg');
  },
};
