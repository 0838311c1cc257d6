import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { NotificationMessage } from '@yunwei/contracts/notify';
import { PEERS, requirePeer } from '../../../../test/peers.js';
import { selfSignedCertificate } from '../../../modules/checks/checks.testing.js';
import { OutboundPolicy } from '../../net/outbound-policy.js';
import { startReceiver, startSmtp, type TestReceiver, type TestSmtp } from '../notify.testing.js';
import { dingtalkChannel } from './dingtalk.channel.js';
import { emailChannel } from './email.channel.js';
import { feishuChannel } from './feishu.channel.js';
import { webhookChannel } from './webhook.channel.js';
import { wecomChannel } from './wecom.channel.js';

// An alert-like message as the alerting dispatcher sends it (Chinese, Markdown, structured data).
const ALERT: NotificationMessage = {
  title: '【严重】磁盘使用率过高：db1 /data 96%',
  markdown: '**主机** db1 的 `/data` 使用率为 **96%**（阈值 90%）。\n\n- 规则：磁盘使用率\n- 开始：2026-11-27 08:00\n\n<script>alert(1)</script>',
  text: '主机 db1 的 /data 使用率为 96%（阈值 90%）。',
  severity: 'critical',
  status: 'firing',
  url: 'https://yunwei.example.cn/alerts/0190',
  data: { alertId: '0190', labels: { instance: 'db1', mountpoint: '/data' }, value: 96 },
};

const signal = () => AbortSignal.timeout(10_000);
// The test peers listen on 127.0.0.1: loopback is allowed here (the default refuses it for channels).
const outbound = new OutboundPolicy({ allow: '', deny: '', channelLocal: true }).guard('channel');
const stops: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});
async function receiver(...args: Parameters<typeof startReceiver>): Promise<TestReceiver> {
  const r = await startReceiver(...args);
  stops.push(r.stop);
  return r;
}
async function smtp(...args: Parameters<typeof startSmtp>): Promise<TestSmtp> {
  const s = await startSmtp(...args);
  stops.push(s.stop);
  return s;
}

