import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentAlertList, IncidentClassification } from '@yunwei/contracts/incident-alerts';
import type { Incident, IncidentActivityList, IncidentList, IncidentNature, IncidentType } from '@yunwei/contracts/incidents';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { buildApp, type Yunwei } from '../../app.js';
import { alertingOf } from '../alerting/alerts-runtime.js';
import { alertingHarness, baseTime, type AlertingHarness } from '../alerting/alerts.testing.js';
import { incidentAlertsOf } from './incident-alerts.routes.js';

type Session = Pick<TestSession, 'request'>;
const inChinese = (s: TestSession): Session => ({ request: (method, path, body, headers) => s.request(method, path, body, { 'accept-language': 'zh-CN', ...headers }) });

describe.skipIf(!databaseAvailable())('incidents opened by alerts; fault-type suggestion', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let admin: Session;
  const ci = new Map<string, string>();
  let types: IncidentType[] = [];
  let natures: IncidentNature[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    admin = inChinese(h.admin);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const cls = (code: string) => classes.find((c) => c.code === code)!.id;
    for (const [name, code] of [
      ['网上营业厅', 'business_system'],
      ['营业厅应用', 'application'],
      ['app-host-01', 'server'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: cls(code), name, orgUnitId: null });
      expect(res.status, res.body).toBe(200);
      ci.set(name, res.json.id);
    }
    for (const [source, target, type] of [
      ['网上营业厅', '营业厅应用', 'depends_on'],
      ['营业厅应用', 'app-host-01', 'runs_on'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/relations', { sourceId: ci.get(source), targetId: ci.get(target), type });
      expect(res.status, res.body).toBe(200);
    }
    types = (await admin.request('GET', '/api/incidents/types')).json;
    natures = (await admin.request('GET', '/api/incidents/natures')).json;
   }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  const typeId = (code: string) => types.find((x) => x.code === code)!.id;
  const natureId = (code: string) => natures.find((x) => x.code === code)!.id;
  const settle = () => incidentAlertsOf(t.ctx).alerts.idle();
  const cycle = async (now: number) => {
    await h.cycle(now);
    await settle();
  };
  const incidentsOfRule = async (ruleId: string) => {
    const rows = await t.ctx.db.selectFrom('incident_alert as ia').innerJoin('alert as a', 'a.id', 'ia.alert_id').select('ia.incident_id').where('a.rule_id', '=', ruleId).execute();
    return [...new Set(rows.map((r) => r.incident_id))];
  };
  const get = async <T>(path: string): Promise<T> => {
    const res = await admin.request('GET', path);
    expect(res.status, res.body).toBe(200);
    return res.json as T;
  };
  const activity = async (id: string) => (await get<IncidentActivityList>(`/api/incidents/${id}/activity`)).items.map((a) => a.text);

  /** A second Yunwei on the same database: a restart, or another node. */
  async function secondNode(): Promise<Yunwei> {
    const pgSchema = t.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s : undefined;
    return buildApp({ config: t.ctx.config, announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
  }

  it('[L4-2.3.1] an alert opens an incident that records the CI, fault type and impact; its group shares it; resolutions are noted; evaluations and a restart open no second one', async () => {
    const host = ci.get('app-host-01')!;
    const t0 = baseTime(30);
    const cpu = (instance: string, dt: number, value: number) => ({ metric: 'yw_inc_cpu', labels: { ci: host, instance }, ts: t0 + dt * 1000, value });
    await h.push([cpu('core-0', 0, 50)]);
    const bad = await h.rule({ name: 'x', spec: { kind: 'metric', selector: 'yw_inc_cpu', reducer: 'last', windowSeconds: 120, op: '>', thresholds: { critical: 90 } }, incident: { open: true, typeId: '0190c000-0000-7000-8000-00000000dead' } }).catch((e: Error) => e);
    expect(String(bad)).toContain('body.incident.typeId');
    const rule = await h.rule({
      name: '主机 CPU 过高',
      spec: { kind: 'metric', selector: 'yw_inc_cpu', reducer: 'last', windowSeconds: 120, op: '>', thresholds: { critical: 90 } },
      target: { kind: 'ci', ciId: host },
      incident: { open: true, natureId: natureId('capacity') },
    });
    expect((await get<{ incident: unknown }>(`/api/alerting/rules/${rule.id}`)).incident).toEqual({ open: true, natureId: natureId('capacity') });

    // The first alert fires (critical): an incident on the host, typed by the CI-class rule (服务器), impact from the severity.
    await h.push([cpu('core-0', 30, 97)]);
    await cycle(t0 + 30_000);
    let ids = await incidentsOfRule(rule.id);
    expect(ids).toHaveLength(1);
    const incident = await get<Incident>(`/api/incidents/${ids[0]}`);
    expect(incident).toMatchObject({ source: 'alert', status: 'new', impact: 1, urgency: 1, priority: 'P1', type: { path: '硬件 / 服务器' }, nature: { name: '容量不足' }, alertGroupKey: expect.stringMatching(/^group:/) });
    expect(incident.title).toContain('app-host-01');
    expect(incident.cis.map((c) => c.name)).toEqual(['app-host-01']);
    expect(incident.impactScope.businessSystems.map((b) => b.name)).toEqual(['网上营业厅']);
    const classification = await get<IncidentClassification>(`/api/incidents/${incident.id}/classification`);
    expect(classification.suggested).toMatchObject({ type: { path: '硬件 / 服务器' }, reason: { kind: 'ciClass', value: 'server', text: '配置项类别 server' } });

    // A second alert of the same group (the default policy groups critical alerts by rule): linked, not a new incident.
    await h.push([cpu('core-1', 45, 99)]);
    await cycle(t0 + 45_000);
    await cycle(t0 + 50_000);
    ids = await incidentsOfRule(rule.id);
    expect(ids).toEqual([incident.id]);
    let linked = await get<IncidentAlertList>(`/api/incidents/${incident.id}/alerts`);
    expect(linked.items).toHaveLength(2);
    expect(linked.items[0]).toMatchObject({ ruleName: '主机 CPU 过高', ciName: 'app-host-01', severity: 'critical', state: 'firing' });
    expect(linked.allResolved).toBe(false);
    expect((await activity(incident.id)).filter((x) => x.includes('触发'))).toHaveLength(2);

    // A lost event (another node, a crash): the reconciliation links the alert; a restart and repeated runs open nothing more.
    incidentAlertsOf(t.ctx).alerts.detach();
    await h.push([cpu('core-2', 55, 95)]);
    await h.cycle(t0 + 55_000);
    expect((await get<IncidentAlertList>(`/api/incidents/${incident.id}/alerts`)).items).toHaveLength(2);
    const restarted = await secondNode();
    try {
      expect(await incidentAlertsOf(restarted.ctx).alerts.reconcile()).toBe(1);
      expect(await incidentAlertsOf(restarted.ctx).alerts.reconcile()).toBe(0);
      await alertingOf(restarted.ctx).evaluator.cycle(t0 + 56_000);
      await incidentAlertsOf(restarted.ctx).alerts.idle();
    } finally {
      await restarted.close();
    }
    incidentAlertsOf(t.ctx).alerts.attach();
    expect(await incidentAlertsOf(t.ctx).alerts.reconcile()).toBe(0);
    expect(await incidentsOfRule(rule.id)).toEqual([incident.id]);
    expect((await get<IncidentAlertList>(`/api/incidents/${incident.id}/alerts`)).items).toHaveLength(3);

    // Every alert resolves: noted one by one, then "all resolved" — and the incident waits for a person.
    await h.push([cpu('core-0', 70, 40), cpu('core-1', 70, 40), cpu('core-2', 70, 40)]);
    await cycle(t0 + 70_000);
    linked = await get<IncidentAlertList>(`/api/incidents/${incident.id}/alerts`);
    expect(linked.items.map((a) => a.state)).toEqual(['resolved', 'resolved', 'resolved']);
    expect(linked.allResolved).toBe(true);
    const texts = await activity(incident.id);
    expect(texts.filter((x) => x.includes('已恢复') && x.startsWith('告警'))).toHaveLength(3);
    expect(texts[0]).toBe('所有关联告警均已恢复，请验证后解决故障');
    expect((await get<Incident>(`/api/incidents/${incident.id}`)).status).toBe('new');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', incident.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['incidents.incident.create', 'incidents.incident.link-alert', 'incidents.incident.alert-resolved']));

    // While the incident is open a new alert of the group joins it; once it is cancelled (or closed), the next one opens a new incident.
    await h.push([cpu('core-0', 80, 96)]);
    await cycle(t0 + 80_000);
    expect(await incidentsOfRule(rule.id)).toEqual([incident.id]);
    const current = await get<Incident>(`/api/incidents/${incident.id}`);
    const cancelled = await admin.request('POST', `/api/incidents/${incident.id}/transition`, { action: 'cancel', version: current.version, note: '演练' });
    expect(cancelled.status, cancelled.body).toBe(200);
    await h.push([cpu('core-0', 90, 30)]);
    await cycle(t0 + 90_000);
    await h.push([cpu('core-0', 100, 98)]);
    await cycle(t0 + 100_000);
    ids = await incidentsOfRule(rule.id);
    expect(ids).toHaveLength(2);
    const second = ids.find((id) => id !== incident.id)!;
    expect((await get<Incident>(`/api/incidents/${second}`)).alertGroupKey).toBe(incident.alertGroupKey);
   }, 180_000);

  it('[L4-2.3.1] two nodes hearing the same alert open one incident; a warning no policy routes gets a key of its rule and CI', async () => {
    const app = ci.get('营业厅应用')!;
    const t0 = baseTime(20);
    const lat = (dt: number, value: number) => ({ metric: 'yw_inc_latency', labels: { ci: app }, ts: t0 + dt * 1000, value });
    await h.push([lat(0, 100)]);
    const rule = await h.rule({
      name: '接口延迟',
      spec: { kind: 'metric', selector: 'yw_inc_latency', reducer: 'last', windowSeconds: 120, op: '>', thresholds: { warning: 500 } },
      target: { kind: 'ci', ciId: app },
      incident: { open: true, typeId: typeId('software.application'), impact: 3, urgency: 2 },
    });
    incidentAlertsOf(t.ctx).alerts.detach();
    const other = await secondNode();
    try {
      await h.push([lat(10, 900)]);
      await h.cycle(t0 + 10_000);
      const [alert] = await h.alerts(`?ruleId=${rule.id}`);
      expect(alert).toMatchObject({ state: 'firing', severity: 'warning' });
      const both = [() => incidentAlertsOf(t.ctx).alerts.sync(alert.id), () => incidentAlertsOf(other.ctx).alerts.sync(alert.id)];
      if (t.dialect === 'postgres') {
        // Nodes of a cluster (PostgreSQL): at the same moment.
        await Promise.all(both.map((f) => f()));
      } else {
        // One SQLite file has one writer at a time: the second node hears the event after the first.
        for (const f of both) {
          await f();
        }
      }
    } finally {
      await other.close();
      incidentAlertsOf(t.ctx).alerts.attach();
    }
    const ids = await incidentsOfRule(rule.id);
    expect(ids).toHaveLength(1);
    const incident = await get<Incident>(`/api/incidents/${ids[0]}`);
    expect(incident).toMatchObject({ impact: 3, urgency: 2, priority: 'P4', type: { path: '软件 / 应用系统' }, alertGroupKey: `rule:${rule.id}:ci:${app}` });
    expect((await get<IncidentAlertList>(`/api/incidents/${incident.id}/alerts`)).items).toHaveLength(1);
    const listed = await get<IncidentList>('/api/incidents?source=alert');
    expect(listed.items.find((i) => i.id === incident.id)).toMatchObject({ ciNames: ['营业厅应用'] });
   }, 180_000);

  it('[L3-2.3.1] an HTTP check\'s alert suggests 应用系统 by the check-type rule; the handler confirms a different type and nature; the activity records it', async () => {
    const app = ci.get('营业厅应用')!;
    const t0 = baseTime(10);
    const check = '0190c000-0000-7000-8000-0000000000e1';
    const up = (dt: number, value: number) => ({ metric: 'check_up', labels: { check, type: 'http', ci: app }, ts: t0 + dt * 1000, value });
    await h.push([up(0, 1)]);
    const rule = await h.rule({ name: '网站不可用', severity: 'critical', spec: { kind: 'check', checkType: 'http', consecutiveDown: 2 }, incident: { open: true } });
    await h.push([up(30, 0), up(60, 0)]);
    await cycle(t0 + 60_000);
    const [id] = await incidentsOfRule(rule.id);
    expect(id).toBeDefined();
    let c = await get<IncidentClassification>(`/api/incidents/${id}/classification`);
    expect(c).toMatchObject({ suggested: { type: { name: '应用系统', path: '软件 / 应用系统' }, reason: { kind: 'checkType', pattern: 'http', value: 'http', text: '检查类型 http' } }, type: { path: '软件 / 应用系统' }, confirmed: false });

    // The handler judges it a network fault caused by a misconfiguration.
    const stale = c.version;
    const bad = await admin.request('POST', `/api/incidents/${id}/classify`, { version: c.version, typeId: '0190c000-0000-7000-8000-00000000dead' });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields[0].field).toBe('body.typeId');
    const res = await admin.request('POST', `/api/incidents/${id}/classify`, { version: c.version, typeId: typeId('network'), natureId: natureId('configuration') });
    expect(res.status, res.body).toBe(200);
    c = res.json as IncidentClassification;
    expect(c).toMatchObject({ type: { path: '网络' }, nature: { name: '配置错误' }, confirmed: true, suggested: { type: { path: '软件 / 应用系统' } } });
    expect((await admin.request('POST', `/api/incidents/${id}/classify`, { version: stale, typeId: typeId('software') })).status).toBe(409);
    const incident = await get<Incident>(`/api/incidents/${id}`);
    expect(incident).toMatchObject({ type: { path: '网络' }, nature: { name: '配置错误' }, version: stale + 1 });
    expect(await activity(id!)).toContain('确定故障类型：网络（建议为 软件 / 应用系统）；故障性质：配置错误');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action']).where('target_id', '=', id!).where('action', '=', 'incidents.incident.classify').execute();
    expect(audit).toHaveLength(1);
  });

  it('an incident recorded by hand gets a suggestion from its CIs\' classes', async () => {
    const res = await admin.request('POST', '/api/incidents', { title: '主机无法登录', impact: 2, urgency: 2, ciIds: [ci.get('app-host-01')] });
    expect(res.status, res.body).toBe(200);
    const c = await get<IncidentClassification>(`/api/incidents/${res.json.id}/classification`);
    expect(c).toMatchObject({ suggested: { type: { path: '硬件 / 服务器' }, reason: { kind: 'ciClass', text: '配置项类别 server' } }, type: null });
    expect((await admin.request('GET', '/api/incidents/0190c000-0000-7000-8000-00000000dead/alerts')).status).toBe(404);
  });
});
