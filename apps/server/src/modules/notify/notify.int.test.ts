import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotifyChannel, NotifyDelivery, NotifyDeliveryList, NotifyTestResult } from '@yunwei/contracts/notify';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { notifyOf } from './runtime.js';

describe.skipIf(!databaseAvailable())('notification channels API', () => {
  let t: TestApp;
  let admin: TestSession;
  let ok: TestReceiver;
  let down: TestReceiver;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    ok = await startReceiver(() => ({ status: 200, json: { errcode: 0, errmsg: 'ok' } }));
    down = await startReceiver(() => ({ status: 502, json: { error: 'bad gateway' } }));
  });
  afterAll(async () => {
    await t?.close();
    await ok?.stop();
    await down?.stop();
  });

  async function create(body: Record<string, unknown>): Promise<NotifyChannel> {
    const res = await admin.request('POST', '/api/notify/channels', body);
    expect(res.status, res.body).toBe(200);
    return res.json as NotifyChannel;
  }

  it('secrets are sealed at rest, never returned, kept when left out, cleared with null; the audit trail has no secret either', async () => {
    const channel = await create({ name: '运维钉钉群', type: 'dingtalk', config: { baseUrl: ok.url, accessToken: 'tok-SECRET-1', signSecret: 'SEC-SECRET-2', atMobiles: ['13800000001'] } });
    expect(channel.secretsSet).toEqual({ accessToken: true, signSecret: true });
    expect(channel.config).toEqual({ baseUrl: ok.url, atMobiles: ['13800000001'] });
    expect(channel.locale).toBe('zh-CN');
    expect(channel.ratePerMinute).toBe(10);

    const row = await t.ctx.db.selectFrom('notify_channel').selectAll().where('id', '=', channel.id).executeTakeFirstOrThrow();
    expect(row.config).not.toContain('SECRET');
    expect(row.secrets).toMatch(/^v1:/);
    expect(row.secrets).not.toContain('SECRET');
    expect(JSON.parse(t.ctx.secrets.open(row.secrets!))).toEqual({ accessToken: 'tok-SECRET-1', signSecret: 'SEC-SECRET-2' });

    const got = await admin.request('GET', `/api/notify/channels/${channel.id}`);
    expect(got.body).not.toContain('SECRET');
    const kept = await admin.request('PATCH', `/api/notify/channels/${channel.id}`, { config: { baseUrl: ok.url } });
    expect(kept.json.secretsSet).toEqual({ accessToken: true, signSecret: true });
    const cleared = await admin.request('PATCH', `/api/notify/channels/${channel.id}`, { config: { baseUrl: ok.url, signSecret: null }, locale: 'en' });
    expect(cleared.json).toMatchObject({ secretsSet: { accessToken: true, signSecret: false }, locale: 'en' });
    const list = await admin.request('GET', '/api/notify/channels?type=dingtalk');
    expect(list.json.items.map((c: NotifyChannel) => c.id)).toContain(channel.id);
    expect(list.body).not.toContain('SECRET');

    const audit = JSON.stringify(await t.ctx.db.selectFrom('audit_log' as never).selectAll().execute());
    expect(audit).toContain('notify.channel.create');
    expect(audit).toContain('notify.channel.update');
    expect(audit).not.toContain('SECRET');
  });

  it('refuses bad configuration with 400 naming the field, and writes nothing', async () => {
    const before = await t.ctx.db.selectFrom('notify_channel').select('id').execute();
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'email', config: { host: 'smtp.example.cn', port: 70000, security: 'tls', from: 'a@example.cn', to: ['b@example.cn'] } }, 'body.config.port'],
      [{ type: 'email', config: { host: 'smtp.example.cn', port: 465, security: 'tls', from: 'a@example.cn', to: ['not-an-address'] } }, 'body.config.to.0'],
      [{ type: 'email', config: { host: 'smtp.example.cn', port: 465, security: 'tls', from: 'a@example.cn', to: ['b@example.cn'], password: 'x' } }, 'body.config.user'],
      [{ type: 'webhook', config: { url: 'ftp://example.cn/hook' } }, 'body.config.url'],
      [{ type: 'webhook', config: { url: 'https://example.cn/hook', retries: 3 } }, 'body.config.retries'],
      [{ type: 'webhook', config: { url: 'https://example.cn/hook', headers: { 'X-Token': 'a\r\nInjected: 1' } } }, 'body.config.headers.X-Token'],
      [{ type: 'webhook', config: { url: 'https://example.cn/hook', headers: { 'bad header': 'x' } } }, 'body.config.headers.bad header'],
      [{ type: 'dingtalk', config: { signSecret: 'SEC1' } }, 'body.config.accessToken'],
      [{ type: 'wecom', config: {} }, 'body.config.key'],
      [{ type: 'feishu', config: { token: 't', baseUrl: 'not a url' } }, 'body.config.baseUrl'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.request('POST', '/api/notify/channels', { name: 'bad', ...body });
      expect(res.status, `${field}: ${res.body}`).toBe(400);
      expect(res.json.details.field).toBe(field);
    }
    const unknownType = await admin.request('POST', '/api/notify/channels', { name: 'bad', type: 'sms', config: {} });
    expect(unknownType.status).toBe(400);
    expect(unknownType.json.details.field).toBe('body.type');
    const badRate = await admin.request('POST', '/api/notify/channels', { name: 'bad', type: 'wecom', config: { key: 'k' }, ratePerMinute: 0 });
    expect(badRate.json.details.field).toBe('body.ratePerMinute');
    expect(await t.ctx.db.selectFrom('notify_channel').select('id').execute()).toHaveLength(before.length);
  });

  it('"send a test message" answers with the outcome and logs it as a delivery; a failing endpoint is not retried behind the user', async () => {
    const good = await create({ name: '企业微信-值班群', type: 'wecom', config: { baseUrl: ok.url, key: 'k1' }, enabled: false });
    const res = await admin.request('POST', `/api/notify/channels/${good.id}/test`);
    expect(res.status, res.body).toBe(200);
    const result = res.json as NotifyTestResult;
    expect(result).toMatchObject({ ok: true, error: null });
    expect(ok.requests.at(-1)!.json.markdown.content).toContain('测试消息');

    const bad = await create({ name: 'Broken hook', type: 'webhook', config: { url: `${down.url}/hook` }, locale: 'en' });
    const failed = (await admin.request('POST', `/api/notify/channels/${bad.id}/test`)).json as NotifyTestResult;
    expect(failed.ok).toBe(false);
    expect(failed.error).toContain('HTTP 502');
    expect(down.requests.at(-1)!.json.title).toBe('[Yunwei] Test message: Broken hook');

    const log = (await admin.request('GET', `/api/notify/deliveries?sourceKind=test&limit=10`)).json as NotifyDeliveryList;
    const byId = new Map(log.items.map((d) => [d.id, d]));
    expect(byId.get(result.deliveryId)).toMatchObject({ status: 'sent', attempts: 1, channelName: '企业微信-值班群', title: '【运维】测试消息：企业微信-值班群' });
    expect(byId.get(failed.deliveryId)).toMatchObject({ status: 'failed', attempts: 1, channelType: 'webhook', lastError: expect.stringContaining('HTTP 502') });
    const audit = await t.ctx.db.selectFrom('audit_log' as never).select(['action' as never]).where('target_id' as never, '=', bad.id as never).execute();
    expect((audit as { action: string }[]).map((a) => a.action)).toContain('notify.channel.test');
  });

  it('delivery log filters by channel, status and source and pages; retry sends a failed delivery again (audited), a sent one is a 409', async () => {
    const flaky = await startReceiver((_req, n) => (n === 0 ? { status: 500 } : { status: 200 }));
    try {
      const channel = await create({ name: 'flaky hook', type: 'webhook', config: { url: flaky.url }, maxAttempts: 1 });
      const notify = notifyOf(t.ctx);
      const message = { title: 'x', markdown: 'x', text: 'x' };
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        ids.push((await notify.enqueue({ channelId: channel.id, message: { 'zh-CN': { ...message, title: `第${i}条` }, en: message }, source: { kind: 'alert-group', id: `g${i}` } })).deliveryId);
      }
      const page = (await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}&limit=2`)).json as NotifyDeliveryList;
      expect(page.total).toBe(3);
      expect(page.items.map((d) => d.title)).toEqual(['第2条', '第1条']);
      expect((await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}&limit=2&offset=2`)).json.items[0].id).toBe(ids[0]);
      expect((await admin.request('GET', `/api/notify/deliveries?sourceKind=alert-group&sourceId=g1`)).json.items.map((d: NotifyDelivery) => d.id)).toEqual([ids[1]]);
      expect((await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}&status=queued`)).json.total).toBe(3);

      notify.worker.configure({ pollMs: 50 });
      notify.start();
      const failedOne = await waitFor(async () => {
        const rows = (await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}&status=failed`)).json as NotifyDeliveryList;
        const sent = (await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}&status=sent`)).json as NotifyDeliveryList;
        return rows.total === 1 && sent.total === 2 && rows.items[0];
      }, 'one failed (maxAttempts 1) and two sent');
      expect(failedOne.lastError).toContain('HTTP 500');

      const retried = await admin.request('POST', `/api/notify/deliveries/${failedOne.id}/retry`);
      expect(retried.status, retried.body).toBe(200);
      await waitFor(async () => (await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}&status=sent`)).json.total === 3, 'the retried delivery sent');
      const again = await admin.request('POST', `/api/notify/deliveries/${failedOne.id}/retry`);
      expect(again.status).toBe(409);
      expect(again.json.code).toBe('YW_NOTIFY_DELIVERY_NOT_RETRYABLE');
      expect((await admin.request('POST', '/api/notify/deliveries/0190aaaa-0000-7000-8000-000000000000/retry')).status).toBe(404);
      const audit = await t.ctx.db.selectFrom('audit_log' as never).select(['action' as never]).where('target_id' as never, '=', failedOne.id as never).execute();
      expect((audit as { action: string }[]).map((a) => a.action)).toEqual(['notify.delivery.retry']);
    } finally {
      await notifyOf(t.ctx).close();
      await flaky.stop();
    }
  });

  it('the retention job drops finished deliveries past 90 days and keeps those still to send', async () => {
    const notify = notifyOf(t.ctx);
    const channel = await create({ name: 'retention hook', type: 'webhook', config: { url: ok.url } });
    const message = { title: 'old', markdown: 'old', text: 'old' };
    const ids: Record<string, string> = {};
    for (const status of ['sent', 'failed', 'suppressed', 'retrying', 'queued']) {
      ids[status] = (await notify.enqueue({ channelId: channel.id, message: { 'zh-CN': message, en: message } })).deliveryId;
      await t.ctx.db.updateTable('notify_delivery').set({ status, created_at: Date.now() - 91 * 86_400_000 }).where('id', '=', ids[status]).execute();
    }
    const recent = (await notify.enqueue({ channelId: channel.id, message: { 'zh-CN': message, en: message } })).deliveryId;
    await t.ctx.db.updateTable('notify_delivery').set({ status: 'sent' }).where('id', '=', recent).execute();
    expect(await notify.deliveries.purgeLog()).toBe(3);
    const left = (await t.ctx.db.selectFrom('notify_delivery').select('id').where('channel_id', '=', channel.id).execute()).map((r) => r.id).sort();
    expect(left).toEqual([ids.retrying, ids.queued, recent].sort());
  });

  it('writes the outbox figures to the metrics store: backlog by status, oldest due wait, failed in the last hour', async () => {
    const notify = notifyOf(t.ctx);
    const channel = await create({ name: 'stats hook', type: 'webhook', config: { url: ok.url } });
    const message = { title: 'x', markdown: 'x', text: 'x' };
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await notify.enqueue({ channelId: channel.id, message: { 'zh-CN': message, en: message } })).deliveryId);
    }
    await t.ctx.db.updateTable('notify_delivery').set({ next_attempt_at: Date.now() - 120_000 }).where('id', '=', ids[0]!).execute();
    await t.ctx.db.updateTable('notify_delivery').set({ status: 'retrying' }).where('id', '=', ids[1]!).execute();
    await t.ctx.db.updateTable('notify_delivery').set({ status: 'failed' }).where('id', '=', ids[2]!).execute();
    await notify.writeStats();
    const value = async (query: string) => {
      const res = await admin.request('GET', `/api/v1/query?${new URLSearchParams({ query })}`);
      expect(res.status, res.body).toBe(200);
      return (res.json.data.result as { value: [number, string] }[]).map((r) => Number(r.value[1]));
    };
    const queued = (await value('yunwei_notify_backlog{status="queued"}'))[0]!;
    expect(queued).toBe(await t.ctx.db.selectFrom('notify_delivery').select('id').where('status', '=', 'queued').execute().then((r) => r.length));
    expect((await value('yunwei_notify_backlog{status="retrying"}'))[0]).toBeGreaterThanOrEqual(1);
    expect((await value('yunwei_notify_oldest_due_seconds'))[0]).toBeGreaterThanOrEqual(119);
    expect((await value('yunwei_notify_failed_last_hour'))[0]).toBeGreaterThanOrEqual(1);
  });

  it('a viewer reads channels and the log but cannot change, test or retry; deleting a channel keeps its log', async () => {
    const channel = await create({ name: 'to delete', type: 'webhook', config: { url: ok.url } });
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', '/api/notify/channels')).status).toBe(200);
    expect((await viewer.request('GET', '/api/notify/deliveries')).status).toBe(200);
    expect((await viewer.request('POST', `/api/notify/channels/${channel.id}/test`)).status).toBe(403);
    expect((await viewer.request('PATCH', `/api/notify/channels/${channel.id}`, { name: 'x' })).status).toBe(403);
    const tested = (await admin.request('POST', `/api/notify/channels/${channel.id}/test`)).json as NotifyTestResult;
    expect((await admin.request('DELETE', `/api/notify/channels/${channel.id}`)).status).toBe(200);
    expect((await admin.request('GET', `/api/notify/channels/${channel.id}`)).status).toBe(404);
    const log = (await admin.request('GET', `/api/notify/deliveries?channelId=${channel.id}`)).json as NotifyDeliveryList;
    expect(log.items).toEqual([expect.objectContaining({ id: tested.deliveryId, status: 'sent', channelName: null })]);
  });
});
