import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentNature, IncidentType } from '@yunwei/contracts/incidents';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

type Session = Pick<TestSession, 'request'>;
/** The texts people read are checked in Chinese (test sessions ask for English by default). */
const inChinese = (s: TestSession): Session => ({ request: (method, path, body, headers) => s.request(method, path, body, { 'accept-language': 'zh-CN', ...headers }) });

describe.skipIf(!databaseAvailable())('incidents: recording, classification, life cycle', () => {
  let t: TestApp;
  let admin: Session;
  const ci = new Map<string, string>();
  let types: IncidentType[] = [];
  let natures: IncidentNature[] = [];

  beforeAll(async () => {
    t = await createTestApp({ YUNWEI_LOG_LEVEL: 'error' });
    admin = inChinese(await t.signIn(t.admin));
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const cls = (code: string) => classes.find((c) => c.code === code)!.id;
    for (const [name, code] of [
      ['网上营业厅', 'business_system'],
      ['营业厅应用', 'application'],
      ['营业厅数据库', 'database'],
      ['db-host-01', 'server'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: cls(code), name, orgUnitId: null });
      expect(res.status, res.body).toBe(200);
      ci.set(name, res.json.id);
    }
    for (const [source, target, type] of [
      ['网上营业厅', '营业厅应用', 'depends_on'],
      ['营业厅应用', '营业厅数据库', 'depends_on'],
      ['营业厅数据库', 'db-host-01', 'runs_on'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/relations', { sourceId: ci.get(source), targetId: ci.get(target), type });
      expect(res.status, res.body).toBe(200);
    }
    // The business system has an owner with an e-mail address, and there is a default e-mail channel.
    const owner = await t.newUser({ roles: ['viewer'] });
    await t.ctx.db.updateTable('user').set({ email: 'owner@example.cn' }).where('id', '=', owner.id).execute();
    await t.ctx.db.updateTable('cmdb_ci').set({ owner_id: owner.id }).where('id', '=', ci.get('网上营业厅')!).execute();
    const channel = await admin.request('POST', '/api/notify/channels', { name: '运维邮箱', type: 'email', isDefault: true, config: { host: '127.0.0.1', port: 2525, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
    expect(channel.status, channel.body).toBe(200);
    types = (await admin.request('GET', '/api/incidents/types')).json;
    natures = (await admin.request('GET', '/api/incidents/natures')).json;
  });
  afterAll(async () => {
    await t?.close();
  });

  const typeId = (code: string) => types.find((x) => x.code === code)!.id;
  const natureId = (code: string) => natures.find((x) => x.code === code)!.id;
  const record = async (s: Session, body: Record<string, unknown>) => {
    const res = await s.request('POST', '/api/incidents', { title: '数据库主机宕机', impact: 2, urgency: 2, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Incident;
  };
  const act = async (s: Session, inc: Incident, action: string, extra: Record<string, unknown> = {}) => s.request('POST', `/api/incidents/${inc.id}/transition`, { action, version: inc.version, ...extra });

  it('seeds the fault-type tree with paths and the natures with guidance', () => {
    expect(types.find((x) => x.code === 'environment.power')).toMatchObject({ name: '电力', path: '环境 / 电力', builtin: true });
    expect(types.map((x) => x.name)).toEqual(expect.arrayContaining(['硬件', '软件', '网络', '安全', '数据', '环境', '人为操作', '外部服务', '机房', '空调']));
    expect(natures.find((n) => n.code === 'capacity')).toMatchObject({ name: '容量不足', guidance: expect.stringContaining('容量') });
  });

  it('[L3-2.3.2] records the nature and the impact scope from the CMDB: the business systems a failed host brings down', async () => {
    const inc = await record(admin, { ciIds: [ci.get('db-host-01')], typeId: typeId('hardware.server'), natureId: natureId('equipment'), impact: 1, urgency: 1 });
    expect(inc).toMatchObject({ status: 'new', priority: 'P1', number: expect.stringMatching(/^INC-\d{4}-\d{6}$/), type: { path: '硬件 / 服务器' }, nature: { name: '设备故障', guidance: expect.stringContaining('硬件') } });
    expect(inc.cis.map((c) => c.name)).toEqual(['db-host-01']);
    expect(inc.impactScope.businessSystems.map((b) => b.name)).toEqual(['网上营业厅']);
    expect(inc.impactScope.affectedCount).toBeGreaterThanOrEqual(3);
    // The business system's owner is told, naming it, through the default channel at their own address.
    const message = (await t.ctx.db.selectFrom('notify_delivery').select(['recipients', 'message']).where('source_kind', '=', 'incident').where('source_id', '=', inc.id).executeTakeFirst())!;
    expect(JSON.parse(message.recipients)).toEqual(['owner@example.cn']);
    expect(JSON.parse(message.message)['zh-CN'].text).toContain('影响业务系统：网上营业厅');
    const list = await admin.request('GET', `/api/incidents?ciId=${ci.get('db-host-01')}`);
    expect(list.json.items[0]).toMatchObject({ id: inc.id, typeName: '服务器', natureName: '设备故障', ciNames: ['db-host-01'], priority: 'P1' });
  });

  it('computes the priority from impact × urgency and refuses one outside the matrix, naming the field', async () => {
    expect((await record(admin, { impact: 3, urgency: 3 })).priority).toBe('P4');
    const wrong = await admin.request('POST', '/api/incidents', { title: 'x', impact: 3, urgency: 3, priority: 'P1' });
    expect(wrong.status).toBe(400);
    expect(wrong.json.details.fields[0]).toMatchObject({ field: 'body.priority', message: expect.stringContaining('P4') });
    const outside = await admin.request('POST', '/api/incidents', { title: 'x', impact: 4, urgency: 1 });
    expect(outside.status).toBe(400);
    expect(outside.json.details.fields.map((f: { field: string }) => f.field)).toContain('body.impact');
  });

  it('refuses unknown CIs, types and people with a 400 naming the field, and writes nothing', async () => {
    const before = (await admin.request('GET', '/api/incidents')).json.total;
    for (const [body, field] of [
      [{ ciIds: ['0190a5e4-0000-7000-8000-000000000000'] }, 'body.ciIds.0'],
      [{ typeId: '0190a5e4-0000-7000-8000-000000000000' }, 'body.typeId'],
      [{ assigneeId: '0190a5e4-0000-7000-8000-000000000000' }, 'body.assigneeId'],
      [{ detectedAt: Date.now() + 86_400_000 }, 'body.detectedAt'],
    ] as const) {
      const res = await admin.request('POST', '/api/incidents', { title: 'bad', impact: 2, urgency: 2, ...body });
      expect(res.status, res.body).toBe(400);
      expect(res.json.details.fields[0].field).toBe(field);
    }
    expect((await admin.request('GET', '/api/incidents')).json.total).toBe(before);
  });

  it('walks the life cycle with pauses, refuses illegal transitions and needs someone else to close', async () => {
    let inc = await record(admin, { ciIds: [ci.get('营业厅应用')] });
    expect(inc.actions).toEqual(expect.arrayContaining(['start', 'hold', 'resolve', 'cancel']));
    const illegal = await act(admin, inc, 'close');
    expect(illegal.status).toBe(409);
    expect(illegal.json).toMatchObject({ code: 'YW_INCIDENT_ILLEGAL_TRANSITION', details: { field: 'body.action' } });
    inc = (await act(admin, inc, 'start')).json;
    expect(inc).toMatchObject({ status: 'in_progress', assignee: { name: expect.any(String) } });
    expect(inc.acknowledgedAt).not.toBeNull();
    const noReason = await act(admin, inc, 'hold');
    expect(noReason.status).toBe(400);
    expect(noReason.json.details.fields[0].field).toBe('body.pauseReason');
    inc = (await act(admin, inc, 'hold', { pauseReason: 'awaiting_vendor', note: '等待厂商工程师' })).json;
    expect(inc).toMatchObject({ status: 'on_hold', pauseReason: { code: 'awaiting_vendor', pausesSla: true } });
    expect(inc.sla.resolution?.paused).toBe(true);
    inc = (await act(admin, inc, 'resume')).json;
    expect(inc.sla.resolution?.paused).toBe(false);
    const noNote = await act(admin, inc, 'resolve');
    expect(noNote.json.details.fields[0].field).toBe('body.note');
    inc = (await act(admin, inc, 'resolve', { note: '重启应用服务后恢复' })).json;
    expect(inc).toMatchObject({ status: 'resolved', resolution: '重启应用服务后恢复' });
    expect(inc.sla.resolution?.stoppedAt).toBe(inc.resolvedAt);
    const self = await act(admin, inc, 'close');
    expect(self.status).toBe(400);
    const verifier = inChinese(await t.signIn(await t.newUser({ roles: ['operator'] })));
    inc = (await act(verifier, inc, 'close')).json;
    expect(inc.status).toBe('closed');
    const activity = (await admin.request('GET', `/api/incidents/${inc.id}/activity`)).json.items as { text: string; note: string }[];
    expect(activity.map((a) => a.text)).toEqual(expect.arrayContaining(['开始处理 → 处理中', '挂起 → 挂起', '解决 → 已解决', '关闭 → 已关闭']));
    expect(activity.find((a) => a.text.startsWith('挂起'))?.note).toBe('等待厂商工程师');
  });

  it('[L4-2.3.2] verification by another user on evidence: a failing check refuses closing, a failed verification reopens, green checks close', async () => {
    // A real TCP check on the application's CI, against a loopback port that is closed first.
    const server: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const check = await admin.request('POST', '/api/checks', { name: '营业厅应用端口', type: 'tcp', settings: { host: '127.0.0.1', port }, ciId: ci.get('营业厅数据库'), intervalSeconds: 3600 });
    expect(check.status, check.body).toBe(200);
    expect((await admin.request('POST', `/api/checks/${check.json.id}/run`)).json.status).toBe('down');
    let inc = await record(admin, { ciIds: [ci.get('营业厅数据库')] });
    inc = (await act(admin, inc, 'resolve', { note: '已切换到备用库' })).json;
    const verifier = inChinese(await t.signIn(await t.newUser({ roles: ['operator'] })));
    const self = await admin.request('POST', `/api/incidents/${inc.id}/verify`, { version: inc.version, outcome: 'pass' });
    expect(self.status).toBe(400);
    expect(self.json.details.fields[0].message).toContain('解决人以外');
    const refused = await verifier.request('POST', `/api/incidents/${inc.id}/verify`, { version: inc.version, outcome: 'pass', note: '检查业务' });
    expect(refused.status).toBe(400);
    expect(refused.json.details.fields[0]).toMatchObject({ field: 'body.outcome', message: expect.stringContaining('检查“营业厅应用端口”当前失败') });
    expect((await admin.request('GET', `/api/incidents/${inc.id}`)).json.status).toBe('resolved');
    // The verifier records the failure: the incident is reopened with the evidence kept.
    const failed = await verifier.request('POST', `/api/incidents/${inc.id}/verify`, { version: inc.version, outcome: 'fail', note: '端口仍不通' });
    expect(failed.status, failed.body).toBe(200);
    expect(failed.json).toMatchObject({ status: 'in_progress', resolvedAt: null });
    // Fixed: the port listens again and the check is green; the next verification passes and closes it.
    const up: Server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => up.listen(port, '127.0.0.1', resolve));
    try {
      await t.ctx.db.deleteFrom('check_result').where('check_id', '=', check.json.id).execute();
      expect((await admin.request('POST', `/api/checks/${check.json.id}/run`)).json.status).toBe('up');
      inc = (await act(admin, failed.json, 'resolve', { note: '修复了数据库监听配置' })).json;
      const passed = await verifier.request('POST', `/api/incidents/${inc.id}/verify`, { version: inc.version, outcome: 'pass', note: '端口恢复，业务验证正常' });
      expect(passed.status, passed.body).toBe(200);
      expect(passed.json.status).toBe('closed');
      const verifications = (await admin.request('GET', `/api/incidents/${inc.id}/verifications`)).json;
      expect(verifications.items.map((v: { outcome: string }) => v.outcome)).toEqual(['pass', 'fail']);
      expect(verifications.items[1].evidence.checks[0]).toMatchObject({ name: '营业厅应用端口', up: false });
      expect(verifications.items[0].evidence).toMatchObject({ ok: true, checks: [{ name: '营业厅应用端口', up: true }] });
    } finally {
      await new Promise<void>((resolve) => up.close(() => resolve()));
      await admin.request('DELETE', `/api/checks/${check.json.id}`);
    }
  });

  it('answers 409 with the newer version when two people edit the same incident', async () => {
    const inc = await record(admin, {});
    const other = await t.signIn(await t.newUser({ roles: ['operator'] }));
    const first = await other.request('PUT', `/api/incidents/${inc.id}`, { title: '数据库主机宕机（已定位）', impact: 2, urgency: 1, version: inc.version });
    expect(first.status, first.body).toBe(200);
    expect(first.json.priority).toBe('P2');
    const second = await admin.request('PUT', `/api/incidents/${inc.id}`, { title: '覆盖', impact: 3, urgency: 3, version: inc.version });
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ code: 'YW_INCIDENT_VERSION_CONFLICT', details: { field: 'body.version', version: inc.version + 1 } });
    expect((await admin.request('GET', `/api/incidents/${inc.id}`)).json.title).toBe('数据库主机宕机（已定位）');
  });

  it('keeps the times in order and refuses one that goes back, naming it', async () => {
    const detected = Date.now() - 3_600_000;
    const inc = await record(admin, { detectedAt: detected });
    const back = await admin.request('PUT', `/api/incidents/${inc.id}/times`, { version: inc.version, detectedAt: detected, acknowledgedAt: detected + 600_000, mitigatedAt: detected + 300_000 });
    expect(back.status).toBe(400);
    expect(back.json.details.fields[0]).toMatchObject({ field: 'body.mitigatedAt', message: expect.stringContaining('响应时间') });
    const ok = await admin.request('PUT', `/api/incidents/${inc.id}/times`, { version: inc.version, detectedAt: detected, acknowledgedAt: detected + 300_000, mitigatedAt: detected + 600_000 });
    expect(ok.status, ok.body).toBe(200);
    expect(ok.json).toMatchObject({ acknowledgedAt: detected + 300_000, mitigatedAt: detected + 600_000 });
    const unresolved = await admin.request('PUT', `/api/incidents/${inc.id}/times`, { version: ok.json.version, detectedAt: detected, resolvedAt: detected + 900_000 });
    expect(unresolved.json.details.fields[0].field).toBe('body.resolvedAt');
  });

  it('assigns, then 转派 to another person and group, each in the activity by name', async () => {
    const unit = (await admin.request('POST', '/api/org-units', { name: '数据库组' })).json;
    const dba = await t.newUser({ roles: ['operator'] });
    const inc = await record(admin, {});
    const a1 = await admin.request('POST', `/api/incidents/${inc.id}/assign`, { version: inc.version, assigneeId: t.admin.id });
    expect(a1.status, a1.body).toBe(200);
    const a2 = await admin.request('POST', `/api/incidents/${inc.id}/assign`, { version: a1.json.version, assigneeId: dba.id, groupId: unit.id, note: '数据库问题' });
    expect(a2.json).toMatchObject({ assignee: { id: dba.id }, group: { name: '数据库组' } });
    const texts = (await admin.request('GET', `/api/incidents/${inc.id}/activity`)).json.items.map((a: { text: string }) => a.text);
    expect(texts[0]).toMatch(/^由 .+ 转派给 .+（数据库组）$/);
  });

  it('reopens within the window only', async () => {
    let inc = await record(admin, {});
    inc = (await act(admin, inc, 'resolve', { note: '已处理' })).json;
    inc = (await act(admin, inc, 'reopen', { note: '问题复现' })).json;
    expect(inc).toMatchObject({ status: 'in_progress', resolvedAt: null });
    inc = (await act(admin, inc, 'resolve', { note: '再次处理' })).json;
    await t.ctx.db.updateTable('incident').set({ resolved_at: Date.now() - 30 * 86_400_000 }).where('id', '=', inc.id).execute();
    const late = await act(admin, inc, 'reopen');
    expect(late.status).toBe(409);
    expect(late.json.details.fields[0].message).toContain('7');
  });

  it('[L4-2.3.1] a member of staff reports a fault (报障) and sees only their own reports', async () => {
    const staff = await t.signIn(await t.newUser({ permissions: ['incidents.incident.report'] }));
    const res = await staff.request('POST', '/api/incidents/reports', { title: '打印机无法连接', description: '三楼办公室打印机从早上开始无法打印', impact: 3, urgency: 2 });
    expect(res.status, res.body).toBe(200);
    expect(res.json).toMatchObject({ source: 'self_service', status: 'new', reporter: { name: expect.any(String) }, actions: [] });
    const mine = await staff.request('GET', '/api/incidents/reports');
    expect(mine.json.items.map((i: { title: string }) => i.title)).toEqual(['打印机无法连接']);
    expect((await staff.request('GET', '/api/incidents')).status).toBe(403);
    const others = (await admin.request('GET', '/api/incidents')).json.items.find((i: { source: string }) => i.source !== 'self_service');
    expect((await staff.request('GET', `/api/incidents/reports/${others.id}`)).status).toBe(404);
    // The handlers see it and classify it.
    const handlers = await admin.request('GET', '/api/incidents?source=self_service');
    expect(handlers.json.items[0]).toMatchObject({ title: '打印机无法连接', reporterName: expect.any(String) });
    const comment = await staff.request('POST', `/api/incidents/reports/${res.json.id}/comments`, { text: '重启打印机无效' });
    expect(comment.status, comment.body).toBe(200);
  });

  it('scopes incidents by the unit of their CIs', async () => {
    const unit = (await admin.request('POST', '/api/org-units', { name: '分公司' })).json;
    const scoped = await t.signIn(await t.newUser({ roles: ['operator'], orgUnitIds: [unit.id], orgUnitId: unit.id }));
    const hidden = await record(admin, { ciIds: [ci.get('营业厅应用')] });
    await t.ctx.db.updateTable('incident').set({ org_unit_id: '0190a5e4-0000-7000-8000-00000000abcd' }).where('id', '=', hidden.id).execute();
    expect((await scoped.request('GET', `/api/incidents/${hidden.id}`)).status).toBe(404);
    expect((await scoped.request('GET', '/api/incidents')).json.items.map((i: { id: string }) => i.id)).not.toContain(hidden.id);
  });

  it('keeps types and natures as data: add a child type, refuse a cycle, refuse deleting one in use', async () => {
    const child = await admin.request('POST', '/api/incidents/types', { parentId: typeId('environment.power'), code: 'environment.power.ups', nameZh: 'UPS', nameEn: 'UPS', enabled: true });
    expect(child.status, child.body).toBe(200);
    expect(child.json.path).toBe('环境 / 电力 / UPS');
    const cycle = await admin.request('PUT', `/api/incidents/types/${typeId('environment')}`, { parentId: child.json.id, code: 'environment', nameZh: '环境', nameEn: 'Environment', enabled: true });
    expect(cycle.status).toBe(400);
    expect(cycle.json.details.fields[0].field).toBe('body.parentId');
    const used = await admin.request('DELETE', `/api/incidents/types/${typeId('hardware.server')}`);
    expect(used.status).toBe(409);
    const nature = await admin.request('POST', '/api/incidents/natures', { code: 'power_loss', nameZh: '供电中断', nameEn: 'Power loss', guidanceZh: '检查 UPS 与市电', enabled: true });
    expect(nature.status, nature.body).toBe(200);
    expect((await admin.request('DELETE', `/api/incidents/natures/${nature.json.id}`)).status).toBe(200);
  });
});
