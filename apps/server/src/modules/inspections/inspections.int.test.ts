import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiClass } from '@yunwei/contracts/cmdb';
import type { InspectionRecord, InspectionResult, InspectionSchedule, InspectionTemplate } from '@yunwei/contracts/inspections';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { inspectionsOf } from './runtime.js';

const MINUTE = 60_000;
/** A tiny valid PNG (1×1). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

interface Sample {
  metric: string;
  labels?: Record<string, string>;
  value: number;
  ts: number;
}

async function pushSamples(session: TestSession, samples: Sample[]): Promise<void> {
  const res = await session.request('POST', '/api/v1/metrics', { samples });
  expect(res.status, res.body).toBe(200);
}

/** HH:MM of a time in the server's time zone (schedules are in server time). */
function clockOf(ms: number): string {
  const d = new Date(ms);
  return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

async function readXlsx(body: string | Buffer): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load((Buffer.isBuffer(body) ? body : Buffer.from(body, 'binary')) as unknown as ArrayBuffer);
  return wb;
}

async function rawGet(t: TestApp, session: TestSession, url: string): Promise<{ status: number; body: Buffer; type: string }> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie: `yw_session=${session.cookie}` } });
  return { status: res.statusCode, body: res.rawPayload, type: String(res.headers['content-type']) };
}

