import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InspectionRecord, InspectionRecordList } from '@yunwei/contracts/inspections';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';

const PERMISSIONS = [
  'inspections.template.read',
  'inspections.template.write',
  'inspections.record.read',
  'inspections.record.run',
  'inspections.policy.read',
  'inspections.policy.write',
  'cmdb.ci.read',
];
const MANUAL = [{ key: 'lights', name: '指示灯', kind: 'manual' }];

/** Every cell text of every sheet of an XLSX download. */
async function xlsxText(t: TestApp, session: TestSession, url: string): Promise<string> {
  const res = await t.app.inject({ method: 'GET', url, headers: { cookie: `yw_session=${session.cookie}` } });
  expect(res.statusCode, url).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const cells: string[] = [];
  wb.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => cells.push(String(cell.value)))));
  return cells.join('\n');
}

describe.skipIf(!databaseAvailable())('inspections: org-unit data scope', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let opUser: TestUser;
  let op: TestSession;
  let both: InspectionRecord;
  let onlyB: InspectionRecord;
  let bothTemplate: string;

  const template = async (name: string, ciIds: string[]) => {
    const res = await admin.request('POST', '/api/inspections/templates', { name, scope: { kind: 'cis', ciIds }, items: MANUAL });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  };
  const run = async (session: TestSession, templateId: string) => {
    const res = await session.request('POST', '/api/inspections/records', { templateId });
    expect(res.status, res.body).toBe(200);
    return res.json as InspectionRecord;
  };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'insp');
    opUser = await t.newUser({ permissions: PERMISSIONS, orgUnitIds: [w.unitA] });
    op = await t.signIn(opUser);
    bothTemplate = await template('甲乙两地巡检', [w.ciA, w.ciB]);
    both = await run(admin, bothTemplate);
    onlyB = await run(admin, await template('乙地巡检', [w.ciB]));
  });
  afterAll(() => t?.close());

  it('a record shows only the rows of CIs in scope; one with none of them does not exist for the reader', async () => {
    expect(both.results.map((r) => r.ciName).sort()).toEqual(['host-a-insp', 'host-b-insp']);
    const list = (await op.request('GET', '/api/inspections/records')).json as InspectionRecordList;
    expect(list.items.map((r) => [r.id, r.ciCount, r.totals.total])).toEqual([[both.id, 1, 1]]);
    expect(list.total).toBe(1);
    const detail = (await op.request('GET', `/api/inspections/records/${both.id}`)).json as InspectionRecord;
    expect(detail.results.map((r) => r.ciName)).toEqual(['host-a-insp']);
    expect(detail).toMatchObject({ ciCount: 1, totals: { total: 1, pending: 1 } });
    for (const url of [`/api/inspections/records/${onlyB.id}`, `/api/inspections/records/${onlyB.id}/verify`, `/api/inspections/records/${onlyB.id}/export`]) {
      const res = await op.request('GET', url);
      expect(res.status, url).toBe(404);
      expect(res.json.code, url).toBe('YW_INSPECTION_RECORD_NOT_FOUND');
    }
    // An unrestricted admin sees both records, every row.
    const all = (await admin.request('GET', '/api/inspections/records')).json as InspectionRecordList;
    expect(all.items.map((r) => [r.id, r.ciCount])).toEqual(expect.arrayContaining([[both.id, 2], [onlyB.id, 1]]));
  });

  it('XLSX exports apply the same filter', async () => {
    const one = await xlsxText(t, op, `/api/inspections/records/${both.id}/export`);
    expect(one).toContain('host-a-insp');
    expect(one).not.toContain('host-b-insp');
    const list = await xlsxText(t, op, '/api/inspections/records/export');
    expect(list).toContain('甲乙两地巡检');
    expect(list).not.toContain('乙地巡检');
    expect(await xlsxText(t, admin, `/api/inspections/records/${both.id}/export`)).toContain('host-b-insp');
  });

  it('filling a row needs its CI in scope; signing needs every CI of the record in scope', async () => {
    const rowB = both.results.find((r) => r.ciName === 'host-b-insp')!;
    const rowA = both.results.find((r) => r.ciName === 'host-a-insp')!;
    const fillB = await op.request('PATCH', `/api/inspections/records/${both.id}/results/${rowB.id}`, { verdict: 'normal' });
    expect(fillB.status).toBe(404);
    expect(fillB.json.code).toBe('YW_INSPECTION_RESULT_NOT_FOUND');
    expect((await op.request('GET', `/api/inspections/records/${both.id}/results/${rowB.id}/photo`)).json.code).toBe('YW_INSPECTION_RESULT_NOT_FOUND');
    expect((await op.request('PATCH', `/api/inspections/records/${both.id}/results/${rowA.id}`, { verdict: 'normal' })).status).toBe(200);
    const sign = await op.request('POST', `/api/inspections/records/${both.id}/sign`, { password: opUser.password });
    expect(sign.status).toBe(403);
    expect(sign.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { permission: 'inspections.record.run', outOfScope: 1 } });
    expect((await admin.request('GET', `/api/inspections/records/${both.id}`)).json.status).toBe('open');

    // Run by the scoped inspector, the same template covers their CI only, and they can sign it.
    const mine = await run(op, bothTemplate);
    expect(mine.results.map((r) => r.ciName)).toEqual(['host-a-insp']);
    await op.request('PATCH', `/api/inspections/records/${mine.id}/results/${mine.results[0]!.id}`, { verdict: 'normal' });
    const signed = await op.request('POST', `/api/inspections/records/${mine.id}/sign`, { password: opUser.password });
    expect(signed.status, signed.body).toBe(200);
    expect(signed.json.status).toBe('signed');
  });

  it('coverage lists only CIs in scope (its export too); an unrestricted admin sees all', async () => {
    const policy = await admin.request('POST', '/api/inspections/policies', {
      name: '服务器监控制度',
      scope: { kind: 'class', classCode: 'server' },
      metrics: [{ metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 }],
      checks: [],
      inspections: [],
      responsibleRole: null,
    });
    expect(policy.status, policy.body).toBe(200);
    const mine = (await op.request('GET', '/api/inspections/coverage')).json;
    expect(mine).toMatchObject({ total: 1, covered: 0 });
    expect(mine.cis.map((c: { ciName: string }) => c.ciName)).toEqual(['host-a-insp']);
    expect((await admin.request('GET', '/api/inspections/coverage')).json.total).toBe(2);
    const xlsx = await xlsxText(t, op, '/api/inspections/coverage/export');
    expect(xlsx).toContain('host-a-insp');
    expect(xlsx).not.toContain('host-b-insp');
  });

  it('a template or policy naming CIs outside the write scope is refused naming the field', async () => {
    const tpl = await op.request('POST', '/api/inspections/templates', { name: 'x', scope: { kind: 'cis', ciIds: [w.ciA, w.ciB] }, items: MANUAL });
    expect(tpl.status).toBe(403);
    expect(tpl.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.scope.ciIds' } });
    const mine = await op.request('POST', '/api/inspections/templates', { name: 'mine', scope: { kind: 'cis', ciIds: [w.ciA] }, items: MANUAL });
    expect(mine.status, mine.body).toBe(200);
    const change = await op.request('PATCH', `/api/inspections/templates/${mine.json.id}`, { scope: { kind: 'cis', ciIds: [w.ciB] } });
    expect(change.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.scope.ciIds' } });
  });

  it('templates, schedules and policies naming CIs: seen within any of their units, changed only within all', async () => {
    const hidden = onlyB.templateId;
    const names = ((await op.request('GET', '/api/inspections/templates')).json.items as { id: string }[]).map((x) => x.id);
    expect(names).toContain(bothTemplate);
    expect(names).not.toContain(hidden);
    expect((await admin.request('GET', '/api/inspections/templates')).json.items.map((x: { id: string }) => x.id)).toContain(hidden);
    for (const [method, url, body] of [
      ['GET', `/api/inspections/templates/${hidden}`, undefined],
      ['PATCH', `/api/inspections/templates/${hidden}`, { name: 'x' }],
      ['POST', '/api/inspections/records', { templateId: hidden }],
    ] as const) {
      const res = await op.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.json.code).toBe('YW_INSPECTION_TEMPLATE_NOT_FOUND');
    }
    // Seen (one of its CIs is theirs) but not theirs alone to change.
    const shared = await op.request('PATCH', `/api/inspections/templates/${bothTemplate}`, { name: 'x' });
    expect(shared.status).toBe(403);
    expect(shared.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { permission: 'inspections.template.write' } });

    const daily = { kind: 'daily', time: '02:00' };
    const schedule = await admin.request('POST', '/api/inspections/schedules', { ...daily, name: '乙地每日巡检', templateId: hidden });
    expect(schedule.status, schedule.body).toBe(200);
    expect((await op.request('GET', '/api/inspections/schedules')).json.items.map((x: { id: string }) => x.id)).not.toContain(schedule.json.id);
    const scheduler = await w.scopedToA([...PERMISSIONS, 'inspections.schedule.write']);
    for (const [method, url] of [
      ['PATCH', `/api/inspections/schedules/${schedule.json.id}`],
      ['POST', `/api/inspections/schedules/${schedule.json.id}/run`],
      ['DELETE', `/api/inspections/schedules/${schedule.json.id}`],
    ] as const) {
      const res = await scheduler.request(method, url, method === 'PATCH' ? { name: 'x' } : undefined);
      expect(res.status, `${method} ${url}`).toBe(404);
      expect(res.json.code).toBe('YW_INSPECTION_SCHEDULE_NOT_FOUND');
    }
    const onShared = await scheduler.request('POST', '/api/inspections/schedules', { ...daily, name: 's', templateId: bothTemplate });
    expect(onShared.status).toBe(403);
    expect(onShared.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.templateId' } });
    const onHidden = await scheduler.request('POST', '/api/inspections/schedules', { ...daily, name: 's', templateId: hidden });
    expect(onHidden.status).toBe(400);
    expect(onHidden.json.details.field).toBe('body.templateId');

    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const system = await admin.request('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'business_system')!.id, name: '乙地业务系统', orgUnitId: w.unitB });
    expect(system.status, system.body).toBe(200);
    const policy = await admin.request('POST', '/api/inspections/policies', { name: '乙地业务制度', scope: { kind: 'business_system', ciId: system.json.id }, metrics: [], checks: [], inspections: [], responsibleRole: null });
    expect(policy.status, policy.body).toBe(200);
    expect((await op.request('GET', '/api/inspections/policies')).json.items.map((x: { name: string }) => x.name)).toEqual(['服务器监控制度']);
    expect((await op.request('GET', `/api/inspections/policies/${policy.json.id}`)).json.code).toBe('YW_INSPECTION_POLICY_NOT_FOUND');
    expect((await op.request('GET', `/api/inspections/coverage?policyId=${policy.json.id}`)).status).toBe(404);
  });
});