describe('e-mail channel (real SMTP server)', () => {
  const haveOpenssl = requirePeer(PEERS.openssl.binary, PEERS.openssl.apt);

  it.skipIf(!haveOpenssl)('[L3-2.1.3] delivers an alert over STARTTLS with AUTH: Chinese subject, escaped HTML and a text part', async () => {
    const server = await smtp({ tls: selfSignedCertificate(2), auth: { user: 'alerts@example.cn', pass: 's3cret-密码' } });
    await emailChannel.send(
      ALERT,
      { host: '127.0.0.1', port: server.port, security: 'starttls', user: 'alerts@example.cn', password: 's3cret-密码', from: '运维工作台 <alerts@example.cn>', to: ['ops@example.cn'], insecureSkipVerify: true },
      { recipients: [], signal: signal(), outbound },
    );
    expect(server.messages).toHaveLength(1);
    const { mail, secure, user, rcptTo } = server.messages[0]!;
    expect(secure).toBe(true);
    expect(user).toBe('alerts@example.cn');
    expect(rcptTo).toEqual(['ops@example.cn']);
    expect(mail.subject).toBe(ALERT.title);
    // On the wire the Chinese subject is RFC 2047-encoded UTF-8 (7-bit safe for every relay).
    expect(server.messages[0]!.raw).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(mail.from?.value[0]).toMatchObject({ address: 'alerts@example.cn', name: '运维工作台' });
    expect(mail.text).toContain('主机 db1 的 /data 使用率为 96%');
    expect(mail.text).toContain(ALERT.url);
    const html = String(mail.html);
    expect(html).toContain('<strong>96%</strong>');
    expect(html).toContain('<code>/data</code>');
    expect(html).toContain('<li>规则：磁盘使用率</li>');
    expect(html).toContain('&lt;script&gt;');
    expect(html).not.toContain('<script>');
  });

  it.skipIf(!haveOpenssl)('refuses a self-signed certificate unless told to accept it, and a wrong password', async () => {
    const server = await smtp({ tls: selfSignedCertificate(2), auth: { user: 'u', pass: 'right' } });
    const config = { host: '127.0.0.1', port: server.port, security: 'starttls' as const, user: 'u', password: 'right', from: 'a@example.cn', to: ['b@example.cn'] };
    await expect(emailChannel.send(ALERT, config, { recipients: [], signal: signal(), outbound })).rejects.toThrow(/certificate/i);
    await expect(emailChannel.send(ALERT, { ...config, password: 'wrong', insecureSkipVerify: true }, { recipients: [], signal: signal(), outbound })).rejects.toThrow(/Invalid username or password/);
    expect(server.messages).toHaveLength(0);
  });

  it.skipIf(!haveOpenssl)('delivers over TLS from the first byte (port 465 style) with AUTH', async () => {
    const server = await smtp({ tls: selfSignedCertificate(2), implicitTls: true, auth: { user: 'u', pass: 'p' } });
    await emailChannel.send(ALERT, { host: '127.0.0.1', port: server.port, security: 'tls', user: 'u', password: 'p', from: 'a@example.cn', to: ['b@example.cn'], insecureSkipVerify: true }, { recipients: [], signal: signal(), outbound });
    expect(server.messages.map((m) => [m.secure, m.user, m.mail.subject])).toEqual([[true, 'u', ALERT.title]]);
  });

  it('delivers over plain SMTP without AUTH, to the recipients given instead of the default list', async () => {
    const server = await smtp();
    await emailChannel.send(ALERT, { host: '127.0.0.1', port: server.port, security: 'none', from: 'alerts@example.cn', to: ['ops@example.cn'] }, { recipients: ['zhang.san@example.cn', '13800000000'], signal: signal(), outbound });
    expect(server.messages).toHaveLength(1);
    expect(server.messages[0]!.secure).toBe(false);
    expect(server.messages[0]!.rcptTo).toEqual(['zhang.san@example.cn']);
    expect(server.messages[0]!.mail.subject).toBe(ALERT.title);
  });

  it('attaches the files the message names, read from the file store; a missing file fails the send (nothing half-sent)', async () => {
    const server = await smtp();
    const config = { host: '127.0.0.1', port: server.port, security: 'none' as const, from: 'reports@example.cn', to: ['ops@example.cn'] };
    const files = new Map([['reports/r1.pdf', Buffer.from('%PDF-1.7 test')]]);
    const readFile = (key: string) => Promise.resolve(files.get(key) ?? null);
    const message = { ...ALERT, attachments: [{ filename: '系统运行状况报告-2026年11月.pdf', contentType: 'application/pdf', fileKey: 'reports/r1.pdf' }] };
    await emailChannel.send(message, config, { recipients: [], signal: signal(), outbound, readFile });
    const [attachment] = server.messages[0]!.mail.attachments;
    expect(attachment).toMatchObject({ filename: '系统运行状况报告-2026年11月.pdf', contentType: 'application/pdf' });
    expect(attachment!.content.toString()).toBe('%PDF-1.7 test');
    const gone = { ...message, attachments: [{ ...message.attachments[0]!, fileKey: 'reports/gone.pdf' }] };
    await expect(emailChannel.send(gone, config, { recipients: [], signal: signal(), outbound, readFile })).rejects.toThrow(/missing from the file store/);
    expect(server.messages).toHaveLength(1);
  });
});

