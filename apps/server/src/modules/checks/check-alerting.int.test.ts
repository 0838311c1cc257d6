import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EscalationPolicy, NotificationPolicy } from '@yunwei/contracts/alert-routing';
import type { Rule } from '@yunwei/contracts/alerting';
import { CHECK_LIMITS, type Check, type CheckList } from '@yunwei/contracts/checks';
import { waitFor } from '../../../test/peers.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { alertingHarness, type AlertingHarness } from '../alerting/alerts.testing.js';
import { routingOf } from '../alerting/routing.runtime.js';
import { notifyOf } from '../notify/runtime.js';

/** A TCP port that answers while `open`, refuses once closed (a real service going down). */
async function tcpService(): Promise<{ port: number; close(): Promise<void>; reopen(): Promise<void> }> {
  const server = net.createServer((socket) => socket.end());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
    reopen: () => new Promise((resolve) => server.listen(port, '127.0.0.1', resolve)),
  };
}

describe.skipIf(!databaseAvailable())('a check\'s alerting in its own form (retries, notify via)', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let admin: TestSession;
  let receiver: TestReceiver;
  let zhHook: string;
  let enHook: string;
  let service: Awaited<ReturnType<typeof tcpService>>;

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    admin = h.admin;
    receiver = await startReceiver();
    service = await tcpService();
    zhHook = await channel({ name: '值班群', type: 'webhook', locale: 'zh-CN', config: { url: `${receiver.url}/zh` } });
    enHook = await channel({ name: 'Ops hook', type: 'webhook', locale: 'en', config: { url: `${receiver.url}/en` } });
  });
  afterAll(async () => {
    // Closing the app stops the dispatcher and the delivery worker started below.
    await t?.close();
    await receiver?.stop();
    await service?.close().catch(() => undefined);
  });

  async function channel(body: Record<string, unknown>): Promise<string> {
    const res = await admin.request('POST', '/api/notify/channels', body);
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  }

  async function create(body: Record<string, unknown>, as = admin): Promise<Check> {
    const res = await as.request('POST', '/api/checks', { type: 'tcp', settings: { host: '127.0.0.1', port: service.port }, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  }

  const get = async <T>(url: string) => (await admin.request('GET', url)).json as T;
  const policyOf = async (id: string) => (await get<{ items: NotificationPolicy[] }>('/api/alerting/policies')).items.find((p) => p.id === id);
  const auditOf = async (targetId: string) =>
    (await t.ctx.db.selectFrom('audit_log' as never).select(['action' as never, 'actor_name' as never]).where('target_id' as never, '=', targetId as never).orderBy('id' as never).execute()) as unknown as { action: string; actor_name: string }[];

  it('[L3-2.1.3] saving a check with retries and notify-via makes its alert rule (critical, retries + 1 failures in a row) and a policy to those channels, seen through their own APIs and audited', async () => {
    const check = await create({ name: '门户网站', retries: 2, notifyChannelIds: [zhHook] });
    expect(check).toMatchObject({
      retries: 2,
      alertRule: { name: '检查「门户网站」不可用', consecutiveDown: 3, enabled: true },
      notificationPolicy: { name: '检查「门户网站」的通知', nameEn: 'Notifications of check "门户网站"' },
      notifyChannels: [{ id: zhHook, name: '值班群' }],
    });

    const rule = await get<Rule>(`/api/alerting/rules/${check.alertRule!.id}`);
    expect(rule).toMatchObject({ kind: 'check', severity: 'critical', enabled: true, spec: { kind: 'check', checkIds: [check.id], consecutiveDown: 3 }, target: { kind: 'all' } });
    const policy = (await policyOf(check.notificationPolicy!.id))!;
    expect(policy).toMatchObject({ matchers: [{ name: 'rule', op: '=', value: rule.id }], continue: false, groupWaitSeconds: 0, enabled: true });
    // First among the policies: a broader one earlier in the list does not take the check's alerts.
    expect((await get<{ items: NotificationPolicy[] }>('/api/alerting/policies')).items.filter((p) => !p.isDefault)[0]!.id).toBe(policy.id);
    const escalation = await get<EscalationPolicy>(`/api/alerting/escalations/${policy.escalationPolicyId}`);
    expect(escalation.steps).toEqual([{ afterMinutes: 0, targets: [{ type: 'channel', channelId: zhHook }] }]);

    // One audited change: the check, its rule, its escalation and notification policies, by the person who saved it.
    const entries = await t.ctx.db.selectFrom('audit_log' as never).select(['action' as never, 'actor_name' as never]).where('target_id' as never, 'in', [check.id, rule.id, policy.id, escalation.id] as never).execute();
    expect((entries as unknown as { action: string; actor_name: string }[]).map((e) => e.action).sort()).toEqual(
      ['alerting.escalation.create', 'alerting.policy.create', 'alerting.rule.create', 'checks.check.create'].sort(),
    );
    expect(new Set((entries as unknown as { actor_name: string }[]).map((e) => e.actor_name))).toEqual(new Set([t.admin.username]));

    // Another channel, no retries, a new name: the same rule and policy follow the form.
    const changed = (await admin.request('PATCH', `/api/checks/${check.id}`, { name: '门户首页', retries: 0, notifyChannelIds: [enHook] })).json as Check;
    expect(changed).toMatchObject({ retries: 0, alertRule: { id: rule.id, name: '检查「门户首页」不可用', consecutiveDown: 1 }, notificationPolicy: { id: policy.id, name: '检查「门户首页」的通知' }, notifyChannels: [{ id: enHook, name: 'Ops hook' }] });
    expect((await get<EscalationPolicy>(`/api/alerting/escalations/${escalation.id}`)).steps[0]!.targets).toEqual([{ type: 'channel', channelId: enHook }]);

    // No channel: its policies go (its alerts follow the general policies), the rule stays.
    const quiet = (await admin.request('PATCH', `/api/checks/${check.id}`, { notifyChannelIds: [] })).json as Check;
    expect(quiet).toMatchObject({ notificationPolicy: null, notifyChannels: [], alertRule: { id: rule.id } });
    expect(await policyOf(policy.id)).toBeUndefined();
    expect((await admin.request('GET', `/api/alerting/escalations/${escalation.id}`)).status).toBe(404);
  });

  it('what an administrator changes on the rule and policy pages shows in the check; saving the check leaves it unless the form changes it', async () => {
    const check = await create({ name: '订单服务', retries: 1, notifyChannelIds: [zhHook] });
    const policy = (await policyOf(check.notificationPolicy!.id))!;
    // By hand: the escalation notifies the English hook instead, the rule waits for 5 failures.
    expect((await admin.request('PATCH', `/api/alerting/escalations/${policy.escalationPolicyId}`, { steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: enHook }] }] })).status).toBe(200);
    expect((await admin.request('PATCH', `/api/alerting/rules/${check.alertRule!.id}`, { spec: { kind: 'check', checkIds: [check.id], consecutiveDown: 5 } })).status).toBe(200);
    const seen = await get<Check>(`/api/checks/${check.id}`);
    expect(seen).toMatchObject({ retries: 1, alertRule: { consecutiveDown: 5 }, notifyChannels: [{ id: enHook }] });

    // A save that does not touch retries or channels (the form sends the channels it shows) keeps both.
    await admin.request('PATCH', `/api/checks/${check.id}`, { intervalSeconds: 120, notifyChannelIds: [enHook] });
    expect(await get<Check>(`/api/checks/${check.id}`)).toMatchObject({ intervalSeconds: 120, alertRule: { consecutiveDown: 5 }, notifyChannels: [{ id: enHook }] });
    // Retries changed in the form: the rule follows them again.
    await admin.request('PATCH', `/api/checks/${check.id}`, { retries: 3 });
    expect((await get<Rule>(`/api/alerting/rules/${check.alertRule!.id}`)).spec).toMatchObject({ consecutiveDown: 4 });

    // A rule deleted by hand is made anew on the next save, and the policy routes the new one.
    await admin.request('DELETE', `/api/alerting/rules/${check.alertRule!.id}`);
    expect((await get<Check>(`/api/checks/${check.id}`)).alertRule).toBeNull();
    const again = (await admin.request('PATCH', `/api/checks/${check.id}`, { enabled: true })).json as Check;
    expect(again.alertRule).toMatchObject({ consecutiveDown: 4 });
    expect(again.alertRule!.id).not.toBe(check.alertRule!.id);
    expect((await policyOf(policy.id))!.matchers).toEqual([{ name: 'rule', op: '=', value: again.alertRule!.id }]);
  });

  it('[L3-2.1.3] retries: the check is pending through its retries, down and alerting only at retries + 1 failures in a row; each chosen channel gets the alert in its own language', async () => {
    routingOf(t.ctx).dispatcher.start();
    notifyOf(t.ctx).start();
    const check = await create({ name: '支付网关', retries: 2, notifyChannelIds: [zhHook, enHook] });
    const ruleId = check.alertRule!.id;
    const step = async () => {
      const run = await admin.request('POST', `/api/checks/${check.id}/run`);
      expect(run.status, run.body).toBe(200);
      await h.cycle(Date.now());
      const alerts = await h.alerts(`?ruleId=${ruleId}`);
      return [(await get<Check>(`/api/checks/${check.id}`)).status, alerts.map((a: { state: string }) => a.state).join() || 'none'];
    };
    expect(await step()).toEqual(['up', 'none']);
    await service.close();
    expect(await step()).toEqual(['pending', 'none']);
    expect(await step()).toEqual(['pending', 'none']);
    expect(await step()).toEqual(['down', 'firing']);
    const heartbeat = (await get<Check>(`/api/checks/${check.id}`)).heartbeat.map((b) => b.status);
    expect(heartbeat).toEqual(['up', 'pending', 'pending', 'down']);

    // The policy sends at once (no group wait) to both channels: each reads the reason in its language.
    const bodyOf = async (path: string) => JSON.parse((await waitFor(() => receiver.requests.find((r) => r.url === path && r.body.includes('支付网关')), `the alert at ${path}`, 20_000)).body) as { text: string };
    const zh = await bodyOf('/zh');
    const en = await bodyOf('/en');
    expect(zh.text).toContain('连接被拒绝');
    expect(en.text).toContain('connection refused');
    expect(en.text).not.toContain('连接被拒绝');
    await service.reopen();
  });

  it('deleting a check removes its rule (its open alert resolves) and its policies, in one audited change', async () => {
    const check = await create({ name: '短信平台', retries: 0, notifyChannelIds: [zhHook] });
    await service.close();
    // Its first result comes before the evaluator has re-read its rules: it still counts.
    await admin.request('POST', `/api/checks/${check.id}/run`);
    await h.cycle(Date.now());
    const [alert] = await h.alerts(`?ruleId=${check.alertRule!.id}`);
    expect(alert.state).toBe('firing');
    await service.reopen();
    const policy = (await policyOf(check.notificationPolicy!.id))!;

    expect((await admin.request('DELETE', `/api/checks/${check.id}`)).status).toBe(200);
    expect((await admin.request('GET', `/api/alerting/rules/${check.alertRule!.id}`)).status).toBe(404);
    expect(await policyOf(policy.id)).toBeUndefined();
    expect((await admin.request('GET', `/api/alerting/escalations/${policy.escalationPolicyId}`)).status).toBe(404);
    expect((await get<{ state: string }>(`/api/alerting/alerts/${alert.id}`)).state).toBe('resolved');
    expect((await auditOf(check.alertRule!.id)).map((e) => e.action)).toEqual(['alerting.rule.create', 'alerting.rule.delete']);
    expect((await auditOf(check.id)).map((e) => e.action)).toEqual(['checks.check.create', 'checks.check.delete']);
  });

  it('bad retries or channels are refused with 400 naming the field, and nothing is stored', async () => {
    const before = ((await admin.request('GET', '/api/checks')).json as CheckList).total;
    const rules = (await admin.request('GET', '/api/alerting/rules')).json.total as number;
    const cases: [Record<string, unknown>, string][] = [
      [{ retries: -1 }, 'body.retries'],
      [{ retries: 11 }, 'body.retries'],
      [{ retries: 1.5 }, 'body.retries'],
      [{ notifyChannelIds: ['0190a0a0-0000-7000-8000-000000000000'] }, 'body.notifyChannelIds.0'],
      [{ notifyChannelIds: [zhHook, 'not-an-id'] }, 'body.notifyChannelIds.1'],
      [{ notifyChannelIds: [zhHook, zhHook] }, 'body.notifyChannelIds'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.request('POST', '/api/checks', { name: 'refused', type: 'tcp', settings: { host: '127.0.0.1', port: service.port }, ...body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe('YW_VALIDATION');
      expect(res.json.details.field, JSON.stringify(body)).toBe(field);
    }
    const existing = await create({ name: '校验用', notifyChannelIds: [zhHook] });
    const patch = await admin.request('PATCH', `/api/checks/${existing.id}`, { notifyChannelIds: ['0190a0a0-0000-7000-8000-000000000000'], retries: 4 });
    expect(patch.status).toBe(400);
    expect(patch.json.details.field).toBe('body.notifyChannelIds.0');
    expect(await get<Check>(`/api/checks/${existing.id}`)).toMatchObject({ retries: CHECK_LIMITS.defaultRetries, notifyChannels: [{ id: zhHook }] });
    expect(((await admin.request('GET', '/api/checks')).json as CheckList).total).toBe(before + 1);
    expect((await admin.request('GET', '/api/alerting/rules')).json.total).toBe(rules + 1);
  });

  describe('data scope', () => {
    let w: ScopedWorld;
    beforeAll(async () => {
      w = await scopedWorld(t, admin, 'check-alerting');
    });

    it('channels are organisation-wide: an operator of 甲 routes their own check to any channel, never a check of 乙; routing needs alerting.policy.write', async () => {
      const op = await w.scopedToA(['checks.check.read', 'checks.check.write', 'alerting.policy.write', 'notify.channel.read']);
      const mine = await create({ name: '甲的接口', orgUnitId: w.unitA1, notifyChannelIds: [enHook] }, op);
      expect(mine).toMatchObject({ orgUnitId: w.unitA1, notifyChannels: [{ id: enHook }], alertRule: { consecutiveDown: 2 } });
      const theirs = await create({ name: '乙的接口', orgUnitId: w.unitB });
      const res = await op.request('PATCH', `/api/checks/${theirs.id}`, { notifyChannelIds: [enHook] });
      expect(res.status).toBe(404);
      expect((await get<Check>(`/api/checks/${theirs.id}`)).notificationPolicy).toBeNull();

      // Without the permission to route alerts: the check may be saved, but not with channels.
      const plain = await w.scopedToA(['checks.check.read', 'checks.check.write']);
      const refused = await plain.request('POST', '/api/checks', { name: '甲的另一个', type: 'tcp', settings: { host: '127.0.0.1', port: service.port }, orgUnitId: w.unitA1, notifyChannelIds: [enHook] });
      expect(refused.status).toBe(403);
      expect(refused.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'alerting.policy.write', field: 'body.notifyChannelIds' } });
      expect(((await admin.request('GET', '/api/checks?q=甲的另一个')).json as CheckList).total).toBe(0);
      const saved = await create({ name: '甲的另一个', orgUnitId: w.unitA1 }, plain);
      expect(saved).toMatchObject({ notificationPolicy: null, alertRule: { name: '检查「甲的另一个」不可用' } });
    });
  });
});
