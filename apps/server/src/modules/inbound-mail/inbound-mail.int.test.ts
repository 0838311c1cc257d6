import net from 'node:net';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMailDetail, InboundMailList, InboundMailSettings } from '@yunwei/contracts/inbound-mail';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import type { InboundMail, InboundMailSender } from './inbound-mail.service.js';
import { CLAIM_MS } from './inbound-mail.service.js';
import { inboundMailOf } from './runtime.js';

const DOMAIN = 'ops.example.cn';
const MAX_BYTES = 20_000;

describe.skipIf(!databaseAvailable())('inbound mail (SMTP receiver with quarantine)', () => {
  let t: TestApp;
  let admin: TestSession;
  let port = 0;
  const known = { id: '', email: 'Zhang.San@Example.CN' };
  /** What the test handler was called with. */
  const handled: { mail: InboundMail; sender: InboundMailSender }[] = [];

  beforeAll(async () => {
    t = await createTestApp({
      YUNWEI_MAIL_RECEIVER_PORT: '0',
      YUNWEI_MAIL_RECEIVER_HOST: '127.0.0.1',
      YUNWEI_MAIL_RECEIVER_DOMAINS: `${DOMAIN}, other.example.cn`,
      YUNWEI_MAIL_RECEIVER_MAX_BYTES: String(MAX_BYTES),
    });
    admin = await t.signIn(t.admin);
    known.id = (await t.newUser({ roles: ['operator'] })).id;
    await t.ctx.db.updateTable('user').set({ email: known.email }).where('id', '=', known.id).execute();
    const mail = inboundMailOf(t.ctx);
    mail.register({
      name: 'test-incidents',
      recipients: (address) => address.startsWith('testdesk@'),
      handle: async (m, sender) => {
        handled.push({ mail: m, sender });
        return { type: 'incident', id: `inc-${handled.length}`, label: `INC-${handled.length} ${m.subject}`, path: `/incidents/inc-${handled.length}` };
      },
    });
    mail.register({
      name: 'test-boom',
      recipients: (address) => address.startsWith('boom@'),
      handle: () => Promise.reject(new Error('database of the help desk unreachable')),
    });
    await mail.start();
    port = mail.receiver!.address!.port;
  });
  afterAll(async () => {
    await t?.close();
  });

  const transport = () => nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true });
  async function send(message: SendMailOptions): Promise<void> {
    await transport().sendMail(message);
    await inboundMailOf(t.ctx).service.idle();
  }
  async function list(status?: string): Promise<InboundMailList> {
    const res = await admin.request('GET', `/api/inbound-mail${status ? `?status=${status}` : ''}`);
    expect(res.status, res.body).toBe(200);
    return res.json as InboundMailList;
  }
  async function bySubject(subject: string): Promise<InboundMailDetail> {
    const item = (await list()).items.find((i) => i.subject === subject);
    expect(item, `a mail "${subject}"`).toBeDefined();
    const res = await admin.request('GET', `/api/inbound-mail/${item!.id}`);
    expect(res.status, res.body).toBe(200);
    return res.json as InboundMailDetail;
  }
  const rows = async () => Number((await t.ctx.db.selectFrom('inbound_mail').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);

  it('a mail from a known user reaches the registered handler as that user and becomes processed with its result', async () => {
    await send({ from: '"张三" <zhang.san@example.cn>', to: `testdesk@${DOMAIN}`, subject: '数据库连接失败', text: '订单库连接超时，请处理。', attachments: [{ filename: '截图.txt', content: 'screen' }] });
    const mail = await bySubject('数据库连接失败');
    expect(mail.status).toBe('processed');
    expect(mail.senderUserId).toBe(known.id);
    expect(mail.senderName).toMatch(/^用户 /);
    expect(mail.handler).toBe('test-incidents');
    expect(mail.result).toMatchObject({ type: 'incident', label: expect.stringContaining('数据库连接失败'), path: expect.stringMatching(/^\/incidents\//) });
    expect(mail.text).toContain('订单库连接超时');
    expect(mail.attachments).toEqual([expect.objectContaining({ filename: '截图.txt', size: 6 })]);
    expect(mail.envelopeTo).toEqual([`testdesk@${DOMAIN}`]);
    // The handler acted as the sender, with the sender's permissions.
    const call = handled.at(-1)!;
    expect(call.sender.user.id).toBe(known.id);
    expect(call.sender.actor).toMatchObject({ kind: 'user', userId: known.id });
    expect(call.sender.actor.permissions.size).toBeGreaterThan(0);
    expect((await call.mail.raw()).toString()).toContain('Subject:');
  });

  it('an unknown sender is quarantined; processing it with an assigned sender makes it processed; discarding is audited', async () => {
    await send({ from: 'stranger@elsewhere.cn', to: `testdesk@${DOMAIN}`, subject: '陌生人来信', text: 'hello' });
    let mail = await bySubject('陌生人来信');
    expect(mail.status).toBe('quarantined');
    expect(mail.reasonCode).toBe('unknownSender');
    expect(mail.reason).toContain('stranger@elsewhere.cn');
    expect((await list('quarantined')).items.map((i) => i.id)).toContain(mail.id);
    const calls = handled.length;
    const res = await admin.request('POST', `/api/inbound-mail/${mail.id}/process`, { senderUserId: known.id });
    expect(res.status, res.body).toBe(200);
    mail = res.json as InboundMailDetail;
    expect(mail.status).toBe('processed');
    expect(mail.senderUserId).toBe(known.id);
    expect(handled.length).toBe(calls + 1);
    expect(handled.at(-1)!.sender.user.id).toBe(known.id);
    // Processed mail is not processed again nor discarded.
    expect((await admin.request('POST', `/api/inbound-mail/${mail.id}/process`, {})).status).toBe(409);

    await send({ from: 'spam@elsewhere.cn', to: `testdesk@${DOMAIN}`, subject: '广告', text: 'buy' });
    const spam = await bySubject('广告');
    const discarded = await admin.request('POST', `/api/inbound-mail/${spam.id}/discard`);
    expect(discarded.status, discarded.body).toBe(200);
    expect(discarded.json.status).toBe('discarded');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'after']).where('target_id', '=', spam.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['mailin.message.receive', 'mailin.message.process', 'mailin.message.discard']));
    expect((await admin.request('POST', `/api/inbound-mail/${spam.id}/discard`)).status).toBe(409);
  });

  it('a malformed message is quarantined with the raw message kept and downloadable', async () => {
    const garbage = 'this is not an e-mail at all\r\n\u0000\u0001 just bytes\r\n';
    await send({ envelope: { from: 'relay@example.cn', to: [`testdesk@${DOMAIN}`] }, raw: garbage });
    const items = (await list('quarantined')).items.filter((i) => i.reasonCode === 'malformed');
    expect(items).toHaveLength(1);
    expect(items[0]!.from).toBeNull();
    const raw = await admin.request('GET', `/api/inbound-mail/${items[0]!.id}/raw`);
    expect(raw.status).toBe(200);
    expect(raw.headers['content-type']).toContain('message/rfc822');
    expect(raw.body).toContain('this is not an e-mail at all');
  });

  it('the same Message-ID twice is stored once (both answered 250)', async () => {
    const before = await rows();
    const message = { from: known.email, to: `testdesk@${DOMAIN}`, subject: '重复邮件', text: 'once', messageId: '<dup-1@example.cn>' };
    await send(message);
    await send(message);
    expect(await rows()).toBe(before + 1);
    expect((await bySubject('重复邮件')).messageId).toBe('dup-1@example.cn');
  });

  it('a message over the size limit is refused with 552 and nothing is stored', async () => {
    const before = await rows();
    const error = await transport()
      .sendMail({ from: known.email, to: `testdesk@${DOMAIN}`, subject: '太大', text: 'x'.repeat(MAX_BYTES * 2) })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(error?.responseCode).toBe(552);
    expect(await rows()).toBe(before);
  });

  it('a recipient outside the accepted domains is refused with 550', async () => {
    const before = await rows();
    const error = await transport()
      .sendMail({ from: known.email, to: 'incident@gmail.com', subject: '外域', text: 'x' })
      .then(() => null, (e: { responseCode?: number }) => e);
    expect(error?.responseCode).toBe(550);
    expect(await rows()).toBe(before);
  });

  it('a handler that throws leaves the mail failed with the message, the row kept', async () => {
    await send({ from: known.email, to: `boom@${DOMAIN}`, subject: '处理出错', text: 'x' });
    const mail = await bySubject('处理出错');
    expect(mail.status).toBe('failed');
    expect(mail.reasonCode).toBe('handlerFailed');
    expect(mail.reason).toContain('database of the help desk unreachable');
    expect(mail.handler).toBe('test-boom');
  });

  it('no handler for the recipient → quarantined (no handler)', async () => {
    await send({ from: known.email, to: `nobody@${DOMAIN}`, subject: '无人处理', text: 'x' });
    const mail = await bySubject('无人处理');
    expect(mail.status).toBe('quarantined');
    expect(mail.reasonCode).toBe('noHandler');
    expect(mail.reason).toContain(`nobody@${DOMAIN}`);
  });

  it('a received row left by a stopped node is processed by the pending pass, claimed once across two passes', async () => {
    const service = inboundMailOf(t.ctx).service;
    await send({ from: known.email, to: `testdesk@${DOMAIN}`, subject: '节点中断', text: 'x' });
    const mail = await bySubject('节点中断');
    // As if the node had crashed between storing and processing (with a claim that has since run out).
    await t.ctx.db.updateTable('inbound_mail').set({ status: 'received', claimed_until: Date.now() - 1, result: null, handler: null }).where('id', '=', mail.id).execute();
    const calls = handled.length;
    const [a, b] = await Promise.all([service.processPending(), service.processPending()]);
    expect(a + b).toBe(1);
    expect(handled.length).toBe(calls + 1);
    expect((await bySubject('节点中断')).status).toBe('processed');
    // A live claim keeps other passes off the row.
    await t.ctx.db.updateTable('inbound_mail').set({ status: 'received', claimed_until: Date.now() + CLAIM_MS }).where('id', '=', mail.id).execute();
    expect(await service.processPending()).toBe(0);
  });

  it('settings say the receiver is on, where and for which domains', async () => {
    const res = await admin.request('GET', '/api/inbound-mail/settings');
    expect(res.status, res.body).toBe(200);
    expect(res.json as InboundMailSettings).toMatchObject({ enabled: true, listening: true, port: 0, boundPort: port, domains: [DOMAIN, 'other.example.cn'], maxBytes: MAX_BYTES, startTls: false });
    expect((res.json as InboundMailSettings).handlers).toEqual(expect.arrayContaining(['test-incidents', 'test-boom']));
  });

  it('routes: a viewer is refused; an unknown id is 404 naming params.id; a sender who does not exist is 400 naming the field', async () => {
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', '/api/inbound-mail')).status).toBe(403);
    expect((await viewer.request('GET', '/api/inbound-mail/settings')).status).toBe(403);
    const missing = await admin.request('GET', '/api/inbound-mail/0190a1b2-0000-7000-8000-000000000000');
    expect(missing.status).toBe(404);
    expect(missing.json.details.fields[0].field).toBe('params.id');
    const item = (await list('quarantined')).items[0]!;
    const bad = await admin.request('POST', `/api/inbound-mail/${item.id}/process`, { senderUserId: '0190a1b2-0000-7000-8000-000000000000' });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields[0].field).toBe('body.senderUserId');
  });

  it('a raw SMTP conversation: a refused recipient gets 550 at RCPT, the accepted one is stored and processed', async () => {
    const lines = await smtpTalk(port, ['EHLO test', 'MAIL FROM:<zhang.san@example.cn>', 'RCPT TO:<x@not-ours.cn>', `RCPT TO:<testdesk@${DOMAIN}>`, 'DATA', 'From: zhang.san@example.cn\r\nSubject: 原始会话\r\n\r\nbody\r\n.', 'QUIT']);
    expect(lines.find((l) => l.startsWith('550'))).toBeDefined();
    expect(lines.filter((l) => l.startsWith('250')).length).toBeGreaterThanOrEqual(3);
    await inboundMailOf(t.ctx).service.idle();
    expect((await bySubject('原始会话')).status).toBe('processed');
  });
});

describe.skipIf(!databaseAvailable())('inbound mail off by default', () => {
  it('with no port configured nothing listens and the settings say it is off', async () => {
    const t = await createTestApp();
    try {
      const mail = inboundMailOf(t.ctx);
      await mail.start();
      expect(mail.receiver).toBeNull();
      const admin = await t.signIn(t.admin);
      const res = await admin.request('GET', '/api/inbound-mail/settings');
      expect(res.status, res.body).toBe(200);
      expect(res.json).toMatchObject({ enabled: false, listening: false, port: null, boundPort: null });
      await mail.close();
    } finally {
      await t.close();
    }
  });
});

/** Sends each command after the previous answer (DATA's body as one block) and returns every reply line. */
function smtpTalk(port: number, commands: string[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const replies: string[] = [];
    let buffer = '';
    let next = 0;
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        replies.push(line);
        if (/^\d{3} /.test(line)) {
          if (next < commands.length) {
            socket.write(`${commands[next++]}\r\n`);
          } else {
            socket.end();
          }
        }
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(replies));
  });
}