describe('webhook channel', () => {
  it('[L3-2.1.3] posts the alert as JSON with an HMAC-SHA256 signature the receiver verifies', async () => {
    const r = await receiver();
    await webhookChannel.send(ALERT, { url: `${r.url}/hook?x=1`, headers: { Authorization: 'Bearer abc' }, secret: 'hook-secret' }, { recipients: [], signal: signal(), outbound });
    const req = r.requests[0]!;
    expect(req.url).toBe('/hook?x=1');
    expect(req.headers.authorization).toBe('Bearer abc');
    // The receiver's check, as documented in CONTRIBUTING.md: HMAC-SHA256(secret, `${timestamp}.${raw body}`).
    const timestamp = String(req.headers['x-yunwei-timestamp']);
    const expected = `sha256=${createHmac('sha256', 'hook-secret').update(`${timestamp}.${req.body}`).digest('hex')}`;
    expect(req.headers['x-yunwei-signature']).toBe(expected);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(60);
    expect(req.json).toMatchObject({ title: ALERT.title, text: ALERT.text, markdown: ALERT.markdown, severity: 'critical', status: 'firing', url: ALERT.url, data: ALERT.data });
    expect(Date.parse(req.json.sentAt)).toBeGreaterThan(0);
  });

  it('leaves attachments out of the body (they stay in the file store; the message links to them)', async () => {
    const r = await receiver();
    await webhookChannel.send({ ...ALERT, attachments: [{ filename: 'r.pdf', contentType: 'application/pdf', fileKey: 'reports/r.pdf' }] }, { url: r.url }, { recipients: [], signal: signal(), outbound });
    expect(Object.keys(r.requests[0]!.json).sort()).toEqual(['data', 'markdown', 'recipients', 'sentAt', 'severity', 'status', 'text', 'title', 'url']);
    expect(r.requests[0]!.json.url).toBe(ALERT.url);
  });

  it('sends no signature without a secret, and fails on a non-2xx answer with what the receiver said', async () => {
    const r = await receiver(() => ({ status: 503, json: { error: 'maintenance' } }));
    await expect(webhookChannel.send(ALERT, { url: r.url }, { recipients: [], signal: signal(), outbound })).rejects.toThrow(/HTTP 503: .*maintenance/);
    expect(r.requests[0]!.headers['x-yunwei-signature']).toBeUndefined();
  });
});

describe('DingTalk robot', () => {
  // DingTalk's documented check: sign = urlEncode(base64(HmacSHA256(key = secret, `${timestamp}\n${secret}`))), timestamp in ms within 1 h.
  function dingtalkReceiver(token: string, secret: string) {
    return receiver((req) => {
      const url = new URL(req.url, 'http://x');
      const timestamp = url.searchParams.get('timestamp') ?? '';
      const sign = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      if (url.searchParams.get('access_token') !== token) {
        return { json: { errcode: 300001, errmsg: 'token is not exist' } };
      }
      if (url.searchParams.get('sign') !== sign || Math.abs(Date.now() - Number(timestamp)) > 3_600_000) {
        return { json: { errcode: 310000, errmsg: 'sign not match' } };
      }
      return { json: { errcode: 0, errmsg: 'ok' } };
    });
  }

  it('[L3-2.1.3] sends a signed Markdown message the robot accepts, mentioning the mobiles', async () => {
    const r = await dingtalkReceiver('tok-1', 'SECabc123');
    await dingtalkChannel.send(ALERT, { baseUrl: `${r.url}/robot/send`, accessToken: 'tok-1', signSecret: 'SECabc123', atMobiles: ['13800000001'] }, { recipients: ['13900000002', 'someone@example.cn'], signal: signal(), outbound });
    const req = r.requests[0]!;
    // The sign travels URL-encoded (base64 has + / =): the raw query must carry the encoded form.
    expect(req.url).toMatch(/[?&]sign=[^&]*%[0-9A-F]{2}/);
    expect(req.json).toMatchObject({ msgtype: 'markdown', markdown: { title: ALERT.title }, at: { atMobiles: ['13800000001', '13900000002'], isAtAll: false } });
    expect(req.json.markdown.text).toContain('**96%**');
    expect(req.json.markdown.text).toContain('@13800000001 @13900000002');
  });

  it('fails with errmsg when the robot answers errcode != 0 (wrong signing secret)', async () => {
    const r = await dingtalkReceiver('tok-1', 'SECright');
    await expect(dingtalkChannel.send(ALERT, { baseUrl: r.url, accessToken: 'tok-1', signSecret: 'SECwrong' }, { recipients: [], signal: signal(), outbound })).rejects.toThrow('errcode 310000: sign not match');
  });
});

