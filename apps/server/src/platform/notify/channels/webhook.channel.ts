import { createHmac } from 'node:crypto';
import { CHANNEL_DESTINATION_FIELDS, CHANNEL_SECRET_FIELDS, CHANNEL_SECRET_MAPS, WebhookConfig } from '@yunwei/contracts/notify';
import type { NotificationChannel } from '../channel.js';
import { postJson } from '../http-post.js';

/** `sha256=<hex>` of HMAC-SHA256(secret, `<timestamp>.<body>`): what a receiver recomputes. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/**
 * Generic webhook: POSTs `{ title, text, markdown, severity, status, url, data, sentAt }` as JSON.
 * With a secret, `X-Yunwei-Timestamp` (Unix seconds) and `X-Yunwei-Signature: sha256=<hex>` over
 * `<timestamp>.<raw body>` let the receiver check origin and freshness (see CONTRIBUTING.md).
 */
export const webhookChannel: NotificationChannel<'webhook'> = {
  id: 'webhook',
  name: { zh: 'Webhook', en: 'Webhook' },
  configSchema: WebhookConfig,
  secretFields: CHANNEL_SECRET_FIELDS.webhook,
  secretMaps: CHANNEL_SECRET_MAPS.webhook,
  destinationFields: CHANNEL_DESTINATION_FIELDS.webhook,
  supportsMarkdown: true,
  async send(message, config, { recipients, signal, outbound }) {
    const body = JSON.stringify({
      title: message.title,
      text: message.text,
      markdown: message.markdown,
      severity: message.severity ?? null,
      status: message.status ?? null,
      url: message.url ?? null,
      data: message.data ?? {},
      recipients,
      sentAt: new Date().toISOString(),
    });
    // Header values arrive opened from the sealed store (a `null` is only ever an input meaning "keep").
    const configured = Object.entries(config.headers ?? {}).filter((entry): entry is [string, string] => typeof entry[1] === 'string');
    const headers: Record<string, string> = { ...Object.fromEntries(configured), 'user-agent': 'Yunwei-Notify/1' };
    if (config.secret) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      headers['x-yunwei-timestamp'] = timestamp;
      headers['x-yunwei-signature'] = webhookSignature(config.secret, timestamp, body);
    }
    await postJson(config.url, body, { headers, signal, outbound });
  },
};
