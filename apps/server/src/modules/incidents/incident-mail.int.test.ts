import nodemailer, { type SendMailOptions } from 'nodemailer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InboundMailList } from '@yunwei/contracts/inbound-mail';
import type { Incident, IncidentActivityList } from '@yunwei/contracts/incidents';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { inboundMailOf } from '../inbound-mail/runtime.js';

const DOMAIN = 'ops.example.cn';

describe.skipIf(!databaseAvailable())('inbound e-mail becomes an incident', () => {
  let t: TestApp;
  let admin: TestSession;
  let port = 0;
  const reporter = { id: '', email: 'li.si@example.cn', name: '' };
  let user: Awaited<ReturnType<TestApp['newUser']>>;

  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_MAIL_RECEIVER_PORT: '0', YUNWEI_MAIL_RECEIVER_HOST: '127.0.0.1', YUNWEI_MAIL_RECEIVER_DOMAINS: DOMAIN });
    admin = await t.signIn(t.admin);
    user = await t.newUser({ roles: ['viewer'] });
    reporter.id = user.id;
    await t.ctx.db.updateTable('user').set({ email: reporter.email }).where('id', '=', user.id).execute();
    reporter.name = (await t.ctx.db.selectFrom('user').select('display_name').where('id', '=', user.id).executeTakeFirstOrThrow()).display_name;
    await inboundMailOf(t.ctx).start();
    port = inboundMailOf(t.ctx).receiver!.address!.port;
  });
  afterAll(async () => {
    await t?.close();
  });

  /** A real SMTP client to the receiver on 127.0.0.1; waits until the mail is processed. */
  async function send(message: SendMailOptions): Promise<void> {
    await nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true }).sendMail(message);
    await inboundMailOf(t.ctx).service.idle();
  }
  async function mailBySubject(subject: string) {
    const res = await admin.request('GET', '/api/inbound-mail');
    expect(res.status, res.body).toBe(200);
    return (res.json as InboundMailList).items.find((i) => i.subject === subject)!;
  }

  it('[L4-2.3.1] an inbound e-mail to the receiver becomes an incident; a reply with its number adds a comment instead', async () => {
    await send({ from: `"李四" <${reporter.email}>`, to: `incident@${DOMAIN}`, subject: '财务系统无法登录', text: '上午 9 点起财务系统登录页一直转圈，全部门受影响。' });
    const mail = await mailBySubject('财务系统无法登录');
    expect(mail).toMatchObject({ status: 'processed', handler: 'incidents', senderUserId: reporter.id, result: { type: 'incident', path: expect.stringMatching(/^\/incidents\//) } });
    const id = mail.result!.id;
    const res = await admin.request('GET', `/api/incidents/${id}`, undefined, { 'accept-language': 'zh-CN' });
    expect(res.status, res.body).toBe(200);
    const incident = res.json as Incident;
    expect(incident).toMatchObject({ title: '财务系统无法登录', source: 'email', status: 'new', reporter: { id: reporter.id, name: reporter.name } });
    expect(incident.description).toContain('全部门受影响');
    expect(mail.result!.label).toBe(`${incident.number} 财务系统无法登录`);

    // The reporter follows it as their own report (我的报障).
    const own = await (await t.signIn(user)).request('GET', `/api/incidents/reports/${id}`);
    expect(own.status, own.body).toBe(200);

    // A reply with the number in the subject: a comment on that incident, no new one.
    const before = Number((await t.ctx.db.selectFrom('incident').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n);
    await send({ from: reporter.email, to: `incident@${DOMAIN}`, subject: `Re: [${incident.number}] 财务系统无法登录`, text: '补充：重启浏览器后仍然无法登录。' });
    const reply = await mailBySubject(`Re: [${incident.number}] 财务系统无法登录`);
    expect(reply).toMatchObject({ status: 'processed', result: { type: 'incident-comment', id } });
    expect(Number((await t.ctx.db.selectFrom('incident').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow()).n)).toBe(before);
    const activity = (await admin.request('GET', `/api/incidents/${id}/activity`)).json as IncidentActivityList;
    expect(activity.items.find((a) => a.kind === 'comment')).toMatchObject({ note: '补充：重启浏览器后仍然无法登录。', actor: { id: reporter.id } });

    // Mail to another mailbox is not the incidents handler's; an unknown sender stays in quarantine (never lost).
    await send({ from: 'stranger@elsewhere.cn', to: `incident@${DOMAIN}`, subject: '陌生人报障', text: 'x' });
    expect(await mailBySubject('陌生人报障')).toMatchObject({ status: 'quarantined', reasonCode: 'unknownSender' });
    await send({ from: reporter.email, to: `sales@${DOMAIN}`, subject: '询价', text: 'x' });
    expect(await mailBySubject('询价')).toMatchObject({ status: 'quarantined', reasonCode: 'noHandler' });
  });
});
