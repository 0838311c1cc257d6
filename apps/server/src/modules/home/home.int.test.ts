import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HomeSummary } from '@yunwei/contracts/home';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';
import { alertingHarness, baseTime, type AlertingHarness } from '../alerting/alerts.testing.js';
import { inspectionsOf } from '../inspections/runtime.js';
import { oncallOf } from '../oncall/runtime.js';

const DAY = 86_400_000;
// Nothing listens on port 1 of 127.0.0.1: a check run there is a quick DOWN.
const CLOSED = { host: '127.0.0.1', port: 1 };
/** What a viewer reads for the summary, except alerts. */
const READS_BUT_ALERTS = [
  'checks.check.read',
  'agents.agent.read',
  'inspections.record.read',
  'inspections.template.read',
  'inspections.policy.read',
  'oncall.schedule.read',
  'notify.channel.read',
  'notify.delivery.read',
];

async function summaryOf(session: TestSession): Promise<HomeSummary> {
  const res = await session.request('GET', '/api/home/summary');
  expect(res.status, res.body).toBe(200);
  return res.json as HomeSummary;
}

describe.skipIf(!databaseAvailable())('home summary: state by data scope and permission', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let w: ScopedWorld;
  let opUser: TestUser;
  let op: TestSession;
  const alerts: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    w = await scopedWorld(t, h.admin, 'home');
    // An operator whose grants reach 甲 (and 甲一) only.
    opUser = await t.newUser({ roles: ['operator'], orgUnitIds: [w.unitA] });
    op = await t.signIn(opUser);

    // Alerts: critical on 甲一's host, warning on 乙's (one rule, two thresholds).
    const t0 = baseTime(5);
    await h.push([
      { metric: 'yw_home_disk', labels: { ci: w.ciA, mount: '/data' }, ts: t0, value: 97 },
      { metric: 'yw_home_disk', labels: { ci: w.ciB, mount: '/data' }, ts: t0, value: 85 },
    ]);
    const rule = await h.rule({
      name: '数据盘将满',
      spec: { kind: 'metric', selector: 'yw_home_disk', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 80, critical: 95 } },
      annotations: { zh: { summary: '数据盘使用率过高', description: '' }, en: { summary: 'Data disk almost full', description: '' } },
    });
    await h.cycle(t0 + 1000);
    for (const a of await h.alerts(`?ruleId=${rule.id}`)) {
      alerts[a.ciId === w.ciA ? 'a' : 'b'] = a.id;
    }

    // Checks DOWN on each host (run twice: a single failed probe may be tolerated as a blip).
    for (const [key, ciId] of [['a', w.ciA], ['b', w.ciB]] as const) {
      const check = await h.admin.request('POST', '/api/checks', { name: `端口检查-${key}`, type: 'tcp', settings: CLOSED, timeoutMs: 1000, ciId });
      expect(check.status, check.body).toBe(200);
      for (let run = 0; run < 2; run++) {
        expect((await h.admin.request('POST', `/api/checks/${check.json.id}/run`)).status).toBe(200);
      }
    }

    // Agents enrolled in each unit, then silent: their last contact is aged as three silent minutes would.
    for (const [hostname, unit] of [['agent-a-home', w.unitA1], ['agent-b-home', w.unitB]] as const) {
      const token = await h.admin.request('POST', '/api/agents/enrolment-tokens', { name: hostname, orgUnitId: unit });
      const res = await t.app.inject({ method: 'POST', url: '/api/agent/enroll', payload: { token: token.json.secret, hostname, machineId: `machine-${hostname}`, version: '0.1.0', ip: '10.0.0.21' } });
      expect(res.statusCode, res.body).toBe(200);
    }
    await t.ctx.db.updateTable('agent').set({ last_contact_at: Date.now() - 3 * 60_000 }).execute();

    // Inspections over both hosts: one record that came due two days ago, one today, a daily schedule.
    const template = await h.admin.request('POST', '/api/inspections/templates', { name: '机房巡检', scope: { kind: 'cis', ciIds: [w.ciA, w.ciB] }, items: [{ key: 'lights', name: '指示灯', kind: 'manual' }] });
    expect(template.status, template.body).toBe(200);
    const m = inspectionsOf(t.ctx);
    m.now = () => Date.now() - 2 * DAY;
    expect((await h.admin.request('POST', '/api/inspections/records', { templateId: template.json.id })).status).toBe(200);
    m.now = () => Date.now();
    expect((await h.admin.request('POST', '/api/inspections/records', { templateId: template.json.id })).status).toBe(200);
    const schedule = await h.admin.request('POST', '/api/inspections/schedules', { templateId: template.json.id, name: '每日机房巡检', kind: 'daily', time: '09:00' });
    expect(schedule.status, schedule.body).toBe(200);

    // A policy every server must meet: CPU samples (nobody sends them, so both hosts are gaps).
    const policy = await h.admin.request('POST', '/api/inspections/policies', { name: '服务器监控制度', scope: { kind: 'class', classCode: 'server' }, metrics: [{ metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 }], checks: [], inspections: [], responsibleRole: null });
    expect(policy.status, policy.body).toBe(200);

    // On call: the operator and the administrator take daily turns.
    const oncall = await h.admin.request('POST', '/api/oncall/schedules', {
      name: '一线值班',
      rotations: [{ name: '日班轮换', members: [opUser.id, t.admin.id], unit: 'days', length: 1, handoverTime: '09:00', startDate: '2026-01-01', applies: 'all' }],
    });
    expect(oncall.status, oncall.body).toBe(200);
  });
  afterAll(() => t?.close());

  it('counts firing problems by severity and names them (alert, CI, rule), for the whole organisation', async () => {
    const s = await summaryOf(h.admin);
    expect(s.problems!.firing).toEqual({ critical: 1, warning: 1 });
    expect(s.problems!.items.map((p) => [p.severity, p.ciName, p.object, p.ruleName, p.summary.zh, p.summary.en])).toEqual([
      ['critical', 'host-a-home', 'host-a-home /data', '数据盘将满', '数据盘使用率过高', 'Data disk almost full'],
      ['warning', 'host-b-home', 'host-b-home /data', '数据盘将满', '数据盘使用率过高', 'Data disk almost full'],
    ]);
    expect(s.problems!.items.map((p) => p.alertId)).toEqual([alerts.a, alerts.b]);
  });

  it("an operator limited to 甲 sees only 甲's problems, checks, agents, inspection rows and coverage gaps", async () => {
    const s = await summaryOf(op);
    expect(s.problems!.firing).toEqual({ critical: 1, warning: 0 });
    expect(s.problems!.items.map((p) => p.ciName)).toEqual(['host-a-home']);
    expect(s.checksDown).toMatchObject({ count: 1, items: [{ name: '端口检查-a', ciName: 'host-a-home' }] });
    expect(s.agentsOffline).toMatchObject({ count: 1, items: [{ hostname: 'agent-a-home' }] });
    // The host CI enrolment made for 甲一's agent is 甲's too.
    expect(s.coverage!.items.map((c) => [c.ciName, c.policyName, c.missing])).toEqual([
      ['agent-a-home', '服务器监控制度', ['host_cpu_usage_percent']],
      ['host-a-home', '服务器监控制度', ['host_cpu_usage_percent']],
    ]);
    expect(s.coverage!.uncovered).toBe(2);
    // Nothing of 乙 appears anywhere in the answer.
    expect(JSON.stringify(s)).not.toMatch(/host-b-home|agent-b-home|端口检查-b/);

    const all = await summaryOf(h.admin);
    expect(all.checksDown!.count).toBe(2);
    expect(all.agentsOffline!.items.map((a) => a.hostname).sort()).toEqual(['agent-a-home', 'agent-b-home']);
    // The enrolled agents made two more server CIs, also without CPU samples.
    expect(all.coverage!.items.map((c) => c.ciName).sort()).toEqual(['agent-a-home', 'agent-b-home', 'host-a-home', 'host-b-home']);
  });

  it('lists open inspection records with the overdue ones first, and schedules coming due within a day', async () => {
    const s = await summaryOf(op);
    expect(s.inspections).toMatchObject({ open: 2, overdue: 1 });
    expect(s.inspections!.items.map((r) => [r.name, r.overdue])).toEqual([
      ['机房巡检', true],
      ['机房巡检', false],
    ]);
    expect(s.inspections!.upcoming!.count).toBe(1);
    expect(s.inspections!.upcoming!.items[0]).toMatchObject({ name: '每日机房巡检', templateName: '机房巡检' });
    expect(s.inspections!.upcoming!.items[0]!.nextRunAt).toBeLessThanOrEqual(Date.now() + DAY);
  });

  it('tells each person their own shift: whoever is on call now until the hand-over, the other from then', async () => {
    const now = Date.now();
    const onCallNow = (await oncallOf(t.ctx).whoIsOnCall((await h.admin.request('GET', '/api/oncall/schedules')).json.items[0].id, now)).userIds;
    expect(onCallNow).toHaveLength(1);
    const [duty, other] = onCallNow[0] === opUser.id ? [op, h.admin] : [h.admin, op];
    const mine = (await summaryOf(duty)).oncall!;
    expect(mine.now).toHaveLength(1);
    expect(mine.now[0]).toMatchObject({ scheduleName: '一线值班' });
    expect(mine.now[0]!.start).toBeLessThanOrEqual(now);
    expect(mine.now[0]!.end).toBeGreaterThan(now);
    expect(mine.now[0]!.end - mine.now[0]!.start).toBeLessThanOrEqual(DAY);
    const theirs = (await summaryOf(other)).oncall!;
    expect(theirs.now).toEqual([]);
    expect(theirs.next).toMatchObject({ scheduleName: '一线值班', start: mine.now[0]!.end, end: mine.now[0]!.end + DAY });
  });

  it('leaves out (null) each section whose read permission the caller lacks; a viewer sees them all', async () => {
    const noAlerts = await summaryOf(await t.signIn(await t.newUser({ permissions: READS_BUT_ALERTS })));
    expect(noAlerts.problems).toBeNull();
    expect(noAlerts.gettingStarted.hasSeenAlert).toBeNull();
    expect(noAlerts.checksDown!.count).toBe(2);
    expect(noAlerts.inspections).not.toBeNull();

    const checksOnly = await summaryOf(await t.signIn(await t.newUser({ permissions: ['checks.check.read'] })));
    expect(checksOnly).toMatchObject({ problems: null, agentsOffline: null, inspections: null, coverage: null, oncall: null });
    expect(checksOnly.checksDown!.count).toBe(2);
    expect(checksOnly.gettingStarted).toEqual({ hasHostOrCheck: true, hasChannel: null, hasSentTest: null, hasSeenAlert: null });

    const viewer = await summaryOf(await t.signIn(await t.newUser({ roles: ['viewer'] })));
    for (const section of ['problems', 'checksDown', 'agentsOffline', 'inspections', 'coverage', 'oncall'] as const) {
      expect(viewer[section], section).not.toBeNull();
    }
    expect(viewer.problems!.firing).toEqual({ critical: 1, warning: 1 });
  });

  it('drops an acknowledged problem from the firing counts and counts it as acknowledged', async () => {
    expect((await op.request('POST', `/api/alerting/alerts/${alerts.a}/ack`, {})).status).toBe(200);
    const s = await summaryOf(op);
    expect(s.problems).toMatchObject({ firing: { critical: 0, warning: 0 }, acknowledged: 1, items: [] });
  });

  it('answers 401 without a session', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/api/home/summary' })).statusCode).toBe(401);
  });
});

