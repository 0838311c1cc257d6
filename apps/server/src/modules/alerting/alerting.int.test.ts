import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';

describe.skipIf(!databaseAvailable())('alert rules and the alert life cycle', () => {
  let t: TestApp;
  let h: AlertingHarness;
  const changes: { alertId: string; state: string }[] = [];
  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    t.ctx.events.on('alerting.alert.changed', (e) => void changes.push(e));
  });
  afterAll(() => t?.close());

  it('[L3-2.1.3] a threshold with a pending duration fires, notifies, recovers with hysteresis, and notifies recovery — driven by real samples through the ingestion API', async () => {
    const t0 = baseTime();
    // dt: seconds after t0.
    const cpu = (dt: number, value: number) => h.push([{ metric: 'yw_alert_cpu', labels: { instance: 'web-1' }, ts: t0 + dt * 1000, value }]);
    await cpu(0, 50);
    const rule = await h.rule({
      name: 'CPU 过高',
      spec: { kind: 'metric', selector: 'yw_alert_cpu', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 80, critical: 90 }, recovery: 70 },
      forSeconds: 60,
      annotations: {
        zh: { summary: '{{ $labels.instance }} CPU {{ $value }}% 超过 {{ $threshold }}%', description: '级别 {{ $severity }}' },
        en: { summary: '{{ $labels.instance }} CPU at {{ $value }}% above {{ $threshold }}%', description: 'severity {{ $severity }}' },
      },
    });
    const step = async (dt: number, value: number) => {
      await cpu(dt, value);
      await h.cycle(t0 + dt * 1000);
      return h.alerts('?state=pending,firing,acknowledged,resolved');
    };

    expect(await step(0, 50)).toEqual([]);
    // Breach: pending, not yet firing (for = 60 s).
    let alerts = await step(15, 85);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ state: 'pending', severity: 'warning', value: 85, threshold: 80, ruleId: rule.id });
    const id = alerts[0].id;
    expect((await step(45, 86))[0]).toMatchObject({ id, state: 'pending' });
    // 60 s after the first breach: firing.
    alerts = await step(75, 87);
    expect(alerts[0]).toMatchObject({ id, state: 'firing', severity: 'warning', firingAt: t0 + 75_000 });
    expect(alerts[0].labels).toMatchObject({ alertname: 'CPU 过高', severity: 'warning', instance: 'web-1', rule: rule.id });
    expect(alerts[0].annotations.zh).toEqual({ summary: 'web-1 CPU 87% 超过 80%', description: '级别 警告' });
    expect(alerts[0].annotations.en.description).toBe('severity warning');
    // Escalation: the same alert becomes critical.
    alerts = await step(90, 95);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ id, state: 'firing', severity: 'critical', threshold: 90 });
    // Below every threshold but above the recovery value: still firing (hysteresis).
    expect((await step(105, 75))[0]).toMatchObject({ id, state: 'firing' });
    // Crosses the recovery value: resolved.
    alerts = await step(120, 65);
    expect(alerts[0]).toMatchObject({ id, state: 'resolved', resolvedAt: t0 + 120_000 });

    // Notified: one bus event per transition (what the routing half wakes up on), an alert_event row each, and the audit trail.
    expect(changes.filter((c) => c.alertId === id).map((c) => c.state)).toEqual(['pending', 'firing', 'firing', 'resolved']);
    const detail = (await h.admin.request('GET', `/api/alerting/alerts/${id}`)).json;
    expect(detail.events.map((e: { fromState: string | null; toState: string }) => `${e.fromState}→${e.toState}`)).toEqual(['null→pending', 'pending→firing', 'firing→firing', 'firing→resolved']);
    expect(detail.events[2].note).toBe('severity warning → critical');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['alerting.alert.pending', 'alerting.alert.firing', 'alerting.alert.firing', 'alerting.alert.resolved']);
    const row = await t.ctx.db.selectFrom('alert').select(['notify_seq']).where('id', '=', id).executeTakeFirstOrThrow();
    expect(Number(row.notify_seq)).toBe(4);
    // (The routing half extends this with the delivery through a channel: it reads `alert` by notify_seq.)

    // A new breach after recovery is a new alert (same fingerprint, new id).
    alerts = await step(135, 99);
    const again = alerts.find((a: { id: string }) => a.id !== id);
    expect(again).toMatchObject({ state: 'pending', severity: 'critical', fingerprint: alerts.find((a: { id: string }) => a.id === id).fingerprint });
  });

  it('acknowledges a firing alert (single and bulk), audited, and refuses to acknowledge one that is not firing', async () => {
    const t0 = baseTime(20);
    await h.push([
      { metric: 'yw_alert_disk', labels: { instance: 'db-1' }, ts: t0, value: 97 },
      { metric: 'yw_alert_disk', labels: { instance: 'db-2' }, ts: t0, value: 98 },
    ]);
    const rule = await h.rule({ name: '磁盘满', spec: { kind: 'metric', selector: 'yw_alert_disk', reducer: 'max', windowSeconds: 300, op: '>=', thresholds: { critical: 95 } } });
    await h.cycle(t0 + 1000);
    const alerts = await h.alerts(`?ruleId=${rule.id}`);
    expect(alerts.map((a: { state: string }) => a.state)).toEqual(['firing', 'firing']);

    const one = await h.admin.request('POST', `/api/alerting/alerts/${alerts[0].id}/ack`, { note: '处理中' });
    expect(one.status, one.body).toBe(200);
    expect(one.json).toMatchObject({ state: 'acknowledged', ackedBy: t.admin.id });
    expect((await h.admin.request('POST', `/api/alerting/alerts/${alerts[0].id}/ack`, {})).json.code).toBe('YW_ALERTING_ALERT_NOT_OPEN');
    const bulk = await h.admin.request('POST', '/api/alerting/alerts/ack', { ids: alerts.map((a: { id: string }) => a.id) });
    expect(bulk.json).toEqual({ acknowledged: 1, skipped: 1 });
    // The evaluator keeps the acknowledgement (its memory was told) and resolves the alert when the value drops.
    await h.cycle(t0 + 2000);
    expect((await h.alerts(`?ruleId=${rule.id}`)).map((a: { state: string }) => a.state)).toEqual(['acknowledged', 'acknowledged']);
    await h.push([{ metric: 'yw_alert_disk', labels: { instance: 'db-1' }, ts: t0 + 400_000, value: 50 }]);
    await h.cycle(t0 + 400_000);
    const resolved = await h.alerts(`?ruleId=${rule.id}&state=resolved`);
    expect(resolved.map((a: { labels: { instance: string } }) => a.labels.instance)).toEqual(['db-1']);
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'actor_id']).where('action', '=', 'alerting.alert.acknowledge').execute();
    expect(audit).toHaveLength(2);

    const stats = (await h.admin.request('GET', `/api/alerting/stats/rules?from=${t0 - 1}&to=${Date.now() + 60_000}`)).json.items.find((s: { ruleId: string }) => s.ruleId === rule.id);
    expect(stats.fired).toBe(2);
    expect(stats.mttrMs).toBe(399_000);
    expect(stats.mttaMs).toBeGreaterThan(0);
  });

  it('[L3-2.1.3] refuses invalid rules naming the field: unknown metric, bad template, impossible threshold', async () => {
    await h.push([{ metric: 'yw_alert_known', ts: baseTime(), value: 1 }]);
    const base = { name: 'x', spec: { kind: 'metric', selector: 'yw_alert_known', reducer: 'avg', windowSeconds: 60, op: '>', thresholds: { warning: 80, critical: 90 } } };
    const refused = async (body: unknown) => {
      const res = await h.admin.request('POST', '/api/alerting/rules', body);
      expect(res.status, res.body).toBe(400);
      return res.json.details.field as string;
    };
    expect(await refused({ ...base, spec: { ...base.spec, selector: 'yw_no_such_metric' } })).toBe('body.spec.selector');
    expect(await refused({ ...base, spec: { ...base.spec, selector: 'yw_alert_known{' } })).toBe('body.spec.selector');
    expect(await refused({ ...base, spec: { ...base.spec, thresholds: { warning: 90, critical: 80 } } })).toBe('body.spec.thresholds.critical');
    expect(await refused({ ...base, spec: { ...base.spec, recovery: 85 } })).toBe('body.spec.recovery');
    const bad = { summary: '{{ $labels.instance }} {{ $vaule }}', description: '' };
    expect(await refused({ ...base, annotations: { zh: bad, en: { summary: '', description: '' } } })).toBe('body.annotations.zh.summary');
    expect(await refused({ ...base, target: { kind: 'class', classId: '0190a000-0000-7000-8000-000000000000' } })).toBe('body.target.classId');
    expect(await refused({ ...base, labels: { severity: 'x' } })).toBe('body.labels.severity');
    const rules = await t.ctx.db.selectFrom('alert_rule').select('id').where('name', '=', 'x').execute();
    expect(rules).toEqual([]);
  });

  it('previews a draft rule: the series that breach now and their values', async () => {
    const now = Date.now();
    await h.push([
      { metric: 'yw_alert_mem', labels: { instance: 'a' }, ts: now - 10_000, value: 91 },
      { metric: 'yw_alert_mem', labels: { instance: 'b' }, ts: now - 10_000, value: 40 },
    ]);
    const res = await h.admin.request('POST', '/api/alerting/rules/preview', { name: 'mem', spec: { kind: 'metric', selector: 'yw_alert_mem', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 90 } } });
    expect(res.status, res.body).toBe(200);
    expect(res.json.items.map((i: { labels: { instance: string }; value: number; severity: string | null }) => [i.labels.instance, i.value, i.severity])).toEqual([
      ['a', 91, 'warning'],
      ['b', 40, null],
    ]);
    expect(await t.ctx.db.selectFrom('alert_rule').select('id').where('name', '=', 'mem').execute()).toEqual([]);
  });

  it('keeps open alerts across an edit of the thresholds, resolves those a narrowed selector no longer reads, and closes them with a deleted rule', async () => {
    const t0 = baseTime(10);
    await h.push([{ metric: 'yw_alert_edit', ts: t0, value: 10 }]);
    const rule = await h.rule({ name: 'edit me', spec: { kind: 'metric', selector: 'yw_alert_edit', reducer: 'last', windowSeconds: 120, op: '>', thresholds: { warning: 5 } } });
    await h.cycle(t0 + 1000);
    const [open] = await h.alerts(`?ruleId=${rule.id}`);
    expect(open.state).toBe('firing');
    const patched = await h.admin.request('PATCH', `/api/alerting/rules/${rule.id}`, { spec: { kind: 'metric', selector: 'yw_alert_edit', reducer: 'last', windowSeconds: 120, op: '>', thresholds: { warning: 8 } } });
    expect(patched.status, patched.body).toBe(200);
    await h.cycle(t0 + 2000);
    expect((await h.alerts(`?ruleId=${rule.id}`)).map((a: { id: string; state: string }) => [a.id, a.state])).toEqual([[open.id, 'firing']]);
    // A selector that no longer reads the series: its alert resolves (nothing watches it any more).
    await h.push([{ metric: 'yw_alert_edit', labels: { other: 'x' }, ts: t0, value: 20 }]);
    const narrowed = await h.admin.request('PATCH', `/api/alerting/rules/${rule.id}`, { spec: { kind: 'metric', selector: 'yw_alert_edit{other="x"}', reducer: 'last', windowSeconds: 120, op: '>', thresholds: { warning: 8 } } });
    expect(narrowed.status, narrowed.body).toBe(200);
    await h.cycle(t0 + 2500);
    expect((await h.admin.request('GET', `/api/alerting/alerts/${open.id}`)).json).toMatchObject({ state: 'resolved' });
    const [other] = await h.alerts(`?ruleId=${rule.id}`);
    expect(other).toMatchObject({ state: 'firing', labels: { other: 'x' } });
    expect((await h.admin.request('DELETE', `/api/alerting/rules/${rule.id}`)).status).toBe(200);
    expect((await h.admin.request('GET', `/api/alerting/alerts/${other.id}`)).json).toMatchObject({ state: 'resolved' });
    await h.cycle(t0 + 3000);
    expect(await h.alerts(`?ruleId=${rule.id}`)).toEqual([]);
  });
  it('shows and acknowledges alerts only within the reader\'s org units (an alert belongs to its CI\'s unit)', async () => {
    const unit = async (name: string) => (await h.admin.request('POST', '/api/org-units', { name })).json.id as string;
    const [east, west] = [await unit('华东运维'), await unit('华西运维')];
    const classes = (await h.admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const ci = async (name: string, orgUnitId: string) => (await h.admin.request('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'server')!.id, name, orgUnitId })).json.id as string;
    const [e1, w1] = [await ci('east-1', east), await ci('west-1', west)];
    const t0 = baseTime(5);
    await h.push([
      { metric: 'yw_alert_scope', labels: { ci: e1 }, ts: t0, value: 9 },
      { metric: 'yw_alert_scope', labels: { ci: w1 }, ts: t0, value: 9 },
    ]);
    const rule = await h.rule({ name: 'scoped', spec: { kind: 'metric', selector: 'yw_alert_scope', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 1 } } });
    await h.cycle(t0 + 1000);
    const all = await h.alerts(`?ruleId=${rule.id}`);
    const byCi = (id: string) => all.find((a: { ciId: string }) => a.ciId === id);
    const eastUser = await t.signIn(await t.newUser({ permissions: ['alerting.alert.read', 'alerting.alert.ack'], orgUnitIds: [east] }));
    const seen = (await eastUser.request('GET', `/api/alerting/alerts?ruleId=${rule.id}`)).json;
    expect(seen.items.map((a: { ciId: string }) => a.ciId)).toEqual([e1]);
    expect(seen.total).toBe(1);
    expect((await eastUser.request('GET', `/api/alerting/alerts/${byCi(w1).id}`)).status).toBe(404);
    expect((await eastUser.request('POST', `/api/alerting/alerts/${byCi(w1).id}/ack`, {})).status).toBe(404);
    expect((await eastUser.request('POST', '/api/alerting/alerts/ack', { ids: [byCi(e1).id, byCi(w1).id] })).json).toEqual({ acknowledged: 1, skipped: 1 });
  });

  it('writes rules only within the writer\'s org units: a rule on every CI or on a class needs the whole organisation', async () => {
    const unit = (await h.admin.request('POST', '/api/org-units', { name: '华南运维' })).json.id as string;
    const other = (await h.admin.request('POST', '/api/org-units', { name: '华北运维' })).json.id as string;
    const classes = (await h.admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const server = classes.find((c) => c.code === 'server')!.id;
    const ci = async (name: string, orgUnitId: string) => (await h.admin.request('POST', '/api/cmdb/cis', { classId: server, name, orgUnitId })).json.id as string;
    const [mine, theirs] = [await ci('south-1', unit), await ci('north-1', other)];
    await h.push([{ metric: 'yw_rule_scope', labels: { ci: mine }, ts: baseTime(6), value: 1 }]);
    const spec = { kind: 'metric', selector: 'yw_rule_scope', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 5 } };
    const writer = await t.signIn(await t.newUser({ permissions: ['alerting.rule.read', 'alerting.rule.write'], orgUnitIds: [unit] }));
    const create = (name: string, target: unknown) => writer.request('POST', '/api/alerting/rules', { name, spec, target });

    expect((await create('own host', { kind: 'ci', ciId: mine })).status).toBe(200);
    expect((await create('their host', { kind: 'ci', ciId: theirs })).json).toMatchObject({ code: 'YW_OUT_OF_SCOPE' });
    expect((await create('every host', { kind: 'all' })).json).toMatchObject({ code: 'YW_OUT_OF_SCOPE' });
    expect((await create('all servers', { kind: 'class', classId: server })).json).toMatchObject({ code: 'YW_OUT_OF_SCOPE' });
    const orgWide = await h.rule({ name: 'org-wide', spec });
    expect((await writer.request('DELETE', `/api/alerting/rules/${orgWide.id}`)).json).toMatchObject({ code: 'YW_OUT_OF_SCOPE' });
    expect((await writer.request('PATCH', `/api/alerting/rules/${orgWide.id}`, { name: 'renamed' })).json).toMatchObject({ code: 'YW_OUT_OF_SCOPE' });
    expect((await h.admin.request('GET', `/api/alerting/rules/${orgWide.id}`)).json).toMatchObject({ name: 'org-wide' });
  });
});
