import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentAnalysis, IncidentFiled } from '@yunwei/contracts/incident-reports';
import type { Incident, IncidentConfig } from '@yunwei/contracts/incidents';
import { docxText } from '../../platform/documents/docx.testing.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

type Session = Pick<TestSession, 'request'>;
const inChinese = (s: TestSession): Session => ({ request: (method, path, body, headers) => s.request(method, path, body, { 'accept-language': 'zh-CN', ...headers }) });
const MIN = 60_000;

describe.skipIf(!databaseAvailable())('incident documents: 故障分析报告 and 故障处理规程', () => {
  let t: TestApp;
  let admin: Session;
  let session: TestSession;
  let tz: string;
  const ci = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    session = await t.signIn(t.admin);
    admin = inChinese(session);
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
    tz = ((await admin.request('GET', '/api/incidents/config')).json as IncidentConfig).timeZone;
  });
  afterAll(async () => {
    await t?.close();
  });

  const act = async (inc: Incident, action: string, extra: Record<string, unknown> = {}) => {
    const res = await admin.request('POST', `/api/incidents/${inc.id}/transition`, { action, version: inc.version, ...extra });
    expect(res.status, res.body).toBe(200);
    return res.json as Incident;
  };
  const download = async (path: string) => {
    const res = await t.app.inject({ method: 'GET', url: path, cookies: { yw_session: session.cookie }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.statusCode, res.body).toBe(200);
    return res;
  };
  const docx = async (path: string) => {
    const res = await download(path);
    expect(res.headers['content-type']).toContain('wordprocessingml');
    return docxText(res.rawPayload);
  };

  it("[L2-2.3.1] the fault analysis report's timeline and durations equal the incident's", async () => {
    const t0 = Math.floor((Date.now() - 3 * 86_400_000) / MIN) * MIN;
    const created = await admin.request('POST', '/api/incidents', { title: '营业厅应用无法登录', impact: 1, urgency: 2, ciIds: [ci.get('app-host-01')], detectedAt: t0 });
    expect(created.status, created.body).toBe(200);
    let inc = created.json as Incident;
    expect(inc.priority).toBe('P2'); // 24×7 by default: SLA time is wall-clock time less the pause
    inc = await act(inc, 'start');
    inc = await act(inc, 'hold', { pauseReason: 'awaiting_vendor', note: '等待厂商工程师到场' });
    inc = await act(inc, 'resume');
    inc = await act(inc, 'resolve', { note: '重启应用服务并清理会话缓存后恢复登录' });
    const times = { detectedAt: t0, acknowledgedAt: t0 + 10 * MIN, mitigatedAt: t0 + 60 * MIN, resolvedAt: t0 + 150 * MIN };
    const put = await admin.request('PUT', `/api/incidents/${inc.id}/times`, { version: inc.version, ...times });
    expect(put.status, put.body).toBe(200);
    inc = put.json as Incident;
    // The pause happened at the test's "now": place it inside the corrected timeline (20 → 50 min after detection).
    await t.ctx.db.updateTable('incident_pause').set({ from_at: t0 + 20 * MIN, to_at: t0 + 50 * MIN }).where('incident_id', '=', inc.id).execute();
    inc = (await admin.request('GET', `/api/incidents/${inc.id}`)).json as Incident;
    expect(inc.sla.resolution?.elapsedMinutes).toBe(120);

    const saved = await admin.request('PUT', `/api/incidents/${inc.id}/analysis`, {
      lessons: '会话缓存容量未纳入监控。',
      followUps: [{ text: '为会话缓存增加容量告警', ownerId: t.admin.id, dueAt: t0 + 30 * 86_400_000 }],
    });
    expect(saved.status, saved.body).toBe(200);
    expect((saved.json as IncidentAnalysis).version).toBe(1);

    const text = await docx(`/api/incidents/${inc.id}/analysis-report.docx`);
    expect(text).toContain(`故障分析报告：${inc.number} 营业厅应用无法登录`);
    // 时间线: each time as the incident has it.
    for (const [label, at] of [
      ['发现', times.detectedAt],
      ['响应（确认）', times.acknowledgedAt],
      ['缓解', times.mitigatedAt],
      ['解决', times.resolvedAt],
    ] as const) {
      expect(text).toContain(`${label}\n${formatMessageTime(at, tz)}`);
    }
    // Every activity row, oldest first, worded as the activity API words them.
    const activity = ((await admin.request('GET', `/api/incidents/${inc.id}/activity`)).json.items as { text: string }[]).map((a) => a.text).reverse();
    let from = text.indexOf('处理记录');
    for (const line of activity) {
      const at = text.indexOf(line, from);
      expect(at, line).toBeGreaterThan(from);
      from = at;
    }
    // Durations computed from those times: 2 h 30 min overall, 10 min to acknowledge, SLA 120 min with the pause left out.
    expect(text).toContain(`${formatMessageTime(times.resolvedAt, tz)} 解决，持续 2 小时 30 分`);
    expect(text).toContain('响应用时（MTTA，发现→响应）\n10 分\n10 分（7×24，已扣除挂起）');
    expect(text).toContain('解决用时（MTTR，发现→解决）\n2 小时 30 分\n2 小时 0 分（7×24，已扣除挂起）');
    expect(text).toContain('挂起（暂停计时）\n30 分');
    expect(text).toMatch(/受影响业务系统\n网上营业厅/);
    expect(text).toContain('处理结果：重启应用服务并清理会话缓存后恢复登录');
    expect(text).toContain('会话缓存容量未纳入监控。');
    expect(text).toContain('为会话缓存增加容量告警');
    expect(text).toMatch(/原因分析\n「待补充」/);

    const pdf = await download(`/api/incidents/${inc.id}/analysis-report.pdf`);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('[L2-2.3.1] the report states the confirmed cause from cause tracing, and the hypotheses ruled out', async () => {
    const inc = (await admin.request('POST', '/api/incidents', { title: '支付接口超时', impact: 2, urgency: 1 })).json as Incident;
    const row = (n: number, title: string, status: string, note: string) => ({ id: `0190a5e4-0000-7000-8000-00000000d00${n}`, incident_id: inc.id, event_id: `e${n}`, kind: 'change', at: Date.now() - n * MIN, ci_id: null, title, link: '', status, note, proposed_by: null, decided_by: null, created_at: Date.now() - n * MIN, decided_at: null });
    await t.ctx.db.insertInto('incident_hypothesis').values([row(1, '数据库连接池参数被修改', 'confirmed', '变更后连接数上限降为 20'), row(2, '网络抖动', 'rejected', '同时段链路正常')]).execute();
    const text = await docx(`/api/incidents/${inc.id}/analysis-report.docx`);
    expect(text).toContain('故障原因（已确认）：数据库连接池参数被修改——变更后连接数上限降为 20');
    expect(text).toContain('网络抖动\n已排除\n同时段链路正常');
  });

  it('[L2-2.3.1] keeps lessons and follow-ups versioned and refuses bad owners and older versions, naming the field', async () => {
    const inc = (await admin.request('POST', '/api/incidents', { title: '短信网关超时', impact: 2, urgency: 2 })).json as Incident;
    const bad = await admin.request('PUT', `/api/incidents/${inc.id}/analysis`, { lessons: 'x', followUps: [{ text: '复盘', ownerId: '0190a5e4-0000-7000-8000-000000000000', dueAt: null }] });
    expect(bad.status).toBe(400);
    expect(bad.json.details.fields[0].field).toBe('body.followUps.0.ownerId');
    expect(((await admin.request('GET', `/api/incidents/${inc.id}/analysis`)).json as IncidentAnalysis).version).toBe(0);
    const first = await admin.request('PUT', `/api/incidents/${inc.id}/analysis`, { lessons: '一', followUps: [] });
    expect(first.status, first.body).toBe(200);
    const stale = await admin.request('PUT', `/api/incidents/${inc.id}/analysis`, { version: 0, lessons: '二', followUps: [] });
    expect(stale.status).toBe(409);
    const second = await admin.request('PUT', `/api/incidents/${inc.id}/analysis`, { version: 1, lessons: '二', followUps: [] });
    expect(second.json).toMatchObject({ version: 2, lessons: '二' });
  });

  it('[L2-2.3.1] files the report into the library: one document per incident, submitted for approval, refiled in place', async () => {
    const inc = (await admin.request('POST', '/api/incidents', { title: '核心交换机端口抖动', impact: 1, urgency: 1 })).json as Incident;
    const res = await admin.request('POST', `/api/incidents/${inc.id}/analysis-report/file`);
    expect(res.status, res.body).toBe(200);
    const filed = res.json as IncidentFiled;
    expect(filed).toMatchObject({ number: expect.stringMatching(/^GZFX-/), versionLabel: 'v1.0' });
    // The built-in type goes through the default approval flow.
    expect(filed.status).toBe('in_review');
    const doc = (await admin.request('GET', `/api/library/documents/${filed.documentId}`)).json;
    expect(doc.type.code).toBe('fault_analysis');
    expect(JSON.stringify(doc.body)).toContain(inc.number);
    expect(((await admin.request('GET', `/api/incidents/${inc.id}/analysis`)).json as IncidentAnalysis).document).toMatchObject({ id: filed.documentId });
    // Filing again while the version is under review is refused, naming what to do.
    const again = await admin.request('POST', `/api/incidents/${inc.id}/analysis-report/file`);
    expect(again.status).toBe(409);
    expect(again.json.details.fields[0].message).toContain(filed.number);
    // Withdrawn (back to a draft), it is filed again into the same document.
    const withdrawn = await admin.request('POST', `/api/approvals/requests/${doc.approvalRequestId}/withdraw`, {});
    expect(withdrawn.status, withdrawn.body).toBe(200);
    const refiled = await admin.request('POST', `/api/incidents/${inc.id}/analysis-report/file`);
    expect(refiled.status, refiled.body).toBe(200);
    expect(refiled.json).toMatchObject({ documentId: filed.documentId, status: 'in_review' });
    const activity = (await admin.request('GET', `/api/incidents/${inc.id}/activity`)).json.items as { text: string }[];
    expect(activity.some((a) => a.text.includes(filed.number))).toBe(true);
  });

  it('[L1-2.3.1] the procedure document states the configured matrix, SLA targets and verification rules', async () => {
    const current = (await admin.request('GET', '/api/incidents/config')).json as IncidentConfig & Record<string, unknown>;
    const { timeZone: _tz, updatedAt: _u, ...input } = current;
    const changed = {
      ...input,
      matrix: [
        ['P1', 'P1', 'P2'],
        ['P2', 'P3', 'P3'],
        ['P3', 'P3', 'P4'],
      ],
      sla: { ...current.sla, P1: { responseMinutes: 7, resolutionMinutes: 195, mode: '24x7' }, P3: { responseMinutes: 90, resolutionMinutes: 1500, mode: 'business' } },
      businessHours: [{ start: '08:30', end: '17:30' }],
      pauseReasons: [...current.pauseReasons, { code: 'awaiting_change', nameZh: '等待变更审批', nameEn: 'Waiting for change approval', pausesSla: false }],
      reopenDays: 13,
    };
    const put = await admin.request('PUT', '/api/incidents/config', changed);
    expect(put.status, put.body).toBe(200);

    const text = await docx('/api/incidents/procedure.docx');
    expect(text).toContain('故障处理规程');
    // 优先级矩阵: impact rows × urgency columns, as configured.
    expect(text).toContain('影响度 \\ 紧急度\n高\n中\n低\n高\nP1\nP1\nP2\n中\nP2\nP3\nP3\n低\nP3\nP3\nP4');
    // SLA targets per priority and how they count.
    expect(text).toContain('P1\n7 分\n3 小时 15 分\n7×24 小时');
    expect(text).toContain('P3\n1 小时 30 分\n1 天 1 小时 0 分\n工作时间');
    expect(text).toContain('08:30–17:30');
    expect(text).toContain('法定节假日与调休');
    expect(text).toContain('等待变更审批\nawaiting_change\n照常计时');
    expect(text).toContain('等待厂商/供应商\nawaiting_vendor\n暂停计时');
    expect(text).toContain('解决后 13 天内重新打开');
    // 验证规则 and escalation as the system performs them.
    expect(text).toContain('故障须由解决人以外的人员验证后关闭');
    expect(text).toContain('关联的拨测检查恢复正常');
    expect(text).toContain('相关告警均已恢复');
    expect(text).toContain('达到目标的 80% 时');
    expect(text).toMatch(/环境 \/ 电力\nenvironment\.power/);
    expect(text).toContain('指挥');

    const filed = await admin.request('POST', '/api/incidents/procedure/file');
    expect(filed.status, filed.body).toBe(200);
    expect(filed.json).toMatchObject({ number: expect.stringMatching(/^GZGC-/), title: '故障处理规程' });
    const doc = (await admin.request('GET', `/api/library/documents/${filed.json.documentId}`)).json;
    expect(doc.type.code).toBe('fault_procedure');
    expect(JSON.stringify(doc.body)).toContain('解决后 13 天内重新打开');
  });

  it('refuses the procedure filing without incidents.config.manage, and the report of an unknown incident with a 404', async () => {
    const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    expect((await operator.request('POST', '/api/incidents/procedure/file')).status).toBe(403);
    expect((await admin.request('GET', '/api/incidents/0190a5e4-0000-7000-8000-000000000000/analysis-report.docx')).status).toBe(404);
  });
});
