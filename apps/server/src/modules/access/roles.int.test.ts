import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PermissionGroup, Role } from '@yunwei/contracts/access';
import type { AuditEntry } from '@yunwei/contracts/audit';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('roles, permissions, data scopes and separation of duties', () => {
  let t: TestApp;
  let admin: TestSession;
  let security: TestSession;
  let auditor: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    security = await t.signIn(await t.newUser({ roles: ['security_admin'] }));
    auditor = await t.signIn(await t.newUser({ roles: ['audit_admin'] }));
  });
  afterAll(() => t?.close());

  const roles = async (): Promise<Role[]> => (await security.request('GET', '/api/roles?limit=500')).json.items;
  const builtin = async (kind: string): Promise<Role> => (await roles()).find((r) => r.builtin && r.kind === kind)!;
  /** Audit entries about one target, oldest first (read by the audit administrator). */
  const auditOf = async (targetId: string, action: string): Promise<AuditEntry[]> => {
    const res = await auditor.request('GET', `/api/audit?action=${action}&q=${targetId}&limit=500`);
    expect(res.status).toBe(200);
    return (res.json.items as AuditEntry[]).filter((e) => e.targetId === targetId).reverse();
  };
  const unit = async (name: string, parentId: string | null = null): Promise<string> => {
    const res = await admin.request('POST', '/api/org-units', { name, parentId });
    expect(res.status).toBe(200);
    return res.json.id as string;
  };

  it('[L4-1.1.2] configures roles and permissions per an operating specification', async () => {
    // 1. The permission catalogue, grouped by module, in both languages.
    const catalogue = (await security.request('GET', '/api/permissions')).json as PermissionGroup[];
    const modules = catalogue.map((g) => g.module);
    expect(modules).toEqual(expect.arrayContaining(['platform', 'org', 'access', 'identity', 'audit', 'standard']));
    for (const group of catalogue) {
      expect(group.name.zh).toMatch(/\p{Script=Han}/u);
      expect(group.name.en).toMatch(/[A-Za-z]/);
      for (const p of group.permissions) {
        expect(p.id.startsWith(`${group.module}.`)).toBe(true);
        expect(p.module).toBe(group.module);
        expect(p.name.zh && p.name.en).toBeTruthy();
      }
    }
    const identity = catalogue.find((g) => g.module === 'identity')!;
    expect(identity.name).toEqual({ zh: '身份与认证', en: 'Identity' });
    expect(identity.permissions.find((p) => p.id === 'identity.user.read')).toEqual({ id: 'identity.user.read', module: 'identity', name: { zh: '查看用户', en: 'View users' }, reserved: false, duty: 'system', administrative: false });
    expect(catalogue.flatMap((g) => g.permissions).filter((p) => p.reserved).map((p) => p.id).sort()).toEqual(['access.assignment.write', 'access.role.write', 'identity.policy.write']);

    // 2. A custom role from a set of permissions (the operating specification: a branch desk officer).
    const created = await security.request('POST', '/api/roles', { name: '分支机构值班员', description: '查看本机构用户与组织', permissions: ['org.unit.read', 'identity.user.read'] });
    expect(created.status).toBe(200);
    const role = created.json as Role;
    expect(role).toMatchObject({ name: '分支机构值班员', kind: 'custom', builtin: false, permissions: ['identity.user.read', 'org.unit.read'], userCount: 0 });
    expect((await security.request('GET', `/api/roles/${role.id}`)).json).toEqual(role);
    const dup = await security.request('POST', '/api/roles', { name: '分支机构值班员', permissions: [] });
    expect(dup.status).toBe(409);
    expect(dup.json).toMatchObject({ code: 'YW_ROLE_NAME_TAKEN', details: { field: 'body.name' } });
    const unknown = await security.request('POST', '/api/roles', { name: 'x', permissions: ['org.unit.read', 'org.unit.fly'] });
    expect(unknown.json).toMatchObject({ code: 'YW_PERMISSION_UNKNOWN', details: { field: 'body.permissions.1' } });

    // 3. An org tree: 华东 > 上海; 华北. People in each.
    const east = await unit('华东分公司');
    const shanghai = await unit('上海办事处', east);
    const north = await unit('华北分公司');
    const inEast = await t.newUser({ orgUnitId: east });
    const inShanghai = await t.newUser({ orgUnitId: shanghai });
    const inNorth = await t.newUser({ orgUnitId: north });

    // 4. The security administrator assigns the role to an officer, limited to 华东 (and below).
    const officer = await t.newUser({ orgUnitId: east });
    const assigned = await security.request('PUT', `/api/users/${officer.id}/roles`, { assignments: [{ roleId: role.id, orgUnitIds: [east] }] });
    expect(assigned.status).toBe(200);
    expect(assigned.json).toEqual([{ roleId: role.id, roleName: '分支机构值班员', roleKind: 'custom', orgUnitIds: [east] }]);
    expect((await security.request('GET', `/api/roles/${role.id}`)).json.userCount).toBe(1);

    // 5. The officer sees exactly the users of the 华东 subtree.
    const s = await t.signIn(officer);
    expect(s.state.permissions).toEqual(['identity.user.read', 'org.unit.read']);
    const list = await s.request('GET', '/api/users?limit=500');
    expect(list.status).toBe(200);
    expect(list.json.items.map((u: { username: string }) => u.username).sort()).toEqual([inEast.username, inShanghai.username, officer.username].sort());
    expect(list.json.total).toBe(3);
    expect((await s.request('GET', `/api/users/${inShanghai.id}`)).status).toBe(200);
    const outside = await s.request('GET', `/api/users/${inNorth.id}`);
    expect(outside.status).toBe(403);
    expect(outside.json.code).toBe('YW_OUT_OF_SCOPE');
    expect((await s.request('GET', `/api/users/${t.admin.id}`)).json.code).toBe('YW_OUT_OF_SCOPE');
    const filtered = await s.request('GET', `/api/users?orgUnitId=${north}`);
    expect(filtered.json).toEqual({ items: [], total: 0 });

    // 6. Anything outside the role is refused.
    for (const [method, url, body] of [
      ['POST', '/api/users', { username: 'nope', displayName: 'x', password: 'Long#enough1' }],
      ['POST', '/api/org-units', { name: 'x' }],
      ['GET', '/api/roles', undefined],
      ['GET', '/api/audit', undefined],
      ['GET', '/api/security-policy', undefined],
      ['PUT', `/api/users/${inEast.id}/roles`, { assignments: [] }],
    ] as const) {
      const res = await s.request(method, url, body);
      expect(res.status, `${method} ${url}`).toBe(403);
      expect(res.json.code, `${method} ${url}`).toBe('YW_FORBIDDEN');
    }

    // 7. Widening the scope to every unit takes effect at once (no sign-in again).
    await security.request('PUT', `/api/users/${officer.id}/roles`, { assignments: [{ roleId: role.id, orgUnitIds: null }] });
    expect((await s.request('GET', `/api/users/${inNorth.id}`)).status).toBe(200);
  });

  it('[L4-1.1.2] edits a custom role: permissions change for its holders at once, and the change is audited with before and after', async () => {
    const created = (await security.request('POST', '/api/roles', { name: 'helpdesk', permissions: ['org.unit.read'] })).json as Role;
    const holder = await t.newUser();
    await security.request('PUT', `/api/users/${holder.id}/roles`, { assignments: [{ roleId: created.id, orgUnitIds: null }] });
    const s = await t.signIn(holder);
    expect((await s.request('GET', '/api/users')).status).toBe(403);

    const updated = await security.request('PATCH', `/api/roles/${created.id}`, { description: '服务台', permissions: ['identity.user.read', 'org.unit.read'] });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({ name: 'helpdesk', description: '服务台', permissions: ['identity.user.read', 'org.unit.read'] });
    expect((await s.request('GET', '/api/users')).status).toBe(200);

    const [entry] = await auditOf(created.id, 'access.role.update');
    expect(entry).toMatchObject({ actorName: expect.stringMatching(/^user/), outcome: 'success', targetType: 'role' });
    expect(entry!.before).toEqual({ name: 'helpdesk', description: '', permissions: ['org.unit.read'] });
    expect(entry!.after).toEqual({ name: 'helpdesk', description: '服务台', permissions: ['identity.user.read', 'org.unit.read'] });
  });

  it('[L3-1.1.2] defines roles from job responsibilities with separation of duties', async () => {
    // Built-in templates, one per job responsibility.
    const all = await roles();
    const templates = all.filter((r) => r.builtin);
    expect(templates.map((r) => r.kind).sort()).toEqual(['audit_admin', 'operator', 'security_admin', 'system_admin', 'viewer']);
    expect(Object.fromEntries(templates.map((r) => [r.kind, r.name]))).toEqual({
      system_admin: '系统管理员',
      security_admin: '安全管理员',
      audit_admin: '审计管理员',
      operator: '运维操作员',
      viewer: '只读用户',
    });
    const perms = Object.fromEntries(templates.map((r) => [r.kind, r.permissions]));
    expect(perms.audit_admin).toEqual(expect.arrayContaining(['audit.log.read', 'audit.log.export', 'audit.log.verify']));
    expect(perms.system_admin).not.toContain('audit.log.read');
    expect(perms.security_admin).not.toContain('audit.log.read');
    expect(perms.security_admin).toEqual(expect.arrayContaining(['access.role.write', 'access.assignment.write', 'identity.policy.write']));
    for (const kind of ['system_admin', 'audit_admin', 'operator', 'viewer']) {
      expect(perms[kind]).not.toContain('identity.policy.write');
      expect(perms[kind]).not.toContain('access.role.write');
    }

    // 三员分立: a system administrator cannot also be the auditor (message names both roles).
    const sysadmin = await t.newUser({ roles: ['system_admin'] });
    const both = { assignments: [{ roleId: (await builtin('system_admin')).id, orgUnitIds: null }, { roleId: (await builtin('audit_admin')).id, orgUnitIds: null }] };
    const zh = await security.request('PUT', `/api/users/${sysadmin.id}/roles`, both, { 'accept-language': 'zh-CN' });
    expect(zh.status).toBe(409);
    expect(zh.json.code).toBe('YW_SOD_CONFLICT');
    expect(zh.json.message).toContain('系统管理员');
    expect(zh.json.message).toContain('审计管理员');
    expect(zh.json.details).toMatchObject({ field: 'body.assignments', roles: ['system_admin', 'audit_admin'] });
    const en = await security.request('PUT', `/api/users/${sysadmin.id}/roles`, both);
    expect(en.json.message).toMatch(/System administrator.*Audit administrator/);
    // Nothing changed.
    expect((await admin.request('GET', `/api/users/${sysadmin.id}`)).json.roles.map((r: { roleKind: string }) => r.roleKind)).toEqual(['system_admin']);
    // …and the refusal is in the audit trail as a failed assignment.
    const sodRefusals = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.assignment.set').where('target_id', '=', sysadmin.id).where('outcome', '=', 'failure').execute();
    expect(sodRefusals.length).toBeGreaterThanOrEqual(2);

    // Same for the security administrator, and when creating a user with both at once.
    const secAndAudit = { assignments: [{ roleId: (await builtin('security_admin')).id, orgUnitIds: null }, { roleId: (await builtin('audit_admin')).id, orgUnitIds: null }] };
    expect((await security.request('PUT', `/api/users/${sysadmin.id}/roles`, secAndAudit)).json.code).toBe('YW_SOD_CONFLICT');
    const creating = await admin.request('POST', '/api/users', { username: 'two.hats', displayName: '两顶帽子', password: 'Long#enough1', roles: both.assignments });
    expect(creating.json.code).toBe('YW_SOD_CONFLICT');
    expect(await t.ctx.db.selectFrom('user').select('id').where('username', '=', 'two.hats').executeTakeFirst()).toBeUndefined();

    // A custom role cannot smuggle in a permission reserved to the security administrator.
    for (const permission of ['access.role.write', 'access.assignment.write', 'identity.policy.write']) {
      const res = await security.request('POST', '/api/roles', { name: `smuggle ${permission}`, permissions: ['org.unit.read', permission] });
      expect(res.status, permission).toBe(409);
      expect(res.json, permission).toMatchObject({ code: 'YW_SOD_RESERVED_PERMISSION', details: { field: 'body.permissions.1', permission } });
    }
    const custom = (await security.request('POST', '/api/roles', { name: 'plain', permissions: ['org.unit.read'] })).json as Role;
    expect((await security.request('PATCH', `/api/roles/${custom.id}`, { permissions: ['identity.policy.write'] })).json.code).toBe('YW_SOD_RESERVED_PERMISSION');

    // The auditor reads, exports and verifies the trail, and cannot change it: there is no such route.
    expect((await auditor.request('GET', '/api/audit')).status).toBe(200);
    const exported = await auditor.request('GET', '/api/audit/export?format=csv');
    expect(exported.status).toBe(200);
    expect(String(exported.headers['content-type'])).toMatch(/^text\/csv/);
    const verified = await auditor.request('POST', '/api/audit/verify');
    expect(verified.json).toMatchObject({ ok: true, brokenAt: null });
    const auditRoutes = t.routes.filter((r) => r.url === '/api/audit' || r.url.startsWith('/api/audit/'));
    expect(auditRoutes.map((r) => `${r.method} ${r.url}`).sort()).toEqual(['GET /api/audit', 'GET /api/audit/export', 'POST /api/audit/verify']);
    expect(auditRoutes.filter((r) => ['PATCH', 'PUT', 'DELETE'].includes(r.method))).toEqual([]);
    for (const method of ['PATCH', 'PUT', 'DELETE'] as const) {
      expect((await auditor.request(method, '/api/audit/1', {})).status, method).toBe(404);
    }
    const auditorRole = await auditor.request('POST', '/api/roles', { name: 'auditor-made', permissions: [] });
    expect(auditorRole.status).toBe(403);
    expect(auditorRole.json.code).toBe('YW_FORBIDDEN');
    expect((await auditor.request('PATCH', '/api/security-policy', { passwordHistory: 0 })).status).toBe(403);
    expect((await auditor.request('PUT', `/api/users/${sysadmin.id}/roles`, { assignments: [] })).status).toBe(403);

    // Only the security administrator changes the security policy; the system administrator cannot.
    const sys = await t.signIn(sysadmin);
    const refused = await sys.request('PATCH', '/api/security-policy', { passwordHistory: 6 });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'identity.policy.write' } });
    expect((await sys.request('POST', '/api/roles', { name: 'sys-made', permissions: [] })).status).toBe(403);
    expect((await sys.request('PUT', `/api/users/${sysadmin.id}/roles`, { assignments: [] })).status).toBe(403);
    expect((await sys.request('GET', '/api/audit')).status).toBe(403);
    const changed = await security.request('PATCH', '/api/security-policy', { passwordHistory: 6 });
    expect(changed.status).toBe(200);
    expect(changed.json.passwordHistory).toBe(6);
    expect((await security.request('PATCH', '/api/security-policy', { passwordHistory: 5 })).json.passwordHistory).toBe(5);
  });

  it('[L3-1.1.2] keeps built-in roles read-only and refuses to delete a role in use', async () => {
    const viewer = await builtin('viewer');
    const edit = await security.request('PATCH', `/api/roles/${viewer.id}`, { permissions: ['org.unit.read', 'identity.user.write'] });
    expect(edit.status).toBe(409);
    expect(edit.json.code).toBe('YW_ROLE_BUILTIN');
    const del = await security.request('DELETE', `/api/roles/${viewer.id}`);
    expect(del.status).toBe(409);
    expect(del.json.code).toBe('YW_ROLE_BUILTIN');
    expect((await builtin('viewer')).permissions).toEqual(viewer.permissions);

    const role = (await security.request('POST', '/api/roles', { name: '临时角色', permissions: ['org.unit.read'] })).json as Role;
    const holder = await t.newUser();
    await security.request('PUT', `/api/users/${holder.id}/roles`, { assignments: [{ roleId: role.id, orgUnitIds: null }] });
    const inUse = await security.request('DELETE', `/api/roles/${role.id}`);
    expect(inUse.status).toBe(409);
    expect(inUse.json).toMatchObject({ code: 'YW_ROLE_IN_USE', details: { userCount: 1 } });

    await security.request('PUT', `/api/users/${holder.id}/roles`, { assignments: [] });
    expect((await security.request('DELETE', `/api/roles/${role.id}`)).status).toBe(200);
    expect((await security.request('GET', `/api/roles/${role.id}`)).json.code).toBe('YW_ROLE_NOT_FOUND');
  });

  it('[L3-1.1.2] records every role and assignment change in the audit trail with before and after', async () => {
    const role = (await security.request('POST', '/api/roles', { name: '审计可见角色', permissions: ['org.unit.read'] })).json as Role;
    await security.request('PATCH', `/api/roles/${role.id}`, { name: '审计可见角色-改' });
    const user = await t.newUser();
    const region = await unit('审计测试机构');
    await security.request('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: role.id, orgUnitIds: [region] }] });
    await security.request('PUT', `/api/users/${user.id}/roles`, { assignments: [] });
    await security.request('DELETE', `/api/roles/${role.id}`);

    const [create] = await auditOf(role.id, 'access.role.create');
    expect(create).toMatchObject({ targetType: 'role', outcome: 'success', before: null, after: { name: '审计可见角色', description: '', permissions: ['org.unit.read'] } });
    const [update] = await auditOf(role.id, 'access.role.update');
    expect(update!.before).toMatchObject({ name: '审计可见角色' });
    expect(update!.after).toMatchObject({ name: '审计可见角色-改' });
    const [remove] = await auditOf(role.id, 'access.role.delete');
    expect(remove).toMatchObject({ before: { name: '审计可见角色-改', permissions: ['org.unit.read'] }, after: null });

    const assignments = await auditOf(user.id, 'access.assignment.set');
    expect(assignments).toHaveLength(2);
    expect(assignments[0]).toMatchObject({
      targetType: 'user',
      before: { user: user.username, roles: [] },
      after: { user: user.username, roles: [{ roleId: role.id, roleName: '审计可见角色-改', roleKind: 'custom', orgUnitIds: [region] }] },
    });
    expect(assignments[1]).toMatchObject({ before: { roles: [{ roleId: role.id, orgUnitIds: [region] }] }, after: { roles: [] } });
    for (const e of [create!, update!, remove!, ...assignments]) {
      expect(e.actorName).toBe(security.state.user.username);
      expect(e.actorId).toBe(security.state.user.id);
      expect(e.ip).toBe('127.0.0.1');
    }

    // A refused change (separation of duties) changes nothing: its only trace is a failure entry.
    const sysadmin = await t.newUser({ roles: ['system_admin'] });
    const before = (await auditOf(sysadmin.id, 'access.assignment.set')).length;
    await security.request('PUT', `/api/users/${sysadmin.id}/roles`, {
      assignments: [{ roleId: (await builtin('system_admin')).id, orgUnitIds: null }, { roleId: (await builtin('audit_admin')).id, orgUnitIds: null }],
    });
    const after = await auditOf(sysadmin.id, 'access.assignment.set');
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ outcome: 'failure', actorName: security.state.user.username });
  });
});
