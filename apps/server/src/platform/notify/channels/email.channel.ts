import net from 'node:net';
import nodemailer from 'nodemailer';
import { CHANNEL_DESTINATION_FIELDS, CHANNEL_SECRET_FIELDS, CHANNEL_SECRET_MAPS, EmailConfig } from '@yunwei/contracts/notify';
import { ChannelError, type NotificationChannel } from '../channel.js';
import { escapeHtml, markdownToHtml } from '../markdown-html.js';
import { OutboundRefusedError } from '../../net/outbound-policy.js';

const EMAIL = /^[^\s@<>]+@[^\s@<>]+$/;

/** The HTML part: the title, the Markdown body as simple escaped HTML, a link into Yunwei. */
function htmlOf(title: string, markdown: string, url: string | undefined): string {
  const link = url && /^https?:\/\//.test(url) ? `<p><a href="${escapeHtml(url)}">${escapeHtml(url)}</a></p>` : '';
  return `<!doctype html><html><head><meta charset="utf-8"></head><body style="font-family:-apple-system,'PingFang SC','Microsoft YaHei',sans-serif;font-size:14px;line-height:1.6">
<h2>${escapeHtml(title)}</h2>
${markdownToHtml(markdown)}
${link}</body></html>`;
}

/**
 * E-mail over SMTP (nodemailer): TLS from the first byte (465), STARTTLS required (587) or plain,
 * with optional AUTH. The subject is RFC 2047-encoded by nodemailer (UTF-8), so Chinese survives;
 * the body goes as HTML with a plain-text alternative.
 */
export const emailChannel: NotificationChannel<'email'> = {
  id: 'email',
  name: { zh: '电子邮件', en: 'E-mail' },
  configSchema: EmailConfig,
  secretFields: CHANNEL_SECRET_FIELDS.email,
  secretMaps: CHANNEL_SECRET_MAPS.email,
  destinationFields: CHANNEL_DESTINATION_FIELDS.email,
  supportsMarkdown: true,
  validate(config) {
    if (config.password && !config.user) {
      return ['user', { zh: '填写了密码时必须填写用户名', en: 'is required when a password is set' }];
    }
    return undefined;
  },
  async send(message, config, { recipients, signal, outbound, readFile }) {
    const to = recipients.length ? recipients.filter((r) => EMAIL.test(r)) : config.to;
    if (!to.length) {
      throw new ChannelError(`no valid e-mail address among the recipients (${recipients.join(', ')})`);
    }
    const attachments: { filename: string; contentType: string; content: Buffer }[] = [];
    for (const a of message.attachments ?? []) {
      const content = readFile ? await readFile(a.fileKey) : null;
      if (!content) {
        throw new ChannelError(`attachment ${a.filename} is missing from the file store`);
      }
      attachments.push({ filename: a.filename, contentType: a.contentType, content });
    }
    // The outbound policy checks every address the host resolves to; nodemailer then connects to the
    // checked address (not the name again), with the name kept for TLS (SNI, certificate check).
    let address: string;
    try {
      ({ address } = await outbound.resolve(config.host));
    } catch (error) {
      throw new ChannelError(error instanceof OutboundRefusedError ? error.message : `SMTP ${config.host}:${config.port}: ${(error as Error).message}`);
    }
    const named = !net.isIP(config.host.replace(/^\[(.*)\]$/, '$1'));
    const transport = nodemailer.createTransport({
      host: address,
      ...(named ? { servername: config.host } : {}),
      port: config.port,
      secure: config.security === 'tls',
      requireTLS: config.security === 'starttls',
      ignoreTLS: config.security === 'none',
      auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
      tls: config.insecureSkipVerify ? { rejectUnauthorized: false } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 15_000,
    });
    // nodemailer takes no AbortSignal: closing the transport ends its socket.
    const onAbort = () => transport.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason instanceof Error ? signal.reason : new ChannelError('aborted')), { once: true }));
      await Promise.race([
        transport.sendMail({
          from: config.from,
          to,
          subject: message.title,
          text: message.url ? `${message.text}\n\n${message.url}` : message.text,
          html: htmlOf(message.title, message.markdown, message.url),
          headers: { 'X-Yunwei-Status': message.status ?? 'info' },
          ...(attachments.length ? { attachments } : {}),
        }),
        aborted,
      ]);
    } catch (error) {
      if (signal.aborted) {
        throw error;
      }
      throw new ChannelError(`SMTP ${config.host}:${config.port}: ${(error as Error).message}`);
    } finally {
      signal.removeEventListener('abort', onAbort);
      transport.close();
    }
  },
};
