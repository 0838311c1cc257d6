import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyChannel, NotifyDelivery, NotifyTestResult } from '@yunwei/contracts/notify';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { startReceiver, startSmtp, type TestReceiver } from '../../platform/notify/notify.testing.js';

const auditOf = async (t: TestApp, targetId: string) =>
  (await t.ctx.db.selectFrom('audit_log' as never).selectAll().where('target_id' as never, '=', targetId as never).execute()) as { action: string; before: string | null; after: string | null }[];

describe.skipIf(!databaseAvailable())('notification channels: secrets and destinations', () => {
  let t: TestApp;
  let admin: TestSession;
  let good: TestReceiver;
  let attacker: TestReceiver;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    good = await startReceiver(() => ({ status: 200, json: { errcode: 0, errmsg: 'ok' } }));
    attacker = await startReceiver(() => ({ status: 200, json: { errcode: 0, errmsg: 'ok' } }));
  });
  afterAll(async () => {
    await t?.close();
    await good?.stop();
    await attacker?.stop();
  });

  async function create(body: Record<string, unknown>): Promise<NotifyChannel> {
    const res = await admin.request('POST', '/api/notify/channels', body);
    expect(res.status, res.body).toBe(200);
    return res.json as NotifyChannel;
  }

  it('#10.2 changing where a channel sends drops its stored secrets unless entered again; the answer and the audit entry name them', async () => {
    const hook = await create({ name: 'signed hook', type: 'webhook', config: { url: `${good.url}/hook`, secret: 'HMAC-SECRET-1', headers: { Authorization: 'Bearer HDR-SECRET-1' } } });
    // Pointed at another server without the secrets: they are gone, not sent there.
    const moved = await admin.request('PATCH', `/api/notify/channels/${hook.id}`, { config: { url: `${attacker.url}/steal`, headers: { Authorization: null } } });
    expect(moved.status, moved.body).toBe(200);
    expect([...(moved.json as NotifyChannel).secretsDropped!].sort()).toEqual(['headers.Authorization', 'secret']);
    expect((moved.json as NotifyChannel).secretsSet).toEqual({ secret: false });
    const test = (await admin.request('POST', `/api/notify/channels/${hook.id}/test`)).json as NotifyTestResult;
    expect(test.ok).toBe(true);
    const stolen = attacker.requests.at(-1)!;
    expect(stolen.headers['x-yunwei-signature']).toBeUndefined();
    expect(stolen.headers.authorization).toBeUndefined();
    expect(JSON.stringify(stolen)).not.toContain('SECRET');
    const audit = await auditOf(t, hook.id);
    const update = audit.find((a) => a.action === 'notify.channel.update')!;
    expect(JSON.parse(update.after!).secretsDropped.sort()).toEqual(['headers.Authorization', 'secret']);

    // Entered again in the same request, a secret follows the new destination; unchanged destination keeps them.
    const back = await admin.request('PATCH', `/api/notify/channels/${hook.id}`, { config: { url: `${good.url}/hook`, secret: 'HMAC-SECRET-2' } });
    expect(back.json).toMatchObject({ secretsDropped: [], secretsSet: { secret: true } });
    const same = await admin.request('PATCH', `/api/notify/channels/${hook.id}`, { config: { url: `${good.url}/hook` }, name: 'renamed' });
    expect(same.json).toMatchObject({ secretsDropped: [], secretsSet: { secret: true } });

    // A robot whose token would be dropped cannot be moved without entering it again.
    const robot = await create({ name: '钉钉', type: 'dingtalk', config: { baseUrl: good.url, accessToken: 'TOKEN-SECRET', signSecret: 'SEC-SECRET' } });
    const refused = await admin.request('PATCH', `/api/notify/channels/${robot.id}`, { config: { baseUrl: attacker.url } });
    expect(refused.status).toBe(400);
    expect(refused.json.details.field).toBe('body.config.accessToken');
    const reentered = await admin.request('PATCH', `/api/notify/channels/${robot.id}`, { config: { baseUrl: attacker.url, accessToken: 'NEW-TOKEN' } });
    expect(reentered.json).toMatchObject({ secretsDropped: ['signSecret'], secretsSet: { accessToken: true, signSecret: false } });
    await admin.request('POST', `/api/notify/channels/${robot.id}/test`);
    expect(attacker.requests.at(-1)!.url).not.toContain('TOKEN-SECRET');
    expect(attacker.requests.at(-1)!.url).not.toContain('sign=');

    // E-mail: a new SMTP host or port drops the password (the new server would receive it in AUTH).
    const smtp = await startSmtp();
    try {
      const mail = await create({ name: 'mail', type: 'email', config: { host: 'smtp.example.cn', port: 465, security: 'tls', user: 'alerts', password: 'SMTP-SECRET', from: 'a@example.cn', to: ['b@example.cn'] } });
      const toAttacker = await admin.request('PATCH', `/api/notify/channels/${mail.id}`, { config: { host: '127.0.0.1', port: smtp.port, security: 'none', user: 'alerts', from: 'a@example.cn', to: ['b@example.cn'] } });
      expect(toAttacker.json).toMatchObject({ secretsDropped: ['password'], secretsSet: { password: false } });
      expect(((await admin.request('POST', `/api/notify/channels/${mail.id}/test`)).json as NotifyTestResult).ok).toBe(true);
      expect(smtp.messages.at(-1)!.user).toBeUndefined();
    } finally {
      await smtp.stop();
    }
  });

  it('#10.2 only system administrators change channels; operators still send test messages and resend', async () => {
    const channel = await create({ name: 'ops hook', type: 'webhook', config: { url: good.url } });
    const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    expect((await operator.request('PATCH', `/api/notify/channels/${channel.id}`, { config: { url: attacker.url } })).status).toBe(403);
    expect((await operator.request('POST', '/api/notify/channels', { name: 'mine', type: 'webhook', config: { url: attacker.url } })).status).toBe(403);
    expect((await operator.request('DELETE', `/api/notify/channels/${channel.id}`)).status).toBe(403);
    const tested = await operator.request('POST', `/api/notify/channels/${channel.id}/test`);
    expect(tested.status, tested.body).toBe(200);
    expect((tested.json as NotifyTestResult).ok).toBe(true);
  });

  it('#10.10 webhook header values are sealed, never returned (names only), masked in the audit trail and still sent', async () => {
    const hook = await create({ name: 'auth hook', type: 'webhook', config: { url: `${good.url}/auth`, headers: { Authorization: 'Bearer HDR-SECRET-9', 'X-Team': 'ops-SECRET' } } });
    expect(hook.config).toEqual({ url: `${good.url}/auth`, headers: { Authorization: null, 'X-Team': null } });
    expect(hook.secretsSet).toEqual({ secret: false, 'headers.Authorization': true, 'headers.X-Team': true });
    const row = await t.ctx.db.selectFrom('notify_channel').selectAll().where('id', '=', hook.id).executeTakeFirstOrThrow();
    expect(row.config).not.toContain('SECRET');
    expect(row.secrets).not.toContain('SECRET');

    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    const seen = await viewer.request('GET', `/api/notify/channels/${hook.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body).not.toContain('SECRET');
    expect(seen.json.config.headers).toEqual({ Authorization: null, 'X-Team': null });
    expect((await viewer.request('GET', '/api/notify/channels?type=webhook')).body).not.toContain('SECRET');

    // null keeps a stored value, a new value replaces it, a name left out goes.
    const kept = await admin.request('PATCH', `/api/notify/channels/${hook.id}`, { config: { url: `${good.url}/auth`, headers: { Authorization: null, 'X-New': 'NEW-SECRET' } } });
    expect(kept.status, kept.body).toBe(200);
    expect(kept.json.config.headers).toEqual({ Authorization: null, 'X-New': null });
    await admin.request('POST', `/api/notify/channels/${hook.id}/test`);
    const received = good.requests.at(-1)!;
    expect(received.headers.authorization).toBe('Bearer HDR-SECRET-9');
    expect(received.headers['x-new']).toBe('NEW-SECRET');
    expect(received.headers['x-team']).toBeUndefined();
    const unknown = await admin.request('PATCH', `/api/notify/channels/${hook.id}`, { config: { url: `${good.url}/auth`, headers: { 'X-Missing': null } } });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details.field).toBe('body.config.headers.X-Missing');

    expect((await admin.request('DELETE', `/api/notify/channels/${hook.id}`)).status).toBe(200);
    const audit = JSON.stringify(await auditOf(t, hook.id));
    expect(audit).toContain('notify.channel.create');
    expect(audit).toContain('headers.Authorization');
    expect(audit).not.toContain('SECRET');
  });
});

describe.skipIf(!databaseAvailable())('notification channels: outbound network policy (defaults)', () => {
  let t: TestApp;
  let admin: TestSession;
  let local: TestReceiver;

  beforeAll(async () => {
    // The default: createTestApp allows loopback for the other tests' receivers; an empty variable is
    // "not set", so this app runs with the configuration's own default.
    t = await createTestApp({ YUNWEI_NOTIFY_ALLOW_LOCAL: '' });
    admin = await t.signIn(t.admin);
    local = await startReceiver();
  });
  afterAll(async () => {
    await t?.close();
    await local?.stop();
  });

  it('#10.17 channels refuse loopback and link-local addresses by default (names resolving to them too), with the reason in the test result and the delivery log', async () => {
    expect(t.ctx.config.notifyAllowLocal).toBe(false);
    const port = new URL(local.url).port;
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'webhook', config: { url: `http://127.0.0.1:${port}/hook` } }, /127\.0\.0\.1 is a loopback address/],
      [{ type: 'webhook', config: { url: `http://[::1]:${port}/hook` } }, /::1 is a loopback address/],
      [{ type: 'webhook', config: { url: `http://localhost:${port}/hook` } }, /localhost → (127\.0\.0\.1|::1) is a loopback address/],
      [{ type: 'webhook', config: { url: 'http://169.254.169.254/latest/meta-data/' } }, /169\.254\.169\.254 is a link-local address/],
      [{ type: 'wecom', config: { baseUrl: 'http://[::ffff:127.0.0.1]:9/send', key: 'k' } }, /loopback/],
      [{ type: 'email', config: { host: 'localhost', port: 25, security: 'none', from: 'a@example.cn', to: ['b@example.cn'] } }, /localhost → .* is a loopback address/],
    ];
    for (const [i, [body, reason]] of cases.entries()) {
      const created = await admin.request('POST', '/api/notify/channels', { name: `local ${i}`, ...body });
      expect(created.status, created.body).toBe(200);
      const channel = created.json as NotifyChannel;
      const res = await admin.request('POST', `/api/notify/channels/${channel.id}/test`);
      expect(res.status, res.body).toBe(200);
      const result = res.json as NotifyTestResult;
      expect(result.ok, JSON.stringify(body)).toBe(false);
      expect(result.error).toMatch(reason);
      // In the request's language (this client asks in English); the reason names the address either way.
      expect(result.error).toMatch(/^(出站网络策略拒绝连接|refused by the outbound network policy)/);
      const log = (await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}`)).json.items as NotifyDelivery[];
      expect(log[0]).toMatchObject({ status: 'failed', lastError: expect.stringMatching(reason) });
    }
    expect(local.requests).toHaveLength(0);
  });
});
