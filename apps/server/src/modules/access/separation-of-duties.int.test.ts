import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssignmentView, PermissionGroup, Role } from '@yunwei/contracts/access';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

/**
 * 三员分立 on effective permissions: whatever roles (built-in or custom) a person holds, audit-duty
 * permissions never come together with administrative ones while separation of duties is on.
 */
describe.skipIf(!databaseAvailable())('separation of duties on effective permissions', () => {
  let t: TestApp;
  let admin: TestSession;
  let security: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    security = await t.signIn(await t.newUser({ roles: ['security_admin'] }));
  });
  afterAll(() => t?.close());

  const builtinId = async (kind: string): Promise<string> => ((await security.request('GET', '/api/roles?limit=500')).json.items as Role[]).find((r) => r.builtin && r.kind === kind)!.id;
  const rolesOf = async (userId: string): Promise<AssignmentView[]> => (await admin.request('GET', `/api/users/${userId}`)).json.roles;
  const keep = (views: AssignmentView[]) => views.map((v) => ({ roleId: v.roleId, orgUnitIds: v.orgUnitIds }));

  it('#10.3 the system + security administrator cannot give themself audit permissions through a custom role', async () => {
    // The bootstrap administrator is system and security administrator at once.
    const mine = await rolesOf(t.admin.id);
    expect(mine.map((r) => r.roleKind).sort()).toEqual(['security_admin', 'system_admin']);

    // A custom role holding only audit permissions is fine on its own (an auditor's deputy)…
    const auditOnly = await admin.request('POST', '/api/roles', { name: '审计副手', permissions: ['audit.log.read', 'audit.log.export'] });
    expect(auditOnly.status).toBe(200);
    // …but not next to the administrator's own roles.
    const grab = await admin.request('PUT', `/api/users/${t.admin.id}/roles`, { assignments: [...keep(mine), { roleId: auditOnly.json.id, orgUnitIds: null }] });
    expect(grab.status).toBe(409);
    expect(grab.json).toMatchObject({ code: 'YW_SOD_CONFLICT', details: { field: 'body.assignments' } });
    expect(grab.json.message).toContain('audit.log.');
    expect((await rolesOf(t.admin.id)).map((r) => r.roleKind).sort()).toEqual(['security_admin', 'system_admin']);
    expect((await admin.request('GET', '/api/audit')).status).toBe(403);

    // Nor by editing a harmless custom role the administrator already holds.
    const plain = (await admin.request('POST', '/api/roles', { name: '普通只读', permissions: ['org.unit.read'] })).json as Role;
    expect((await admin.request('PUT', `/api/users/${t.admin.id}/roles`, { assignments: [...keep(mine), { roleId: plain.id, orgUnitIds: null }] })).status).toBe(200);
    const widen = await admin.request('PATCH', `/api/roles/${plain.id}`, { permissions: ['org.unit.read', 'audit.log.read'] });
    expect(widen.status).toBe(409);
    expect(widen.json).toMatchObject({ code: 'YW_SOD_CONFLICT', details: { field: 'body.permissions', users: [{ id: t.admin.id, username: 'admin' }] } });
    expect(widen.json.message).toContain('admin');
    expect((await admin.request('GET', `/api/roles/${plain.id}`)).json.permissions).toEqual(['org.unit.read']);
    expect((await admin.request('GET', '/api/audit')).status).toBe(403);
    const refusal = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'access.role.update').where('target_id', '=', plain.id).where('outcome', '=', 'failure').execute();
    expect(refusal).toHaveLength(1);

    // Nor one role mixing audit and administration.
    const mixed = await admin.request('POST', '/api/roles', { name: '混合', permissions: ['audit.log.read', 'identity.user.write'] });
    expect(mixed.status).toBe(409);
    expect(mixed.json).toMatchObject({ code: 'YW_SOD_CONFLICT', details: { field: 'body.permissions' } });
    // Nor made so by an edit, even while nobody holds it.
    const mixedByEdit = await admin.request('PATCH', `/api/roles/${auditOnly.json.id}`, { permissions: ['audit.log.read', 'audit.log.export', 'identity.user.write'] });
    expect(mixedByEdit.status).toBe(409);
    expect(mixedByEdit.json).toMatchObject({ code: 'YW_SOD_CONFLICT', details: { field: 'body.permissions' } });

    // Read-only permissions sit fine with the audit duty: an auditor may also be a viewer, or read CIs…
    const reader = (await admin.request('POST', '/api/roles', { name: '配置只读', permissions: ['cmdb.ci.read'] })).json as Role;
    const auditor = await t.newUser({ roles: ['audit_admin'] });
    const withReads = [{ roleId: await builtinId('audit_admin'), orgUnitIds: null }, { roleId: await builtinId('viewer'), orgUnitIds: null }, { roleId: reader.id, orgUnitIds: null }];
    expect((await security.request('PUT', `/api/users/${auditor.id}/roles`, { assignments: withReads })).status).toBe(200);
    // …but never change things: not as an operator, not through a custom write role.
    const writer = (await admin.request('POST', '/api/roles', { name: '配置维护', permissions: ['cmdb.ci.write'] })).json as Role;
    for (const extra of [await builtinId('operator'), writer.id]) {
      const res = await security.request('PUT', `/api/users/${auditor.id}/roles`, { assignments: [{ roleId: await builtinId('audit_admin'), orgUnitIds: null }, { roleId: extra, orgUnitIds: null }] });
      expect(res.status, extra).toBe(409);
      expect(res.json.code).toBe('YW_SOD_CONFLICT');
    }
    // Creating a user with a conflicting set is refused the same way, and leaves no user behind.
    const create = await admin.request('POST', '/api/users', { username: 'sneaky', displayName: 'Sneaky', password: 'Long#enough1', roles: [{ roleId: await builtinId('system_admin'), orgUnitIds: null }, { roleId: auditOnly.json.id, orgUnitIds: null }] });
    expect(create.json.code).toBe('YW_SOD_CONFLICT');
    expect(await t.ctx.db.selectFrom('user').select('id').where('username', '=', 'sneaky').executeTakeFirst()).toBeUndefined();
  });

  it('#10.3 a role edit that adds a permission re-checks every user already holding the role', async () => {
    const reader = (await admin.request('POST', '/api/roles', { name: '资产只读组', permissions: ['cmdb.ci.read'] })).json as Role;
    const auditor = await t.newUser({ roles: ['audit_admin'] });
    const operator = await t.newUser({ roles: ['operator'] });
    for (const user of [auditor, operator]) {
      const mine = await rolesOf(user.id);
      expect((await security.request('PUT', `/api/users/${user.id}/roles`, { assignments: [...keep(mine), { roleId: reader.id, orgUnitIds: null }] })).status).toBe(200);
    }
    // Harmless for the operator, but it would make the auditor change CIs: refused, naming the auditor only.
    const widen = await security.request('PATCH', `/api/roles/${reader.id}`, { permissions: ['cmdb.ci.read', 'cmdb.ci.write'] });
    expect(widen.status).toBe(409);
    expect(widen.json.code).toBe('YW_SOD_CONFLICT');
    expect(widen.json.details.users.map((u: { id: string }) => u.id)).toEqual([auditor.id]);
    expect(widen.json.message).toContain(auditor.username);
    expect((await security.request('GET', `/api/roles/${reader.id}`)).json.permissions).toEqual(['cmdb.ci.read']);
    // More read access is fine for both holders.
    const moreReads = await security.request('PATCH', `/api/roles/${reader.id}`, { permissions: ['cmdb.ci.read', 'org.unit.read'] });
    expect(moreReads.status).toBe(200);
    // Once the auditor no longer holds it, the same edit goes through.
    expect((await security.request('PUT', `/api/users/${auditor.id}/roles`, { assignments: [{ roleId: await builtinId('audit_admin'), orgUnitIds: null }] })).status).toBe(200);
    expect((await security.request('PATCH', `/api/roles/${reader.id}`, { permissions: ['cmdb.ci.read', 'cmdb.ci.write'] })).status).toBe(200);
  });

  it('#10.3 the security administrator cannot switch separation off, take the audit role and switch it back on', async () => {
    const self = security.state.user;
    const off = await security.request('PATCH', '/api/security-policy', { separationOfDuties: false });
    expect(off.status).toBe(200);
    const both = [{ roleId: await builtinId('security_admin'), orgUnitIds: null }, { roleId: await builtinId('audit_admin'), orgUnitIds: null }];
    expect((await security.request('PUT', `/api/users/${self.id}/roles`, { assignments: both })).status).toBe(200);

    const on = await security.request('PATCH', '/api/security-policy', { separationOfDuties: true });
    expect(on.status).toBe(409);
    expect(on.json).toMatchObject({ code: 'YW_SOD_ENABLE_CONFLICT', details: { field: 'body.separationOfDuties', users: [{ id: self.id, username: self.username, roles: ['安全管理员', '审计管理员'] }] } });
    expect(on.json.message).toContain(self.username);
    expect(on.json.message).toContain('审计管理员');
    expect((await security.request('GET', '/api/security-policy')).json.separationOfDuties).toBe(false);
    const refusal = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'identity.policy.update').where('outcome', '=', 'failure').execute();
    expect(refusal).toHaveLength(1);

    // A custom role mixing audit and administration, made while separation was off, blocks it too,
    // naming the person and the role.
    const mixed = (await security.request('POST', '/api/roles', { name: '审计兼维护', permissions: ['audit.log.read', 'cmdb.ci.write'] })).json as Role;
    const holder = await t.newUser({ roles: ['viewer'] });
    expect((await security.request('PUT', `/api/users/${holder.id}/roles`, { assignments: [{ roleId: mixed.id, orgUnitIds: null }] })).status).toBe(200);
    expect((await security.request('PUT', `/api/users/${self.id}/roles`, { assignments: [both[0]] })).status).toBe(200);
    const mixedHeld = await security.request('PATCH', '/api/security-policy', { separationOfDuties: true });
    expect(mixedHeld.status).toBe(409);
    expect(mixedHeld.json.details.users).toMatchObject([{ id: holder.id, roles: ['审计兼维护'], audit: 'audit.log.read', administrative: 'cmdb.ci.write' }]);
    expect(mixedHeld.json.message).toContain('审计兼维护');
    expect((await security.request('PUT', `/api/users/${holder.id}/roles`, { assignments: [] })).status).toBe(200);
    expect((await security.request('DELETE', `/api/roles/${mixed.id}`)).status).toBe(200);

    // A custom role carrying a permission reserved to the security administrator blocks it too.
    const smuggled = await security.request('POST', '/api/roles', { name: '授权助手', permissions: ['access.assignment.write'] });
    expect(smuggled.status).toBe(200);
    expect((await security.request('PUT', `/api/users/${self.id}/roles`, { assignments: [both[0]] })).status).toBe(200);
    const still = await security.request('PATCH', '/api/security-policy', { separationOfDuties: true });
    expect(still.status).toBe(409);
    expect(still.json.details).toMatchObject({ users: [], roles: [{ id: smuggled.json.id, name: '授权助手' }] });

    // Once the conflicts are gone it switches back on, and the audit role is out of reach again.
    expect((await security.request('DELETE', `/api/roles/${smuggled.json.id}`)).status).toBe(200);
    const back = await security.request('PATCH', '/api/security-policy', { separationOfDuties: true });
    expect(back.status).toBe(200);
    expect(back.json.separationOfDuties).toBe(true);
    expect((await security.request('PUT', `/api/users/${self.id}/roles`, { assignments: both })).json.code).toBe('YW_SOD_CONFLICT');
    expect((await security.request('GET', '/api/audit')).status).toBe(403);
  });

  it('#10.3 every permission has a duty, and the built-in roles are consistent with the rule', async () => {
    const catalogue = (await security.request('GET', '/api/permissions')).json as PermissionGroup[];
    const all = catalogue.flatMap((g) => g.permissions);
    const duty = Object.fromEntries(all.map((p) => [p.id, p.duty]));
    expect(duty['audit.log.read']).toBe('audit');
    expect(duty['audit.log.export']).toBe('audit');
    expect(duty['identity.policy.write']).toBe('security');
    expect(duty['access.role.write']).toBe('security');
    expect(duty['identity.user.write']).toBe('system');
    // Granted to the security administrator alone, though not reserved: still the security duty.
    expect(duty['identity.mfa.reset']).toBe('security');
    expect(all.find((p) => p.id === 'cmdb.ci.read')!.administrative).toBe(false);
    expect(all.find((p) => p.id === 'cmdb.ci.write')!.administrative).toBe(true);
    const roles = ((await security.request('GET', '/api/roles?limit=500')).json.items as Role[]).filter((r) => r.builtin);
    const byId = new Map(all.map((p) => [p.id, p]));
    for (const role of roles) {
      const auditDuty = role.permissions.filter((p) => byId.get(p)!.duty === 'audit');
      const administrative = role.permissions.filter((p) => byId.get(p)!.administrative);
      expect(auditDuty.length === 0 || administrative.length === 0, `${role.kind}: ${auditDuty} with ${administrative}`).toBe(true);
      expect(auditDuty.length > 0, role.kind).toBe(role.kind === 'audit_admin');
    }
  });
});