describe('WeCom robot', () => {
  it('[L3-2.1.3] sends Markdown content with <@userid> mentions, then a text message mentioning mobiles', async () => {
    const r = await receiver((req) => (new URL(req.url, 'http://x').searchParams.get('key') === 'k-1' ? { json: { errcode: 0, errmsg: 'ok' } } : { json: { errcode: 93000, errmsg: 'invalid webhook url' } }));
    await wecomChannel.send(ALERT, { baseUrl: `${r.url}/cgi-bin/webhook/send`, key: 'k-1', mentionedUserIds: ['zhangsan'] }, { recipients: ['13800000001'], signal: signal(), outbound });
    expect(r.requests).toHaveLength(2);
    expect(r.requests[0]!.json.msgtype).toBe('markdown');
    expect(r.requests[0]!.json.markdown.content).toContain(`**${ALERT.title}**`);
    expect(r.requests[0]!.json.markdown.content).toContain('<@zhangsan>');
    expect(Buffer.byteLength(r.requests[0]!.json.markdown.content)).toBeLessThanOrEqual(4096);
    expect(r.requests[1]!.json).toEqual({ msgtype: 'text', text: { content: ALERT.title, mentioned_mobile_list: ['13800000001'] } });
  });

  it('fails with errmsg on errcode != 0 and cuts long content to 4096 bytes', async () => {
    const r = await receiver((req) => (new URL(req.url, 'http://x').searchParams.get('key') === 'k-1' ? { json: { errcode: 0, errmsg: 'ok' } } : { json: { errcode: 93000, errmsg: 'invalid webhook url' } }));
    await expect(wecomChannel.send(ALERT, { baseUrl: r.url, key: 'bad' }, { recipients: [], signal: signal(), outbound })).rejects.toThrow('errcode 93000: invalid webhook url');
    await wecomChannel.send({ ...ALERT, markdown: '告警'.repeat(3000) }, { baseUrl: r.url, key: 'k-1' }, { recipients: [], signal: signal(), outbound });
    const content = r.requests[1]!.json.markdown.content as string;
    expect(Buffer.byteLength(content)).toBeLessThanOrEqual(4096);
    expect(content).not.toContain('\uFFFD');
  });
});

describe('Feishu robot', () => {
  // Feishu's documented check: sign = base64(HmacSHA256(key = `${timestamp}\n${secret}`, message = empty)), timestamp in s within 1 h.
  function feishuReceiver(token: string, secret: string) {
    return receiver((req) => {
      if (!req.url.endsWith(`/${token}`)) {
        return { status: 200, json: { code: 19001, msg: 'param invalid: incoming webhook access token invalid' } };
      }
      const { timestamp, sign } = req.json as { timestamp: string; sign: string };
      const expected = createHmac('sha256', `${timestamp}\n${secret}`).update('').digest('base64');
      if (sign !== expected || Math.abs(Date.now() / 1000 - Number(timestamp)) > 3600) {
        return { json: { code: 19021, msg: 'sign match fail or timestamp is not within one hour from current time' } };
      }
      return { json: { code: 0, msg: 'success', data: {} } };
    });
  }

  it('[L3-2.1.3] sends a signed interactive card: red header for critical, the Markdown body, a link button', async () => {
    const r = await feishuReceiver('hook-token-1', 'fs-secret');
    await feishuChannel.send(ALERT, { baseUrl: `${r.url}/open-apis/bot/v2/hook`, token: 'hook-token-1', signSecret: 'fs-secret' }, { recipients: [], signal: signal(), outbound });
    const body = r.requests[0]!.json;
    expect(r.requests[0]!.url).toBe('/open-apis/bot/v2/hook/hook-token-1');
    expect(body.msg_type).toBe('interactive');
    expect(body.card.header).toEqual({ template: 'red', title: { tag: 'plain_text', content: ALERT.title } });
    expect(body.card.elements[0]).toEqual({ tag: 'markdown', content: ALERT.markdown });
    expect(body.card.elements[1].actions[0].url).toBe(ALERT.url);
  });

  it('fails with msg when the robot answers code != 0 (wrong signing secret)', async () => {
    const r = await feishuReceiver('t', 'right');
    await expect(feishuChannel.send({ ...ALERT, status: 'resolved' }, { baseUrl: r.url, token: 't', signSecret: 'wrong' }, { recipients: [], signal: signal(), outbound })).rejects.toThrow(/code 19021: sign match fail/);
    expect(r.requests[0]!.json.card.header.template).toBe('green');
  });
});
