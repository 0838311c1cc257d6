import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report, StatusAnalysis } from '@yunwei/contracts/reports';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { docxText } from '../../platform/documents/docx.testing.js';
import { inkedPixels, pdfFonts, pdfPages, popplerAvailable } from '../../platform/documents/pdf.testing.js';
import { documentProvidersOf } from '../../platform/documents/providers.js';
import type { AlertsSummary } from '../alerting/report-providers.js';
import type { ChecksDowntime } from '../checks/report-providers.js';
import type { InspectionFindings } from '../inspections/report-providers.js';
import type { Availability, CapacityForecast } from '../monitoring/report-providers.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const MIN = 60_000;

/*
 * A seeded month: hourly CPU / memory samples of two hosts (web-01's CPU climbs one point a day),
 * check_up samples (web-01 fails 7 runs of 720), a check's hourly counts (30 failed runs of a
 * 60-second check), alerts with known acknowledgement and resolution times, and an inspection record
 * with one abnormal finding. A business system relies on both hosts.
 */
describe.skipIf(!databaseAvailable())('reports from live data', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  const ids = { web: '', db: '', bs: '', check: '' };
  const to = Math.floor(Date.now() / DAY) * DAY;
  const from = to - 30 * DAY;
  const hours = Array.from({ length: 30 * 24 }, (_, i) => from + i * HOUR);
  const webDown = new Set([10, 100, 200, 300, 400, 500, 600]);
  const query = `from=${from}&to=${to}`;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'rp');
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const ci = async (name: string, classId: string, orgUnitId: string) => (await admin.request('POST', '/api/cmdb/cis', { classId, name, orgUnitId })).json.id as string;
    ids.web = await ci('web-01', w.serverClassId, w.unitA1);
    ids.db = await ci('db-01', w.serverClassId, w.unitB);
    ids.bs = await ci('网上办事大厅', classes.find((c) => c.code === 'business_system')!.id, w.unitA);
    for (const target of [ids.web, ids.db]) {
      expect((await admin.request('POST', '/api/cmdb/relations', { sourceId: ids.bs, targetId: target, type: 'depends_on' })).status).toBe(200);
    }
    // Samples: web-01's CPU is 40 + (day of the period), so its daily peaks rise exactly one point a day.
    const day = (ts: number) => Math.floor((ts - from) / DAY);
    const samples = [
      ...hours.map((ts) => ({ metric: 'host_cpu_usage_percent', labels: { ci: ids.web }, ts, value: 40 + day(ts) })),
      ...hours.map((ts) => ({ metric: 'host_memory_usage_percent', labels: { ci: ids.web }, ts, value: 30 })),
      ...hours.map((ts) => ({ metric: 'host_cpu_usage_percent', labels: { ci: ids.db }, ts, value: 20 })),
      ...hours.map((ts) => ({ metric: 'host_memory_usage_percent', labels: { ci: ids.db }, ts, value: 50 })),
      ...hours.map((ts, i) => ({ metric: 'check_up', labels: { ci: ids.web, check: 'web' }, ts, value: webDown.has(i) ? 0 : 1 })),
      ...hours.map((ts) => ({ metric: 'check_up', labels: { ci: ids.db, check: 'db' }, ts, value: 1 })),
    ];
    for (let i = 0; i < samples.length; i += 2000) {
      const res = await admin.request('POST', '/api/v1/metrics', { samples: samples.slice(i, i + 2000) });
      expect(res.status, res.body).toBe(200);
    }
    // A check on web-01 (saved now: its first run lands after the period) and its hourly counts over the month.
    const check = await admin.request('POST', '/api/checks', { name: '门户 TCP', type: 'tcp', ciId: ids.web, settings: { host: '127.0.0.1', port: 9 }, intervalSeconds: 60, timeoutMs: 1000, retries: 0 });
    expect(check.status, check.body).toBe(200);
    ids.check = check.json.id;
    await t.ctx.db.insertInto('check_uptime_hour').values(hours.map((ts, i) => ({ check_id: ids.check, hour_start: ts, total: 60, up: i < 3 ? 50 : 60 }))).execute();
    // Alerts: three fired in the period (acknowledged after 10, 20, 30 min; resolved after 40, 100 min; one open),
    // one pending that never fired, and two in the previous period (for the trend).
    const alert = (n: number, severity: string, rule: string, started: number, ack: number | null, resolve: number | null, fired = true) => ({
      id: `00000000-0000-7000-8000-00000000000${n}`,
      fingerprint: `fp-${n}`,
      rule_id: `rule-${rule}`,
      rule_name: rule,
      rule_name_en: null,
      severity,
      state: resolve === null ? (fired ? 'firing' : 'pending') : 'resolved',
      labels: '{}',
      annotations: '{}',
      value: null,
      threshold: null,
      ci_id: ids.web,
      started_at: started,
      firing_at: fired ? started : null,
      acked_at: ack === null ? null : started + ack * MIN,
      acked_by: null,
      resolved_at: resolve === null ? null : started + resolve * MIN,
      updated_at: started,
      notify_seq: 0,
    });
    await t.ctx.db
      .insertInto('alert')
      .values([
        alert(1, 'critical', 'CPU 过高', from + DAY, 10, 40),
        alert(2, 'warning', '内存偏高', from + 2 * DAY, 20, 100),
        alert(3, 'critical', 'CPU 过高', from + 3 * DAY, 30, null),
        alert(4, 'warning', '内存偏高', from + 4 * DAY, null, null, false),
        alert(5, 'warning', '内存偏高', from - 3 * DAY, 5, 5),
        alert(6, 'warning', '内存偏高', from - 2 * DAY, 5, 5),
      ])
      .execute();
    // An inspection record in the period: web-01's disk abnormal, db-01 normal.
    const template = await t.ctx.db.selectFrom('inspection_template').select(['id', 'name', 'version', 'items']).executeTakeFirstOrThrow();
    const recordId = '00000000-0000-7000-8000-0000000000a1';
    await t.ctx.db
      .insertInto('inspection_record')
      .values({ id: recordId, template_id: template.id, template_name: template.name, template_version: template.version, items: template.items, schedule_id: null, schedule_name: null, due_at: null, trigger: 'manual', started_by: null, started_by_name: 'admin', responsible_role: null, status: 'open', conclusion: '', created_at: from + 5 * DAY, signed_by: null, signed_by_name: null, signed_at: null, sign_seq: null, prev_hash: null, hash: null })
      .execute();
    const result = (n: number, ci: string, ciName: string, verdict: string, note: string) => ({ id: `00000000-0000-7000-8000-0000000000b${n}`, record_id: recordId, position: n, ci_id: ci, ci_name: ciName, item_key: 'disk', item_name: '磁盘健康', kind: 'manual', value: null, unit: '', detail: '', limit_text: '无坏道', verdict, note, photo_file: null, photo_type: null, photo_size: null, photo_sha256: null, filled_by: null, filled_at: null });
    await t.ctx.db.insertInto('inspection_result').values([result(1, ids.web, 'web-01', 'abnormal', '发现 3 个坏道'), result(2, ids.db, 'db-01', 'normal', '')]).execute();
  });
  afterAll(() => t?.close());

  const get = async (who: TestSession, path: string, locale = 'zh-CN') => {
    const res = await who.request('GET', path, undefined, { 'accept-language': locale });
    expect(res.status, res.body).toBe(200);
    return res.json as Report;
  };
  const file = async (who: TestSession, path: string, locale = 'zh-CN') => {
    const res = await t.app.inject({ method: 'GET', url: path, cookies: { yw_session: who.cookie }, headers: { 'accept-language': locale } });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const data = <T>(r: Report, provider: string) => r.sections.find((s) => s.provider === provider)!.data as T;
  const squash = (s: string) => s.replace(/\s+/g, '');

  it.skipIf(!popplerAvailable())('[L2-2.1.2] writes the running-status report of a seeded month: the DOCX and PDF print exactly the API’s numbers (availability, MTTA/MTTR, down-time, findings), Chinese headings, embedded fonts, a page that is not blank', async () => {
    const r = await get(admin, `/api/reports/running-status?${query}`);
    expect(r.scope).toEqual({ kind: 'all', id: null, name: '全部配置项' });
    expect(r.sections.every((s) => s.ok)).toBe(true);
    // The numbers, against the seeded month computed by hand.
    const alerts = data<AlertsSummary>(r, 'alerts.summary');
    expect(alerts).toMatchObject({ count: 3, acknowledged: 3, resolved: 2, open: 1, mttaMinutes: 20, mttrMinutes: 70 });
    expect(alerts.bySeverity).toEqual([
      { severity: 'warning', count: 1, acknowledged: 1, resolved: 1, mttaMinutes: 20, mttrMinutes: 100 },
      { severity: 'critical', count: 2, acknowledged: 2, resolved: 1, mttaMinutes: 20, mttrMinutes: 40 },
    ]);
    expect(alerts.byRule[0]).toMatchObject({ rule: 'CPU 过高', count: 2 });
    const checks = data<ChecksDowntime>(r, 'checks.downtime');
    expect(checks.checks).toEqual([{ name: '门户 TCP', target: 'tcp://127.0.0.1:9', ciName: 'web-01', runs: 43_200, failed: 30, availability: 99.93, downtimeMinutes: 30 }]);
    const availability = data<Availability>(r, 'monitoring.availability');
    const webAvailability = Math.round(((720 - 7) / 720) * 10_000) / 100;
    expect(availability.cis).toEqual([
      { id: ids.web, name: 'web-01', availability: webAvailability },
      { id: ids.db, name: 'db-01', availability: 100 },
    ]);
    expect(availability.businessSystems).toEqual([{ name: '网上办事大厅', availability: webAvailability, lowest: 'web-01' }]);
    // The busiest hosts drawn as bars (a PNG rendered on the server).
    expect(r.document.sections.find((sec) => sec.heading === '六、资源占用排行')!.blocks.filter((b) => b.kind === 'image')).toHaveLength(2);
    const findings = data<InspectionFindings>(r, 'inspections.findings');
    expect(findings).toMatchObject({ records: 1, signed: 0, items: 2, abnormal: 1, findings: [{ ciName: 'web-01', item: '磁盘健康', note: '发现 3 个坏道' }] });
    // 结论与建议, from the thresholds: MTTA over 15 min, MTTR over 60 min, an open alert, critical alerts, availability below 99.9 %, the alert trend (2 → 3).
    expect(r.conclusions).toEqual(
      expect.arrayContaining([
        '发生严重告警 2 条：请逐条复盘原因及处置是否及时。',
        '平均确认时间 20.0 分钟，超过 15 分钟的目标：请检查值班安排与通知路由。',
        '平均恢复时间 70.0 分钟，超过 60 分钟的目标：请为高频告警规则编写处置手册。',
        '期末仍有 1 条告警未恢复：请跟踪处理。',
        `可用率低于目标 99.9%：web-01 ${webAvailability.toFixed(2)}%；请分析故障原因，消除单点故障。`,
        '告警数较上一周期上升 50.0%（2 → 3）：请排查增长来源的规则。',
        '巡检发现异常 1 项：请逐项整改并记录结果。',
      ]),
    );

    // The Word file prints the same figures.
    const docx = await file(admin, `/api/reports/running-status.docx?${query}`);
    expect(String(docx.headers['content-disposition'])).toContain(encodeURIComponent('系统运行状况报告'));
    const text = await docxText(docx.rawPayload);
    const headings = ['系统运行状况报告', '一、总体概况', '二、运行状态分析', '三、可用性', '四、告警统计', '五、拨测与停机时长', '六、资源占用排行', '七、巡检发现', '八、结论与建议', '九、说明'];
    const expected = [
      `报告期内共触发告警 ${alerts.count} 条（严重 2 条），期末仍未恢复 ${alerts.open} 条；平均确认时间（MTTA）${alerts.mttaMinutes!.toFixed(1)} 分钟，平均恢复时间（MTTR）${alerts.mttrMinutes!.toFixed(1)} 分钟。`,
      `全部拨测的可用率 ${checks.availability!.toFixed(2)}%，累计停机 ${checks.downtimeMinutes.toFixed(1)} 分钟。`,
      `${webAvailability.toFixed(2)}%`,
      `报告期内共执行巡检 ${findings.records} 次（已签字 0 次），检查 ${findings.items} 项，发现异常 ${findings.abnormal} 项。`,
      '发现 3 个坏道',
      ...r.conclusions,
    ];
    for (const s of [...headings, ...expected]) {
      expect(text).toContain(s);
    }
    // The PDF: its text as a reader's viewer extracts it, its fonts, a page as pixels.
    const pdf = await file(admin, `/api/reports/running-status.pdf?${query}`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const pages = await pdfPages(pdf.rawPayload);
    const all = squash(pages.join('\n'));
    for (const s of [...headings, ...expected]) {
      expect(all).toContain(squash(s));
    }
    const fonts = await pdfFonts(pdf.rawPayload);
    expect(fonts.length).toBeGreaterThan(0);
    expect(fonts.every((f) => f.embedded)).toBe(true);
    const ink = await inkedPixels(pdf.rawPayload, 2);
    expect(ink.inked / ink.total).toBeGreaterThan(0.01);
    const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'reports.report.download').execute();
    expect(audit.map((a) => a.after).join()).toContain('.pdf');
  });

  it('[L2-2.1.2] the same report as an Excel workbook: 概况 with the facts and text, one sheet per table named after its section, figures as numbers', async () => {
    const r = await get(admin, `/api/reports/running-status?${query}`);
    const res = await file(admin, `/api/reports/running-status.xlsx?${query}`);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const [summary, ...tables] = workbook.worksheets;
    expect(summary!.name).toBe('概况');
    expect(summary!.getCell('A1').value).toBe(r.document.title);
    const summaryText = summary!.getSheetValues().flat().map(String).join('\n');
    for (const [label, value] of r.document.facts) {
      expect(summaryText).toContain(label);
      // 生成时间 is the second each request was answered in: the two requests may fall in different seconds.
      expect(summaryText).toContain(label === '生成时间' ? value.slice(0, 10) : value);
    }
    for (const line of r.conclusions) {
      expect(summaryText).toContain(line);
    }
    // Every table of the document is a sheet of its own, header first.
    const documentTables = r.document.sections.flatMap((sec) => [...sec.blocks, ...(sec.sections ?? []).flatMap((sub) => sub.blocks)]).filter((b) => b.kind === 'table');
    expect(tables).toHaveLength(documentTables.length);
    expect(new Set(tables.map((sheet) => sheet.name)).size).toBe(tables.length);
    tables.forEach((sheet, i) => {
      const table = documentTables[i]! as Extract<(typeof documentTables)[number], { kind: 'table' }>;
      expect(sheet.getRow(1).values).toEqual([undefined, ...table.header]);
      expect(sheet.rowCount).toBe(1 + table.rows.length);
    });
    // The check's row: its name as text, its failed runs as a number to compute with.
    const checkRow = tables.flatMap((sheet) => sheet.getSheetValues()).find((row) => Array.isArray(row) && row.includes('门户 TCP')) as unknown[];
    expect(checkRow).toContain(30);
  });

  it('[L2-2.1.2] the author edits the 结论与建议 draft: the downloaded file carries the edited text instead, audited as edited', async () => {
    const edited = ['本月可用性达标，web-01 拨测失败已定位为网络抖动。', '下月完成 web-01 磁盘更换。'];
    const res = await t.app.inject({ method: 'POST', url: '/api/reports/running-status.docx', cookies: { yw_session: admin.cookie }, headers: { 'accept-language': 'zh-CN', 'x-csrf-token': admin.csrf }, payload: { from, to, conclusions: edited } });
    expect(res.statusCode, res.body).toBe(200);
    const text = await docxText(res.rawPayload);
    edited.forEach((line) => expect(text).toContain(line));
    expect(text).not.toContain('以下为根据上述数据自动生成的初稿');
    expect(text).not.toContain('平均恢复时间 70.0 分钟，超过 60 分钟的目标');
    const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'reports.report.download').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.after).toContain('"editedConclusions":true');
    const bad = await t.app.inject({ method: 'POST', url: '/api/reports/running-status.pdf', cookies: { yw_session: admin.cookie }, headers: { 'x-csrf-token': admin.csrf }, payload: { from, to, conclusions: [] } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('conclusions');
  });

  it('[L2-2.2.3] the performance report forecasts from the daily peaks: slope, days to the threshold and to 100 % equal a hand-computed linear fit', async () => {
    const r = await get(admin, `/api/reports/performance?${query}`);
    const capacity = data<CapacityForecast>(r, 'capacity.forecast');
    const cpu = capacity.rows.find((x) => x.ciName === 'web-01' && x.resource === 'cpu')!;
    // Daily peaks 40, 41, …, 69 on days 0…29: slope 1 point a day, 40 at the period's start; the period
    // ends on day 30 (value 70): 80 % is 10 days later, 100 % 30 days later.
    expect(cpu).toMatchObject({ days: 30, slopePerDay: 1, growth: true, daysToThreshold: 10, daysToFull: 30, peak: 69, threshold: 80 });
    const flat = capacity.rows.find((x) => x.ciName === 'db-01' && x.resource === 'memory')!;
    expect(flat).toMatchObject({ growth: false, daysToThreshold: null, daysToFull: null, slopePerDay: 0 });
    expect(capacity.rows[0]).toEqual(cpu);
    // The daily peaks drawn on the server (a PNG in the document) beside the table.
    const images = r.document.sections.flatMap((sec) => sec.blocks).filter((b) => b.kind === 'image');
    expect(images.map((b) => b.caption)).toContain('预测即按这些日峰值的最小二乘直线外推。');
    expect(capacity.trends).toEqual([{ name: 'web-01 CPU 使用率', points: Array.from({ length: 30 }, (_, i) => [from + i * DAY, 40 + i]) }]);
    expect(r.conclusions[0]).toBe('web-01 CPU 使用率：日峰值每天增长 1.00 个百分点，约 10.0 天后达到阈值 80.0%，请在此之前扩容。');
    const text = await docxText((await file(admin, `/api/reports/performance.docx?${query}`)).rawPayload);
    for (const s of ['系统性能评估报告', '二、容量与增长预测', '无增长', r.conclusions[0]!]) {
      expect(text).toContain(s);
    }
  });

  it('[L3-2.1.2] judges each CI and business system 正常 / 关注 / 异常 from its metrics, with the reasons, on the utilisation page’s API and in the report', async () => {
    const res = await admin.request('GET', `/api/monitoring/utilisation/status?start=${from}&end=${to - 1}`, undefined, { 'accept-language': 'zh-CN' });
    expect(res.status, res.body).toBe(200);
    const items = (res.json as StatusAnalysis).items;
    const web = items.find((i) => i.id === ids.web)!;
    const db = items.find((i) => i.id === ids.db)!;
    const bs = items.find((i) => i.id === ids.bs)!;
    expect(web.level).toBe('abnormal');
    expect(web.reasons[0]).toContain('CPU 使用率：按当前趋势');
    expect(web.reasons).toContain('可用率 99.03% 低于 99.9%');
    expect(db).toMatchObject({ level: 'normal', reasons: ['各项指标均在阈值以内'] });
    expect(bs).toMatchObject({ kind: 'businessSystem', level: 'abnormal' });
    expect(bs.reasons[0]).toMatch(/^web-01【异常】：/);
    const r = await get(admin, `/api/reports/running-status?${query}`);
    expect(data<unknown[]>(r, 'monitoring.status')).toEqual(items);
  });

  it('a reader limited to a unit sees only its CIs; a section whose data they may not read says so', async () => {
    const scoped = await w.scopedToA(['reports.report.read', 'monitoring.metric.read', 'alerting.alert.read']);
    const r = await get(scoped, `/api/reports/running-status?${query}`);
    expect(data<Availability>(r, 'monitoring.availability').cis.map((c) => c.name)).toEqual(['web-01']);
    expect(JSON.stringify(r)).not.toContain('db-01');
    const checks = r.sections.find((s) => s.provider === 'checks.downtime')!;
    expect(checks).toMatchObject({ ok: false, error: '您没有读取其数据的权限（checks.check.read）。' });
    expect(JSON.stringify(r.document)).toContain('本节（拨测与停机时长）缺失：您没有读取其数据的权限（checks.check.read）。');
    const outsider = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read'] }));
    expect((await outsider.request('GET', `/api/reports/running-status?${query}`)).status).toBe(403);
  });

  it('refuses a bad period or scope with a 4xx naming the field', async () => {
    const bad = async (q: string, status: number, field: string) => {
      const res = await admin.request('GET', `/api/reports/running-status?${q}`);
      expect(res.status, `${q}: ${res.body}`).toBe(status);
      expect(res.body).toContain(field);
    };
    await bad(`to=${to}`, 400, 'from');
    await bad(`from=${to}&to=${from}`, 400, 'querystring.to');
    await bad(`from=${to - 400 * DAY}&to=${to}`, 400, 'querystring.to');
    await bad(`from=1e400&to=${to}`, 400, 'from');
    await bad(`${query}&scope=everything`, 400, 'querystring.scope');
    await bad(`${query}&scope=businessSystem:${ids.web}`, 400, 'querystring.scope');
    await bad(`${query}&scope=ciClass:no_such_class`, 404, 'querystring.scope');
    await bad(`${query}&scope=businessSystem:0000ffff`, 404, 'querystring.scope');
    const one = await get(admin, `/api/reports/running-status?${query}&scope=businessSystem:${ids.bs}`);
    expect(one.scope).toEqual({ kind: 'businessSystem', id: ids.bs, name: '网上办事大厅' });
    const byClass = await get(admin, `/api/reports/performance?${query}&scope=ciClass:server`);
    expect(byClass.document.facts.find((f) => f[0] === '报告范围')![1]).toBe('服务器/主机');
  });

  it('a provider that fails at generation time leaves a section saying which part is missing and why, in the JSON and the files', async () => {
    documentProvidersOf(t.ctx).register({
      name: 'inspections.findings',
      title: { zh: '巡检发现', en: 'Inspection findings' },
      permission: 'inspections.record.read',
      produce: () => Promise.reject(new Error('inspection store unreachable')),
    });
    const r = await get(admin, `/api/reports/running-status?${query}`);
    expect(r.sections.find((s) => s.provider === 'inspections.findings')).toMatchObject({ ok: false, error: '数据生成失败（inspection store unreachable）。', data: null });
    expect(r.conclusions.at(-1)).toBe('本报告缺少以下部分：巡检发现（见相应章节），以上结论未涵盖这些内容。');
    const text = await docxText((await file(admin, `/api/reports/running-status.docx?${query}`)).rawPayload);
    expect(text).toContain('本节（巡检发现）缺失：数据生成失败（inspection store unreachable）。');
  });
});