describe.skipIf(!databaseAvailable())('inspections (巡检)', () => {
  let t: TestApp;
  let admin: TestSession;
  let operator: TestSession;
  let viewer: TestSession;
  let operatorPassword = '';
  let serverClassId = '';
  const templates = new Map<string, InspectionTemplate>();

  const newCi = async (name: string, classId = serverClassId) => {
    const res = await admin.request('POST', '/api/cmdb/cis', { classId, name });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  };

  /** Fires due schedules the way the server does: the job, through the job runner, at the module clock's time. */
  const fireScheduleJob = async (at: number) => {
    inspectionsOf(t.ctx).now = () => at;
    await t.ctx.jobs.enqueue('inspections.fire-due');
    await t.jobs.drain();
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    const operatorUser = await t.newUser({ roles: ['operator'] });
    operator = await t.signIn(operatorUser);
    operatorPassword = operatorUser.password;
    viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    serverClassId = ((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).find((c) => c.code === 'server')!.id;
    for (const tpl of (await viewer.request('GET', '/api/inspections/templates')).json.items as InspectionTemplate[]) {
      if (tpl.builtinKey) {
        templates.set(tpl.builtinKey, tpl);
      }
    }
  });
  afterAll(async () => t?.close());

  it('seeds the two built-in templates (hardware platform, system running state) over server CIs', () => {
    expect(templates.get('hardware')).toMatchObject({ name: '硬件平台巡检', scope: { kind: 'class', classCode: 'server' }, version: 1 });
    expect(templates.get('hardware')!.items.map((i) => i.selector ?? i.kind)).toEqual(['host_hw_disk_smart_ok', 'host_hw_temperature_celsius', 'host_hw_fan_ok', 'host_hw_power_ok', 'manual']);
    expect(templates.get('system')).toMatchObject({ name: '系统运行状态巡检' });
    expect(templates.get('system')!.items.map((i) => i.key)).toEqual(['cpu', 'memory', 'filesystem', 'load', 'uptime', 'agent_reporting', 'system_log']);
  });

  it('[L4-2.1.1] scheduled inspection of the hardware platform produces a signed record with the agent\'s hardware status', async () => {
    const host = await newCi('hw-host-01');
    const silent = await newCi('hw-host-02');
    // The schedule is created "two hours ago" and is due daily one hour ago (the module clock is injectable).
    const createdAt = Math.floor((Date.now() - 2 * 60 * MINUTE) / MINUTE) * MINUTE;
    const dueAt = createdAt + 60 * MINUTE;
    inspectionsOf(t.ctx).now = () => createdAt;
    const created = await operator.request('POST', '/api/inspections/schedules', { templateId: templates.get('hardware')!.id, name: '每日硬件巡检', kind: 'daily', time: clockOf(dueAt), responsibleRole: 'operator' });
    expect(created.status, created.body).toBe(200);
    const schedule = created.json as InspectionSchedule;
    expect(schedule).toMatchObject({ kind: 'daily', cron: `${new Date(dueAt).getMinutes()} ${new Date(dueAt).getHours()} * * *`, nextRunAt: dueAt, enabled: true });

    // Exactly the series the host agent sends for hardware (common contract): SMART of two disks (sdb
    // failing), two temperature sensors, a fan, and a power supply the machine does not expose
    // (host_hw_available{component="power"} 0, and no host_hw_power_ok series). The coordinator swaps
    // in the real agent later; the inspection reads the store either way.
    const labels = { ci: host, agent: 'agent-test-01' };
    const samples: Sample[] = [];
    for (const ts of [dueAt - 2 * MINUTE, dueAt - MINUTE]) {
      for (const component of ['smart', 'temperature', 'fan']) {
        samples.push({ metric: 'host_hw_available', labels: { ...labels, component }, value: 1, ts });
      }
      samples.push({ metric: 'host_hw_available', labels: { ...labels, component: 'power' }, value: 0, ts });
      samples.push({ metric: 'host_hw_disk_smart_ok', labels: { ...labels, device: 'sda' }, value: 1, ts });
      samples.push({ metric: 'host_hw_disk_smart_ok', labels: { ...labels, device: 'sdb' }, value: 0, ts });
      samples.push({ metric: 'host_hw_temperature_celsius', labels: { ...labels, sensor: 'cpu0' }, value: 45, ts });
      samples.push({ metric: 'host_hw_temperature_celsius', labels: { ...labels, sensor: 'cpu1' }, value: 52.5, ts });
      samples.push({ metric: 'host_hw_fan_ok', labels: { ...labels, fan: 'fan1' }, value: 1, ts });
    }
    await pushSamples(admin, samples);

    // Not due yet: nothing happens.
    await fireScheduleJob(dueAt - 1);
    expect((await viewer.request('GET', `/api/inspections/records?templateId=${templates.get('hardware')!.id}`)).json.total).toBe(0);
    // Due: one record; firing again (and two runners at once) for the same due time creates no other.
    await fireScheduleJob(dueAt + 30_000);
    const [again, parallel] = await Promise.all([inspectionsOf(t.ctx).schedules.fireDue(dueAt + 30_000), inspectionsOf(t.ctx).schedules.fireDue(dueAt + 30_000)]);
    expect(again).toEqual([]);
    expect(parallel).toEqual([]);
    const list = (await viewer.request('GET', `/api/inspections/records?templateId=${templates.get('hardware')!.id}`)).json;
    expect(list.total).toBe(1);
    expect(list.items[0]).toMatchObject({ trigger: 'schedule', scheduleId: schedule.id, scheduleName: '每日硬件巡检', dueAt, status: 'open', responsibleRole: 'operator', ciCount: 2 });
    const nextSchedule = (await viewer.request('GET', '/api/inspections/schedules')).json.items.find((s: InspectionSchedule) => s.id === schedule.id) as InspectionSchedule;
    expect(nextSchedule.nextRunAt).toBe(dueAt + 24 * 60 * MINUTE);
    expect(nextSchedule.lastRecordId).toBe(list.items[0].id);

    const record = (await viewer.request('GET', `/api/inspections/records/${list.items[0].id}`)).json as InspectionRecord;
    expect(record.templateVersion).toBe(1);
    const of = (ci: string, key: string) => record.results.find((r) => r.ciId === ci && r.itemKey === key)!;
    expect(of(host, 'disk_smart')).toMatchObject({ verdict: 'abnormal', value: 0, limit: '== 1', detail: 'device=sda: 1; device=sdb: 0' });
    expect(of(host, 'temperature')).toMatchObject({ verdict: 'normal', value: 52.5, unit: '°C', limit: '<= 80 °C' });
    expect(of(host, 'fan')).toMatchObject({ verdict: 'normal', value: 1 });
    // Not exposed by the machine: neither a pass nor a failure.
    expect(of(host, 'power')).toMatchObject({ verdict: 'unavailable', value: null });
    expect(of(host, 'indicator_lights')).toMatchObject({ verdict: 'pending', kind: 'manual' });
    expect(of(silent, 'disk_smart').verdict).toBe('no_data');
    expect(of(silent, 'power').verdict).toBe('no_data');
    expect(record.totals).toEqual({ normal: 2, abnormal: 1, unavailable: 1, no_data: 4, pending: 2, total: 10 });

    // Signing needs every manual item filled.
    const early = await operator.request('POST', `/api/inspections/records/${record.id}/sign`, { password: operatorPassword });
    expect(early.status).toBe(409);
    expect(early.json).toMatchObject({ code: 'YW_INSPECTION_NOT_FILLED', details: { recordId: record.id } });

    const lights = of(host, 'indicator_lights');
    const filled = await operator.request('PATCH', `/api/inspections/records/${record.id}/results/${lights.id}`, { verdict: 'normal', note: '指示灯均为绿色' });
    expect(filled.status, filled.body).toBe(200);
    expect(filled.json).toMatchObject({ verdict: 'normal', note: '指示灯均为绿色', filledBy: operator.state.user.username });
    expect((await operator.request('PATCH', `/api/inspections/records/${record.id}/results/${of(silent, 'indicator_lights').id}`, { verdict: 'abnormal', note: '电源灯橙色' })).status).toBe(200);
    // An automatic item is measured, not decided by the inspector.
    const override = await operator.request('PATCH', `/api/inspections/records/${record.id}/results/${of(host, 'disk_smart').id}`, { verdict: 'normal' });
    expect(override.status).toBe(400);
    expect(override.json.details.field).toBe('body.verdict');

    // A photo of the front panel: stored under the data directory; wrong types and fake images refused.
    const photoUrl = `/api/inspections/records/${record.id}/results/${lights.id}/photo`;
    const photo = await operator.request('PUT', photoUrl, PNG, { 'content-type': 'image/png' });
    expect(photo.status, photo.body).toBe(200);
    expect(photo.json.hasPhoto).toBe(true);
    expect((await operator.request('PUT', photoUrl, Buffer.from('not an image'), { 'content-type': 'image/jpeg' })).json.code).toBe('YW_INSPECTION_PHOTO_INVALID');
    expect((await operator.request('PUT', photoUrl, 'text', { 'content-type': 'text/plain' })).json.code).toBe('YW_INSPECTION_PHOTO_INVALID');
    const back = await rawGet(t, viewer, photoUrl);
    expect(back.status).toBe(200);
    expect(back.type).toBe('image/png');
    expect(back.body.equals(PNG)).toBe(true);

    // Sign-off re-authenticates: a wrong password is refused naming the field.
    const wrong = await operator.request('POST', `/api/inspections/records/${record.id}/sign`, { password: 'not-my-password' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.details.field).toBe('body.password');
    const signed = await operator.request('POST', `/api/inspections/records/${record.id}/sign`, { password: operatorPassword, conclusion: 'sdb SMART 异常，已报修' });
    expect(signed.status, signed.body).toBe(200);
    const s = signed.json as InspectionRecord;
    expect(s).toMatchObject({ status: 'signed', signedBy: operator.state.user.id, conclusion: 'sdb SMART 异常，已报修', prevHash: '0'.repeat(64) });
    expect(s.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(s.signedAt).toBeGreaterThan(0);

    // Immutable: every write names the record in a 409.
    for (const res of [
      await operator.request('PATCH', `/api/inspections/records/${record.id}/results/${lights.id}`, { note: 'changed later' }),
      await operator.request('PUT', photoUrl, PNG, { 'content-type': 'image/png' }),
      await operator.request('POST', `/api/inspections/records/${record.id}/sign`, { password: operatorPassword }),
    ]) {
      expect(res.status, res.body).toBe(409);
      expect(res.json).toMatchObject({ code: 'YW_INSPECTION_RECORD_SIGNED', details: { recordId: record.id } });
    }

    // Tamper check: intact, then a value changed behind the API's back is detected.
    expect((await viewer.request('GET', `/api/inspections/records/${record.id}/verify`)).json).toMatchObject({ signed: true, valid: true, chainValid: true, storedHash: s.hash, computedHash: s.hash });
    await t.exec(`update inspection_result set verdict = 'normal' where id = '${of(host, 'disk_smart').id}'`);
    const tampered = (await viewer.request('GET', `/api/inspections/records/${record.id}/verify`)).json;
    expect(tampered).toMatchObject({ signed: true, valid: false });
    expect(tampered.computedHash).not.toBe(s.hash);
    await t.exec(`update inspection_result set verdict = 'abnormal' where id = '${of(host, 'disk_smart').id}'`);

    // XLSX: zh-CN sheet and header, the abnormal row highlighted, signature block.
    const xlsx = await rawGet(t, viewer, `/api/inspections/records/${record.id}/export`);
    expect(xlsx.status).toBe(200);
    const wb = await readXlsx(xlsx.body);
    const sheet = wb.getWorksheet('巡检记录')!;
    expect(sheet.getCell('A1').value).toBe('硬件平台巡检 巡检记录');
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row) => rows.push(row));
    const headerRow = rows.find((r) => r.getCell(1).value === '配置项')!;
    expect(headerRow.getCell(2).value).toBe('巡检项');
    expect(headerRow.getCell(7).value).toBe('结论');
    const smartRow = rows.find((r) => r.getCell(1).value === 'hw-host-01' && r.getCell(2).value === '磁盘 SMART 状态')!;
    expect(smartRow.getCell(7).value).toBe('异常');
    expect((smartRow.getCell(1).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
    const powerRow = rows.find((r) => r.getCell(1).value === 'hw-host-01' && r.getCell(2).value === '电源状态')!;
    expect(powerRow.getCell(7).value).toBe('不支持（设备未提供）');
    expect(rows.find((r) => r.getCell(1).value === '签字人')!.getCell(2).value).toContain(operator.state.user.username);
    expect(rows.find((r) => r.getCell(1).value === '校验值（SHA-256）')!.getCell(2).value).toBe(s.hash);
  });

  it('[L4-2.1.2] system running state recorded on schedule', async () => {
    const host = await newCi('app-host-01');
    const createdAt = Math.floor((Date.now() - 3 * 60 * MINUTE) / MINUTE) * MINUTE;
    const dueAt = createdAt + 90 * MINUTE;
    inspectionsOf(t.ctx).now = () => createdAt;
    const weekday = new Date(dueAt).getDay();
    const schedule = (await operator.request('POST', '/api/inspections/schedules', { templateId: templates.get('system')!.id, name: '每周系统巡检', kind: 'weekly', weekday, time: clockOf(dueAt) })).json as InspectionSchedule;
    expect(schedule.nextRunAt).toBe(dueAt);

    // The agent's system series (common contract names): CPU, memory, file systems, load, uptime.
    const labels = { ci: host, agent: 'agent-test-02' };
    const samples: Sample[] = [];
    [30, 40].forEach((cpu, i) => {
      const ts = dueAt - (2 - i) * MINUTE;
      samples.push({ metric: 'host_cpu_usage_percent', labels, value: cpu, ts });
      samples.push({ metric: 'host_memory_usage_percent', labels, value: 95, ts });
      samples.push({ metric: 'host_fs_usage_percent', labels: { ...labels, mount: '/', fstype: 'ext4' }, value: 50, ts });
      samples.push({ metric: 'host_fs_usage_percent', labels: { ...labels, mount: '/data', fstype: 'xfs' }, value: 70, ts });
      samples.push({ metric: 'host_load5', labels, value: 1.25, ts });
      samples.push({ metric: 'host_uptime_seconds', labels, value: 864_000 + i * 60, ts });
    });
    await pushSamples(admin, samples);

    await fireScheduleJob(dueAt + 30_000);
    const list = (await viewer.request('GET', `/api/inspections/records?templateId=${templates.get('system')!.id}`)).json;
    expect(list.total).toBe(1);
    const record = (await viewer.request('GET', `/api/inspections/records/${list.items[0].id}`)).json as InspectionRecord;
    expect(record).toMatchObject({ trigger: 'schedule', scheduleName: '每周系统巡检', dueAt, createdAt: dueAt + 30_000 });
    const of = (key: string) => record.results.find((r) => r.ciId === host && r.itemKey === key)!;
    expect(of('cpu')).toMatchObject({ verdict: 'normal', value: 35, unit: '%', limit: '<= 85 %' });
    expect(of('memory')).toMatchObject({ verdict: 'abnormal', value: 95 });
    expect(of('filesystem')).toMatchObject({ verdict: 'normal', value: 70, detail: 'fstype=ext4,mount=/: 50; fstype=xfs,mount=/data: 70' });
    expect(of('load')).toMatchObject({ verdict: 'normal', value: 1.25 });
    expect(of('uptime')).toMatchObject({ verdict: 'normal', value: 864_060 });
    // Newest sample a minute and a half before the run: the agent reports.
    expect(of('agent_reporting')).toMatchObject({ verdict: 'normal', value: 90 });

    // Fill every pending manual item (other server CIs of this app are in scope too) and sign.
    for (const r of record.results.filter((x: InspectionResult) => x.verdict === 'pending')) {
      expect((await operator.request('PATCH', `/api/inspections/records/${record.id}/results/${r.id}`, { verdict: 'normal', note: '无严重错误' })).status).toBe(200);
    }
    const signed = await operator.request('POST', `/api/inspections/records/${record.id}/sign`, { password: operatorPassword });
    expect(signed.status, signed.body).toBe(200);
    // Chained to the hardware record signed before it.
    const previous = (await viewer.request('GET', `/api/inspections/records?templateId=${templates.get('hardware')!.id}`)).json.items[0];
    expect(signed.json.prevHash).toBe(previous.hash);
    expect((await viewer.request('GET', `/api/inspections/records/${record.id}/verify`)).json).toMatchObject({ valid: true, chainValid: true });

    // The list of records as XLSX.
    const xlsx = await rawGet(t, viewer, '/api/inspections/records/export');
    expect(xlsx.status).toBe(200);
    const sheet = (await readXlsx(xlsx.body)).getWorksheet('巡检记录列表')!;
    expect(sheet.getRow(1).getCell(2).value).toBe('巡检模板');
    const names: unknown[] = [];
    sheet.eachRow((row, n) => n > 1 && names.push(row.getCell(2).value));
    expect(names).toEqual(expect.arrayContaining(['系统运行状态巡检', '硬件平台巡检']));

    // The audit trail has the run (by the schedule), the fills and the signature.
    const audit = await admin.request('GET', `/api/audit?targetType=inspection_record&limit=500`);
    if (audit.status === 200) {
      const actions = (audit.json.items as { action: string; targetId: string }[]).filter((a) => a.targetId === record.id).map((a) => a.action);
      expect(actions).toEqual(expect.arrayContaining(['inspections.record.run', 'inspections.record.fill', 'inspections.record.sign']));
    }
  });

  it('runs a template by hand and keeps the item definitions it was run with after the template changes', async () => {
    await newCi('manual-host-01');
    const created = await operator.request('POST', '/api/inspections/templates', {
      name: '磁盘空间专项',
      scope: { kind: 'class', classCode: 'server' },
      items: [
        { key: 'fs', name: '文件系统', kind: 'metric', selector: 'host_fs_usage_percent{mount="/"}', reduce: 'max', operator: '<', limit: 80, unit: '%' },
        { key: 'http_up', name: 'HTTP 拨测', kind: 'check', checkType: 'http' },
      ],
    });
    expect(created.status, created.body).toBe(200);
    const tpl = created.json as InspectionTemplate;
    inspectionsOf(t.ctx).now = () => Date.now();
    const run = await operator.request('POST', '/api/inspections/records', { templateId: tpl.id });
    expect(run.status, run.body).toBe(200);
    expect(run.json).toMatchObject({ trigger: 'manual', templateVersion: 1, startedByName: operator.state.user.username });

    const changed = await operator.request('PATCH', `/api/inspections/templates/${tpl.id}`, { items: [{ key: 'fs', name: '根分区', kind: 'metric', selector: 'host_fs_usage_percent', reduce: 'last', operator: '<=', limit: 90 }] });
    expect(changed.json.version).toBe(2);
    const old = (await viewer.request('GET', `/api/inspections/records/${run.json.id}`)).json as InspectionRecord;
    expect(old.items.map((i) => i.name)).toEqual(['文件系统', 'HTTP 拨测']);
    expect(old.templateVersion).toBe(1);
    // Only a description change keeps the version.
    expect((await operator.request('PATCH', `/api/inspections/templates/${tpl.id}`, { description: 'x' })).json.version).toBe(2);
    // Deleting: built-ins never, used ones not while a schedule uses them.
    expect((await operator.request('DELETE', `/api/inspections/templates/${templates.get('hardware')!.id}`)).json.code).toBe('YW_INSPECTION_TEMPLATE_BUILTIN');
    expect((await operator.request('DELETE', `/api/inspections/templates/${tpl.id}`)).status).toBe(200);
  });

  it('refuses invalid templates, schedules and policies naming the field, and stores nothing', async () => {
    const before = (await viewer.request('GET', '/api/inspections/templates')).json.total;
    const item = { key: 'x', name: 'X', kind: 'metric', selector: 'host_load1', operator: '<=', limit: 4 };
    const cases: [unknown, string][] = [
      [{ ...item, selector: 'rate(host_load1[5m])' }, 'body.items.0.selector'],
      [{ ...item, selector: 'host_load1{ci="x"}' }, 'body.items.0.selector'],
      [{ ...item, operator: '=>' }, 'body.items.0.operator'],
      [{ ...item, limit: 'abc' }, 'body.items.0.limit'],
      [{ ...item, limit: undefined }, 'body.items.0.limit'],
      [{ ...item, reduce: 'median' }, 'body.items.0.reduce'],
      [{ key: 'c', name: 'C', kind: 'check' }, 'body.items.0.checkType'],
      [{ key: 'f', name: 'F', kind: 'fresh', selector: 'host_load1' }, 'body.items.0.maxAgeSeconds'],
    ];
    for (const [bad, field] of cases) {
      const res = await operator.request('POST', '/api/inspections/templates', { name: 'bad', scope: { kind: 'class', classCode: 'server' }, items: [bad] });
      expect(res.status, `${field}: ${res.body}`).toBe(400);
      expect(res.json.details.field).toBe(field);
    }
    const scopes: [unknown, string][] = [
      [{ kind: 'class', classCode: 'no_such_class' }, 'body.scope.classCode'],
      [{ kind: 'business_system' }, 'body.scope.ciId'],
      [{ kind: 'cis', ciIds: ['0190aaaa-0000-7000-8000-000000000000'] }, 'body.scope.ciIds'],
    ];
    for (const [scope, field] of scopes) {
      const res = await operator.request('POST', '/api/inspections/templates', { name: 'bad', scope, items: [item] });
      expect(res.status, res.body).toBe(400);
      expect(res.json.details.field).toBe(field);
    }
    expect((await viewer.request('GET', '/api/inspections/templates')).json.total).toBe(before);

    const tplId = templates.get('system')!.id;
    const schedules: [unknown, string][] = [
      [{ templateId: tplId, name: 's', kind: 'cron', cron: 'every day' }, 'body.cron'],
      [{ templateId: tplId, name: 's', kind: 'cron', cron: '0 0 0 * * *' }, 'body.cron'],
      [{ templateId: tplId, name: 's', kind: 'daily' }, 'body.time'],
      [{ templateId: tplId, name: 's', kind: 'daily', time: '25:00' }, 'body.time'],
      [{ templateId: tplId, name: 's', kind: 'weekly', time: '08:00' }, 'body.weekday'],
      [{ templateId: '0190aaaa-0000-7000-8000-000000000000', name: 's', kind: 'daily', time: '08:00' }, 'body.templateId'],
    ];
    for (const [body, field] of schedules) {
      const res = await operator.request('POST', '/api/inspections/schedules', body);
      expect(res.status, res.body).toBe(400);
      expect(res.json.details.field).toBe(field);
    }
    const policies: [Record<string, unknown>, string][] = [
      [{ metrics: [{ metric: 'bad metric', maxIntervalSeconds: 60 }] }, 'body.metrics.0.metric'],
      [{ metrics: [{ metric: 'host_load1', maxIntervalSeconds: 0 }] }, 'body.metrics.0.maxIntervalSeconds'],
      [{ scope: { kind: 'cis', ciIds: ['0190aaaa-0000-7000-8000-000000000000'] } }, 'body.scope.kind'],
      [{ inspections: [{ templateId: '0190aaaa-0000-7000-8000-000000000000', everyDays: 1 }] }, 'body.inspections.0.templateId'],
    ];
    for (const [over, field] of policies) {
      const res = await admin.request('POST', '/api/inspections/policies', { name: 'p', scope: { kind: 'class', classCode: 'server' }, metrics: [], checks: [], inspections: [], responsibleRole: null, ...over });
      expect(res.status, res.body).toBe(400);
      expect(res.json.details.field).toBe(field);
    }
    expect((await viewer.request('GET', '/api/inspections/policies')).json.total).toBe(0);
  });

  it('checks permissions: viewers read, operators run and sign, only administrators set the policy', async () => {
    const tplId = templates.get('system')!.id;
    expect((await viewer.request('GET', '/api/inspections/records')).status).toBe(200);
    expect((await viewer.request('GET', '/api/inspections/coverage')).status).toBe(200);
    for (const [method, url, body] of [
      ['POST', '/api/inspections/templates', { name: 'x', scope: { kind: 'class', classCode: 'server' }, items: [{ key: 'm', name: 'M', kind: 'manual' }] }],
      ['POST', '/api/inspections/records', { templateId: tplId }],
      ['POST', '/api/inspections/schedules', { templateId: tplId, name: 's', kind: 'daily', time: '08:00' }],
      ['POST', '/api/inspections/policies', { name: 'p', scope: { kind: 'class', classCode: 'server' }, metrics: [], checks: [], inspections: [], responsibleRole: null }],
    ] as const) {
      const res = await viewer.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
    }
    const policy = await operator.request('POST', '/api/inspections/policies', { name: 'p', scope: { kind: 'class', classCode: 'server' }, metrics: [], checks: [], inspections: [], responsibleRole: null });
    expect(policy.status).toBe(403);
    expect(policy.json.details.permission).toBe('inspections.policy.write');
    // A record from the API without a session cannot be touched at all.
    expect((await t.app.inject({ method: 'GET', url: '/api/inspections/records' })).statusCode).toBe(401);
  });
});

describe.skipIf(!databaseAvailable())('monitoring policy (监控制度)', () => {
  let t: TestApp;
  let admin: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(async () => t?.close());

  it('[L1-2.1.1] a policy reports an unmonitored CI', async () => {
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as CiClass[];
    const server = classes.find((c) => c.code === 'server')!.id;
    const ci = async (name: string) => (await admin.request('POST', '/api/cmdb/cis', { classId: server, name })).json.id as string;
    const monitored = await ci('db-server-01');
    const unmonitored = await ci('db-server-02');
    const silent = await ci('db-server-03');
    const now = Date.now();
    inspectionsOf(t.ctx).now = () => now;
    // db-server-01: the agent's CPU and an HTTP check, both recent. db-server-03 reported, but 20 minutes ago
    // (configured but silent is not covered). db-server-02: nothing at all.
    await pushSamples(admin, [
      { metric: 'host_cpu_usage_percent', labels: { ci: monitored, agent: 'a1' }, value: 12, ts: now - 30_000 },
      { metric: 'check_up', labels: { ci: monitored, check: 'c1', type: 'http' }, value: 1, ts: now - 20_000 },
      { metric: 'host_cpu_usage_percent', labels: { ci: silent, agent: 'a3' }, value: 12, ts: now - 20 * MINUTE },
      { metric: 'check_up', labels: { ci: silent, check: 'c3', type: 'http' }, value: 1, ts: now - 20 * MINUTE },
    ]);
    const system = ((await admin.request('GET', '/api/inspections/templates')).json.items as InspectionTemplate[]).find((x) => x.builtinKey === 'system')!;
    const created = await admin.request('POST', '/api/inspections/policies', {
      name: '服务器监控制度',
      scope: { kind: 'class', classCode: 'server' },
      metrics: [{ metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 }],
      checks: [{ checkType: 'http', maxIntervalSeconds: 60 }],
      inspections: [{ templateId: system.id, everyDays: 1 }],
      responsibleRole: 'operator',
    });
    expect(created.status, created.body).toBe(200);

    // Before any inspection ran, nobody is covered.
    const first = (await admin.request('GET', '/api/inspections/coverage')).json;
    expect(first).toMatchObject({ policies: 1, total: 3, covered: 0 });
    // A run of the system inspection covers the inspection requirement of all three.
    expect((await admin.request('POST', '/api/inspections/records', { templateId: system.id })).status).toBe(200);

    const coverage = (await admin.request('GET', '/api/inspections/coverage')).json;
    expect(coverage).toMatchObject({ total: 3, covered: 1 });
    const byName = new Map((coverage.cis as { ciName: string }[]).map((c) => [c.ciName, c]));
    expect(byName.get('db-server-01')).toMatchObject({ covered: true, responsibleRole: 'operator' });
    expect(byName.get('db-server-02')).toMatchObject({
      covered: false,
      requirements: [
        { kind: 'metric', subject: 'host_cpu_usage_percent', met: false, reason: 'no_series', lastSeen: null },
        { kind: 'check', subject: 'http', met: false, reason: 'no_series' },
        { kind: 'inspection', subject: system.id, label: '系统运行状态巡检', met: true },
      ],
    });
    expect(byName.get('db-server-03')).toMatchObject({
      covered: false,
      requirements: [
        { kind: 'metric', met: false, reason: 'stale', lastSeen: now - 20 * MINUTE },
        { kind: 'check', met: false, reason: 'stale' },
        { kind: 'inspection', met: true },
      ],
    });
    // Uncovered first; uncoveredOnly lists exactly those not monitored as required.
    expect(coverage.cis[coverage.cis.length - 1].ciName).toBe('db-server-01');
    const uncovered = (await admin.request('GET', '/api/inspections/coverage?uncoveredOnly=true')).json;
    expect(uncovered.cis.map((c: { ciId: string }) => c.ciId).sort()).toEqual([unmonitored, silent].sort());

    // Two days later without another inspection, the inspection requirement is overdue everywhere.
    inspectionsOf(t.ctx).now = () => now + 2 * 86_400_000;
    const later = (await admin.request('GET', '/api/inspections/coverage')).json;
    expect(later.covered).toBe(0);
    expect(later.cis.find((c: { ciId: string }) => c.ciId === monitored).requirements[2]).toMatchObject({ met: false, reason: 'overdue' });
    inspectionsOf(t.ctx).now = () => now;

    // XLSX export of the coverage, parsed back.
    const res = await t.app.inject({ method: 'GET', url: '/api/inspections/coverage/export', headers: { cookie: `yw_session=${admin.cookie}` } });
    expect(res.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const sheet = wb.getWorksheet('监控覆盖情况')!;
    expect(String(sheet.getCell('A1').value)).toContain('1 / 3');
    const rows: ExcelJS.Row[] = [];
    sheet.eachRow((row) => rows.push(row));
    const header = rows.find((r) => r.getCell(1).value === '配置项')!;
    expect(header.getCell(5).value).toBe('是否达标');
    const missing = rows.find((r) => r.getCell(1).value === 'db-server-02' && r.getCell(7).value === 'host_cpu_usage_percent')!;
    expect(missing.getCell(5).value).toBe('否');
    expect(missing.getCell(10).value).toBe('无数据（从未上报）');
    expect((missing.getCell(1).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFC7CE');
  });

  it('covers a business system: every CI it contains or depends on', async () => {
    const classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c.id]));
    const bs = (await admin.request('POST', '/api/cmdb/cis', { classId: classes.get('business_system'), name: '网上银行' })).json.id as string;
    const app = (await admin.request('POST', '/api/cmdb/cis', { classId: classes.get('application'), name: '网银应用' })).json.id as string;
    const host = (await admin.request('POST', '/api/cmdb/cis', { classId: classes.get('server'), name: '网银主机' })).json.id as string;
    expect((await admin.request('POST', '/api/cmdb/relations', { sourceId: bs, targetId: app, type: 'contains' })).status).toBe(200);
    expect((await admin.request('POST', '/api/cmdb/relations', { sourceId: app, targetId: host, type: 'runs_on' })).status).toBe(200);
    const policy = (
      await admin.request('POST', '/api/inspections/policies', { name: '网银监控', scope: { kind: 'business_system', ciId: bs }, metrics: [], checks: [{ checkType: 'http', maxIntervalSeconds: 30 }], inspections: [], responsibleRole: null })
    ).json;
    const coverage = (await admin.request('GET', `/api/inspections/coverage?policyId=${policy.id}`)).json;
    expect(coverage.cis.map((c: { ciName: string }) => c.ciName).sort()).toEqual(['网银主机', '网银应用'].sort());
    expect(coverage.covered).toBe(0);
  });
});
