import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILTIN_CLASS_CODES, type Ci, type CiClass } from '@yunwei/contracts/cmdb';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { ClassService } from './class.service.js';

describe.skipIf(!databaseAvailable())('CMDB: classes, CIs, relations, groups', () => {
  let t: TestApp;
  let admin: TestSession;
  let classes: Map<string, CiClass>;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    classes = new Map(((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).map((c) => [c.code, c]));
  });
  afterAll(() => t?.close());

  const classId = (code: string) => classes.get(code)!.id;
  const createCi = async (body: Record<string, unknown>, session = admin): Promise<Ci> => {
    const res = await session.request('POST', '/api/cmdb/cis', body);
    expect(res.status, res.body).toBe(200);
    return res.json;
  };
  const count = async (table: 'cmdb_ci' | 'cmdb_relation' | 'audit_log') => Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('seeds the built-in classes once, with zh/en names and subtypes, and seeding again changes nothing', async () => {
    expect([...classes.keys()].slice(0, BUILTIN_CLASS_CODES.length).sort()).toEqual([...BUILTIN_CLASS_CODES].sort());
    expect(classes.get('server')).toMatchObject({ builtin: true, name: { zh: '服务器/主机', en: 'Server / host' }, businessSystem: false });
    expect(classes.get('business_system')).toMatchObject({ name: { zh: '业务系统', en: 'Business system' }, businessSystem: true });
    expect(classes.get('network_device')!.subtypes.map((s) => s.key)).toEqual(['switch', 'router', 'firewall']);
    expect(classes.get('storage')!.subtypes.map((s) => s.key)).toEqual(['array', 'volume']);
    expect(classes.get('middleware')!.subtypes.map((s) => s.key)).toEqual(['web_server', 'message_queue', 'cache']);
    await new ClassService(t.ctx).seedBuiltins();
    await new ClassService(t.ctx).seedBuiltins();
    const again = (await admin.request('GET', '/api/cmdb/classes')).json as CiClass[];
    expect(again.filter((c) => c.builtin)).toHaveLength(BUILTIN_CLASS_CODES.length);
    expect(again.find((c) => c.code === 'server')).toEqual(classes.get('server'));
    // Built-in classes are read-only.
    const change = await admin.request('PATCH', `/api/cmdb/classes/${classId('server')}`, { description: 'x' });
    expect(change.status).toBe(409);
    expect(change.json.code).toBe('YW_CMDB_CLASS_BUILTIN');
  });

  it('creates a custom class with attribute definitions, refusing bad definitions naming the field', async () => {
    const bad: [Record<string, unknown>, string, string][] = [
      [{ code: 'ups', name: { zh: 'UPS', en: 'UPS' }, attributes: [{ key: 'kva', label: { zh: '容量', en: 'kVA' }, type: 'enum' }] }, 'body.attributes.0.options', 'YW_VALIDATION'],
      [{ code: 'ups', name: { zh: 'UPS', en: 'UPS' }, attributes: [{ key: 'kva', label: { zh: '容量', en: 'kVA' }, type: 'number', options: ['a'] }] }, 'body.attributes.0.options', 'YW_VALIDATION'],
      [
        {
          code: 'ups',
          name: { zh: 'UPS', en: 'UPS' },
          attributes: [
            { key: 'kva', label: { zh: 'a', en: 'a' }, type: 'number' },
            { key: 'kva', label: { zh: 'b', en: 'b' }, type: 'string' },
          ],
        },
        'body.attributes.1.key',
        'YW_VALIDATION',
      ],
      [{ code: 'ups', name: { zh: 'UPS', en: 'UPS' }, attributes: [{ key: 'name', label: { zh: 'a', en: 'a' }, type: 'string' }] }, 'body.attributes.0.key', 'YW_VALIDATION'],
      [{ code: 'ups', name: { zh: 'UPS', en: 'UPS' }, attributes: [{ key: 'Bad Key', label: { zh: 'a', en: 'a' }, type: 'string' }] }, 'body.attributes.0.key', 'YW_VALIDATION'],
      [{ code: 'ups', name: { zh: 'UPS', en: 'UPS' }, attributes: [{ key: 'kva', label: { zh: 'a', en: 'a' }, type: 'colour' }] }, 'body.attributes.0.type', 'YW_VALIDATION'],
      [{ code: 'server', name: { zh: '服务器', en: 'Server' } }, 'body.code', 'YW_CMDB_CLASS_CODE_TAKEN'],
      [{ code: 'ups', name: { zh: 'UPS', en: 'UPS' }, extra: 1 }, 'body.extra', 'YW_VALIDATION'],
    ];
    for (const [body, field, code] of bad) {
      const res = await admin.request('POST', '/api/cmdb/classes', body);
      expect(res.status, JSON.stringify(body)).toBeGreaterThanOrEqual(400);
      expect(res.status, JSON.stringify(body)).toBeLessThan(500);
      expect(res.json, JSON.stringify(body)).toMatchObject({ code, details: { field } });
    }
    const created = await admin.request('POST', '/api/cmdb/classes', {
      code: 'ups',
      name: { zh: '不间断电源', en: 'UPS' },
      subtypes: [{ key: 'online', name: { zh: '在线式', en: 'Online' } }],
      attributes: [
        { key: 'kva', label: { zh: '容量（kVA）', en: 'Capacity (kVA)' }, type: 'number', required: true },
        { key: 'vendor', label: { zh: '厂商', en: 'Vendor' }, type: 'enum', options: ['APC', '山特', '华为'] },
        { key: 'hot_swap', label: { zh: '支持热插拔', en: 'Hot swap' }, type: 'boolean' },
        { key: 'installed', label: { zh: '安装日期', en: 'Installed' }, type: 'date' },
        { key: 'room', label: { zh: '机房', en: 'Room' }, type: 'string' },
      ],
    });
    expect(created.status, created.body).toBe(200);
    expect(created.json).toMatchObject({ code: 'ups', builtin: false, ciCount: 0 });
    expect(created.json.attributes[0]).toEqual({ key: 'kva', label: { zh: '容量（kVA）', en: 'Capacity (kVA)' }, type: 'number', options: [], required: true });
    classes.set('ups', created.json);
    const dup = await admin.request('POST', '/api/cmdb/classes', { code: 'ups', name: { zh: 'x', en: 'x' } });
    expect(dup.json).toMatchObject({ code: 'YW_CMDB_CLASS_CODE_TAKEN', details: { field: 'body.code' } });

    const renamed = await admin.request('PATCH', `/api/cmdb/classes/${created.json.id}`, { name: { zh: 'UPS 电源', en: 'UPS' } });
    expect(renamed.json.name.zh).toBe('UPS 电源');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', created.json.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['cmdb.class.create', 'cmdb.class.update']);
  });

  it('validates CI attributes against the class, naming body.attributes.<key>, and writes nothing on refusal', async () => {
    const ups = classId('ups');
    const before = await count('cmdb_ci');
    const auditBefore = await count('audit_log');
    const cases: [Record<string, unknown>, string][] = [
      [{ classId: ups, name: 'UPS-A', attributes: {} }, 'body.attributes.kva'],
      [{ classId: ups, name: 'UPS-A', attributes: { kva: '20' } }, 'body.attributes.kva'],
      [{ classId: ups, name: 'UPS-A', attributes: { kva: 20, vendor: '伊顿' } }, 'body.attributes.vendor'],
      [{ classId: ups, name: 'UPS-A', attributes: { kva: 20, hot_swap: 'yes' } }, 'body.attributes.hot_swap'],
      [{ classId: ups, name: 'UPS-A', attributes: { kva: 20, installed: '2026-02-30' } }, 'body.attributes.installed'],
      [{ classId: ups, name: 'UPS-A', attributes: { kva: 20, colour: 'red' } }, 'body.attributes.colour'],
      [{ classId: ups, name: 'UPS-A', attributes: { kva: 20, room: { nested: true } } }, 'body.attributes.room'],
      [{ classId: ups, name: 'UPS-A', ip: '10.0.0.256', attributes: { kva: 20 } }, 'body.ip'],
      [{ classId: ups, name: 'UPS-A', hostname: 'bad host!', attributes: { kva: 20 } }, 'body.hostname'],
      [{ classId: ups, name: 'UPS-A', subtype: 'offline', attributes: { kva: 20 } }, 'body.subtype'],
      [{ classId: ups, name: 'UPS-A', status: 'broken', attributes: { kva: 20 } }, 'body.status'],
      [{ classId: ups, name: '  ', attributes: { kva: 20 } }, 'body.name'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.request('POST', '/api/cmdb/cis', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json, JSON.stringify(body)).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
    for (const [body, status, code, field] of [
      [{ classId: randomUUID(), name: 'x' }, 404, 'YW_CMDB_CLASS_NOT_FOUND', 'body.classId'],
      [{ classId: ups, name: 'x', ownerId: randomUUID(), attributes: { kva: 1 } }, 404, 'YW_USER_NOT_FOUND', 'body.ownerId'],
      [{ classId: ups, name: 'x', orgUnitId: randomUUID(), attributes: { kva: 1 } }, 404, 'YW_ORG_NOT_FOUND', 'body.orgUnitId'],
    ] as const) {
      const res = await admin.request('POST', '/api/cmdb/cis', body);
      expect(res.status).toBe(status);
      expect(res.json).toMatchObject({ code, details: { field } });
    }
    expect(await count('cmdb_ci')).toBe(before);
    expect(await count('audit_log')).toBe(auditBefore);

    const ok = await createCi({ classId: ups, name: 'UPS-A', subtype: 'online', ip: '10.0.0.5', attributes: { kva: 20, vendor: '山特', hot_swap: true, installed: '2026-01-15', room: '' } });
    expect(ok).toMatchObject({ classCode: 'ups', className: { zh: 'UPS 电源' }, subtype: 'online', status: 'active', attributes: { kva: 20, vendor: '山特', hot_swap: true, installed: '2026-01-15' } });
    expect(ok.attributes).not.toHaveProperty('room');
  });

  it('creates, reads, updates and deletes a CI, audited, with unique names per class', async () => {
    const org = (await admin.request('POST', '/api/org-units', { name: '数据中心', code: 'DC' })).json;
    const owner = await t.newUser({ permissions: ['cmdb.ci.read'] });
    const ci = await createCi({ classId: classId('server'), name: 'srv-db-01', ip: '10.1.1.1', hostname: 'srv-db-01.dc.local', ownerId: owner.id, orgUnitId: org.id, attributes: { cpu_cores: 32, os: 'Kylin V10' }, description: '数据库主机' });
    expect(ci).toMatchObject({ ownerId: owner.id, ownerUsername: owner.username, orgUnitId: org.id, orgUnitName: '数据中心', attributes: { cpu_cores: 32, os: 'Kylin V10' } });
    const got = await admin.request('GET', `/api/cmdb/cis/${ci.id}`);
    expect(got.json).toMatchObject({ id: ci.id, name: 'srv-db-01', businessSystems: [], groups: [] });

    const dup = await admin.request('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'srv-db-01' });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 'YW_CMDB_CI_NAME_TAKEN', details: { field: 'body.name' } });
    // The same name in another class is fine.
    await createCi({ classId: classId('vm'), name: 'srv-db-01' });

    const changed = await admin.request('PATCH', `/api/cmdb/cis/${ci.id}`, { status: 'maintenance', attributes: { cpu_cores: 64 }, ownerId: null });
    expect(changed.status, changed.body).toBe(200);
    expect(changed.json).toMatchObject({ status: 'maintenance', attributes: { cpu_cores: 64 }, ownerId: null, ownerName: null, name: 'srv-db-01' });
    const badPatch = await admin.request('PATCH', `/api/cmdb/cis/${ci.id}`, { attributes: { cpu_cores: 'many' } });
    expect(badPatch.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.attributes.cpu_cores' } });
    expect((await admin.request('PATCH', `/api/cmdb/cis/${ci.id}`, { classId: classId('vm') })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.classId' } });
    expect((await admin.request('PATCH', `/api/cmdb/cis/${ci.id}`, {})).status).toBe(400);

    expect((await admin.request('DELETE', `/api/cmdb/cis/${ci.id}`)).json).toEqual({ ok: true });
    const gone = await admin.request('GET', `/api/cmdb/cis/${ci.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('YW_CMDB_CI_NOT_FOUND');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('target_id', '=', ci.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['cmdb.ci.create', 'cmdb.ci.update', 'cmdb.ci.delete']);
    expect(JSON.parse(audit[1]!.before)).toMatchObject({ status: 'active', attributes: { cpu_cores: 32 } });
    expect(JSON.parse(audit[1]!.after)).toMatchObject({ status: 'maintenance' });
  });

  it('searches by text, class, subtype, status, unit and owner, pages and sorts', async () => {
    const unit = (await admin.request('POST', '/api/org-units', { name: '搜索测试部' })).json;
    const owner = await t.newUser({ permissions: ['cmdb.ci.read'] });
    for (let i = 1; i <= 12; i++) {
      await createCi({
        classId: classId(i % 2 ? 'vm' : 'application'),
        name: `search-${String(i).padStart(2, '0')}`,
        ip: `172.16.0.${i}`,
        status: i % 3 === 0 ? 'retired' : 'active',
        orgUnitId: unit.id,
        ...(i <= 4 ? { ownerId: owner.id } : {}),
        description: i === 7 ? '核心交易 100%_special' : '',
      });
    }
    const list = async (qs: string) => (await admin.request('GET', `/api/cmdb/cis?${qs}`)).json as { items: Ci[]; total: number };
    expect((await list(`orgUnitId=${unit.id}`)).total).toBe(12);
    expect((await list(`orgUnitId=${unit.id}&classId=${classId('vm')}`)).total).toBe(6);
    expect((await list(`orgUnitId=${unit.id}&status=retired`)).items.map((c) => c.name)).toEqual(['search-03', 'search-06', 'search-09', 'search-12']);
    expect((await list(`ownerId=${owner.id}`)).total).toBe(4);
    // Subtype (the web list's filter): only the switch, not the router of the same class.
    const net = (await admin.request('POST', '/api/org-units', { name: '子类型测试部' })).json;
    await createCi({ classId: classId('network_device'), name: 'search-switch', subtype: 'switch', orgUnitId: net.id });
    await createCi({ classId: classId('network_device'), name: 'search-router', subtype: 'router', orgUnitId: net.id });
    expect((await list(`orgUnitId=${net.id}&classId=${classId('network_device')}&subtype=switch`)).items.map((c) => c.name)).toEqual(['search-switch']);
    expect((await list(`orgUnitId=${net.id}&subtype=router`)).items.map((c) => c.name)).toEqual(['search-router']);
    expect((await list('q=172.16.0.11')).items.map((c) => c.name)).toEqual(['search-11']);
    expect((await list(`q=${encodeURIComponent('100%_special')}`)).items.map((c) => c.name)).toEqual(['search-07']);
    expect((await list(`q=${encodeURIComponent('%')}`)).total).toBe(1);
    const page2 = await list(`orgUnitId=${unit.id}&sort=name&order=desc&offset=5&limit=5`);
    expect(page2.total).toBe(12);
    expect(page2.items.map((c) => c.name)).toEqual(['search-07', 'search-06', 'search-05', 'search-04', 'search-03']);
    for (const [qs, field] of [
      ['sort=password', 'querystring.sort'],
      ['status=broken', 'querystring.status'],
      ['subtype=Bad%20Key', 'querystring.subtype'],
      ['limit=0', 'querystring.limit'],
      ['classId=not-an-id!', 'querystring.classId'],
      ['evil=1', 'querystring.evil'],
    ]) {
      const res = await admin.request('GET', `/api/cmdb/cis?${qs}`);
      expect(res.status, qs).toBe(400);
      expect(res.json, qs).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
  });

  it('limits a scoped operator to CIs of their units (403 YW_OUT_OF_SCOPE elsewhere), in lists too', async () => {
    const a = (await admin.request('POST', '/api/org-units', { name: '甲分公司' })).json;
    const a1 = (await admin.request('POST', '/api/org-units', { name: '甲一部', parentId: a.id })).json;
    const b = (await admin.request('POST', '/api/org-units', { name: '乙分公司' })).json;
    const inA = await createCi({ classId: classId('server'), name: 'scope-a', orgUnitId: a1.id });
    const inB = await createCi({ classId: classId('server'), name: 'scope-b', orgUnitId: b.id });
    const unscoped = await createCi({ classId: classId('server'), name: 'scope-none' });
    const op = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read', 'cmdb.ci.write'], orgUnitIds: [a.id] }));

    const seen = (await op.request('GET', '/api/cmdb/cis?q=scope-&limit=100')).json as { items: Ci[]; total: number };
    expect(seen.items.map((c) => c.name)).toEqual(['scope-a']);
    expect(seen.total).toBe(1);
    expect((await op.request('GET', `/api/cmdb/cis/${inA.id}`)).status).toBe(200);
    expect((await op.request('PATCH', `/api/cmdb/cis/${inA.id}`, { description: '改' })).status).toBe(200);
    expect((await op.request('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'scope-a2', orgUnitId: a1.id })).status).toBe(200);

    const refusals: [string, 'GET' | 'POST' | 'PATCH' | 'DELETE', string, unknown][] = [
      ['read B', 'GET', `/api/cmdb/cis/${inB.id}`, undefined],
      ['read unscoped', 'GET', `/api/cmdb/cis/${unscoped.id}`, undefined],
      ['impact of B', 'GET', `/api/cmdb/cis/${inB.id}/impact`, undefined],
      ['create in B', 'POST', '/api/cmdb/cis', { classId: classId('server'), name: 'x', orgUnitId: b.id }],
      ['create without unit', 'POST', '/api/cmdb/cis', { classId: classId('server'), name: 'x' }],
      ['change B', 'PATCH', `/api/cmdb/cis/${inB.id}`, { description: 'x' }],
      ['move A to B', 'PATCH', `/api/cmdb/cis/${inA.id}`, { orgUnitId: b.id }],
      ['delete B', 'DELETE', `/api/cmdb/cis/${inB.id}`, undefined],
      ['relate A to B', 'POST', '/api/cmdb/relations', { sourceId: inA.id, targetId: inB.id, type: 'depends_on' }],
      ['relate B to A', 'POST', '/api/cmdb/relations', { sourceId: inB.id, targetId: inA.id, type: 'depends_on' }],
      ['group with B', 'POST', '/api/cmdb/groups', { name: 'g', minUp: 1, memberIds: [inA.id, inB.id] }],
    ];
    for (const [what, method, url, body] of refusals) {
      const res = await op.request(method, url, body);
      expect(res.status, what).toBe(403);
      expect(res.json.code, what).toBe('YW_OUT_OF_SCOPE');
    }
    expect((await admin.request('GET', `/api/cmdb/cis/${inA.id}`)).json.orgUnitId).toBe(a1.id);
    expect((await admin.request('GET', '/api/cmdb/cis?q=scope-&limit=100')).json.items.map((c: Ci) => c.name)).not.toContain('x');

    // A viewer holds read only.
    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', `/api/cmdb/cis/${inB.id}`)).status).toBe(200);
    const denied = await viewer.request('POST', '/api/cmdb/cis', { classId: classId('server'), name: 'v' });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'cmdb.ci.write' } });
    const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    expect(operator.state.permissions).toEqual(expect.arrayContaining(['cmdb.ci.read', 'cmdb.ci.write', 'cmdb.ci.import']));
    expect(operator.state.permissions).not.toContain('cmdb.class.write');
  });

  it('relates CIs with typed relations, default propagation per type, refusing self-relations and duplicates', async () => {
    const app = await createCi({ classId: classId('application'), name: 'rel-app' });
    const vm = await createCi({ classId: classId('vm'), name: 'rel-vm' });
    const sw = await createCi({ classId: classId('network_device'), subtype: 'switch', name: 'rel-switch' });
    const relate = (body: Record<string, unknown>) => admin.request('POST', '/api/cmdb/relations', body);

    const runsOn = await relate({ sourceId: app.id, targetId: vm.id, type: 'runs_on' });
    expect(runsOn.status, runsOn.body).toBe(200);
    expect(runsOn.json).toMatchObject({ sourceId: app.id, sourceName: 'rel-app', targetKind: 'ci', targetId: vm.id, targetName: 'rel-vm', type: 'runs_on', propagates: true });
    const connects = await relate({ sourceId: vm.id, targetId: sw.id, type: 'connects_to' });
    expect(connects.json.propagates).toBe(false);
    const overridden = await relate({ sourceId: vm.id, targetId: sw.id, type: 'depends_on', propagates: false, description: '仅管理口' });
    expect(overridden.json).toMatchObject({ propagates: false, description: '仅管理口' });

    const relationsBefore = await count('cmdb_relation');
    const self = await relate({ sourceId: app.id, targetId: app.id, type: 'depends_on' });
    expect(self.status).toBe(400);
    expect(self.json).toMatchObject({ code: 'YW_CMDB_RELATION_SELF', details: { field: 'body.targetId' } });
    const dup = await relate({ sourceId: app.id, targetId: vm.id, type: 'runs_on' });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 'YW_CMDB_RELATION_DUPLICATE', details: { field: 'body.targetId' } });
    const concurrent = await Promise.all(Array.from({ length: 5 }, () => relate({ sourceId: app.id, targetId: sw.id, type: 'depends_on' })));
    expect(concurrent.filter((r) => r.status === 200)).toHaveLength(1);
    expect(concurrent.filter((r) => r.status === 409)).toHaveLength(4);
    expect((await relate({ sourceId: app.id, targetId: randomUUID(), type: 'runs_on' })).json).toMatchObject({ code: 'YW_CMDB_CI_NOT_FOUND', details: { field: 'body.targetId' } });
    expect((await relate({ sourceId: randomUUID(), targetId: vm.id, type: 'runs_on' })).json).toMatchObject({ code: 'YW_CMDB_CI_NOT_FOUND', details: { field: 'body.sourceId' } });
    expect((await relate({ sourceId: app.id, targetId: vm.id, type: 'powers' })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.type' } });
    expect(await count('cmdb_relation')).toBe(relationsBefore + 1);

    const ofVm = (await admin.request('GET', `/api/cmdb/cis/${vm.id}/relations`)).json;
    expect(ofVm.incoming.map((r: { type: string }) => r.type)).toEqual(['runs_on']);
    expect(ofVm.outgoing.map((r: { type: string }) => r.type).sort()).toEqual(['connects_to', 'depends_on']);

    const patched = await admin.request('PATCH', `/api/cmdb/relations/${connects.json.id}`, { propagates: true });
    expect(patched.json.propagates).toBe(true);
    expect((await admin.request('DELETE', `/api/cmdb/relations/${connects.json.id}`)).json).toEqual({ ok: true });
    expect((await admin.request('DELETE', `/api/cmdb/relations/${connects.json.id}`)).json.code).toBe('YW_CMDB_RELATION_NOT_FOUND');
    const audit = await t.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', connects.json.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['cmdb.relation.create', 'cmdb.relation.update', 'cmdb.relation.delete']);

    // Deleting a CI takes its relations (both ways) with it.
    expect((await admin.request('DELETE', `/api/cmdb/cis/${vm.id}`)).status).toBe(200);
    expect((await admin.request('GET', `/api/cmdb/cis/${app.id}/relations`)).json.outgoing.map((r: { targetName: string }) => r.targetName)).toEqual(['rel-switch']);
  });

  it('keeps redundancy groups: members, min_up within the member count, relations to a group, cascade on delete', async () => {
    const nodes = await Promise.all(['grp-n1', 'grp-n2', 'grp-n3'].map((name) => createCi({ classId: classId('vm'), name })));
    const app = await createCi({ classId: classId('application'), name: 'grp-app' });
    const tooHigh = await admin.request('POST', '/api/cmdb/groups', { name: 'web 集群', minUp: 4, memberIds: nodes.map((n) => n.id) });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.json).toMatchObject({ code: 'YW_CMDB_GROUP_MIN_UP', details: { field: 'body.minUp' } });
    const unknown = await admin.request('POST', '/api/cmdb/groups', { name: 'web 集群', minUp: 1, memberIds: [nodes[0]!.id, randomUUID()] });
    expect(unknown.json).toMatchObject({ code: 'YW_CMDB_CI_NOT_FOUND', details: { field: 'body.memberIds.1' } });
    const group = await admin.request('POST', '/api/cmdb/groups', { name: 'web 集群', minUp: 2, memberIds: nodes.map((n) => n.id) });
    expect(group.status, group.body).toBe(200);
    expect(group.json).toMatchObject({ name: 'web 集群', minUp: 2 });
    expect(group.json.members.map((m: { name: string }) => m.name)).toEqual(['grp-n1', 'grp-n2', 'grp-n3']);
    expect((await admin.request('POST', '/api/cmdb/groups', { name: 'web 集群', minUp: 1, memberIds: [app.id] })).json.code).toBe('YW_CMDB_GROUP_NAME_TAKEN');

    const rel = await admin.request('POST', '/api/cmdb/relations', { sourceId: app.id, targetId: group.json.id, targetKind: 'group', type: 'runs_on' });
    expect(rel.json).toMatchObject({ targetKind: 'group', targetName: 'web 集群', propagates: true });
    const selfish = await admin.request('POST', '/api/cmdb/relations', { sourceId: nodes[0]!.id, targetId: group.json.id, targetKind: 'group', type: 'depends_on' });
    expect(selfish.json).toMatchObject({ code: 'YW_CMDB_RELATION_SELF', details: { field: 'body.targetId' } });
    expect((await admin.request('GET', `/api/cmdb/cis/${nodes[1]!.id}`)).json.groups).toEqual([{ id: group.json.id, name: 'web 集群' }]);

    const shrink = await admin.request('PATCH', `/api/cmdb/groups/${group.json.id}`, { memberIds: [nodes[0]!.id] });
    expect(shrink.json).toMatchObject({ code: 'YW_CMDB_GROUP_MIN_UP', details: { field: 'body.minUp' } });
    const changed = await admin.request('PATCH', `/api/cmdb/groups/${group.json.id}`, { memberIds: [nodes[0]!.id, nodes[1]!.id], minUp: 1 });
    expect(changed.json.members).toHaveLength(2);
    expect((await admin.request('GET', '/api/cmdb/groups?q=web')).json).toMatchObject({ total: 1, items: [{ id: group.json.id, minUp: 1 }] });

    expect((await admin.request('DELETE', `/api/cmdb/groups/${group.json.id}`)).json).toEqual({ ok: true });
    expect((await admin.request('GET', `/api/cmdb/cis/${app.id}/relations`)).json.outgoing).toEqual([]);
    expect((await admin.request('GET', `/api/cmdb/groups/${group.json.id}`)).json.code).toBe('YW_CMDB_GROUP_NOT_FOUND');
  });

  it('deletes a custom class only when it has no CIs', async () => {
    const cls = (await admin.request('POST', '/api/cmdb/classes', { code: 'temp_class', name: { zh: '临时', en: 'Temp' } })).json;
    const ci = await createCi({ classId: cls.id, name: 'temp-1' });
    const inUse = await admin.request('DELETE', `/api/cmdb/classes/${cls.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.json.code).toBe('YW_CMDB_CLASS_IN_USE');
    await admin.request('DELETE', `/api/cmdb/cis/${ci.id}`);
    expect((await admin.request('DELETE', `/api/cmdb/classes/${cls.id}`)).json).toEqual({ ok: true });
    expect((await admin.request('DELETE', `/api/cmdb/classes/${classId('server')}`)).json.code).toBe('YW_CMDB_CLASS_BUILTIN');
  });
});
