import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiClass } from '@yunwei/contracts/cmdb';
import type { NotificationPolicy, Silence } from '@yunwei/contracts/alert-routing';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { purgeRouting } from './routing-retention.js';

describe.skipIf(!databaseAvailable())('alert routing API: silences, maintenance windows, notification and escalation policies', () => {
  let t: TestApp;
  let admin: TestSession;
  let viewer: TestSession;
  let channelId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    channelId = (await admin.request('POST', '/api/notify/channels', { name: '运维群', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } })).json.id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  const lastAudit = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();

  it('silences: created with the author, listed by state, expired early; bad matchers and times name the field; readers cannot write', async () => {
    const now = Date.now();
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await admin.request('POST', '/api/alerting/silences', { matchers: [{ name: 'alertname', op: '=', value: 'X' }], endsAt: now + 3600_000, comment: 'c', ...body });
      expect(res.status, res.body).toBe(400);
      expect(JSON.stringify(res.json.details)).toContain(field);
    };
    await bad({ matchers: [{ name: 'alertname', op: '=~', value: '(unclosed' }] }, 'body.matchers.0.value');
    await bad({ matchers: [{ name: 'bad-name', op: '=', value: 'x' }] }, 'body.matchers.0.name');
    await bad({ matchers: [] }, 'body.matchers');
    await bad({ startsAt: now + 7200_000 }, 'body.endsAt');
    await bad({ endsAt: now - 1000, startsAt: now - 5000 }, 'body.endsAt');
    await bad({ comment: '' }, 'body.comment');

    const active = await admin.request('POST', '/api/alerting/silences', { matchers: [{ name: 'instance', op: '=~', value: 'db.*' }], endsAt: now + 3600_000, comment: '数据库升级' });
    expect(active.status, active.body).toBe(200);
    expect(active.json).toMatchObject({ state: 'active', createdBy: 'admin', comment: '数据库升级' });
    const pending = await admin.request('POST', '/api/alerting/silences', { matchers: [{ name: 'job', op: '!=', value: 'node' }], startsAt: now + 3600_000, endsAt: now + 7200_000, comment: '今晚变更' });
    expect(pending.json.state).toBe('pending');
    expect((await lastAudit('alerting.silence.create'))?.target_id).toBe(pending.json.id);

    const byState = async (state: string) => ((await viewer.request('GET', `/api/alerting/silences?state=${state}`)).json.items as Silence[]).map((s) => s.id);
    expect(await byState('active')).toEqual([active.json.id]);
    expect(await byState('pending')).toEqual([pending.json.id]);
    expect(await byState('expired')).toEqual([]);

    const expired = await admin.request('POST', `/api/alerting/silences/${pending.json.id}/expire`);
    expect(expired.json.state).toBe('expired');
    expect(await byState('expired')).toEqual([pending.json.id]);
    expect((await lastAudit('alerting.silence.expire'))?.target_id).toBe(pending.json.id);

    expect((await viewer.request('POST', '/api/alerting/silences', { matchers: [{ name: 'a', op: '=', value: 'b' }], endsAt: now + 60_000, comment: 'x' })).status).toBe(403);
    expect((await admin.request('POST', '/api/alerting/silences/0190d6a0-0000-7000-8000-00000000dead/expire')).json.code).toBe('YW_ROUTING_SILENCE_NOT_FOUND');
  });

  it('maintenance windows: one-off and recurring, scope checked entry by entry, changed and deleted with audit', async () => {
    const classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c.id]));
    const host = (await admin.request('POST', '/api/cmdb/cis', { classId: classes.get('server'), name: 'mw-host-1' })).json.id as string;
    const scope = { ciIds: [host], classCodes: [], businessSystemIds: [] };
    const bad = async (body: Record<string, unknown>, field: string) => {
      const res = await admin.request('POST', '/api/alerting/maintenance', { name: '变更', scope, schedule: { kind: 'once', startsAt: 1, endsAt: 2 }, ...body });
      expect(res.status, res.body).toBe(400);
      expect(JSON.stringify(res.json.details)).toContain(field);
    };
    await bad({ scope: { ciIds: [], classCodes: [], businessSystemIds: [] } }, 'body.scope');
    await bad({ scope: { ...scope, ciIds: [host, '0190d6a0-0000-7000-8000-00000000beef'] } }, 'body.scope.ciIds.1');
    await bad({ scope: { ...scope, businessSystemIds: [host] } }, 'body.scope.businessSystemIds.0');
    await bad({ scope: { ...scope, classCodes: ['no_such_class'] } }, 'body.scope.classCodes.0');
    await bad({ schedule: { kind: 'once', startsAt: 5000, endsAt: 4000 } }, 'body.schedule.endsAt');
    await bad({ schedule: { kind: 'cron', cron: '61 * * * *', durationMinutes: 30 } }, 'body.schedule.cron');
    await bad({ schedule: { kind: 'weekly', days: [1], time: '02:00', durationMinutes: 30, timezone: 'Mars/Olympus' } }, 'body.schedule.timezone');
    await bad({ schedule: { kind: 'weekly', days: [1], time: '25:00', durationMinutes: 30 } }, 'body.schedule.time');

    const weekly = await admin.request('POST', '/api/alerting/maintenance', { name: '每周六凌晨变更', scope, schedule: { kind: 'weekly', days: [6], time: '02:00', durationMinutes: 120 } });
    expect(weekly.status, weekly.body).toBe(200);
    // The next Saturday 02:00 in Asia/Shanghai is Friday 18:00 UTC.
    const next = new Date(weekly.json.nextStartsAt as number);
    expect([next.getUTCDay(), next.getUTCHours(), next.getUTCMinutes()]).toEqual([5, 18, 0]);
    expect(weekly.json.nextEndsAt - weekly.json.nextStartsAt).toBe(120 * 60_000);

    const changed = await admin.request('PATCH', `/api/alerting/maintenance/${weekly.json.id}`, { enabled: false });
    expect(changed.json).toMatchObject({ enabled: false, active: false, nextStartsAt: null });
    expect((await lastAudit('alerting.maintenance.update'))?.target_id).toBe(weekly.json.id);
    expect(((await viewer.request('GET', '/api/alerting/maintenance')).json.items as { id: string }[]).map((w) => w.id)).toContain(weekly.json.id);
    expect((await viewer.request('DELETE', `/api/alerting/maintenance/${weekly.json.id}`)).status).toBe(403);
    expect((await admin.request('DELETE', `/api/alerting/maintenance/${weekly.json.id}`)).status).toBe(200);
    expect((await admin.request('GET', `/api/alerting/maintenance/${weekly.json.id}`)).json.code).toBe('YW_ROUTING_MAINTENANCE_NOT_FOUND');
  });

  it('maintenance windows stay within the data scope: CIs of other units and whole classes are refused to a limited user', async () => {
    const classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c.id]));
    const unit = async (name: string) => (await admin.request('POST', '/api/org-units', { name })).json.id as string;
    const [mine, theirs] = [await unit('数据中心一组'), await unit('数据中心二组')];
    const ci = async (name: string, orgUnitId: string) => (await admin.request('POST', '/api/cmdb/cis', { classId: classes.get('server'), name, orgUnitId })).json.id as string;
    const [own, other] = [await ci('scoped-host-1', mine), await ci('scoped-host-2', theirs)];
    const limited = await t.signIn(await t.newUser({ permissions: ['alerting.maintenance.write', 'alerting.alert.read'], orgUnitIds: [mine] }));
    const create = (scope: Record<string, unknown>) =>
      limited.request('POST', '/api/alerting/maintenance', { name: '一组维护', scope: { ciIds: [], classCodes: [], businessSystemIds: [], ...scope }, schedule: { kind: 'once', startsAt: Date.now(), endsAt: Date.now() + 3600_000 } });
    const refused = await create({ ciIds: [own, other] });
    expect([refused.status, refused.json.code, refused.json.details.field]).toEqual([403, 'YW_OUT_OF_SCOPE', 'body.scope.ciIds.1']);
    expect((await create({ classCodes: ['server'] })).json.details.field).toBe('body.scope.classCodes');
    const ok = await create({ ciIds: [own] });
    expect(ok.status, ok.body).toBe(200);
    // A window an administrator put on the other unit cannot be changed or deleted by the limited user: for them it does not exist (#10.16).
    const foreign = await admin.request('POST', '/api/alerting/maintenance', { name: '二组维护', scope: { ciIds: [other], classCodes: [], businessSystemIds: [] }, schedule: { kind: 'once', startsAt: Date.now(), endsAt: Date.now() + 3600_000 } });
    expect((await limited.request('DELETE', `/api/alerting/maintenance/${foreign.json.id}`)).json.code).toBe('YW_ROUTING_MAINTENANCE_NOT_FOUND');
    expect((await limited.request('PATCH', `/api/alerting/maintenance/${ok.json.id}`, { enabled: false })).status).toBe(200);
  });

  it('escalation policies: targets checked (channel, user, on-call schedule) naming the field; steps must be later one after the other', async () => {
    const bad = async (steps: unknown[], field: string, extra: Record<string, unknown> = {}) => {
      const res = await admin.request('POST', '/api/alerting/escalations', { name: '升级', steps, ...extra });
      expect(res.status, res.body).toBe(400);
      expect(JSON.stringify(res.json.details)).toContain(field);
    };
    const missing = '0190d6a0-0000-7000-8000-00000000f00d';
    await bad([{ afterMinutes: 0, targets: [{ type: 'channel', channelId: missing }] }], 'body.steps.0.targets.0.channelId');
    await bad([{ afterMinutes: 0, targets: [{ type: 'channel', channelId }, { type: 'user', userId: missing, channelId }] }], 'body.steps.0.targets.1.userId');
    await bad([{ afterMinutes: 0, targets: [{ type: 'oncall', scheduleId: missing, channelId }] }], 'body.steps.0.targets.0.scheduleId');
    await bad(
      [
        { afterMinutes: 10, targets: [{ type: 'channel', channelId }] },
        { afterMinutes: 10, targets: [{ type: 'channel', channelId }] },
      ],
      'body.steps.1.afterMinutes',
    );
    await bad([{ afterMinutes: 0, targets: [{ type: 'channel', channelId }] }], 'body.repeat', { repeat: 2 });
    await bad([{ afterMinutes: 0, targets: [{ type: 'pager', channelId }] }], 'body.steps.0.targets.0');

    const res = await admin.request('POST', '/api/alerting/escalations', {
      name: '核心系统升级',
      steps: [
        { afterMinutes: 0, targets: [{ type: 'channel', channelId }] },
        { afterMinutes: 15, targets: [{ type: 'user', userId: t.admin.id, channelId }] },
      ],
      repeat: 1,
    });
    expect(res.status, res.body).toBe(200);
    expect((await lastAudit('alerting.escalation.create'))?.target_id).toBe(res.json.id);
    const policy = await admin.request('POST', '/api/alerting/policies', { name: '核心', matchers: [], escalationPolicyId: res.json.id });
    expect((await admin.request('DELETE', `/api/alerting/escalations/${res.json.id}`)).json.code).toBe('YW_ROUTING_ESCALATION_IN_USE');
    await admin.request('DELETE', `/api/alerting/policies/${policy.json.id}`);
    expect((await admin.request('DELETE', `/api/alerting/escalations/${res.json.id}`)).status).toBe(200);
  });

  it('notification policies: the built-in default policy is seeded and stays last; new ones are ordered and reordered; defaults for the timers', async () => {
    const list = async () => (await viewer.request('GET', '/api/alerting/policies')).json.items as NotificationPolicy[];
    const initial = await list();
    const def = initial.find((p) => p.isDefault)!;
    expect(def).toMatchObject({ matchers: [{ name: 'severity', op: '=', value: 'critical' }], notifyDefaultChannels: true, groupWaitSeconds: 30, groupIntervalSeconds: 300, repeatIntervalSeconds: 14_400, enabled: true });

    const a = await admin.request('POST', '/api/alerting/policies', { name: '网络', matchers: [{ name: 'team', op: '=', value: 'net' }], groupBy: ['alertname', 'site'] });
    const b = await admin.request('POST', '/api/alerting/policies', { name: '数据库', matchers: [{ name: 'job', op: '=~', value: 'mysql|pg' }], groupWaitSeconds: 0, continue: true });
    expect(a.status, a.body).toBe(200);
    expect(b.json).toMatchObject({ groupWaitSeconds: 0, groupIntervalSeconds: 300, continue: true, groupBy: ['alertname'] });
    expect((await list()).map((p) => p.id)).toEqual([a.json.id, b.json.id, def.id]);

    const reordered = await admin.request('PUT', '/api/alerting/policies/order', { ids: [b.json.id, a.json.id] });
    expect(reordered.status, reordered.body).toBe(200);
    expect((await list()).map((p) => p.id)).toEqual([b.json.id, a.json.id, def.id]);
    expect((await admin.request('PUT', '/api/alerting/policies/order', { ids: [b.json.id] })).json.details.field).toBe('body.ids');

    expect((await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { continue: true })).json.code).toBe('YW_ROUTING_POLICY_DEFAULT');
    expect((await admin.request('DELETE', `/api/alerting/policies/${def.id}`)).json.code).toBe('YW_ROUTING_POLICY_DEFAULT');
    const tuned = await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { groupWaitSeconds: 10 });
    expect(tuned.json.groupWaitSeconds).toBe(10);
    expect((await admin.request('POST', '/api/alerting/policies', { name: 'x', matchers: [{ name: 'a', op: '!~', value: '[' }] })).json.details.field).toBe('body.matchers.0.value');
    expect((await admin.request('POST', '/api/alerting/policies', { name: 'x', matchers: [], escalationPolicyId: '0190d6a0-0000-7000-8000-00000000f00d' })).json.details.field).toBe('body.escalationPolicyId');
    expect((await viewer.request('POST', '/api/alerting/policies', { name: 'x', matchers: [] })).status).toBe(403);
    expect((await viewer.request('GET', '/api/alerting/groups')).status).toBe(200);
  });

  it('the daily purge forgets silences and dispatch-log rows past their retention, and nothing younger', async () => {
    const silences = async () => Number((await t.ctx.db.selectFrom('alert_silence').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await silences();
    expect(before).toBeGreaterThan(0);
    expect((await purgeRouting(t.ctx.db)).silences).toBe(0);
    expect(await silences()).toBe(before);
    expect((await purgeRouting(t.ctx.db, Date.now() + 400 * 86_400_000)).silences).toBe(before);
    expect(await silences()).toBe(0);
  });
});
