import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentStats } from '@yunwei/contracts/incident-reports';
import type { Incident, IncidentConfig, IncidentNature, IncidentType } from '@yunwei/contracts/incidents';
import { systemActor } from '../../platform/actor.js';
import { documentProvidersOf } from '../../platform/documents/providers.js';
import type { IncidentsSummary } from './incident-providers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

type Session = Pick<TestSession, 'request'>;
const inChinese = (s: TestSession): Session => ({ request: (method, path, body, headers) => s.request(method, path, body, { 'accept-language': 'zh-CN', ...headers }) });
const MIN = 60_000;
const DAY = 86_400_000;

describe.skipIf(!databaseAvailable())('incident statistics', () => {
  let t: TestApp;
  let session: TestSession;
  let admin: Session;
  let types: IncidentType[] = [];
  let natures: IncidentNature[] = [];
  const ci = new Map<string, string>();
  // A window well in the past, so only the seeded incidents fall in it.
  const from = Math.floor((Date.now() - 40 * DAY) / DAY) * DAY;
  const to = from + 30 * DAY;

  const typeId = (code: string) => types.find((x) => x.code === code)!.id;
  const natureId = (code: string) => natures.find((x) => x.code === code)!.id;

  /** Records an incident detected at `at`, acknowledged and resolved after the given minutes (null: not yet). */
  const seed = async (body: Record<string, unknown>, at: number, ackMin: number | null, resMin: number | null, cancel = false) => {
    const created = await admin.request('POST', '/api/incidents', { title: '故障', impact: 2, urgency: 2, detectedAt: at, ...body });
    expect(created.status, created.body).toBe(200);
    let inc = created.json as Incident;
    const act = async (action: string, extra: Record<string, unknown> = {}) => {
      const res = await admin.request('POST', `/api/incidents/${inc.id}/transition`, { action, version: inc.version, ...extra });
      expect(res.status, res.body).toBe(200);
      inc = res.json as Incident;
    };
    if (cancel) {
      await act('cancel', { note: '误报' });
      return inc;
    }
    if (ackMin !== null) {
      await act('start');
    }
    if (resMin !== null) {
      await act('resolve', { note: '已处理' });
    }
    if (ackMin !== null) {
      const res = await admin.request('PUT', `/api/incidents/${inc.id}/times`, { version: inc.version, detectedAt: at, acknowledgedAt: at + ackMin * MIN, mitigatedAt: resMin === null ? null : at + resMin * MIN, resolvedAt: resMin === null ? null : at + resMin * MIN });
      expect(res.status, res.body).toBe(200);
      inc = res.json as Incident;
    }
    return inc;
  };

  beforeAll(async () => {
    t = await createTestApp();
    session = await t.signIn(t.admin);
    admin = inChinese(session);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const cls = (code: string) => classes.find((c) => c.code === code)!.id;
    for (const [name, code] of [
      ['网上营业厅', 'business_system'],
      ['营业厅数据库', 'database'],
      ['db-host-01', 'server'],
      ['web-host-01', 'server'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: cls(code), name, orgUnitId: null });
      expect(res.status, res.body).toBe(200);
      ci.set(name, res.json.id);
    }
    for (const [source, target, type] of [
      ['网上营业厅', '营业厅数据库', 'depends_on'],
      ['营业厅数据库', 'db-host-01', 'runs_on'],
    ] as const) {
      expect((await admin.request('POST', '/api/cmdb/relations', { sourceId: ci.get(source), targetId: ci.get(target), type })).status).toBe(200);
    }
    types = (await admin.request('GET', '/api/incidents/types')).json;
    natures = (await admin.request('GET', '/api/incidents/natures')).json;
    // Every priority counted 7×24, so the SLA figures are plain arithmetic here.
    const config = (await admin.request('GET', '/api/incidents/config')).json as IncidentConfig & Record<string, unknown>;
    const { timeZone: _tz, updatedAt: _u, ...input } = config;
    const sla = { P1: { responseMinutes: 15, resolutionMinutes: 240, mode: '24x7' }, P2: { responseMinutes: 30, resolutionMinutes: 480, mode: '24x7' }, P3: { responseMinutes: 60, resolutionMinutes: 600, mode: '24x7' }, P4: { responseMinutes: 120, resolutionMinutes: 1440, mode: '24x7' } };
    expect((await admin.request('PUT', '/api/incidents/config', { ...input, sla })).status).toBe(200);

    const db = ci.get('db-host-01');
    const web = ci.get('web-host-01');
    // P1 (impact 1 × urgency 1): hardware.server on db-host-01, twice — a recurring fault. Ack 10 / 20 min, resolved 120 / 300 min.
    await seed({ impact: 1, urgency: 1, typeId: typeId('hardware.server'), natureId: natureId('equipment'), ciIds: [db] }, from + 1 * DAY, 10, 120);
    await seed({ impact: 1, urgency: 1, typeId: typeId('hardware.server'), natureId: natureId('equipment'), ciIds: [db] }, from + 9 * DAY, 20, 300);
    // P2: hardware.server on web-host-01 once; ack 30, resolved 60.
    await seed({ impact: 1, urgency: 2, typeId: typeId('hardware.server'), natureId: natureId('capacity'), ciIds: [web] }, from + 2 * DAY, 30, 60);
    // P3: environment.power, no CI, acknowledged only (40 min).
    await seed({ impact: 2, urgency: 2, typeId: typeId('environment.power') }, from + 15 * DAY, 40, null);
    // P4: not classified, cancelled (counted, never in MTTA / MTTR / SLA).
    await seed({ impact: 3, urgency: 3 }, from + 20 * DAY, null, null, true);
    // Outside the window.
    await seed({ impact: 1, urgency: 1, ciIds: [db] }, from - DAY, 5, 10);
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('counts by priority, type, nature, CI class and business system, and computes MTTA / MTTR as hand-computed', async () => {
    const res = await admin.request('GET', `/api/incidents/stats?from=${from}&to=${to}&groupBy=week`);
    expect(res.status, res.body).toBe(200);
    const s = res.json as IncidentStats;
    expect(s).toMatchObject({ total: 5, cancelled: 1 });
    expect(Object.fromEntries(s.byPriority.map((r) => [r.key, r.count]))).toEqual({ P1: 2, P2: 1, P3: 1, P4: 1 });
    // Most first (ties in name order: compared as sets here).
    const bag = (rows: { name: string; count: number }[]) => rows.map((r) => `${r.name}:${r.count}`).sort();
    expect(s.byType[0]).toMatchObject({ name: '服务器', count: 3 });
    expect(bag(s.byType)).toEqual(['服务器:3', '未分类:1', '电力:1'].sort());
    expect(bag(s.byTopType)).toEqual(['硬件:3', '环境:1', '未分类:1'].sort());
    expect(bag(s.byNature)).toEqual(['未分类:2', '设备故障:2', '容量不足:1'].sort());
    expect(s.byNature.at(-1)).toMatchObject({ name: '容量不足', count: 1 });
    expect(s.byCiClass.map((r) => [r.key, r.count])).toEqual([['server', 3]]);
    expect(s.byBusinessSystem.map((r) => [r.name, r.count])).toEqual([['网上营业厅', 2]]);
    // MTTA over the 4 acknowledged: (10 + 20 + 30 + 40) / 4 = 25; MTTR over the 3 resolved: (120 + 300 + 60) / 3 = 160.
    expect(s.mttaMinutes).toBe(25);
    expect(s.mttrMinutes).toBe(160);
    expect(s.trend.reduce((n, b) => n + b.count, 0)).toBe(5);
    const week = (at: number) => s.trend.filter((b) => b.start <= at).at(-1)!;
    expect(week(from + 9 * DAY)).toMatchObject({ mttaMinutes: 20, mttrMinutes: 300 });
    expect(s.recurring).toEqual([{ typeName: '服务器', ciName: 'db-host-01', count: 2, lastAt: from + 9 * DAY }]);
  });

  it('computes SLA compliance per priority from the clocks (a paused incident measured without its pause)', async () => {
    const s = (await admin.request('GET', `/api/incidents/stats?from=${from}&to=${to}`)).json as IncidentStats;
    const p = Object.fromEntries(s.sla.map((r) => [r.priority, r]));
    // P1 targets 15 / 240: ack 10 ✓, 20 ✗; resolved 120 ✓, 300 ✗.
    expect(p.P1).toMatchObject({ responseTotal: 2, responseMet: 1, responseRate: 50, resolutionTotal: 2, resolutionMet: 1, resolutionRate: 50 });
    // P2 targets 30 / 480: ack 30 ✓ (at the target), resolved 60 ✓.
    expect(p.P2).toMatchObject({ responseTotal: 1, responseMet: 1, resolutionTotal: 1, resolutionMet: 1 });
    // P3: acknowledged after 40 of 60 ✓, not resolved.
    expect(p.P3).toMatchObject({ responseTotal: 1, responseMet: 1, resolutionTotal: 0, resolutionRate: null });
    expect(p.P4).toMatchObject({ responseTotal: 0, resolutionTotal: 0 });

    // A 24×7 incident resolved 300 min after detection with 100 min paused: 200 min of SLA time, within P1's 240.
    const at = from + 25 * DAY;
    const inc = await seed({ impact: 1, urgency: 1 }, at, 5, 300);
    await t.ctx.db.insertInto('incident_pause').values({ id: '0190a5e4-0000-7000-8000-00000000c001', incident_id: inc.id, reason: 'awaiting_vendor', from_at: at + 50 * MIN, to_at: at + 150 * MIN }).execute();
    const after = (await admin.request('GET', `/api/incidents/stats?from=${from}&to=${to}`)).json as IncidentStats;
    expect(after.sla.find((r) => r.priority === 'P1')).toMatchObject({ responseTotal: 3, responseMet: 2, resolutionTotal: 3, resolutionMet: 2 });
  });

  it('exports the statistics as an Excel workbook with a sheet per table, and refuses a reversed period naming the field', async () => {
    const res = await t.app.inject({ method: 'GET', url: `/api/incidents/stats.xlsx?from=${from}&to=${to}`, cookies: { yw_session: session.cookie }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.statusCode, res.body).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const names = workbook.worksheets.map((w) => w.name);
    expect(names).toEqual(expect.arrayContaining(['概况', '一、按优先级', '二、按故障大类', '三、按故障类型', '四、按故障性质', '五、按配置项类别', '六、按业务系统', '七、MTTA与MTTR趋势', '八、SLA达成率', '九、重复发生的故障']));
    const priority = workbook.getWorksheet('一、按优先级')!;
    expect(priority.getRow(2).values).toEqual([undefined, 'P1', 3]);
    const bad = await admin.request('GET', `/api/incidents/stats?from=${to}&to=${from}`);
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields[0].field).toBe('querystring.to');
  });

  it('registers incidents.summary for reports and library templates, with the statistics\' figures, within a scope of CIs', async () => {
    const s = (await admin.request('GET', `/api/incidents/stats?from=${from}&to=${to}`)).json as IncidentStats;
    const params = (ciIds: ReadonlySet<string> | null) => ({ actor: { ...systemActor('test'), locale: 'zh-CN' as const }, locale: 'zh-CN' as const, from, to, scope: { kind: 'all' as const, id: null, name: '全部', ciIds }, now: Date.now(), timeZone: t.ctx.config.timeZone });
    const all = await documentProvidersOf(t.ctx).run<IncidentsSummary>('incidents.summary', '故障统计', params(null));
    expect(all.ok, all.error ?? '').toBe(true);
    expect(all.data).toMatchObject({ count: s.total, p1Count: s.byPriority.find((r) => r.key === 'P1')!.count, mttaMinutes: s.mttaMinutes, mttrMinutes: s.mttrMinutes });
    const scoped = await documentProvidersOf(t.ctx).run<IncidentsSummary>('incidents.summary', '故障统计', params(new Set([ci.get('db-host-01')!])));
    expect(scoped.data).toMatchObject({ count: 2, p1Count: 2, mttaMinutes: 15, mttrMinutes: 210 });
  });
});