describe.skipIf(!databaseAvailable())('home summary: getting started on an empty install', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let receiver: TestReceiver;

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    receiver = await startReceiver();
  });
  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('ticks each first step once it is done: a check, a channel, a test message, an alert', async () => {
    const empty = await summaryOf(h.admin);
    expect(empty.gettingStarted).toEqual({ hasHostOrCheck: false, hasChannel: false, hasSentTest: false, hasSeenAlert: false });
    expect(empty.problems).toEqual({ firing: { critical: 0, warning: 0 }, acknowledged: 0, items: [] });
    expect(empty.checksDown).toEqual({ count: 0, items: [] });
    expect(empty.coverage).toEqual({ policies: 0, total: 0, uncovered: 0, items: [] });

    expect((await h.admin.request('POST', '/api/checks', { name: '门户首页', type: 'tcp', settings: CLOSED, timeoutMs: 1000 })).status).toBe(200);
    expect((await summaryOf(h.admin)).gettingStarted).toEqual({ hasHostOrCheck: true, hasChannel: false, hasSentTest: false, hasSeenAlert: false });

    const channel = await h.admin.request('POST', '/api/notify/channels', { name: '值班群机器人', type: 'webhook', config: { url: receiver.url } });
    expect(channel.status, channel.body).toBe(200);
    expect((await summaryOf(h.admin)).gettingStarted.hasChannel).toBe(true);

    const sent = await h.admin.request('POST', `/api/notify/channels/${channel.json.id}/test`);
    expect(sent.json.ok, sent.body).toBe(true);
    expect((await summaryOf(h.admin)).gettingStarted.hasSentTest).toBe(true);

    const t0 = baseTime(5);
    await h.push([{ metric: 'yw_home_first', ts: t0, value: 2 }]);
    await h.rule({ name: '第一条告警', spec: { kind: 'metric', selector: 'yw_home_first', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 1 } } });
    await h.cycle(t0 + 1000);
    const after = await summaryOf(h.admin);
    expect(after.gettingStarted).toEqual({ hasHostOrCheck: true, hasChannel: true, hasSentTest: true, hasSeenAlert: true });
    expect(after.problems!.items.map((p) => [p.summary.zh, p.ciName])).toEqual([[expect.any(String), null]]);
  });
});
