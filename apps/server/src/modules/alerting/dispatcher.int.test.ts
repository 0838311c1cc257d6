import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiClass } from '@yunwei/contracts/cmdb';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { buildApp } from '../../app.js';
import type { DatabaseHandle } from '../../db/database.js';
import { fromJson } from '../../db/dialect.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';
import { insertAlert, setAlertState } from './routing.testing.js';

const MIN = 60_000;

describe.skipIf(!databaseAvailable())('the alert dispatcher: grouping, suppression, escalation', () => {
  let t: TestApp;
  let admin: TestSession;
  let classes: Map<string, string>;
  /** The dispatcher's clock: driven by the tests, never behind real time (silences are stamped with it). */
  let clock = 0;
  let dispatcher: Dispatcher;
  let channelA: string;
  let channelB: string;

  const tick = async (at: number) => {
    clock = at;
    await dispatcher.tick();
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c.id]));
    const channel = async (name: string) => {
      const res = await admin.request('POST', '/api/notify/channels', { name, type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } });
      expect(res.status, res.body).toBe(200);
      return res.json.id as string;
    };
    channelA = await channel('值班群');
    channelB = await channel('主管群');
    clock = Date.now();
    dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { now: () => clock, graphTtlMs: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  async function ci(cls: string, name: string): Promise<string> {
    const res = await admin.request('POST', '/api/cmdb/cis', { classId: classes.get(cls), name });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  }

  async function relate(sourceId: string, targetId: string, type: string): Promise<void> {
    const res = await admin.request('POST', '/api/cmdb/relations', { sourceId, targetId, type, propagates: true });
    expect(res.status, res.body).toBe(200);
  }

  /** A policy for alerts labelled `team=<team>` escalating through a fresh escalation policy. */
  async function policy(team: string, steps: { afterMinutes: number; channelId: string }[], extra: Record<string, unknown> = {}): Promise<string> {
    const esc = await admin.request('POST', '/api/alerting/escalations', { name: `升级 ${team}`, steps: steps.map((s) => ({ afterMinutes: s.afterMinutes, targets: [{ type: 'channel', channelId: s.channelId }] })) });
    expect(esc.status, esc.body).toBe(200);
    const res = await admin.request('POST', '/api/alerting/policies', { name: `团队 ${team}`, matchers: [{ name: 'team', op: '=', value: team }], groupBy: ['alertname'], groupWaitSeconds: 30, escalationPolicyId: esc.json.id, ...extra });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  }

  /** Deliveries the notify module holds for groups of `policyId`, oldest first. */
  async function deliveries(policyId: string) {
    const groups = t.ctx.db.selectFrom('alert_group').select('id').where('policy_id', '=', policyId);
    const rows = await t.ctx.db.selectFrom('notify_delivery').selectAll().where('source_kind', '=', 'alert-group').where('source_id', 'in', groups).orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({ ...r, message: fromJson<LocalizedMessage>(r.message) }));
  }

  const suppressionOf = (alertId: string) => t.ctx.db.selectFrom('alert_suppression').selectAll().where('alert_id', '=', alertId).execute();

  it('[L3-2.1.3] 200 hosts losing a switch make ONE notification after group wait; changes after group interval; all resolved → one "已恢复" message', async () => {
    const policyId = await policy('net', [{ afterMinutes: 0, channelId: channelA }]);
    const t0 = clock + 1000;
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      ids.push(await insertAlert(t.ctx.db, { ruleName: 'HostUnreachable', labels: { team: 'net', instance: `10.0.${Math.floor(i / 250)}.${i % 250}` }, at: t0 }));
    }
    await tick(t0);
    await tick(t0 + 29_000);
    expect(await deliveries(policyId)).toHaveLength(0);
    await tick(t0 + 30_000);
    await tick(t0 + 31_000);
    const first = await deliveries(policyId);
    expect(first).toHaveLength(1);
    expect(first[0]!.channel_id).toBe(channelA);
    expect(first[0]!.message['zh-CN'].title).toContain('[告警 200 条] HostUnreachable');
    expect(first[0]!.message['zh-CN'].markdown).toContain('| 级别 | 告警 | 对象 | 开始时间 | 摘要 |');
    expect(first[0]!.message['zh-CN'].markdown).toContain('另有 150 条');
    expect(first[0]!.message.en.markdown).toContain('(/alerts)');
    expect((first[0]!.message.en.data as { firing: unknown[] }).firing).toHaveLength(200);

    // Five come back: one update, not before the group interval (300 s) since the last message.
    await setAlertState(t.ctx.db, ids.slice(0, 5), 'resolved', t0 + 60_000);
    await tick(t0 + 60_000);
    await tick(t0 + 329_000);
    expect(await deliveries(policyId)).toHaveLength(1);
    await tick(t0 + 330_000);
    const second = await deliveries(policyId);
    expect(second).toHaveLength(2);
    expect(second[1]!.message['zh-CN'].title).toContain('[告警 195 条]');
    expect(second[1]!.message['zh-CN'].markdown).toContain('**已恢复：**');

    // The rest come back: one resolved message, and the group goes idle.
    await setAlertState(t.ctx.db, ids.slice(5), 'resolved', t0 + 400_000);
    await tick(t0 + 400_000);
    await tick(t0 + 630_000);
    await tick(t0 + 640_000);
    const third = await deliveries(policyId);
    expect(third).toHaveLength(3);
    expect(third[2]!.message['zh-CN'].title).toContain('[已恢复 195 条]');
    expect(third[2]!.message.en.status).toBe('resolved');
    const group = await t.ctx.db.selectFrom('alert_group').selectAll().where('policy_id', '=', policyId).executeTakeFirstOrThrow();
    expect(group.first_seen_at).toBeNull();
  });

  it('[L3-2.1.3] a warning that turns critical is news: the group is notified again after the group interval', async () => {
    const policyId = await policy('db', [{ afterMinutes: 0, channelId: channelA }]);
    const t0 = clock + 1000;
    const id = await insertAlert(t.ctx.db, { ruleName: 'ReplicationLag', severity: 'warning', labels: { team: 'db' }, at: t0 });
    await tick(t0);
    await tick(t0 + 30_000);
    expect((await deliveries(policyId)).map((d) => d.message.en.severity)).toEqual(['warning']);
    await t.ctx.db.updateTable('alert').set({ severity: 'critical', labels: JSON.stringify({ alertname: 'ReplicationLag', severity: 'critical', team: 'db' }) }).where('id', '=', id).execute();
    await tick(t0 + 60_000);
    await tick(t0 + 330_000);
    const sent = await deliveries(policyId);
    expect(sent.map((d) => [d.message.en.severity, (d.message.en.data as { kind: string }).kind])).toEqual([
      ['warning', 'firing'],
      ['critical', 'update'],
    ]);
  });

  it('[L3-2.1.3] [L2-2.1.3] inhibition through a CMDB relation: while its host is down, the alert of an application running on it is inhibited and shown with its cause (the host and its alert)', async () => {
    const policyId = await policy('app', [{ afterMinutes: 0, channelId: channelA }], { groupBy: ['alertname', 'ci'] });
    const host = await ci('server', 'db-host-01');
    const app = await ci('application', '核心账务');
    const other = await ci('application', '网银');
    await relate(app, host, 'runs_on');
    const t0 = clock + 1000;
    const hostDown = await insertAlert(t.ctx.db, { ruleName: 'HostDown', ciId: host, labels: { team: 'app', inhibit_source: 'true' }, at: t0 });
    const appDown = await insertAlert(t.ctx.db, { ruleName: 'AppHttpDown', ciId: app, labels: { team: 'app' }, at: t0 });
    const otherDown = await insertAlert(t.ctx.db, { ruleName: 'AppHttpDown', ciId: other, labels: { team: 'app' }, at: t0 });
    await tick(t0);
    await tick(t0 + 30_000);

    const shown = await suppressionOf(appDown);
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ kind: 'inhibited', ref_id: hostDown });
    expect(shown[0]!.reason).toContain('db-host-01');
    expect(shown[0]!.reason).toContain('HostDown');
    expect(await suppressionOf(otherDown)).toEqual([]);
    const sent = await deliveries(policyId);
    const firingIds = sent.flatMap((d) => (d.message.en.data as { firing: { id: string }[] }).firing.map((f) => f.id));
    expect(firingIds.sort()).toEqual([hostDown, otherDown].sort());

    // The host is back: the application's alert is no longer inhibited and is notified (group wait).
    await setAlertState(t.ctx.db, [hostDown], 'resolved', t0 + 60_000);
    await tick(t0 + 60_000);
    expect(await suppressionOf(appDown)).toEqual([]);
    await tick(t0 + 90_000);
    const after = (await deliveries(policyId)).flatMap((d) => (d.message.en.data as { firing: { id: string }[] }).firing.map((f) => f.id));
    expect(after).toContain(appDown);
  });

  it('[L3-2.1.3] a silence suppresses matching alerts (shown on the alert) until it is expired', async () => {
    const policyId = await policy('dba', [{ afterMinutes: 0, channelId: channelA }]);
    clock = Math.max(clock, Date.now());
    const res = await admin.request('POST', '/api/alerting/silences', { matchers: [{ name: 'alertname', op: '=~', value: 'Disk.*' }, { name: 'team', op: '=', value: 'dba' }], endsAt: Date.now() + 3600_000, comment: '扩容中' });
    expect(res.status, res.body).toBe(200);
    const t0 = clock + 1000;
    const disk = await insertAlert(t.ctx.db, { ruleName: 'DiskFull', labels: { team: 'dba', instance: 'db1' }, at: t0 });
    const cpu = await insertAlert(t.ctx.db, { ruleName: 'CpuHigh', labels: { team: 'dba', instance: 'db1' }, at: t0 });
    await tick(t0);
    await tick(t0 + 30_000);
    expect(await suppressionOf(disk)).toMatchObject([{ kind: 'silence', ref_id: res.json.id }]);
    expect((await suppressionOf(disk))[0]!.reason).toContain('扩容中');
    expect(await suppressionOf(cpu)).toEqual([]);
    expect((await deliveries(policyId)).map((d) => d.message.en.title)).toEqual([expect.stringContaining('CpuHigh')]);

    const expired = await admin.request('POST', `/api/alerting/silences/${res.json.id}/expire`);
    expect(expired.json.state).toBe('expired');
    const t1 = Math.max(clock, Date.now()) + 1000;
    await tick(t1);
    expect(await suppressionOf(disk)).toEqual([]);
    await tick(t1 + 30_000);
    expect((await deliveries(policyId)).map((d) => d.message.en.title)).toEqual([expect.stringContaining('CpuHigh'), expect.stringContaining('DiskFull')]);
  });

  it('[L3-2.1.3] maintenance windows suppress the alerts of their CIs: one-off per CI, recurring per business system (its dependencies) and per class', async () => {
    const policyId = await policy('ops', [{ afterMinutes: 0, channelId: channelA }], { groupBy: ['alertname', 'ci'] });
    const host = await ci('server', 'app-host-07');
    const bs = await ci('business_system', '手机银行');
    const app = await ci('application', '手机银行后台');
    const mw = await ci('middleware', 'mq-cluster-9');
    const outside = await ci('server', 'web-host-01');
    await relate(bs, app, 'contains');
    const now = Math.max(clock, Date.now());
    clock = now;
    const create = async (body: Record<string, unknown>) => {
      const res = await admin.request('POST', '/api/alerting/maintenance', body);
      expect(res.status, res.body).toBe(200);
      return res.json as { id: string; active: boolean };
    };
    const once = await create({ name: '主机换盘', scope: { ciIds: [host], classCodes: [], businessSystemIds: [] }, schedule: { kind: 'once', startsAt: Date.now() - MIN, endsAt: now + 20 * MIN } });
    // Every minute, for 10 minutes (always in effect): a recurring window by cron, in Asia/Shanghai.
    const cron = await create({ name: '手机银行例行变更', scope: { ciIds: [], classCodes: [], businessSystemIds: [bs] }, schedule: { kind: 'cron', cron: '* * * * *', durationMinutes: 10 } });
    const weekly = await create({ name: '中间件周维护', scope: { ciIds: [], classCodes: ['middleware'], businessSystemIds: [] }, schedule: { kind: 'weekly', days: [0, 1, 2, 3, 4, 5, 6], time: '00:00', durationMinutes: 24 * 60 } });
    expect([once.active, cron.active, weekly.active]).toEqual([true, true, true]);

    const t0 = clock + 1000;
    const onHost = await insertAlert(t.ctx.db, { ruleName: 'DiskIO', ciId: host, labels: { team: 'ops' }, at: t0 });
    const onApp = await insertAlert(t.ctx.db, { ruleName: 'AppSlow', ciId: app, labels: { team: 'ops' }, at: t0 });
    const onMw = await insertAlert(t.ctx.db, { ruleName: 'QueueDepth', ciId: mw, labels: { team: 'ops' }, at: t0 });
    const onOutside = await insertAlert(t.ctx.db, { ruleName: 'DiskIO', ciId: outside, labels: { team: 'ops' }, at: t0 });
    await tick(t0);
    await tick(t0 + 30_000);
    expect(await suppressionOf(onHost)).toMatchObject([{ kind: 'maintenance', ref_id: once.id }]);
    expect(await suppressionOf(onApp)).toMatchObject([{ kind: 'maintenance', ref_id: cron.id }]);
    expect(await suppressionOf(onMw)).toMatchObject([{ kind: 'maintenance', ref_id: weekly.id }]);
    expect(await suppressionOf(onOutside)).toEqual([]);
    const ids = async () => (await deliveries(policyId)).flatMap((d) => (d.message.en.data as { firing: { id: string }[] }).firing.map((f) => f.id));
    expect(await ids()).toEqual([onOutside]);

    // The one-off window ends: the host's alert is notified after group wait.
    await tick(now + 21 * MIN);
    expect(await suppressionOf(onHost)).toEqual([]);
    await tick(now + 21 * MIN + 30_000);
    expect((await ids()).sort()).toEqual([onOutside, onHost].sort());
  });

  it('[L3-2.1.3] escalation: the next step runs after N minutes without acknowledgement; acknowledgement stops it', async () => {
    const policyId = await policy('sec', [
      { afterMinutes: 0, channelId: channelA },
      { afterMinutes: 10, channelId: channelB },
    ]);
    const t0 = clock + 1000;
    const unacked = await insertAlert(t.ctx.db, { ruleName: 'FirewallDown', labels: { team: 'sec' }, at: t0 });
    const acked = await insertAlert(t.ctx.db, { ruleName: 'VpnDown', labels: { team: 'sec' }, at: t0 });
    await tick(t0);
    await tick(t0 + 30_000);
    expect((await deliveries(policyId)).map((d) => d.channel_id)).toEqual([channelA, channelA]);

    // VpnDown is acknowledged within 10 minutes, FirewallDown is not.
    await setAlertState(t.ctx.db, [acked], 'acknowledged', t0 + 5 * MIN);
    await tick(t0 + 5 * MIN);
    await tick(t0 + 30_000 + 10 * MIN);
    await tick(t0 + 30_000 + 11 * MIN);
    const sent = await deliveries(policyId);
    expect(sent.map((d) => d.channel_id)).toEqual([channelA, channelA, channelB]);
    expect(sent[2]!.message['zh-CN'].title).toContain('FirewallDown');
    expect(sent[2]!.message['zh-CN'].title).toContain('第 2 级通知');
    const states = await t.ctx.db.selectFrom('alert_escalation_state as s').innerJoin('alert_group as g', 'g.id', 's.group_id').select(['g.labels', 's.stop_reason', 's.next_step']).where('g.policy_id', '=', policyId).execute();
    expect(states.map((s) => [fromJson<{ alertname: string }>(s.labels).alertname, s.stop_reason]).sort()).toEqual([
      ['FirewallDown', null],
      ['VpnDown', 'acknowledged'],
    ]);
    // Acknowledging the last one stops it too: no further step, no repeat while all are acknowledged.
    await setAlertState(t.ctx.db, [unacked], 'acknowledged', t0 + 12 * MIN);
    await tick(t0 + 12 * MIN);
    await tick(t0 + 6 * 3600_000);
    expect(await deliveries(policyId)).toHaveLength(3);
  });

  it('[L3-2.1.3] people as targets: a user gets the message at their e-mail address on an e-mail channel, whoever is on call at their mobile on a robot', async () => {
    const person = async (email: string, phone: string) => {
      const user = await t.newUser({ roles: ['operator'] });
      const res = await admin.request('PATCH', `/api/users/${user.id}`, { email, phone });
      expect(res.status, res.body).toBe(200);
      return user.id;
    };
    const wang = await person('wang@example.com', '13800000001');
    const li = await person('li@example.com', '13800000002');
    const email = await admin.request('POST', '/api/notify/channels', { name: '值班邮箱', type: 'email', config: { host: '127.0.0.1', port: 2525, security: 'none', from: 'yunwei@example.com', to: ['ops@example.com'] } });
    const robot = await admin.request('POST', '/api/notify/channels', { name: '钉钉值班', type: 'dingtalk', config: { baseUrl: 'http://127.0.0.1:9/robot/send', accessToken: 'robot-token' } });
    expect([email.status, robot.status], email.body + robot.body).toEqual([200, 200]);
    const schedule = await admin.request('POST', '/api/oncall/schedules', { name: '网络值班', rotations: [{ name: '日常', members: [li], unit: 'days', length: 1, handoverTime: '00:00', startDate: '2026-01-01', applies: 'all' }] });
    expect(schedule.status, schedule.body).toBe(200);
    const esc = await admin.request('POST', '/api/alerting/escalations', {
      name: '找人',
      steps: [{ afterMinutes: 0, targets: [{ type: 'user', userId: wang, channelId: email.json.id }, { type: 'oncall', scheduleId: schedule.json.id, channelId: robot.json.id }] }],
    });
    expect(esc.status, esc.body).toBe(200);
    const policyRes = await admin.request('POST', '/api/alerting/policies', { name: '找人', matchers: [{ name: 'team', op: '=', value: 'people' }], groupWaitSeconds: 0, escalationPolicyId: esc.json.id });
    const t0 = Math.max(clock, Date.now()) + 1000;
    await insertAlert(t.ctx.db, { ruleName: 'CoreSwitchDown', labels: { team: 'people' }, at: t0 });
    await tick(t0);
    const sent = await deliveries(policyRes.json.id as string);
    expect(sent.map((d) => [d.channel_id, fromJson<string[]>(d.recipients)]).sort()).toEqual(
      [
        [email.json.id, ['wang@example.com']],
        [robot.json.id, ['13800000002']],
      ].sort(),
    );
  });

  it('[L3-2.1.3] restart survival: a new app on the same database neither re-sends what was sent nor forgets the escalation step due', async () => {
    const policyId = await policy('dc', [
      { afterMinutes: 0, channelId: channelA },
      { afterMinutes: 15, channelId: channelB },
    ]);
    const t0 = clock + 1000;
    await insertAlert(t.ctx.db, { ruleName: 'UpsOnBattery', labels: { team: 'dc' }, at: t0 });
    await tick(t0);
    await tick(t0 + 30_000);
    expect(await deliveries(policyId)).toHaveLength(1);

    // "Restart": another app on the same database, with a dispatcher that has never run.
    const database: DatabaseHandle = { db: t.ctx.db, dialect: t.dialect, location: 'test', close: async () => undefined };
    const pgSchema = t.dialect === 'postgres' ? ((await t.ctx.db.selectNoFrom((eb) => eb.fn<string>('current_schema', []).as('s')).executeTakeFirstOrThrow()).s as string) : undefined;
    const second = await buildApp({ config: t.ctx.config, database, announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
    try {
      const restarted = new Dispatcher(second.ctx, dispatchSender(second.ctx), { now: () => clock });
      clock = t0 + 60_000;
      await restarted.tick();
      expect(await deliveries(policyId)).toHaveLength(1);
      clock = t0 + 30_000 + 15 * MIN;
      await restarted.tick();
      expect((await deliveries(policyId)).map((d) => d.channel_id)).toEqual([channelA, channelB]);
    } finally {
      await second.close();
    }
  });
});
