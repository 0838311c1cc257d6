import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrgUnit } from '@yunwei/contracts/org';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('organisation units', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  const create = async (name: string, parentId: string | null = null, extra: Record<string, unknown> = {}): Promise<OrgUnit> => {
    const res = await admin.request('POST', '/api/org-units', { name, parentId, ...extra });
    expect(res.status, res.body).toBe(200);
    return res.json;
  };

  it('creates a tree of units, reads it back flat, renames and deletes a leaf', async () => {
    const root = await create('集团总部', null, { code: 'HQ', sortOrder: 1 });
    expect(root).toMatchObject({ name: '集团总部', parentId: null, code: 'HQ', sortOrder: 1, userCount: 0 });
    const child = await create('  运维部  ', root.id);
    expect(child).toMatchObject({ name: '运维部', parentId: root.id, code: '', sortOrder: 0 });
    const grandchild = await create('网络组', child.id);

    const list = (await admin.request('GET', '/api/org-units')).json as OrgUnit[];
    const byId = new Map(list.map((u) => [u.id, u]));
    expect(byId.get(grandchild.id)?.parentId).toBe(child.id);
    expect(byId.get(child.id)?.parentId).toBe(root.id);
    expect((await admin.request('GET', `/api/org-units/${child.id}`)).json).toMatchObject({ id: child.id, name: '运维部' });

    const renamed = await admin.request('PATCH', `/api/org-units/${grandchild.id}`, { name: '网络与安全组', code: 'NET' });
    expect(renamed.status).toBe(200);
    expect(renamed.json).toMatchObject({ name: '网络与安全组', code: 'NET', parentId: child.id });
    expect(renamed.json.updatedAt).toBeGreaterThanOrEqual(grandchild.updatedAt);

    expect((await admin.request('DELETE', `/api/org-units/${grandchild.id}`)).json).toEqual({ ok: true });
    const gone = await admin.request('GET', `/api/org-units/${grandchild.id}`);
    expect(gone.status).toBe(404);
    expect(gone.json.code).toBe('YW_ORG_NOT_FOUND');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before']).where('target_id', '=', grandchild.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['org.unit.create', 'org.unit.update', 'org.unit.delete']);
    expect(JSON.parse(audit[2]!.before)).toMatchObject({ name: '网络与安全组' });
  });

  it('refuses a unit under a parent that does not exist', async () => {
    const res = await admin.request('POST', '/api/org-units', { name: '孤儿', parentId: randomUUID() });
    expect(res.status).toBe(404);
    expect(res.json.code).toBe('YW_ORG_NOT_FOUND');
  });

  it('keeps sibling names unique, but allows the same name under another parent', async () => {
    const a = await create('华南区');
    const b = await create('华中区');
    await create('客服中心', a.id);
    const dup = await admin.request('POST', '/api/org-units', { name: '客服中心', parentId: a.id });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 'YW_ORG_NAME_TAKEN', details: { field: 'body.name' } });
    const trimmed = await admin.request('POST', '/api/org-units', { name: ' 客服中心 ', parentId: a.id });
    expect(trimmed.json.code).toBe('YW_ORG_NAME_TAKEN');
    const rootDup = await admin.request('POST', '/api/org-units', { name: '华南区' });
    expect(rootDup.json).toMatchObject({ code: 'YW_ORG_NAME_TAKEN', details: { field: 'body.name' } });

    const elsewhere = await create('客服中心', b.id);
    // Renaming or moving onto a sibling's name is refused as well.
    const rename = await admin.request('PATCH', `/api/org-units/${b.id}`, { name: '华南区' });
    expect(rename.json).toMatchObject({ code: 'YW_ORG_NAME_TAKEN', details: { field: 'body.name' } });
    const move = await admin.request('PATCH', `/api/org-units/${elsewhere.id}`, { parentId: a.id });
    expect(move.json.code).toBe('YW_ORG_NAME_TAKEN');
    // Renaming a unit to its own name is not a conflict.
    expect((await admin.request('PATCH', `/api/org-units/${b.id}`, { name: '华中区', sortOrder: 2 })).status).toBe(200);
  });

  it('refuses to move a unit under itself or one of its descendants', async () => {
    const top = await create('西北区');
    const mid = await create('甘肃', top.id);
    const leaf = await create('兰州', mid.id);
    for (const target of [top.id, mid.id, leaf.id]) {
      const res = await admin.request('PATCH', `/api/org-units/${top.id}`, { parentId: target });
      expect(res.status, target).toBe(409);
      expect(res.json, target).toMatchObject({ code: 'YW_ORG_CYCLE', details: { field: 'body.parentId' } });
    }
    expect((await admin.request('GET', `/api/org-units/${top.id}`)).json.parentId).toBeNull();

    // A legal move: the leaf up to the top; then the old parent can go under it.
    expect((await admin.request('PATCH', `/api/org-units/${leaf.id}`, { parentId: top.id })).json.parentId).toBe(top.id);
    expect((await admin.request('PATCH', `/api/org-units/${mid.id}`, { parentId: leaf.id })).json.parentId).toBe(leaf.id);
    expect((await admin.request('PATCH', `/api/org-units/${leaf.id}`, { parentId: mid.id })).json.code).toBe('YW_ORG_CYCLE');
    // And back to the root.
    expect((await admin.request('PATCH', `/api/org-units/${mid.id}`, { parentId: null })).json.parentId).toBeNull();
  });

  it('keeps sibling names unique and the tree acyclic under concurrent writes', async () => {
    const parent = await create('并发测试');
    for (let round = 0; round < 3; round++) {
      const results = await Promise.all(Array.from({ length: 6 }, () => admin.request('POST', '/api/org-units', { name: `同名-${round}`, parentId: parent.id })));
      expect(results.filter((r) => r.status === 200), `round ${round}`).toHaveLength(1);
      expect(results.filter((r) => r.status === 409).every((r) => r.json.code === 'YW_ORG_NAME_TAKEN')).toBe(true);
    }
    const roots = await Promise.all(Array.from({ length: 6 }, () => admin.request('POST', '/api/org-units', { name: '并发根' })));
    expect(roots.filter((r) => r.status === 200)).toHaveLength(1);

    // Two units moved under each other at the same moment: one move wins, the other is a cycle.
    for (let round = 0; round < 3; round++) {
      const a = await create(`甲-${round}`);
      const b = await create(`乙-${round}`);
      const [ab, ba] = await Promise.all([
        admin.request('PATCH', `/api/org-units/${a.id}`, { parentId: b.id }),
        admin.request('PATCH', `/api/org-units/${b.id}`, { parentId: a.id }),
      ]);
      expect([ab!.status, ba!.status].sort(), `round ${round}`).toEqual([200, 409]);
      expect([ab!.json.code, ba!.json.code]).toContain('YW_ORG_CYCLE');
    }
    // Every unit still reaches a root.
    const units = (await admin.request('GET', '/api/org-units')).json as OrgUnit[];
    const parentOf = new Map(units.map((u) => [u.id, u.parentId]));
    for (const u of units) {
      const seen = new Set<string>();
      let at: string | null = u.id;
      while (at !== null) {
        expect(seen.has(at), `cycle through ${u.name}`).toBe(false);
        seen.add(at);
        at = parentOf.get(at) ?? null;
      }
    }
  });

  it('refuses to delete a unit that still has sub-units or users', async () => {
    const parent = await create('东北区');
    const child = await create('辽宁', parent.id);
    const withChild = await admin.request('DELETE', `/api/org-units/${parent.id}`);
    expect(withChild.status).toBe(409);
    expect(withChild.json.code).toBe('YW_ORG_HAS_CHILDREN');

    const user = await t.newUser({ orgUnitId: child.id });
    expect((await admin.request('GET', `/api/org-units/${child.id}`)).json.userCount).toBe(1);
    expect(((await admin.request('GET', '/api/org-units')).json as OrgUnit[]).find((u) => u.id === child.id)?.userCount).toBe(1);
    const withUser = await admin.request('DELETE', `/api/org-units/${child.id}`);
    expect(withUser.status).toBe(409);
    expect(withUser.json.code).toBe('YW_ORG_HAS_CHILDREN');

    // Once the user moves out and the child is gone, both can be deleted.
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { orgUnitId: null })).status).toBe(200);
    expect((await admin.request('DELETE', `/api/org-units/${child.id}`)).status).toBe(200);
    expect((await admin.request('DELETE', `/api/org-units/${parent.id}`)).status).toBe(200);
  });

  it('limits a scoped manager to their own subtree (403 YW_OUT_OF_SCOPE elsewhere)', async () => {
    const a = await create('A 分公司');
    const a1 = await create('A1 部门', a.id);
    const b = await create('B 分公司');
    const b1 = await create('B1 部门', b.id);
    const manager = await t.signIn(await t.newUser({ permissions: ['org.unit.read', 'org.unit.write'], orgUnitIds: [a.id] }));

    // Inside the scope (the unit and everything below it): allowed.
    const underA = await manager.request('POST', '/api/org-units', { name: 'A 新部门', parentId: a.id });
    expect(underA.status).toBe(200);
    const underA1 = await manager.request('POST', '/api/org-units', { name: 'A1 小组', parentId: a1.id });
    expect(underA1.status).toBe(200);
    expect((await manager.request('PATCH', `/api/org-units/${a1.id}`, { name: 'A1 部门（改）' })).status).toBe(200);
    expect((await manager.request('PATCH', `/api/org-units/${underA1.json.id}`, { parentId: underA.json.id })).status).toBe(200);

    // Outside it: refused, and nothing is written.
    const refusals: [string, 'POST' | 'PATCH' | 'DELETE', string, unknown][] = [
      ['create under B', 'POST', '/api/org-units', { name: 'X', parentId: b.id }],
      ['create under B1', 'POST', '/api/org-units', { name: 'X', parentId: b1.id }],
      ['create a root', 'POST', '/api/org-units', { name: 'X' }],
      ['rename B', 'PATCH', `/api/org-units/${b.id}`, { name: 'B 改' }],
      ['move A1 under B', 'PATCH', `/api/org-units/${a1.id}`, { parentId: b.id }],
      ['move B1 under A', 'PATCH', `/api/org-units/${b1.id}`, { parentId: a.id }],
      ['move A to the root', 'PATCH', `/api/org-units/${a1.id}`, { parentId: null }],
      ['delete B1', 'DELETE', `/api/org-units/${b1.id}`, undefined],
    ];
    for (const [what, method, url, body] of refusals) {
      const res = await manager.request(method, url, body);
      expect(res.status, what).toBe(403);
      expect(res.json.code, what).toBe('YW_OUT_OF_SCOPE');
    }
    const names = ((await admin.request('GET', '/api/org-units')).json as OrgUnit[]).map((u) => u.name);
    expect(names).not.toContain('X');
    expect(names).toContain('B 分公司');
    expect((await admin.request('GET', `/api/org-units/${b1.id}`)).json.parentId).toBe(b.id);
    expect((await admin.request('GET', `/api/org-units/${a1.id}`)).json.parentId).toBe(a.id);
  });

  it('a unit has an optional leader (负责人): an active user, read with the name, changed and cleared, audited', async () => {
    const leader = await t.newUser({ roles: ['operator'] });
    const other = await t.newUser({ roles: ['operator'] });
    const unit = await create('安全部-负责人', null, { leaderId: leader.id });
    expect(unit).toMatchObject({ leaderId: leader.id, leaderName: expect.stringMatching(/^用户 \d+$/) });
    const listed = ((await admin.request('GET', '/api/org-units')).json as OrgUnit[]).find((u) => u.id === unit.id);
    expect(listed).toMatchObject({ leaderId: leader.id, leaderName: unit.leaderName });

    const changed = await admin.request('PATCH', `/api/org-units/${unit.id}`, { leaderId: other.id });
    expect(changed.status, changed.body).toBe(200);
    expect(changed.json).toMatchObject({ leaderId: other.id, name: '安全部-负责人' });
    expect(changed.json.leaderName).not.toBe(unit.leaderName);
    // A rename keeps the leader.
    expect((await admin.request('PATCH', `/api/org-units/${unit.id}`, { name: '安全部-负责人2' })).json).toMatchObject({ leaderId: other.id });
    const cleared = await admin.request('PATCH', `/api/org-units/${unit.id}`, { leaderId: null });
    expect(cleared.json).toMatchObject({ leaderId: null, leaderName: null });

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('target_id', '=', unit.id).orderBy('id').execute();
    expect(audit.map((a) => a.action)).toEqual(['org.unit.create', 'org.unit.update', 'org.unit.update', 'org.unit.update']);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ leaderId: leader.id, leaderName: unit.leaderName });
    expect(JSON.parse(audit[1]!.before!)).toMatchObject({ leaderId: leader.id });
    expect(JSON.parse(audit[1]!.after!)).toMatchObject({ leaderId: other.id, leaderName: changed.json.leaderName });
  });

  it('refuses a leader who is not an existing active user: 400 naming body.leaderId, nothing written', async () => {
    const disabled = await t.newUser({ roles: ['operator'] });
    expect((await admin.request('PATCH', `/api/users/${disabled.id}`, { status: 'disabled' })).status).toBe(200);
    const unit = await create('审计部-负责人');
    const cases: [string, unknown][] = [
      ['unknown user', randomUUID()],
      ['disabled user', disabled.id],
    ];
    for (const [what, leaderId] of cases) {
      const created = await admin.request('POST', '/api/org-units', { name: `负责人错误-${what}`, leaderId });
      expect(created.status, what).toBe(400);
      expect(created.json.details.field, what).toBe('body.leaderId');
      const updated = await admin.request('PATCH', `/api/org-units/${unit.id}`, { leaderId });
      expect(updated.status, what).toBe(400);
      expect(updated.json.details.field, what).toBe('body.leaderId');
    }
    const notAnId = await admin.request('PATCH', `/api/org-units/${unit.id}`, { leaderId: 'x'.repeat(500) });
    expect(notAnId.status).toBe(400);
    expect(notAnId.body).toContain('leaderId');
    const names = ((await admin.request('GET', '/api/org-units')).json as OrgUnit[]).map((u) => u.name);
    expect(names.filter((n) => n.startsWith('负责人错误'))).toEqual([]);
    expect((await admin.request('GET', `/api/org-units/${unit.id}`)).json).toMatchObject({ leaderId: null, leaderName: null });
  });
});
