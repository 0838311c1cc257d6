import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Risk, RiskCollectResult } from '@yunwei/contracts/incident-problems';
import { docxText } from '../../platform/documents/docx.testing.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

/*
 * Fourteen days of hourly samples: db-01's /data file system climbs 1.2 points a day from 70 % (its trend
 * crosses the 90 % threshold within days), web-01's CPU stays at 20 %.
 */
describe.skipIf(!databaseAvailable())('隐患 register and the 故障预防方案', () => {
  let t: TestApp;
  let admin: TestSession;
  const ids = { db: '', web: '' };
  const now = Date.now();
  const from = now - 14 * DAY;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const server = classes.find((c) => c.code === 'server')!.id;
    ids.db = (await admin.request('POST', '/api/cmdb/cis', { classId: server, name: 'db-01', orgUnitId: null })).json.id;
    ids.web = (await admin.request('POST', '/api/cmdb/cis', { classId: server, name: 'web-01', orgUnitId: null })).json.id;
    const hours = Array.from({ length: 14 * 24 }, (_, i) => from + i * HOUR);
    const samples = [
      ...hours.map((ts) => ({ metric: 'host_fs_usage_percent', labels: { ci: ids.db, mount: '/data' }, ts, value: 70 + (1.2 * (ts - from)) / DAY })),
      ...hours.map((ts) => ({ metric: 'host_cpu_usage_percent', labels: { ci: ids.web }, ts, value: 20 })),
    ];
    for (let i = 0; i < samples.length; i += 2000) {
      const res = await admin.request('POST', '/api/v1/metrics', { samples: samples.slice(i, i + 2000) });
      expect(res.status, res.body).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const capacityRisks = async () => (await admin.request('GET', '/api/risks?source=capacity')).json.items as Risk[];
  const collect = async () => {
    const res = await admin.request('POST', '/api/risks/collect', {});
    expect(res.status, res.body).toBe(200);
    return res.json as RiskCollectResult;
  };

  it('[L1-2.3.2] a 隐患 is collected from a capacity forecast — collecting twice gives one risk', async () => {
    const first = await collect();
    expect(first.sources.find((s) => s.source === 'capacity')).toMatchObject({ created: 1, error: null });
    let risks = await capacityRisks();
    expect(risks).toHaveLength(1);
    expect(risks[0]).toMatchObject({ source: 'capacity', status: 'open', ci: { id: ids.db, name: 'db-01' }, sourceRef: { id: ids.db } });
    expect(risks[0]!.title).toContain('db-01');
    expect(risks[0]!.title).toContain('/data');
    expect(risks[0]!.description).toMatch(/预计 [\d.]+ 天后超过阈值 90%/);
    expect(['high', 'critical']).toContain(risks[0]!.level);
    expect(risks[0]!.dueAt).toBeGreaterThan(now);

    const second = await collect();
    expect(second.sources.find((s) => s.source === 'capacity')).toMatchObject({ found: 1, created: 0, reopened: 0 });
    risks = await capacityRisks();
    expect(risks).toHaveLength(1);

    // Closed by someone: collecting again while the condition persists does not reopen it.
    const closed = await admin.request('POST', `/api/risks/${risks[0]!.id}/transition`, { action: 'close', version: risks[0]!.version });
    expect(closed.status, closed.body).toBe(200);
    await collect();
    expect((await capacityRisks())[0]).toMatchObject({ status: 'closed' });
    // The condition went away (a collection did not see it) and came back: a new condition reopens it.
    await t.ctx.db.updateTable('latent_risk').set({ condition_cleared: 1 }).where('id', '=', risks[0]!.id).execute();
    const again = await collect();
    expect(again.sources.find((s) => s.source === 'capacity')).toMatchObject({ reopened: 1, created: 0 });
    expect(await capacityRisks()).toEqual([expect.objectContaining({ status: 'open' })]);
  });

  it('[L1-2.3.2] collects expiring certificates and problems without a permanent fix, once each', async () => {
    const check = await admin.request('POST', '/api/checks', { name: '门户 HTTPS', type: 'tcp', ciId: ids.web, settings: { host: '127.0.0.1', port: 9 }, intervalSeconds: 60, timeoutMs: 1000, retries: 0 });
    expect(check.status, check.body).toBe(200);
    await t.ctx.db
      .insertInto('check_state')
      .values({ check_id: check.json.id, up: 1, checked_at: now, latency_ms: 10, message: null, message_code: null, message_params: null, fail_streak: 0, values: JSON.stringify({ check_tls_days_left: 5.5 }) })
      .onConflict((oc) => oc.column('check_id').doUpdateSet({ values: JSON.stringify({ check_tls_days_left: 5.5 }) }))
      .execute();
    const inc = await admin.request('POST', '/api/incidents', { title: 'web-01 反复重启', impact: 2, urgency: 2, ciIds: [ids.web] });
    const problem = await admin.request('POST', '/api/problems', { title: 'web-01 内存泄漏', incidentIds: [inc.json.id] });
    expect(problem.status, problem.body).toBe(200);
    for (let i = 0; i < 2; i++) {
      const result = await collect();
      expect(result.sources.find((s) => s.source === 'certificate')).toMatchObject({ found: 1, created: i === 0 ? 1 : 0, error: null });
      expect(result.sources.find((s) => s.source === 'problem')).toMatchObject({ found: 1, created: i === 0 ? 1 : 0, error: null });
    }
    const certs = (await admin.request('GET', '/api/risks?source=certificate')).json.items as Risk[];
    expect(certs).toEqual([expect.objectContaining({ title: '门户 HTTPS 的 TLS 证书即将到期', ci: { id: ids.web, name: 'web-01' }, likelihood: 5, impact: 4, level: 'critical' })]);
    expect(certs[0]!.description).toContain('5 天后到期');
    const fromProblems = (await admin.request('GET', '/api/risks?source=problem')).json.items as Risk[];
    expect(fromProblems).toEqual([expect.objectContaining({ sourceRef: expect.objectContaining({ id: problem.json.id, label: problem.json.number }), owner: expect.objectContaining({ id: t.admin.id }) })]);
  });

  it('records, rates and changes risks by hand: level from likelihood × impact, sorted by level', async () => {
    const res = await admin.request('POST', '/api/risks', { title: '机房 UPS 电池老化', likelihood: 2, impact: 2, measures: '更换 UPS 电池组' });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ source: 'manual', score: 4, level: 'low', owner: { id: t.admin.id } });
    const up = await admin.request('PUT', `/api/risks/${res.json.id}`, { version: res.json.version, likelihood: 5, impact: 5 });
    expect(up.json).toMatchObject({ score: 25, level: 'critical' });
    const list = (await admin.request('GET', '/api/risks?open=true')).json.items as Risk[];
    expect(list[0]!.id).toBe(res.json.id);
  });

  it('refuses bad input naming the field, and a stale version with 409', async () => {
    const bad = await admin.request('POST', '/api/risks', { title: '越界', likelihood: 6, impact: 1 });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields[0].field).toBe('body.likelihood');
    const owner = await admin.request('POST', '/api/risks', { title: '无此人', likelihood: 1, impact: 1, ownerId: '0190a5e4-0000-7000-8000-000000000000' });
    expect(owner.status).toBe(400);
    expect(owner.json.details.fields[0].field).toBe('body.ownerId');
    const before = (await admin.request('GET', '/api/risks')).json.total;
    expect(before).toBeGreaterThan(0);
    const r = (await admin.request('POST', '/api/risks', { title: '版本冲突', likelihood: 1, impact: 1 })).json as Risk;
    expect((await admin.request('PUT', `/api/risks/${r.id}`, { version: r.version, measures: '一' })).status).toBe(200);
    const stale = await admin.request('PUT', `/api/risks/${r.id}`, { version: r.version, measures: '二' });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ code: 'YW_RISK_VERSION_CONFLICT', details: { field: 'body.version' } });
    const accept = await admin.request('POST', `/api/risks/${r.id}/transition`, { action: 'accept', version: r.version + 1 });
    expect(accept.status).toBe(400);
    expect(accept.json.details.fields[0].field).toBe('body.note');
  });

  it('[L1-2.3.2] the 故障预防方案 lists the risks with their measures and owners', async () => {
    const owner = await t.newUser({ roles: ['operator'] });
    const [risk] = await capacityRisks();
    const changed = await admin.request('PUT', `/api/risks/${risk!.id}`, { version: risk!.version, ownerId: owner.id, measures: '归档 /data 下三个月前的日志并扩容 200GB' });
    expect(changed.status, changed.body).toBe(200);
    const ownerName = changed.json.owner.name as string;
    const res = await t.app.inject({ method: 'GET', url: '/api/risks/prevention-plan.docx', cookies: { yw_session: admin.cookie }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.statusCode, res.body).toBe(200);
    const text = await docxText(res.rawPayload);
    for (const words of ['故障预防方案', '一、目的', '二、范围', '三、隐患清单（按等级）', '四、近 90 天高发故障', '五、各隐患的预防措施', '复查安排']) {
      expect(text).toContain(words);
    }
    expect(text).toContain(risk!.title);
    expect(text).toContain('机房 UPS 电池老化');
    expect(text).toContain('归档 /data 下三个月前的日志并扩容 200GB');
    expect(text).toContain('更换 UPS 电池组');
    expect(text).toContain(ownerName);
    expect(text).toContain('极高');
    expect(text).toMatch(/5 × 5 = 25/);
    const pdf = await t.app.inject({ method: 'GET', url: '/api/risks/prevention-plan.pdf', cookies: { yw_session: admin.cookie } });
    expect(pdf.statusCode).toBe(200);
    expect(pdf.rawPayload.subarray(0, 4).toString()).toBe('%PDF');

    // Filed into the library as a 故障预防方案 submitted for approval.
    const filed = await admin.request('POST', '/api/risks/prevention-plan/file', {});
    expect(filed.status, filed.body).toBe(200);
    const doc = await admin.request('GET', `/api/library/documents/${filed.json.documentId}`);
    expect(doc.json).toMatchObject({ type: { code: 'fault_prevention_plan' }, status: 'in_review', number: expect.stringMatching(/^GZYF-/) });
    expect(JSON.stringify(doc.json.body)).toContain('归档 /data 下三个月前的日志并扩容 200GB');

    const xlsx = await t.app.inject({ method: 'GET', url: '/api/risks/export.xlsx', cookies: { yw_session: admin.cookie } });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
  });
});
