import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CalendarYear, OnCallNow, Override, RotationInput, Schedule, ScheduleList, Timeline } from '@yunwei/contracts/oncall';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import { oncallOf } from './runtime.js';

/** An instant given as Shanghai wall-clock time. */
const cst = (local: string) => Date.parse(`${local}+08:00`);

describe.skipIf(!databaseAvailable())('on-call schedules and the business calendar', () => {
  let t: TestApp;
  let admin: TestSession;
  let operator: TestSession;
  let viewer: TestSession;
  let wang: TestUser;
  let li: TestUser;
  let zhao: TestUser;

  const rotation = (over: Partial<RotationInput>): RotationInput => ({ name: '日常', members: [wang.id], unit: 'days', length: 1, handoverTime: '09:00', startDate: '2026-01-05', applies: 'all', ...over });

  async function createSchedule(body: Record<string, unknown>): Promise<Schedule> {
    const res = await operator.request('POST', '/api/oncall/schedules', body);
    expect(res.status, res.body).toBe(200);
    return res.json as Schedule;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    [wang, li, zhao] = await Promise.all([t.newUser({ roles: ['operator'] }), t.newUser({ roles: ['operator'] }), t.newUser({ roles: ['operator'] })]);
  });
  afterAll(async () => t?.close());

  it('seeds the statutory holidays and 调休 workdays of 2025 and 2026', async () => {
    const res = await viewer.request('GET', '/api/oncall/calendar/2026');
    expect(res.status, res.body).toBe(200);
    const days = new Map((res.json as CalendarYear).days.map((d) => [d.date, d]));
    expect(days.get('2026-02-14')).toEqual({ date: '2026-02-14', kind: 'workday', name: { zh: '春节调休上班', en: 'Spring Festival make-up workday' }, source: 'seed' });
    expect(days.get('2026-10-01')).toMatchObject({ kind: 'holiday', name: { zh: '国庆节' }, source: 'seed' });
    expect([...days.values()].filter((d) => d.kind === 'holiday')).toHaveLength(3 + 9 + 3 + 5 + 3 + 3 + 7);
    const y2025 = (await viewer.request('GET', '/api/oncall/calendar/2025')).json as CalendarYear;
    expect(y2025.days.filter((d) => d.kind === 'workday').map((d) => d.date)).toEqual(['2025-01-26', '2025-02-08', '2025-04-27', '2025-09-28', '2025-10-11']);
  });

  it('on a 调休 working Saturday (2026-02-14) the workdays rotation is on call, on a statutory holiday weekday (2026-10-01) the non-workdays one', async () => {
    const s = await createSchedule({ name: '运维值班', rotations: [rotation({ name: '工作日', members: [wang.id], applies: 'workdays' }), rotation({ name: '节假日', members: [li.id], applies: 'non-workdays' })] });
    const [workdays, offDays] = s.rotations;
    const oncall = oncallOf(t.ctx);
    expect(await oncall.whoIsOnCall(s.id, cst('2026-02-14T10:00'))).toEqual({ userIds: [wang.id], source: 'rotation', rotationId: workdays!.id });
    expect(await oncall.whoIsOnCall(s.id, cst('2026-02-15T10:00'))).toEqual({ userIds: [li.id], source: 'rotation', rotationId: offDays!.id });
    expect(await oncall.whoIsOnCall(s.id, cst('2026-10-01T10:00'))).toEqual({ userIds: [li.id], source: 'rotation', rotationId: offDays!.id });
    expect(await oncall.isWorkday('2026-02-14')).toBe(true);
    // A member disabled after being scheduled is passed over: that layer has nobody, the other does not cover.
    await t.ctx.db.updateTable('user').set({ status: 'disabled' }).where('id', '=', wang.id).execute();
    expect(await oncall.whoIsOnCall(s.id, cst('2026-02-14T10:00'))).toEqual({ userIds: [], source: 'none' });
    await t.ctx.db.updateTable('user').set({ status: 'active' }).where('id', '=', wang.id).execute();
    // The timeline over that weekend says the same, cut at local midnights.
    const res = await viewer.request('GET', `/api/oncall/schedules/${s.id}/timeline?from=${cst('2026-02-13T00:00')}&to=${cst('2026-02-16T00:00')}`);
    expect(res.status, res.body).toBe(200);
    const tl = res.json as Timeline;
    expect(tl.segments.map((x) => [x.start, x.userIds])).toEqual([
      [cst('2026-02-13T00:00'), [wang.id]],
      [cst('2026-02-15T00:00'), [li.id]],
    ]);
    expect(tl.users.map((u) => u.id).sort()).toEqual([wang.id, li.id].sort());
    // Asked by local date: the same segments, and the days with what the calendar says of them.
    const byDate = (await viewer.request('GET', `/api/oncall/schedules/${s.id}/timeline?date=2026-02-13&days=3`)).json as Timeline;
    expect([byDate.from, byDate.to]).toEqual([cst('2026-02-13T00:00'), cst('2026-02-16T00:00')]);
    expect(byDate.segments).toEqual(tl.segments);
    expect(byDate.days.map((d) => [d.date, d.start, d.workday, d.kind, d.name?.zh ?? null])).toEqual([
      ['2026-02-13', cst('2026-02-13T00:00'), true, null, null],
      ['2026-02-14', cst('2026-02-14T00:00'), true, 'workday', '春节调休上班'],
      ['2026-02-15', cst('2026-02-15T00:00'), false, 'holiday', '春节'],
    ]);
    expect(await oncall.scheduleExists(s.id)).toBe(true);
    expect(await oncall.whoIsOnCall('0195f0b2-0000-7000-8000-000000000000', Date.now())).toEqual({ userIds: [], source: 'none' });
  });

  it('hands over at the hand-over time and rotates weekly in member order', async () => {
    const s = await createSchedule({ name: '周轮换', rotations: [rotation({ members: [wang.id, li.id, zhao.id], unit: 'weeks', length: 1, handoverTime: '09:30', startDate: '2026-11-02' })] });
    const oncall = oncallOf(t.ctx);
    const at = async (local: string) => (await oncall.whoIsOnCall(s.id, cst(local))).userIds[0];
    expect(await at('2026-11-09T09:29')).toBe(wang.id);
    expect(await at('2026-11-09T09:31')).toBe(li.id);
    expect([await at('2026-11-03T12:00'), await at('2026-11-10T12:00'), await at('2026-11-17T12:00'), await at('2026-11-24T12:00')]).toEqual([wang.id, li.id, zhao.id, wang.id]);
    const tl = (await viewer.request('GET', `/api/oncall/schedules/${s.id}/timeline?from=${cst('2026-11-08T00:00')}&to=${cst('2026-11-22T00:00')}`)).json as Timeline;
    expect(tl.segments.map((x) => [x.start, x.userIds[0]])).toEqual([
      [cst('2026-11-08T00:00'), wang.id],
      [cst('2026-11-09T09:30'), li.id],
      [cst('2026-11-16T09:30'), zhao.id],
    ]);
  });

  it('lets an override win over the rotation (the latest created where they overlap), audited, removable', async () => {
    const s = await createSchedule({ name: '替班', rotations: [rotation({ members: [wang.id] })] });
    const add = async (userId: string, from: string, to: string) => {
      const res = await operator.request('POST', `/api/oncall/schedules/${s.id}/overrides`, { userId, start: cst(from), end: cst(to), reason: '调班' });
      expect(res.status, res.body).toBe(200);
      return res.json as Override;
    };
    const first = await add(li.id, '2026-12-01T00:00', '2026-12-02T00:00');
    await add(zhao.id, '2026-12-01T12:00', '2026-12-01T14:00');
    const oncall = oncallOf(t.ctx);
    expect(await oncall.whoIsOnCall(s.id, cst('2026-12-01T11:00'))).toEqual({ userIds: [li.id], source: 'override' });
    expect((await oncall.whoIsOnCall(s.id, cst('2026-12-01T13:00'))).userIds).toEqual([zhao.id]);
    expect((await oncall.whoIsOnCall(s.id, cst('2026-12-02T00:00'))).source).toBe('rotation');
    const list = await viewer.request('GET', `/api/oncall/schedules/${s.id}/overrides?from=${cst('2026-11-30T00:00')}&to=${cst('2026-12-05T00:00')}`);
    expect(list.json.items.map((o: Override) => o.userId)).toEqual([li.id, zhao.id]);

    expect((await operator.request('DELETE', `/api/oncall/schedules/${s.id}/overrides/${first.id}`)).status).toBe(200);
    expect((await oncall.whoIsOnCall(s.id, cst('2026-12-01T11:00'))).userIds).toEqual([wang.id]);
    expect((await operator.request('DELETE', `/api/oncall/schedules/${s.id}/overrides/${first.id}`)).json.code).toBe('YW_ONCALL_OVERRIDE_NOT_FOUND');

    const auditor = await t.signIn(await t.newUser({ roles: ['audit_admin'] }));
    const audit = await auditor.request('GET', '/api/audit?targetType=oncall_schedule&limit=500');
    const actions = (audit.json.items as { action: string; targetId: string }[]).filter((a) => a.targetId === s.id).map((a) => a.action).sort();
    expect(actions).toEqual(['oncall.override.create', 'oncall.override.create', 'oncall.override.delete', 'oncall.schedule.create']);
  });

  it('reads dates in the schedule time zone (Asia/Shanghai vs UTC)', async () => {
    const layers = [rotation({ members: [wang.id], applies: 'workdays' }), rotation({ members: [li.id], applies: 'non-workdays' })];
    const shanghai = await createSchedule({ name: '北京时间', rotations: layers });
    const utc = await createSchedule({ name: 'UTC', timeZone: 'UTC', rotations: layers });
    expect(shanghai.timeZone).toBe('Asia/Shanghai');
    // 2026-10-07T17:00Z is Thursday 10-08 01:00 in Shanghai (a workday) but still 10-07 (国庆) in UTC.
    const at = Date.parse('2026-10-07T17:00:00Z');
    expect((await oncallOf(t.ctx).whoIsOnCall(shanghai.id, at)).userIds).toEqual([wang.id]);
    expect((await oncallOf(t.ctx).whoIsOnCall(utc.id, at)).userIds).toEqual([li.id]);
  });

  it('edits one year of the calendar: replaces only that year\'s entries, seeded days return, lookups follow', async () => {
    const put = async (year: number, days: unknown[]) => {
      const res = await admin.request('PUT', `/api/oncall/calendar/${year}`, { days });
      expect(res.status, res.body).toBe(200);
      return new Map((res.json as CalendarYear).days.map((d) => [d.date, d]));
    };
    await put(2025, [{ date: '2025-12-31', kind: 'holiday', name: { zh: '公司年会', en: 'Company party' } }]);
    let y2026 = await put(2026, [
      { date: '2026-11-27', kind: 'holiday', name: { zh: '公司假', en: 'Company holiday' } },
      { date: '2026-02-14', kind: 'holiday' }, // lifts the seeded 调休 workday
    ]);
    expect(y2026.get('2026-11-27')).toMatchObject({ kind: 'holiday', source: 'user' });
    expect(y2026.get('2026-02-14')).toMatchObject({ kind: 'holiday', source: 'user' });
    expect(await oncallOf(t.ctx).isWorkday('2026-11-27')).toBe(false);

    y2026 = await put(2026, [{ date: '2026-12-26', kind: 'workday' }]);
    expect(y2026.has('2026-11-27')).toBe(false);
    expect(y2026.get('2026-02-14')).toMatchObject({ kind: 'workday', source: 'seed' }); // the seeded day is back
    expect(y2026.get('2026-12-26')).toMatchObject({ kind: 'workday', source: 'user', name: { zh: '', en: '' } });
    expect(await oncallOf(t.ctx).isWorkday('2026-11-27')).toBe(true);
    expect(await oncallOf(t.ctx).isWorkday('2026-12-26')).toBe(true); // a Saturday made a workday
    // The other year is untouched.
    const y2025 = (await viewer.request('GET', '/api/oncall/calendar/2025')).json as CalendarYear;
    expect(y2025.days.find((d) => d.date === '2025-12-31')).toMatchObject({ kind: 'holiday', source: 'user', name: { zh: '公司年会' } });
    // A restart re-seeds without overwriting administrators' entries.
    await oncallOf(t.ctx).calendar.seed();
    expect((await oncallOf(t.ctx).calendar.year(2026)).days.find((d) => d.date === '2026-12-26')).toMatchObject({ source: 'user' });

    const auditor = await t.signIn(await t.newUser({ roles: ['audit_admin'] }));
    const audit = await auditor.request('GET', '/api/audit?targetType=business_calendar&limit=500');
    expect((audit.json.items as { action: string; targetId: string }[]).map((a) => `${a.action} ${a.targetId}`).sort()).toEqual(['oncall.calendar.update 2025', 'oncall.calendar.update 2026', 'oncall.calendar.update 2026']);
    await put(2025, []);
    await put(2026, []);
  });

  it('exports a year as XLSX and imports an edited sheet back: only real changes become entries, bad rows are named', async () => {
    const exported = await t.app.inject({ method: 'GET', url: '/api/oncall/calendar/2026/export', cookies: { yw_session: viewer.cookie } });
    expect(exported.statusCode, exported.body).toBe(200);
    expect(exported.headers['content-type']).toBe(XLSX_TYPE);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(exported.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.getRow(1).values).toEqual([undefined, '*日期 (date)', '*类型 (kind)', '名称 (name_zh)', '英文名称 (name_en)', '来源 (source)']);
    const feb14 = sheet.getColumn(1).values.indexOf('2026-02-14');
    expect(sheet.getRow(feb14).values).toEqual([undefined, '2026-02-14', '工作日', '春节调休上班', 'Spring Festival make-up workday', '国务院通知']);

    // Edited in Excel: a real date cell for a company holiday; the exported rows stay as they were.
    sheet.addRow([new Date(Date.UTC(2026, 11, 25)), '休息日', '公司年会', 'Company party']);
    const upload = async (body: Buffer | string, type = XLSX_TYPE, session = admin) => session.request('POST', '/api/oncall/calendar/2026/import', body, { 'content-type': type });
    const imported = await upload(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(imported.status, imported.body).toBe(200);
    const days = (imported.json as CalendarYear).days;
    expect(days.filter((d) => d.source === 'user')).toEqual([{ date: '2026-12-25', kind: 'holiday', name: { zh: '公司年会', en: 'Company party' }, source: 'user' }]);
    expect(days.find((d) => d.date === '2026-02-14')?.source).toBe('seed');

    expect((await upload('日期,类型\n2026-12-24,休息日\n2026-12-25,放假吗\n', 'text/csv')).json.details.field).toBe('body.rows.3.kind');
    expect((await upload('日期,类型\n2025-12-25,休息日\n', 'text/csv')).json.details.field).toBe('body.rows.2.date');
    expect((await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).json.code).toBe('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE');
    expect((await upload('date,name\n2026-12-25,x\n', 'text/csv')).json.code).toBe('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE');
    expect((await upload('日期,类型\n2026-12-24,休息日\n', 'text/csv', operator)).status).toBe(403);
    // Refused imports changed nothing.
    expect(((await viewer.request('GET', '/api/oncall/calendar/2026')).json as CalendarYear).days.filter((d) => d.source === 'user').map((d) => d.date)).toEqual(['2026-12-25']);
    await admin.request('PUT', '/api/oncall/calendar/2026', { days: [] });
  });

  it('lets everyone read, operators change schedules and only the system administrator change the calendar', async () => {
    const s = await createSchedule({ name: '权限', rotations: [rotation({})] });
    const now = await viewer.request('GET', `/api/oncall/schedules/${s.id}/now`);
    expect(now.status, now.body).toBe(200);
    expect((now.json as OnCallNow).users.map((u) => u.id)).toEqual([wang.id]);
    const list = (await viewer.request('GET', '/api/oncall/schedules')).json as ScheduleList;
    expect(list.items.find((x) => x.id === s.id)?.now.userIds).toEqual([wang.id]);
    expect((await viewer.request('POST', '/api/oncall/schedules', { name: 'x', rotations: [] })).status).toBe(403);
    expect((await viewer.request('DELETE', `/api/oncall/schedules/${s.id}`)).status).toBe(403);
    expect((await operator.request('PUT', '/api/oncall/calendar/2026', { days: [] })).json.details.permission).toBe('oncall.calendar.write');
    // Editing keeps rotation ids the input names; deleting removes the schedule and its lookups.
    const updated = await operator.request('PUT', `/api/oncall/schedules/${s.id}`, { name: '权限 2', rotations: [{ ...rotation({ members: [li.id] }), id: s.rotations[0]!.id }, rotation({ name: 'new', applies: 'non-workdays' })] });
    expect(updated.status, updated.body).toBe(200);
    expect((updated.json as Schedule).rotations[0]!.id).toBe(s.rotations[0]!.id);
    expect((await operator.request('DELETE', `/api/oncall/schedules/${s.id}`)).status).toBe(200);
    expect((await viewer.request('GET', `/api/oncall/schedules/${s.id}`)).json.code).toBe('YW_ONCALL_SCHEDULE_NOT_FOUND');
    expect(await oncallOf(t.ctx).scheduleExists(s.id)).toBe(false);
  });

  it('refuses invalid input naming the field, and stores nothing', async () => {
    const disabled = await t.newUser({ roles: ['operator'] });
    await t.ctx.db.updateTable('user').set({ status: 'disabled' }).where('id', '=', disabled.id).execute();
    const unknown = '0195f0b2-0000-7000-8000-000000000001';
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', rotations: [rotation({ members: [wang.id, unknown] })] }, 'body.rotations.0.members.1'],
      [{ name: 'x', rotations: [rotation({}), rotation({ members: [disabled.id] })] }, 'body.rotations.1.members.0'],
      [{ name: 'x', timeZone: 'Mars/Olympus', rotations: [] }, 'body.timeZone'],
      [{ name: 'x', rotations: [rotation({ startDate: '2026-02-30' })] }, 'body.rotations.0.startDate'],
      [{ name: 'x', rotations: [rotation({ handoverTime: '24:00' })] }, 'body.rotations.0.handoverTime'],
      [{ name: 'x', rotations: [rotation({ windowStart: '09:00' })] }, 'body.rotations.0.windowEnd'],
      [{ name: 'x', rotations: [rotation({ windowStart: '09:00', windowEnd: '09:00' })] }, 'body.rotations.0.windowEnd'],
      [{ name: 'x', rotations: [rotation({ applies: 'weekends' as never })] }, 'body.rotations.0.applies'],
      [{ name: 'x', rotations: [rotation({ length: 0 })] }, 'body.rotations.0.length'],
      [{ name: ' ', rotations: [] }, 'body.name'],
    ];
    const before = ((await viewer.request('GET', '/api/oncall/schedules')).json as ScheduleList).total;
    for (const [body, field] of cases) {
      const res = await operator.request('POST', '/api/oncall/schedules', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(res.json.details), JSON.stringify(body)).toContain(field);
    }
    expect(((await viewer.request('GET', '/api/oncall/schedules')).json as ScheduleList).total).toBe(before);

    const s = await createSchedule({ name: 'valid', rotations: [rotation({})] });
    const override = async (body: unknown) => (await operator.request('POST', `/api/oncall/schedules/${s.id}/overrides`, body)).json;
    expect((await override({ userId: li.id, start: cst('2026-12-01T10:00'), end: cst('2026-12-01T10:00') })).details.field).toBe('body.end');
    expect((await override({ userId: disabled.id, start: cst('2026-12-01T10:00'), end: cst('2026-12-01T11:00') })).details.field).toBe('body.userId');
    expect((await operator.request('GET', `/api/oncall/schedules/${s.id}/timeline?from=0&to=${100 * 86_400_000}`)).json.details.field).toBe('querystring.to');
    expect((await operator.request('GET', `/api/oncall/schedules/${s.id}/timeline?from=0&date=2026-01-01`)).json.details.field).toBe('querystring.date');
    expect((await operator.request('GET', `/api/oncall/schedules/${s.id}/timeline?date=2026-13-01`)).json.details.field).toBe('querystring.date');

    const calendar = async (days: unknown[]) => (await admin.request('PUT', '/api/oncall/calendar/2026', { days })).json;
    expect((await calendar([{ date: '2025-05-01', kind: 'holiday' }])).details.field).toBe('body.days.0.date');
    expect((await calendar([{ date: '2026-02-29', kind: 'holiday' }])).details.field).toBe('body.days.0.date');
    expect((await calendar([{ date: '2026-03-01', kind: 'holiday' }, { date: '2026-03-01', kind: 'workday' }])).details.field).toBe('body.days.1.date');
    expect(JSON.stringify((await calendar([{ date: '2026-03-01', kind: 'off' }])).details)).toContain('body.days.0.kind');
    expect((await admin.request('GET', '/api/oncall/calendar/1900')).status).toBe(400);
    expect(((await viewer.request('GET', '/api/oncall/calendar/2026')).json as CalendarYear).days.some((d) => d.date === '2026-03-01')).toBe(false);
  });
});
