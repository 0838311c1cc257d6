import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitoringRegime } from '@yunwei/contracts/inspections';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { docxText } from '../../platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../../platform/documents/pdf.testing.js';

describe.skipIf(!databaseAvailable())('the monitoring regime written from the configured policy', () => {
  let t: TestApp;
  let admin: TestSession;
  let policyId: string;
  let templateName: string;
  const people: string[] = [];

  const ok = async (method: 'POST' | 'PATCH', url: string, body: unknown) => {
    const res = await admin.request(method, url, body);
    expect(res.status, `${url}: ${res.body}`).toBe(200);
    return res.json;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const classId = (code: string) => classes.find((c) => c.code === code)!.id;
    const web = (await ok('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'web-01' })).id as string;
    await ok('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'web-02' });
    const db = (await ok('POST', '/api/cmdb/cis', { classId: classId('database'), name: 'orders-db' })).id as string;
    // Rules name metrics that have arrived.
    await ok('POST', '/api/v1/metrics', {
      samples: [
        { metric: 'host_cpu_usage_percent', labels: { ci: web }, value: 12 },
        { metric: 'db_connections', labels: { ci: db }, value: 40 },
      ],
    });
    const template = ((await admin.request('GET', '/api/inspections/templates')).json.items as { id: string; name: string; builtinKey: string | null }[]).find((x) => x.builtinKey === 'system')!;
    templateName = template.name;

    // What the regime is written from: the policy, the rules on its CIs, and the alert routing.
    policyId = (
      await ok('POST', '/api/inspections/policies', {
        name: '主机日常监控',
        description: '生产区全部主机。',
        scope: { kind: 'class', classCode: 'server' },
        metrics: [
          { metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 },
          { metric: 'host_fs_usage_percent', maxIntervalSeconds: 300 },
        ],
        checks: [{ checkType: 'http', maxIntervalSeconds: 60 }],
        inspections: [{ templateId: template.id, everyDays: 7 }],
        responsibleRole: 'operator',
        reviewMonths: 6,
      })
    ).id;
    await ok('POST', '/api/alerting/rules', {
      name: '主机 CPU 过高',
      spec: { kind: 'metric', selector: 'host_cpu_usage_percent', reducer: 'avg', windowSeconds: 300, op: '>', thresholds: { warning: 80, critical: 95 } },
      forSeconds: 300,
      target: { kind: 'class', classId: classId('server') },
    });
    await ok('POST', '/api/alerting/rules', { name: '网站拨测失败', spec: { kind: 'check', checkType: 'http', consecutiveDown: 3 }, target: { kind: 'all' } });
    // A rule on another class is not part of this policy's regime.
    await ok('POST', '/api/alerting/rules', {
      name: '数据库连接数过高',
      spec: { kind: 'metric', selector: 'db_connections', reducer: 'max', windowSeconds: 60, op: '>', thresholds: { warning: 500 } },
      target: { kind: 'class', classId: classId('database') },
    });
    const memberIds: string[] = [];
    for (let i = 0; i < 2; i++) {
      const user = await t.newUser({ roles: ['operator'] });
      memberIds.push(user.id);
      people.push((await t.ctx.db.selectFrom('user').select('display_name').where('id', '=', user.id).executeTakeFirstOrThrow()).display_name);
    }
    const schedule = await ok('POST', '/api/oncall/schedules', { name: '运维值班', rotations: [{ name: '主班', members: memberIds, unit: 'weeks', length: 1, handoverTime: '09:00', startDate: '2026-11-30', applies: 'all' }] });
    const channel = await ok('POST', '/api/notify/channels', { name: '运维值班群', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } });
    const escalation = await ok('POST', '/api/alerting/escalations', {
      name: '主机故障升级',
      steps: [
        { afterMinutes: 0, targets: [{ type: 'channel', channelId: channel.id }] },
        { afterMinutes: 15, targets: [{ type: 'oncall', scheduleId: schedule.id, channelId: channel.id }] },
      ],
    });
    await ok('POST', '/api/alerting/policies', { name: '主机告警', matchers: [{ name: 'team', op: '=', value: 'ops' }], escalationPolicyId: escalation.id, repeatIntervalSeconds: 14_400 });
  });
  afterAll(() => t?.close());

  const download = async (locale: string, query = '') => {
    const res = await t.app.inject({ method: 'GET', url: `/api/inspections/regime.docx${query}`, cookies: { yw_session: admin.cookie }, headers: { 'accept-language': locale } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    return docxText(res.rawPayload);
  };

  it('[L1-2.1.1] writes the routine monitoring regime from the configured policy, rules and alert routing: objects, intervals, thresholds, duties and review cycle, as a Word document', async () => {
    const shown = await admin.request('GET', '/api/inspections/regime', undefined, { 'accept-language': 'zh-CN' });
    expect(shown.status, shown.body).toBe(200);
    const regime = shown.json as MonitoringRegime;
    expect(regime.policies).toBe(1);
    expect(regime.document.title).toBe('日常运行状态监控制度');

    const text = await download('zh-CN');
    const lines = text.split('\n');
    expect(lines[0]).toBe('日常运行状态监控制度');
    expect(text).toContain('依据：「主机日常监控」');
    expect(text).toContain('复审周期：每 6 个月');
    // Scope: the class in words and the CIs it covers now, by name.
    expect(text).toContain('「主机日常监控」：类别「服务器/主机」的全部配置项，2 个配置项');
    expect(text).toContain('监控对象：类别「服务器/主机」的全部配置项，当前共 2 个配置项（web-01、web-02）。');
    expect(text).not.toContain('orders-db');
    // What is monitored, how often, against which threshold (the table reads row by row).
    const row = (first: string) => lines.slice(lines.indexOf(first), lines.indexOf(first) + 5);
    expect(row('host_cpu_usage_percent')).toEqual(['host_cpu_usage_percent', 'CPU 使用率', '不超过 1 分钟', 'host_cpu_usage_percent 在 5 分钟 内的 avg > 80（警告） / 95（严重），持续 5 分钟', '主机 CPU 过高']);
    expect(row('host_fs_usage_percent')).toEqual(['host_fs_usage_percent', '文件系统使用率', '不超过 5 分钟', '未设置告警规则（仅采集）', '—']);
    expect(row('拨测：http')).toEqual(['拨测：http', '拨测可用性', '不超过 1 分钟', 'http 拨测连续失败 3 次', '网站拨测失败']);
    expect(text).not.toContain('数据库连接数过高');
    expect(text).toContain(`每 7 天执行一次巡检「${templateName}」，巡检人签字确认`);
    expect(text).toContain('责任角色：运维操作员，负责确认上述数据按周期上报、处置相关告警并按期完成巡检。');
    // Alert handling and on-call duties, from the routing as configured.
    const policyRow = lines.indexOf('主机告警');
    expect(lines.slice(policyRow - 1, policyRow + 4)).toEqual(['1', '主机告警', 'team="ops"', '主机故障升级', '每 4 小时']);
    expect(text).toContain('第 1 级（首次通知后 0 分钟）：渠道「运维值班群」');
    expect(text).toContain('第 2 级（首次通知后 15 分钟）：值班表「运维值班」当班人员（经渠道「运维值班群」）');
    expect(text).toContain(`值班表「运维值班」：轮值「主班」：${people.join('、')}，每 1 周于 09:00 交接`);
    // Review cycle.
    expect(text).toContain('「主机日常监控」：每 6 个月');

    const en = await download('en', `?policyId=${policyId}`);
    expect(en).toContain('Routine monitoring regime');
    expect(en).toContain('Review cycle: every 6 months');
    expect(en).toContain('avg(host_cpu_usage_percent) over 5 minutes > 80 (warning) / 95 (critical), for 5 minutes');
    expect(en).toContain('Responsible: Operator');

    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'inspections.regime.download').orderBy('id', 'asc').execute();
    expect(audit.map((a) => a.target_id)).toEqual([null, policyId]);
  });

  it.skipIf(!popplerAvailable())('offers the regime as a PDF too (目录, page numbers), audited like the Word file', async () => {
    const shown = (await admin.request('GET', `/api/inspections/regime?policyId=${policyId}`, undefined, { 'accept-language': 'zh-CN' })).json as MonitoringRegime;
    const res = await t.app.inject({ method: 'GET', url: `/api/inspections/regime.pdf?policyId=${policyId}`, cookies: { yw_session: admin.cookie }, headers: { 'accept-language': 'zh-CN' } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(String(res.headers['content-disposition'])).toMatch(/\.pdf$/);
    const pages = await pdfPages(res.rawPayload);
    const text = pages.join('\n').replace(/\s+/g, '');
    expect(pages[0]).toContain(shown.document.title);
    expect(text).toContain('目录');
    // What the API worked out: the CIs the policy covers now, by count and name.
    expect(text).toContain('当前共2个配置项（web-01、web-02）');
    expect(text).toContain(`第1页/共${pages.length - 1}页`);
    const audit = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'inspections.regime.download').orderBy('id', 'desc').executeTakeFirstOrThrow();
    expect(audit.target_id).toBe(policyId);
    expect(audit.after).toContain('.pdf');
  });

  it('the review cycle is part of the policy: bounded, audited, and the regime follows a change', async () => {
    const bad = await admin.request('PATCH', `/api/inspections/policies/${policyId}`, { reviewMonths: 0 });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('reviewMonths');
    expect((await ok('PATCH', `/api/inspections/policies/${policyId}`, { reviewMonths: 3 })).reviewMonths).toBe(3);
    expect(await download('zh-CN')).toContain('复审周期：每 3 个月');
    const outsider = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read'] }));
    for (const path of ['/api/inspections/regime', '/api/inspections/regime.docx', '/api/inspections/regime.pdf']) {
      expect((await outsider.request('GET', path)).status).toBe(403);
    }
  });
});
