import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@yunwei/contracts/audit';
import type { DutyAccountsCreated, DutyAccountsStatus } from '@yunwei/contracts/duty-accounts';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';

/**
 * The first-day set-up of 三员分立 (`/api/setup/duty-accounts`): the system administrator creates the
 * security and the audit administrator while nobody else holds those duties, and never afterwards.
 */
describe.skipIf(!databaseAvailable())('first-day set-up of the security and audit administrators', () => {
  const roleKindsOf = async (t: TestApp, userId: string): Promise<string[]> =>
    (await t.ctx.db.selectFrom('user_role as ur').innerJoin('role as r', 'r.id', 'ur.role_id').select('r.kind').where('ur.user_id', '=', userId).execute()).map((r) => r.kind).sort();
  const asUser = (account: DutyAccountsCreated['accounts'][number]): TestUser => ({ id: account.id, username: account.username, password: account.initialPassword });

  describe('on a fresh install', () => {
    let t: TestApp;
    let admin: TestSession;
    let created: DutyAccountsCreated;
    let security: TestSession;
    let auditor: TestSession;
    beforeAll(async () => {
      t = await createTestApp();
      admin = await t.signIn(t.admin);
    });
    afterAll(() => t?.close());

    it('[L3-1.1.2] gives the three duties to three people: the audit administrator reads the audit trail from day one, the system administrator cannot', async () => {
      // Day one: admin holds the system duty together with the security duty, and nobody can read the trail.
      const before = await admin.request('GET', '/api/setup/duty-accounts');
      expect(before.status, before.body).toBe(200);
      expect(before.json).toEqual({
        securityAdmin: { open: true, dedicated: false, holders: [{ id: t.admin.id, username: 'admin', displayName: '系统管理员', status: 'active', alsoHolds: ['system_admin'] }] },
        auditAdmin: { open: true, dedicated: false, holders: [] },
      } satisfies DutyAccountsStatus);

      const res = await admin.request('POST', '/api/setup/duty-accounts', { securityAdmin: { username: 'anquan', displayName: '王安全' }, auditAdmin: { username: 'shenji', displayName: '李审计' } });
      expect(res.status, res.body).toBe(200);
      created = res.json;
      expect(created.accounts.map((a) => [a.username, a.displayName, a.roleKind])).toEqual([
        ['anquan', '王安全', 'security_admin'],
        ['shenji', '李审计', 'audit_admin'],
      ]);
      expect(created.handedOver).toEqual([{ id: t.admin.id, username: 'admin', displayName: '系统管理员' }]);
      const [secAccount, auditAccount] = created.accounts;
      expect(secAccount!.initialPassword).not.toBe(auditAccount!.initialPassword);
      expect(secAccount!.initialPassword.length).toBeGreaterThanOrEqual(16);

      // Three people, one duty each, exactly the built-in role.
      expect(await roleKindsOf(t, t.admin.id)).toEqual(['system_admin']);
      expect(await roleKindsOf(t, secAccount!.id)).toEqual(['security_admin']);
      expect(await roleKindsOf(t, auditAccount!.id)).toEqual(['audit_admin']);

      // The one-time password must be changed and an authenticator enrolled at first sign-in.
      const first = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'shenji', password: auditAccount!.initialPassword } });
      expect(first.json()).toMatchObject({ pending: 'password' });
      auditor = await t.signIn(asUser(auditAccount!));
      expect(auditor.state).toMatchObject({ pending: null, mfaEnabled: true, roleKinds: ['audit_admin'] });
      security = await t.signIn(asUser(secAccount!));
      expect(security.state).toMatchObject({ pending: null, mfaEnabled: true, roleKinds: ['security_admin'] });

      // The auditor reads who created them; the system administrator reads nothing and assigns nothing.
      const trail = await auditor.request('GET', '/api/audit?action=identity.duty.setup');
      expect(trail.status, trail.body).toBe(200);
      const entry = (trail.json.items as AuditEntry[])[0]!;
      expect(entry).toMatchObject({ actorName: 'admin', outcome: 'success', after: { handedOver: ['admin'], accounts: [{ username: 'anquan', roleKind: 'security_admin' }, { username: 'shenji', roleKind: 'audit_admin' }] } });
      expect(JSON.stringify(trail.json)).not.toContain(secAccount!.initialPassword);
      const handover = await auditor.request('GET', `/api/audit?action=access.assignment.set&q=${t.admin.id}`);
      expect((handover.json.items as AuditEntry[]).map((e) => e.after)).toContainEqual(expect.objectContaining({ user: 'admin', reason: 'duty-handover', roles: [expect.objectContaining({ roleKind: 'system_admin' })] }));
      expect((await admin.request('GET', '/api/audit')).status).toBe(403);
      expect((await admin.request('PUT', `/api/users/${auditAccount!.id}/roles`, { assignments: [] })).status).toBe(403);
      expect((await admin.request('PATCH', '/api/security-policy', { separationOfDuties: false })).status).toBe(403);

      // Roles and policy are now the security administrator's.
      const viewer = await t.newUser();
      const viewerRole = (await security.request('GET', '/api/roles?limit=100')).json.items.find((r: { kind: string }) => r.kind === 'viewer');
      expect((await security.request('PUT', `/api/users/${viewer.id}/roles`, { assignments: [{ roleId: viewerRole.id, orgUnitIds: null }] })).status).toBe(200);
    });

    it('answers 409 once the duties are held, names the holder, and records the refusal', async () => {
      const status = (await admin.request('GET', '/api/setup/duty-accounts')).json as DutyAccountsStatus;
      expect(status.securityAdmin).toMatchObject({ open: false, dedicated: true, holders: [{ username: 'anquan', alsoHolds: [] }] });
      expect(status.auditAdmin).toMatchObject({ open: false, dedicated: true, holders: [{ username: 'shenji', alsoHolds: [] }] });

      const again = await admin.request('POST', '/api/setup/duty-accounts', { auditAdmin: { username: 'shenji2', displayName: '赵审计' } });
      expect(again.status).toBe(409);
      expect(again.json).toMatchObject({ code: 'YW_DUTY_ALREADY_HELD', details: { field: 'body.auditAdmin', duty: 'audit_admin', holders: ['shenji'] } });
      expect(again.json.message).toContain('shenji');
      const security2 = await admin.request('POST', '/api/setup/duty-accounts', { securityAdmin: { username: 'anquan2', displayName: '赵安全' } });
      expect(security2.status).toBe(409);
      expect(security2.json).toMatchObject({ code: 'YW_DUTY_ALREADY_HELD', details: { field: 'body.securityAdmin', holders: ['anquan'] } });
      expect(await t.ctx.db.selectFrom('user').select('id').where('username', 'in', ['shenji2', 'anquan2']).execute()).toEqual([]);

      const refusals = (await auditor.request('GET', '/api/audit?action=identity.duty.setup&outcome=failure')).json.items as AuditEntry[];
      expect(refusals.map((e) => e.after)).toEqual([
        expect.objectContaining({ requested: [{ roleKind: 'security_admin', username: 'anquan2' }], refused: expect.objectContaining({ code: 'YW_DUTY_ALREADY_HELD' }) }),
        expect.objectContaining({ requested: [{ roleKind: 'audit_admin', username: 'shenji2' }] }),
      ]);
    });

    it('refuses everyone without the set-up permission (403, audited): the security and audit administrators, operators', async () => {
      const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
      for (const [who, session] of [['security', security], ['audit', auditor], ['operator', operator]] as const) {
        for (const [method, body] of [['GET', undefined], ['POST', { auditAdmin: { username: `x-${who}`, displayName: 'X' } }]] as const) {
          const res = await session.request(method, '/api/setup/duty-accounts', body);
          expect(res.status, `${who} ${method}`).toBe(403);
          expect(res.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'identity.duty.setup' } });
        }
      }
      const denials = await t.ctx.db.selectFrom('audit_log').select('actor_name').where('action', '=', 'access.permission.deny').where('target_id', '=', 'POST /api/setup/duty-accounts').execute();
      expect(denials.map((d) => d.actor_name).sort()).toEqual(['anquan', 'shenji', operator.state.user.username].sort());
    });

    it('still refuses after the system administrator disables the holder (a disabled holder keeps the duty)', async () => {
      const auditorId = created.accounts[1]!.id;
      expect((await admin.request('PATCH', `/api/users/${auditorId}`, { status: 'disabled' })).status).toBe(200);
      const res = await admin.request('POST', '/api/setup/duty-accounts', { auditAdmin: { username: 'shenji3', displayName: '钱审计' } });
      expect(res.status).toBe(409);
      expect(((await admin.request('GET', '/api/setup/duty-accounts')).json as DutyAccountsStatus).auditAdmin.holders).toMatchObject([{ username: 'shenji', status: 'disabled' }]);
    });
  });

  describe('who may set up what', () => {
    let t: TestApp;
    let admin: TestSession;
    beforeAll(async () => {
      t = await createTestApp();
      admin = await t.signIn(t.admin);
    });
    afterAll(() => t?.close());

    it('refuses bad input with 4xx naming the field, and creates nothing', async () => {
      const cases: [unknown, number, string][] = [
        [{}, 400, 'body'],
        [{ securityAdmin: { username: 'same', displayName: 'A' }, auditAdmin: { username: 'SAME', displayName: 'B' } }, 400, 'body.auditAdmin.username'],
        [{ auditAdmin: { username: '-bad', displayName: 'B' } }, 400, 'body.auditAdmin.username'],
        [{ auditAdmin: { username: 'ok', displayName: '   ' } }, 400, 'body.auditAdmin.displayName'],
        [{ auditAdmin: { username: 'ok', displayName: 'B', password: 'mine' } }, 400, 'body.auditAdmin.password'],
        [{ auditAdmin: { username: 'admin', displayName: 'B' } }, 409, 'body.auditAdmin.username'],
      ];
      for (const [body, status, field] of cases) {
        const res = await admin.request('POST', '/api/setup/duty-accounts', body);
        expect(res.status, JSON.stringify(body)).toBe(status);
        expect(res.json.details.field ?? res.json.details.fields?.[0]?.field).toBe(field);
      }
      expect(Number((await t.ctx.db.selectFrom('user').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(1);
    });

    it('a second system administrator may create the missing auditor but cannot make a security administrator while admin holds that duty', async () => {
      const second = await t.newUser({ roles: ['system_admin'] });
      const other = await t.signIn(second);
      const status = (await other.request('GET', '/api/setup/duty-accounts')).json as DutyAccountsStatus;
      expect(status.securityAdmin).toMatchObject({ open: false, holders: [{ username: 'admin', alsoHolds: ['system_admin'] }] });
      expect(status.auditAdmin.open).toBe(true);

      const grab = await other.request('POST', '/api/setup/duty-accounts', { securityAdmin: { username: 'mine', displayName: '自封' } });
      expect(grab.status).toBe(409);
      expect(grab.json).toMatchObject({ code: 'YW_DUTY_ALREADY_HELD', details: { field: 'body.securityAdmin', holders: ['admin'] } });
      expect(await roleKindsOf(t, t.admin.id)).toEqual(['security_admin', 'system_admin']);

      // Only the audit duty is asked for: admin keeps the security duty (a small site's choice).
      const audit = await other.request('POST', '/api/setup/duty-accounts', { auditAdmin: { username: 'auditor1', displayName: '孙审计' } });
      expect(audit.status, audit.body).toBe(200);
      expect(audit.json.handedOver).toEqual([]);
      expect(await roleKindsOf(t, t.admin.id)).toEqual(['security_admin', 'system_admin']);
      // The reminder stays: the security duty has no person of its own.
      expect(((await admin.request('GET', '/api/setup/duty-accounts')).json as DutyAccountsStatus).securityAdmin).toMatchObject({ open: true, dedicated: false });
    });

    it('two set-ups at once: one creates the auditor, the other is refused (one-holder check under the grants lock)', async () => {
      const fresh = await createTestApp();
      try {
        const [a, b] = await Promise.all([fresh.signIn(fresh.admin), fresh.signIn(await fresh.newUser({ roles: ['system_admin'] }))]);
        const answers = await Promise.all([
          a.request('POST', '/api/setup/duty-accounts', { auditAdmin: { username: 'race-a', displayName: '甲' } }),
          b.request('POST', '/api/setup/duty-accounts', { auditAdmin: { username: 'race-b', displayName: '乙' } }),
        ]);
        expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
        const holders = await fresh.ctx.db.selectFrom('user_role as ur').innerJoin('role as r', 'r.id', 'ur.role_id').select('ur.user_id').where('r.kind', '=', 'audit_admin').execute();
        expect(holders).toHaveLength(1);
      } finally {
        await fresh.close();
      }
    });
  });
});
