import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident, IncidentType } from '@yunwei/contracts/incidents';
import type { KnownErrorMatches, Problem } from '@yunwei/contracts/incident-problems';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

type Session = Pick<TestSession, 'request'>;
const inChinese = (s: TestSession): Session => ({ request: (method, path, body, headers) => s.request(method, path, body, { 'accept-language': 'zh-CN', ...headers }) });

describe.skipIf(!databaseAvailable())('problems and known errors', () => {
  let t: TestApp;
  let admin: Session;
  let types: IncidentType[] = [];
  const ci = new Map<string, string>();

  beforeAll(async () => {
    t = await createTestApp();
    admin = inChinese(await t.signIn(t.admin));
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    for (const [name, code] of [
      ['订单数据库', 'database'],
      ['库存数据库', 'database'],
      ['web-01', 'server'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === code)!.id, name, orgUnitId: null });
      expect(res.status, res.body).toBe(200);
      ci.set(name, res.json.id);
    }
    types = (await admin.request('GET', '/api/incidents/types')).json;
  });
  afterAll(async () => {
    await t?.close();
  });

  const record = async (body: Record<string, unknown>) => {
    const res = await admin.request('POST', '/api/incidents', { impact: 2, urgency: 2, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Incident;
  };
  const softwareType = () => types.find((x) => x.code === 'software.database')!;

  it('[L1-2.3.2] a problem from two incidents becomes a known error shown on a third matching incident', async () => {
    const type = softwareType();
    const a = await record({ title: '订单数据库表空间已满，写入失败', typeId: type.id, ciIds: [ci.get('订单数据库')] });
    const b = await record({ title: '订单数据库表空间不足告警', typeId: type.id, ciIds: [ci.get('订单数据库')] });
    const created = await admin.request('POST', '/api/problems', { title: '数据库表空间反复写满', incidentIds: [a.id, b.id] });
    expect(created.status, created.body).toBe(200);
    let p = created.json as Problem;
    expect(p).toMatchObject({ status: 'new', number: expect.stringMatching(/^PRB-\d{4}-\d{6}$/), type: { id: type.id } });
    expect(p.incidents.map((i) => i.number).sort()).toEqual([a.number, b.number].sort());
    expect(p.cis.map((c) => c.name)).toEqual(['订单数据库']);
    // Each incident says so in its activity.
    const activity = (await admin.request('GET', `/api/incidents/${a.id}/activity`)).json.items as { kind: string; text: string }[];
    expect(activity.find((x) => x.kind === 'link')?.text).toContain(`已关联问题 ${p.number}`);

    // Root-cause analysis: 5 whys and a fishbone, then the workaround and the match criteria.
    let res = await admin.request('POST', `/api/problems/${p.id}/transition`, { action: 'analyse', version: p.version });
    expect(res.status, res.body).toBe(200);
    res = await admin.request('PUT', `/api/problems/${p.id}`, {
      version: res.json.version,
      rootCause: '归档作业停用后历史数据不再清理',
      fiveWhys: [
        { why: '为什么写入失败？', answer: '表空间已满' },
        { why: '为什么表空间满？', answer: '历史订单没有归档' },
        { why: '为什么没有归档？', answer: '归档作业在升级后被停用' },
      ],
      fishbone: { method: ['升级检查单未包含归档作业'], measurement: ['没有表空间使用率告警'] },
      workaround: '执行归档脚本 archive_orders.sh 并扩充表空间 10GB',
      match: { ciClasses: ['database'], keywords: ['表空间'] },
    });
    expect(res.status, res.body).toBe(200);
    p = res.json;
    expect(p.fiveWhys).toHaveLength(3);
    expect(p.fishbone.method).toEqual(['升级检查单未包含归档作业']);
    res = await admin.request('POST', `/api/problems/${p.id}/transition`, { action: 'known_error', version: p.version });
    expect(res.status, res.body).toBe(200);
    expect(res.json.status).toBe('known_error');

    // A third incident on another database with the keyword: the handler sees the known error and its workaround.
    const c = await record({ title: '库存数据库表空间使用率 98%', ciIds: [ci.get('库存数据库')] });
    const shown = (await admin.request('GET', `/api/incidents/${c.id}/known-errors`)).json as KnownErrorMatches;
    expect(shown.items[0]).toMatchObject({ problemId: p.id, number: p.number, workaround: '执行归档脚本 archive_orders.sh 并扩充表空间 10GB', linked: false });
    expect(shown.items[0]!.reasons.join(' ')).toContain('表空间');
    // One that does not match (a server, other words) sees nothing.
    const d = await record({ title: 'web-01 CPU 过高', ciIds: [ci.get('web-01')] });
    expect((await admin.request('GET', `/api/incidents/${d.id}/known-errors`)).json.items).toEqual([]);
  });

  it('matches a fault type with its descendants, best match first', async () => {
    const parent = types.find((x) => x.code === 'environment')!;
    const child = types.find((x) => x.code === 'environment.power')!;
    const one = await record({ title: '类型匹配样例一', typeId: child.id });
    const res = await admin.request('POST', '/api/problems', { title: '父类型问题', incidentIds: [one.id], typeId: parent.id });
    let p = res.json as Problem;
    p = (await admin.request('PUT', `/api/problems/${p.id}`, { version: p.version, workaround: '按父类型处理', match: { typeId: parent.id } })).json;
    expect((await admin.request('POST', `/api/problems/${p.id}/transition`, { action: 'known_error', version: p.version })).status).toBe(200);
    const inc = await record({ title: '子类型的新故障', typeId: child.id });
    const shown = (await admin.request('GET', `/api/incidents/${inc.id}/known-errors`)).json as KnownErrorMatches;
    expect(shown.items.map((x) => x.problemId)).toContain(p.id);
  });

  it('refuses bad input naming the field and a stale version with 409', async () => {
    const inc = await record({ title: '样例故障' });
    const none = await admin.request('POST', '/api/problems', { title: '空', incidentIds: [] });
    expect(none.status).toBe(400);
    expect(none.json.details.fields[0].field).toBe('body.incidentIds');
    const unknown = await admin.request('POST', '/api/problems', { title: '未知故障', incidentIds: ['0190a5e4-0000-7000-8000-000000000000'] });
    expect(unknown.status).toBe(400);
    expect(unknown.json.details.fields[0].field).toBe('body.incidentIds.0');
    const p = (await admin.request('POST', '/api/problems', { title: '版本测试', incidentIds: [inc.id] })).json as Problem;
    // A known error needs a workaround.
    const early = await admin.request('POST', `/api/problems/${p.id}/transition`, { action: 'known_error', version: p.version });
    expect(early.status).toBe(400);
    expect(early.json.details.fields[0].field).toBe('body.workaround');
    const tooMany = await admin.request('PUT', `/api/problems/${p.id}`, { version: p.version, fiveWhys: Array.from({ length: 6 }, () => ({ why: '为什么', answer: '因为' })) });
    expect(tooMany.status).toBe(400);
    expect(tooMany.json.details.fields[0].field).toContain('fiveWhys');
    const badClass = await admin.request('PUT', `/api/problems/${p.id}`, { version: p.version, match: { ciClasses: ['no_such_class'] } });
    expect(badClass.status).toBe(400);
    expect(badClass.json.details.fields[0].field).toBe('body.match.ciClasses.0');
    const first = await admin.request('PUT', `/api/problems/${p.id}`, { version: p.version, rootCause: '第一次' });
    expect(first.status, first.body).toBe(200);
    const stale = await admin.request('PUT', `/api/problems/${p.id}`, { version: p.version, rootCause: '覆盖' });
    expect(stale.status).toBe(409);
    expect(stale.json).toMatchObject({ code: 'YW_PROBLEM_VERSION_CONFLICT', details: { field: 'body.version', version: p.version + 1 } });
    expect((await admin.request('GET', `/api/problems/${p.id}`)).json.rootCause).toBe('第一次');
  });

  it('links only incidents the person may read, and unlinks', async () => {
    const unit = (await admin.request('POST', '/api/org-units', { name: '问题分公司' })).json;
    const scoped = await t.signIn(await t.newUser({ roles: ['operator'], orgUnitIds: [unit.id], orgUnitId: unit.id }));
    const hidden = await record({ title: '别处的故障' });
    await t.ctx.db.updateTable('incident').set({ org_unit_id: '0190a5e4-0000-7000-8000-00000000abcd' }).where('id', '=', hidden.id).execute();
    const mine = await record({ title: '可见的故障' });
    const p = (await admin.request('POST', '/api/problems', { title: '关联测试', incidentIds: [mine.id] })).json as Problem;
    const refused = await scoped.request('POST', `/api/problems/${p.id}/incidents`, { version: p.version, incidentIds: [hidden.id] });
    expect(refused.status).toBe(400);
    expect(refused.json.details.fields[0].field).toBe('body.incidentIds.0');
    const linked = await admin.request('POST', `/api/problems/${p.id}/incidents`, { version: p.version, incidentIds: [hidden.id] });
    expect(linked.status, linked.body).toBe(200);
    expect(linked.json.incidents).toHaveLength(2);
    const unlinked = await admin.request('DELETE', `/api/problems/${p.id}/incidents/${hidden.id}?version=${linked.json.version}`);
    expect(unlinked.status, unlinked.body).toBe(200);
    expect(unlinked.json.incidents.map((i: { id: string }) => i.id)).toEqual([mine.id]);
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', `/api/problems/${p.id}`)).status).toBe(200);
    expect((await viewer.request('PUT', `/api/problems/${p.id}`, { version: unlinked.json.version, rootCause: 'x' })).status).toBe(403);
  });
});
