import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ReportSchedule, ReportScheduleRun } from '@yunwei/contracts/report-schedules';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { docxText } from '../../platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../../platform/documents/pdf.testing.js';
import { startSmtp, type TestSmtp } from '../../platform/notify/notify.testing.js';
import { notifyOf } from '../notify/runtime.js';
import { INTERRUPTED, ReportScheduleRunner, RUN_LIMIT_MS } from './report-schedule-runner.js';
import { periodBefore } from './report-schedule-period.js';
import { ReportsService } from './reports.service.js';

const PUBLIC_URL = 'https://yunwei.example.cn';
const HOUR = 3_600_000;

describe.skipIf(!databaseAvailable())('定时报告 (report schedules)', () => {
  let t: TestApp;
  let admin: TestSession;
  let smtp: TestSmtp;
  let mailChannel = '';
  let webCi = '';
  const recipient = { id: '', email: 'leader@example.cn' };

  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_PUBLIC_URL: PUBLIC_URL });
    admin = await t.signIn(t.admin);
    smtp = await startSmtp();
    const channel = await admin.request('POST', '/api/notify/channels', { name: '运维邮箱', type: 'email', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    expect(channel.status, channel.body).toBe(200);
    mailChannel = channel.json.id;
    const notify = notifyOf(t.ctx);
    notify.worker.configure({ timeoutMs: 5000, backoffMs: [200] });
    notify.start();
    // A recipient by user: their e-mail is read when the report is sent.
    recipient.id = (await t.newUser({ roles: ['viewer'] })).id;
    await t.ctx.db.updateTable('user').set({ email: recipient.email }).where('id', '=', recipient.id).execute();
    // Seeded data over last month: a host with CPU samples and its check_up series (three failed runs).
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const server = classes.find((c) => c.code === 'server') ?? classes.find((c) => c.code !== 'business_system')!;
    webCi = (await admin.request('POST', '/api/cmdb/cis', { classId: server.id, name: 'web-01', orgUnitId: null })).json.id;
    const month = periodBefore('monthly', Date.now(), t.ctx.config.timeZone);
    const hours = Array.from({ length: Math.floor((month.to - month.from) / HOUR) }, (_, i) => month.from + i * HOUR);
    const samples = [
      ...hours.map((ts, i) => ({ metric: 'host_cpu_usage_percent', labels: { ci: webCi }, ts, value: 30 + (i % 24) })),
      ...hours.map((ts, i) => ({ metric: 'check_up', labels: { ci: webCi, check: 'web' }, ts, value: i % 200 === 7 ? 0 : 1 })),
    ];
    for (let i = 0; i < samples.length; i += 2000) {
      const res = await admin.request('POST', '/api/v1/metrics', { samples: samples.slice(i, i + 2000) });
      expect(res.status, res.body).toBe(200);
    }
  });
  afterAll(async () => {
    await t?.close();
    await smtp?.stop();
  });

  const base = () => ({
    name: '月度运行状况报告',
    kind: 'running-status',
    cadence: 'monthly',
    dayOfMonth: 1,
    hour: 8,
    scope: 'all',
    locale: 'zh-CN',
    formats: ['docx', 'pdf'],
    channelId: mailChannel,
    emails: ['ops-lead@example.cn'],
    userIds: [recipient.id],
    libraryTypeCode: 'operation_status_report',
    enabled: true,
  });

  async function create(session: TestSession, body: Record<string, unknown>): Promise<ReportSchedule> {
    const res = await session.request('POST', '/api/reports/schedules', body);
    expect(res.status, res.body).toBe(200);
    return res.json as ReportSchedule;
  }
  async function runNow(id: string): Promise<ReportScheduleRun> {
    const res = await admin.request('POST', `/api/reports/schedules/${id}/run`);
    expect(res.status, res.body).toBe(200);
    return res.json as ReportScheduleRun;
  }
  const lastRun = async (id: string) => ((await admin.request('GET', `/api/reports/schedules/${id}/runs`)).json as { items: ReportScheduleRun[] }).items[0]!;

  it("[L2-2.1.2] a monthly schedule mails last month's running-status report as Word and PDF and files it in the library for approval", async () => {
    // The form picks by name: e-mail channels only, people, document types.
    const options = (await admin.request('GET', '/api/reports/schedules/options')).json;
    expect(options.channels).toEqual([{ id: mailChannel, name: '运维邮箱', enabled: true }]);
    expect(options.users.map((u: { id: string }) => u.id)).toContain(recipient.id);
    expect(options.libraryTypes).toContainEqual({ code: 'operation_status_report', name: 'System operation status report', needsApproval: true });
    const schedule = await create(admin, base());
    expect(schedule).toMatchObject({ ownerName: expect.any(String), channelName: '运维邮箱', libraryTypeName: 'System operation status report', scopeName: 'All configuration items', users: [{ id: recipient.id }] });
    expect(schedule.nextRunAt).toBeGreaterThan(Date.now());

    const before = smtp.messages.length;
    const run = await runNow(schedule.id);
    const month = periodBefore('monthly', Date.now(), t.ctx.config.timeZone);
    expect(run).toMatchObject({ status: 'ok', trigger: 'manual', from: month.from, to: month.to, error: null, versionLabel: 'v1.0' });
    expect(run.period).toMatch(/^\d{4}年\d{1,2}月$/);
    expect(run.files.map((f) => f.format)).toEqual(['docx', 'pdf']);
    expect(run.files.every((f) => f.size > 1000)).toBe(true);
    expect(run.steps.map((s) => [s.step, s.ok])).toEqual([['generate', true], ['store', true], ['library', true], ['mail', true]]);

    // The e-mail: one message, to the addresses and the user's current e-mail, the files attached.
    await waitFor(() => smtp.messages.length === before + 1, 'the report e-mail', 20_000, 100);
    const mail = smtp.messages[before]!;
    expect(mail.rcptTo.sort()).toEqual(['leader@example.cn', 'ops-lead@example.cn']);
    expect(mail.mail.subject).toBe(`【定时报告】系统运行状况报告（${run.period}）`);
    const text = mail.mail.text ?? '';
    expect(text).toContain(`报告区间：${run.period}`);
    expect(text).toContain('报告范围：全部配置项');
    expect(text).toContain(`${PUBLIC_URL}/library/documents/${run.documentId}`);
    expect(text).toContain(`${PUBLIC_URL}/reports/schedules?history=${schedule.id}`);
    const attachments = mail.mail.attachments;
    expect(attachments.map((a) => a.filename)).toEqual([`系统运行状况报告-${run.period}.docx`, `系统运行状况报告-${run.period}.pdf`]);
    const [docx, pdf] = attachments.map((a) => a.content);
    expect(docx!.subarray(0, 2).toString()).toBe('PK');
    expect(await docxText(docx!)).toContain('系统运行状况报告');
    expect(pdf!.subarray(0, 4).toString()).toBe('%PDF');
    if (popplerAvailable()) {
      expect((await pdfPages(pdf!)).join('\n')).toContain('系统运行状况报告');
    }
    // The outbox row holds the file keys, never the bytes.
    const row = await t.ctx.db.selectFrom('notify_delivery').select(['message', 'status']).where('id', '=', run.deliveries[0]!.id).executeTakeFirstOrThrow();
    expect(row.message.length).toBeLessThan(10_000);
    expect(row.message).toContain('report-schedules/');

    // Filed: the schedule's document, v1.0, under review through the type's approval flow.
    const doc = await admin.request('GET', `/api/library/documents/${run.documentId}`);
    expect(doc.json).toMatchObject({ title: '月度运行状况报告', status: 'in_review', type: { code: 'operation_status_report' } });
    expect(doc.json.approvalRequestId).toBeTruthy();
    expect(JSON.stringify(doc.json.body)).toContain('总体概况');

    // The files can be downloaded again from the run.
    const file = await admin.request('GET', `/api/reports/schedules/${schedule.id}/runs/${run.id}/files/pdf`);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('application/pdf');

    // The next run, while v1.0 is still under review: not filed (the reason recorded), still mailed.
    const second = await runNow(schedule.id);
    expect(second.status).toBe('partial');
    expect(second.steps.find((s) => s.step === 'library')).toMatchObject({ ok: false, detail: expect.stringContaining('审批中') });
    expect(second.steps.find((s) => s.step === 'mail')?.ok).toBe(true);
    const listed = ((await admin.request('GET', '/api/reports/schedules')).json as { items: ReportSchedule[] }).items.find((s) => s.id === schedule.id)!;
    expect(listed.lastRun).toMatchObject({ id: second.id, status: 'partial' });
    expect(listed.documentNumber).toMatch(/^YXBG-/);
    const audit = await t.ctx.db.selectFrom('audit_log' as never).select(['action' as never]).execute();
    expect(audit.map((a) => (a as { action: string }).action)).toEqual(expect.arrayContaining(['reports.schedule.create', 'reports.schedule.run']));
  });

  it('later runs file a new version of the same document once the previous one is published (a type without review: approved at once)', async () => {
    const type = await admin.request('POST', '/api/library/types', { code: 'weekly_report', nameZh: '周报', nameEn: 'Weekly report', numberPrefix: 'ZB', flowCode: null, reviewMonths: 12 });
    expect(type.status, type.body).toBe(200);
    const schedule = await create(admin, { ...base(), name: '运行周报', cadence: 'weekly', dayOfWeek: 1, formats: ['xlsx'], channelId: null, emails: [], userIds: [], libraryTypeCode: 'weekly_report' });
    const first = await runNow(schedule.id);
    expect(first).toMatchObject({ status: 'ok', versionLabel: 'v1.0', deliveries: [] });
    expect(first.to - first.from).toBe(7 * 24 * HOUR);
    expect((await admin.request('GET', `/api/library/documents/${first.documentId}`)).json.status).toBe('approved');
    expect((await admin.request('POST', `/api/library/documents/${first.documentId}/publish`, {})).status).toBe(200);
    const second = await runNow(schedule.id);
    expect(second).toMatchObject({ status: 'ok', documentId: first.documentId, versionLabel: 'v1.1' });
    const doc = (await admin.request('GET', `/api/library/documents/${first.documentId}`)).json;
    expect(doc.versions.map((v: { label: string; status: string }) => `${v.label} ${v.status}`)).toEqual(['v1.1 approved', 'v1.0 published']);
  });

  it('a quarterly schedule files the monitoring regime (监控制度) as it stands into the library', async () => {
    const schedule = await create(admin, { ...base(), name: '监控制度（季度更新）', kind: 'monitoring-regime', cadence: 'quarterly', formats: ['docx'], channelId: null, emails: [], userIds: [], libraryTypeCode: 'monitoring_policy' });
    const run = await runNow(schedule.id);
    expect(run).toMatchObject({ status: 'ok', versionLabel: 'v1.0' });
    expect(run.period).toMatch(/^\d{4}年第[1-4]季度$/);
    const file = await t.app.inject({ method: 'GET', url: `/api/reports/schedules/${schedule.id}/runs/${run.id}/files/docx`, headers: { cookie: `yw_session=${admin.cookie}` } });
    expect(file.statusCode).toBe(200);
    expect(await docxText(file.rawPayload)).toContain('日常运行状态监控制度');
    expect((await admin.request('GET', `/api/library/documents/${run.documentId}`)).json).toMatchObject({ status: 'in_review', type: { code: 'monitoring_policy' } });
    // The regime is written from every policy: a scope is refused.
    const scoped = await admin.request('POST', '/api/reports/schedules', { ...base(), kind: 'monitoring-regime', scope: 'ciClass:server' });
    expect(scoped.status).toBe(400);
    expect(scoped.body).toContain('body.scope');
  });

  it('two concurrent runs of the job claim a due schedule once', async () => {
    const schedule = await create(admin, { ...base(), name: '并发', formats: ['docx'], channelId: null, emails: [], userIds: [], libraryTypeCode: null });
    const due = Date.now() - 60_000;
    await t.ctx.db.updateTable('report_schedule').set({ next_run_at: due }).where('id', '=', schedule.id).execute();
    const runs = await Promise.all([new ReportScheduleRunner(t.ctx).runDue(), new ReportScheduleRunner(t.ctx).runDue()]);
    expect(runs.flat()).toHaveLength(1);
    const history = (await admin.request('GET', `/api/reports/schedules/${schedule.id}/runs`)).json;
    expect(history.total).toBe(1);
    expect(history.items[0]).toMatchObject({ trigger: 'schedule', status: 'ok' });
    const after = (await admin.request('GET', `/api/reports/schedules/${schedule.id}`)).json as ReportSchedule;
    expect(after.nextRunAt).toBeGreaterThan(Date.now());
    // The files show the owner's data: another reader (here a viewer) may see the run but not download them.
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', `/api/reports/schedules/${schedule.id}/runs`)).status).toBe(200);
    expect((await viewer.request('GET', `/api/reports/schedules/${schedule.id}/runs/${history.items[0].id}/files/docx`)).status).toBe(403);
    expect((await admin.request('GET', `/api/reports/schedules/${schedule.id}/runs/${history.items[0].id}/files/pdf`)).status).toBe(404);
    // Nothing due any more: the job does nothing.
    expect(await new ReportScheduleRunner(t.ctx).runDue()).toEqual([]);
  });

  it('the claim records the run as running before the report is generated: a node dying mid-run leaves a trace', async () => {
    const schedule = await create(admin, { ...base(), name: '运行中', formats: ['docx'], channelId: null, emails: [], userIds: [], libraryTypeCode: null });
    await t.ctx.db.updateTable('report_schedule').set({ next_run_at: Date.now() - 60_000 }).where('id', '=', schedule.id).execute();
    // The owner's report generation hangs until released (as a node would, killed in the middle of it).
    let entered!: () => void;
    const generating = new Promise<void>((resolve) => (entered = resolve));
    let release!: (error: Error) => void;
    const hang = new Promise<never>((_, reject) => (release = reject));
    const build = vi.spyOn(ReportsService.prototype, 'build').mockImplementationOnce(() => {
      entered();
      return hang;
    });
    try {
      const job = new ReportScheduleRunner(t.ctx).runDue();
      await generating;
      const rows = await t.ctx.db.selectFrom('report_schedule_run').selectAll().where('schedule_id', '=', schedule.id).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ status: 'running', trigger: 'schedule', error: null });
      // Shown as running in the history and as the list's last outcome.
      expect(await lastRun(schedule.id)).toMatchObject({ id: rows[0]!.id, status: 'running', steps: [] });
      const listed = ((await admin.request('GET', '/api/reports/schedules')).json as { items: ReportSchedule[] }).items.find((s) => s.id === schedule.id)!;
      expect(listed.lastRun).toMatchObject({ id: rows[0]!.id, status: 'running' });
      release(new Error('generation broke'));
      expect(await job).toEqual([rows[0]!.id]);
    } finally {
      build.mockRestore();
    }
    // The run ends by updating its row: still one row, now with the outcome.
    const history = (await admin.request('GET', `/api/reports/schedules/${schedule.id}/runs`)).json as { items: ReportScheduleRun[]; total: number };
    expect(history.total).toBe(1);
    expect(history.items[0]).toMatchObject({ status: 'failed', error: 'generate: generation broke', steps: [{ step: 'generate', ok: false, detail: 'generation broke' }] });
  });

  it('a run still running after the limit is marked failed as interrupted, once however often the job runs', async () => {
    const zh = await create(admin, { ...base(), name: '中断', formats: ['docx'], channelId: null, emails: [], userIds: [], libraryTypeCode: null });
    const en = await create(admin, { ...base(), name: 'Interrupted', locale: 'en', formats: ['docx'], channelId: null, emails: [], userIds: [], libraryTypeCode: null });
    const now = Date.now();
    const running = (id: string, scheduleId: string, at: number) => ({
      id,
      schedule_id: scheduleId,
      at,
      trigger: 'schedule',
      triggered_by: null,
      period_from: at - 30 * 24 * HOUR,
      period_to: at,
      period_label: '2026年11月',
      status: 'running',
      error: null,
      steps: '[]',
      files: '[]',
      missing: '[]',
      document_id: null,
      version_label: null,
      delivery_ids: '[]',
    });
    // As a node killed after its claim leaves them: the claim's row, the schedule's last run.
    const stale = '0190aaaa-0000-7000-8000-0000000000a1';
    const staleEn = '0190aaaa-0000-7000-8000-0000000000a2';
    const recent = '0190aaaa-0000-7000-8000-0000000000a3';
    await t.ctx.db.insertInto('report_schedule_run').values([running(stale, zh.id, now - RUN_LIMIT_MS - 60_000), running(staleEn, en.id, now - RUN_LIMIT_MS - 60_000), running(recent, zh.id, now - 60_000)]).execute();
    await t.ctx.db.updateTable('report_schedule').set({ last_run_id: stale }).where('id', '=', zh.id).execute();
    await t.ctx.db.updateTable('report_schedule').set({ last_run_id: staleEn }).where('id', '=', en.id).execute();
    const audits = async (id: string) => (await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'reports.schedule.run').where('target_id', '=', id).execute()).length;

    // Two nodes' job passes at once, then another: each stale run is marked once.
    const marked = await Promise.all([new ReportScheduleRunner(t.ctx).markInterrupted(), new ReportScheduleRunner(t.ctx).markInterrupted()]);
    expect(marked[0]! + marked[1]!).toBe(2);
    await t.jobs.enqueue('reports.schedules');
    expect(await t.jobs.drain()).toBe(1);
    expect(await new ReportScheduleRunner(t.ctx).markInterrupted()).toBe(0);
    expect(await audits(zh.id)).toBe(1);
    expect(await audits(en.id)).toBe(1);

    const items = ((await admin.request('GET', '/api/reports/schedules')).json as { items: ReportSchedule[] }).items;
    expect(items.find((s) => s.id === zh.id)!.lastRun).toMatchObject({ id: stale, status: 'failed', error: INTERRUPTED['zh-CN'] });
    expect(items.find((s) => s.id === en.id)!.lastRun).toMatchObject({ id: staleEn, status: 'failed', error: INTERRUPTED.en });
    expect(INTERRUPTED).toEqual({ 'zh-CN': '运行中断（节点在运行中停止）', en: 'interrupted (node stopped during the run)' });
    // A run within the limit may still be going: left running.
    const history = (await admin.request('GET', `/api/reports/schedules/${zh.id}/runs`)).json as { items: ReportScheduleRun[] };
    expect(history.items.find((r) => r.id === recent)).toMatchObject({ status: 'running', error: null });
  });

  it('bad input is refused naming the field', async () => {
    const webhook = await admin.request('POST', '/api/notify/channels', { name: '钩子', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } });
    const cases: [Record<string, unknown>, string][] = [
      [{ channelId: '0190aaaa-0000-7000-8000-000000000000' }, 'body.channelId'],
      [{ channelId: webhook.json.id }, 'body.channelId'],
      [{ channelId: null }, 'body.channelId'],
      [{ emails: ['not-an-address'] }, 'body.emails.0'],
      [{ formats: [] }, 'body.formats'],
      [{ formats: ['docx', 'docx'] }, 'body.formats'],
      [{ hour: 24 }, 'body.hour'],
      [{ dayOfMonth: 31 }, 'body.dayOfMonth'],
      [{ cadence: 'daily' }, 'body.cadence'],
      [{ userIds: ['0190aaaa-0000-7000-8000-000000000001'] }, 'body.userIds.0'],
      [{ libraryTypeCode: 'no_such_type' }, 'body.libraryTypeCode'],
      [{ scope: 'somewhere' }, 'body.scope'],
      [{ scope: 'ciClass:no_such_class' }, 'body.scope'],
    ];
    for (const [patch, field] of cases) {
      const res = await admin.request('POST', '/api/reports/schedules', { ...base(), ...patch });
      expect(res.status, `${JSON.stringify(patch)} ${res.body}`).toBeGreaterThanOrEqual(400);
      expect(res.status, res.body).toBeLessThan(500);
      expect(res.body, JSON.stringify(patch)).toContain(field);
    }
    // A viewer reads schedules but may not write them.
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', '/api/reports/schedules')).status).toBe(200);
    expect((await viewer.request('POST', '/api/reports/schedules', base())).status).toBe(403);
  });

  it('a disabled owner makes the run fail with the reason recorded', async () => {
    const user = await t.newUser({ roles: ['operator'] });
    const operator = await t.signIn(user);
    const schedule = await create(operator, { ...base(), name: '离职人员的报告', formats: ['docx'], libraryTypeCode: null });
    await t.ctx.db.updateTable('user').set({ status: 'disabled' }).where('id', '=', user.id).execute();
    await t.ctx.db.updateTable('report_schedule').set({ next_run_at: Date.now() - 1000 }).where('id', '=', schedule.id).execute();
    const before = smtp.messages.length;
    // Through the job itself, as the cron schedule queues it.
    await t.jobs.enqueue('reports.schedules');
    expect(await t.jobs.drain()).toBe(1);
    const run = await lastRun(schedule.id);
    expect(run).toMatchObject({ trigger: 'schedule', status: 'failed', files: [], deliveries: [] });
    expect(run.error).toContain('已停用');
    expect(run.steps).toEqual([{ step: 'owner', ok: false, detail: expect.stringContaining(user.username) }]);
    expect(smtp.messages.length).toBe(before);
  });

  it('with the SMTP server down the run shows the failed e-mail, and the library filing still happened', async () => {
    const dead = await startSmtp();
    const port = dead.port;
    await dead.stop();
    const channel = await admin.request('POST', '/api/notify/channels', { name: '坏邮箱', type: 'email', maxAttempts: 1, config: { host: '127.0.0.1', port, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    expect(channel.status, channel.body).toBe(200);
    const schedule = await create(admin, { ...base(), name: '季度运行报告', cadence: 'quarterly', formats: ['pdf'], channelId: channel.json.id });
    const run = await runNow(schedule.id);
    expect(run.steps.find((s) => s.step === 'library')).toMatchObject({ ok: true });
    expect(run.documentId).toBeTruthy();
    const failed = await waitFor(async () => {
      const r = await lastRun(schedule.id);
      return r.deliveries[0]?.status === 'failed' ? r : null;
    }, 'the delivery failed', 20_000, 200);
    expect(failed.status).toBe('partial');
    expect(failed.error).toMatch(/^mail: .*SMTP 127\.0\.0\.1/);
    expect((await admin.request('GET', `/api/library/documents/${run.documentId}`)).json.status).toBe('in_review');
  });
});
