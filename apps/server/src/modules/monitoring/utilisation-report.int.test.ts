import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UtilisationFinding, UtilisationReport } from '@yunwei/contracts/monitoring';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { docxText } from '../../platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../../platform/documents/pdf.testing.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const POINTS = 48;

// Independent reference computations (textbook formulas, not the module's code).
function p95(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * 0.95;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
}
function slopePerDay(points: readonly { ts: number; v: number }[]): number {
  const xs = points.map((p) => p.ts / DAY);
  const mx = xs.reduce((a, b) => a + b, 0) / points.length;
  const my = points.reduce((a, p) => a + p.v, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i]! - mx) * (p.v - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den;
}

describe.skipIf(!databaseAvailable())('the written utilisation analysis', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  const ids = { web: '', db: '' };
  // Hourly samples ending on a whole hour, so each is alone in its 5-minute bucket: bucket averages are the values.
  const end = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
  const start = end - 7 * DAY;
  const at = (i: number) => end - (POINTS - 1 - i) * HOUR;
  const series = (f: (i: number) => number) => Array.from({ length: POINTS }, (_, i) => ({ ts: at(i), v: f(i) }));
  /** web-01 (unit 甲一): CPU climbing over its threshold; memory and / quiet. db-01 (unit 乙): memory climbing towards it, /data with one peak. */
  const data = {
    webCpu: series((i) => 60 + 0.5 * i),
    webMem: series(() => 40),
    webRoot: series(() => 30),
    dbCpu: series(() => 20),
    dbMem: series((i) => 50 + 0.25 * i),
    dbData: series((i) => (i === 10 ? 95 : 70)),
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'ur');
    ids.web = (await admin.request('POST', '/api/cmdb/cis', { classId: w.serverClassId, name: 'web-01', orgUnitId: w.unitA1 })).json.id as string;
    ids.db = (await admin.request('POST', '/api/cmdb/cis', { classId: w.serverClassId, name: 'db-01', orgUnitId: w.unitB })).json.id as string;
    const samples = (metric: string, ci: string, points: { ts: number; v: number }[], labels: Record<string, string> = {}) => points.map((p) => ({ metric, labels: { ci, agent: 'report-test', ...labels }, ts: p.ts, value: p.v }));
    const res = await admin.request('POST', '/api/v1/metrics', {
      samples: [
        ...samples('host_cpu_usage_percent', ids.web, data.webCpu),
        ...samples('host_memory_usage_percent', ids.web, data.webMem),
        ...samples('host_fs_usage_percent', ids.web, data.webRoot, { mount: '/', fstype: 'ext4' }),
        ...samples('host_cpu_usage_percent', ids.db, data.dbCpu),
        ...samples('host_memory_usage_percent', ids.db, data.dbMem),
        ...samples('host_fs_usage_percent', ids.db, data.dbData, { mount: '/data', fstype: 'xfs' }),
      ],
    });
    expect(res.status, res.body).toBe(200);
  });
  afterAll(() => t?.close());

  const query = `start=${start}&end=${end}`;
  const report = async (who: TestSession, locale = 'zh-CN'): Promise<UtilisationReport> => {
    const res = await who.request('GET', `/api/monitoring/utilisation/report?${query}`, undefined, { 'accept-language': locale });
    expect(res.status, res.body).toBe(200);
    return res.json;
  };
  const download = async (who: TestSession, locale = 'zh-CN') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/monitoring/utilisation/report.docx?${query}`, cookies: { yw_session: who.cookie }, headers: { 'accept-language': locale } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    return { text: await docxText(res.rawPayload), disposition: String(res.headers['content-disposition']) };
  };
  const finding = (r: UtilisationReport, ciName: string, resource: string) => r.findings.find((f) => f.ciName === ciName && f.resource === resource)!;

  it('[L3-2.1.2] judges each host resource from its stored samples (需扩容 / 关注 / 正常) and writes the analysis as a Word report naming the CIs, figures and judgement', async () => {
    const r = await report(admin);
    const summary = (f: UtilisationFinding) => `${f.ciName} ${f.resource}${f.mount ? ` ${f.mount}` : ''} ${f.verdict}`;
    // Most urgent first: db-01's memory reaches 85 % within days, web-01's CPU is over 80 %; /data peaked over 90 %.
    expect(r.findings.map(summary)).toEqual(['db-01 memory expand', 'web-01 cpu expand', 'db-01 fs /data watch', 'db-01 cpu normal', 'web-01 fs / normal', 'web-01 memory normal']);
    expect(r.thresholds).toEqual({ cpu: 80, memory: 85, fs: 90 });

    const cpu = finding(r, 'web-01', 'cpu');
    expect(cpu.p95).toBeCloseTo(p95(data.webCpu.map((p) => p.v)), 6);
    expect(cpu.max).toBe(83.5);
    expect(cpu.trendPerDay).toBeCloseTo(slopePerDay(data.webCpu), 6);
    expect(cpu.daysToThreshold).toBe(0);
    const mem = finding(r, 'db-01', 'memory');
    const memTrend = slopePerDay(data.dbMem);
    expect(mem.p95).toBeCloseTo(p95(data.dbMem.map((p) => p.v)), 6);
    expect(mem.trendPerDay).toBeCloseTo(memTrend, 6);
    // The line through the samples is exact: it stands at the last value at `end`.
    expect(mem.daysToThreshold!).toBeCloseTo((85 - data.dbMem.at(-1)!.v) / memTrend, 3);
    const fs = finding(r, 'db-01', 'fs');
    expect(fs).toMatchObject({ mount: '/data', max: 95, p95: p95(data.dbData.map((p) => p.v)) });

    // The same analysis as the document on screen …
    expect(r.document.title).toBe('资源使用率分析报告');
    const shown = JSON.stringify(r.document);
    expect(shown).toContain('判断：系统存在容量风险，以下资源需扩容。');
    // … and as a Word file: parse the .docx back and read what a manager would.
    const { text, disposition } = await download(admin);
    expect(disposition).toContain(`filename*=UTF-8''${encodeURIComponent('资源使用率分析报告')}`);
    const lines = text.split('\n');
    expect(lines[0]).toBe('资源使用率分析报告');
    expect(text).toContain('阈值：CPU 80.0%，内存 85.0%，文件系统 90.0%');
    expect(text).toContain('共分析 2 个配置项的 6 项资源：需扩容 2 项，需关注 1 项，正常 3 项。判断：系统存在容量风险，以下资源需扩容。');
    const p95Text = `${p95(data.webCpu.map((p) => p.v)).toFixed(1)}%`;
    expect(text).toContain(`【需扩容】web-01 的CPU 使用率：P95 ${p95Text}，峰值 83.5%，每天上升 ${slopePerDay(data.webCpu).toFixed(1)} 个百分点。P95 已超过阈值 80.0%，需扩容：增加 CPU 核数，或将部分负载迁移到其它主机。`);
    expect(text).toContain(`【需扩容】db-01 的内存使用率：P95 ${mem.p95!.toFixed(1)}%，峰值 61.8%，每天上升 ${memTrend.toFixed(1)} 个百分点。按当前趋势约 ${Math.round(mem.daysToThreshold!)} 天后达到阈值 85.0%，需扩容：请在此之前增加内存`);
    expect(text).toContain('【关注】db-01 的文件系统 /data 使用率：P95 70.0%，峰值 95.0%');
    expect(text).toContain('峰值曾超过阈值 90.0%，P95 仍有 20.0 个百分点余量，需关注');
    expect(text).toContain('其余 3 项资源运行正常：保持日常监控。');
    // The table row of web-01's CPU: name, resource, average, p95, peak, trend, days, conclusion.
    const row = lines.indexOf('web-01', lines.indexOf('结论'));
    expect(lines.slice(row, row + 8)).toEqual(['web-01', 'CPU 使用率', `${(data.webCpu.reduce((a, p) => a + p.v, 0) / POINTS).toFixed(1)}%`, p95Text, '83.5%', `+${slopePerDay(data.webCpu).toFixed(2)}`, '已超过', '需扩容']);

    const en = await download(admin, 'en');
    expect(en.text).toContain('Resource utilisation analysis report');
    expect(en.text).toContain(`web-01, CPU utilisation: P95 ${p95Text}, peak 83.5%`);
    expect(en.text).toContain(`reaches the 85.0% threshold in about ${Math.round(mem.daysToThreshold!)} days: expand before then`);
    expect(en.text).not.toMatch(/[\u3400-\u9fff]/);

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'monitoring.report.download').orderBy('id', 'asc').execute();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.after).toContain('"expand":2');
  });

  it.skipIf(!popplerAvailable())('offers the same analysis as a PDF (A4, 目录, page numbers), audited like the Word file', async () => {
    const r = await report(admin);
    const before = await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'monitoring.report.download').execute();
    const res = await t.app.inject({ method: 'GET', url: `/api/monitoring/utilisation/report.pdf?${query}`, cookies: { yw_session: admin.cookie }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toMatch(/\.pdf$/);
    const pages = await pdfPages(res.rawPayload);
    const text = pages.join('\n').replace(/\s+/g, '');
    expect(pages[0]).toContain('资源使用率分析报告');
    expect(text).toContain('目录');
    // A figure the API computed, as the PDF prints it.
    expect(text).toContain(`P95${finding(r, 'web-01', 'cpu').p95!.toFixed(1)}%，峰值83.5%`);
    expect(text).toContain(`第1页/共${pages.length - 1}页`);
    const after = await t.ctx.db.selectFrom('audit_log').select(['id', 'after']).where('action', '=', 'monitoring.report.download').orderBy('id', 'asc').execute();
    expect(after).toHaveLength(before.length + 1);
    expect(after.at(-1)!.after).toContain('.pdf');
  });

  it('a reader limited to a unit gets the analysis of its hosts only; without the metric permission both routes are refused', async () => {
    const scoped = await w.scopedToA(['monitoring.metric.read']);
    const r = await report(scoped);
    expect([...new Set(r.findings.map((f) => f.ciName))]).toEqual(['web-01']);
    const { text } = await download(scoped);
    expect(text).toContain('web-01');
    expect(text).not.toContain('db-01');

    const outsider = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read'] }));
    for (const path of ['/api/monitoring/utilisation/report', '/api/monitoring/utilisation/report.docx', '/api/monitoring/utilisation/report.pdf']) {
      expect((await outsider.request('GET', `${path}?${query}`)).status).toBe(403);
    }
    const bad = await admin.request('GET', `/api/monitoring/utilisation/report?cpuThreshold=500`);
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('cpuThreshold');
  });
});
