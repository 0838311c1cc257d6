import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('sign-in, password and MFA', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string) => t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en' }, payload: { username, password } });

  it('forces the first admin to change the password, then to enrol TOTP (MFA required for administrators)', async () => {
    const res = await login('admin', t.admin.password);
    expect(res.statusCode).toBe(200);
    expect(res.json().pending).toBe('password');
    const cookie = res.cookies.find((c) => c.name === 'yw_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');

    const blocked = await t.app.inject({ method: 'GET', url: '/api/users', cookies: { yw_session: cookie.value } });
    expect(blocked.statusCode).toBe(403);
    expect(blocked.json().code).toBe('YW_AUTH_PASSWORD_CHANGE_REQUIRED');

    const session = await t.signIn(t.admin);
    expect(session.state.pending).toBeNull();
    expect(session.state.mfaEnabled).toBe(true);
    expect(session.state.roles.map((r) => r.kind).sort()).toEqual(['security_admin', 'system_admin']);
    expect((await session.request('GET', '/api/users')).status).toBe(200);

    // From now on the admin signs in in two steps.
    const again = await login('admin', t.admin.password);
    expect(again.json().pending).toBe('mfa');
    const pending = again.cookies.find((c) => c.name === 'yw_session')!.value;
    const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/mfa', cookies: { yw_session: pending }, payload: { code: '000000' } });
    expect(wrong.json().code).toBe('YW_AUTH_MFA_INVALID');
    // The enrolment just spent this 30-second step's code; replay protection would refuse it again.
    await t.allowTotpReuse(t.admin.id);
    const right = await t.app.inject({ method: 'POST', url: '/api/auth/mfa', cookies: { yw_session: pending }, payload: { code: t.totp(t.admin.totpSecret!) } });
    expect(right.statusCode).toBe(200);
    expect(right.json().pending).toBeNull();
  });

  it('refuses a new password that breaks the policy or repeats the history, naming the field', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    const weak = await s.request('POST', '/api/auth/password', { currentPassword: user.password, newPassword: 'short' });
    expect(weak.status).toBe(400);
    expect(weak.json).toMatchObject({ code: 'YW_PASSWORD_POLICY', details: { field: 'body.newPassword' } });
    const old = user.password;
    const first = `${old}A1`;
    expect((await s.request('POST', '/api/auth/password', { currentPassword: old, newPassword: first })).status).toBe(200);
    const reused = await s.request('POST', '/api/auth/password', { currentPassword: first, newPassword: old });
    expect(reused.json.code).toBe('YW_PASSWORD_REUSED');
  });

  it('locks the account after 5 failures for 15 minutes, audits it, and an administrator unlocks it', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    for (let i = 0; i < 5; i++) {
      expect((await login(user.username, 'Wrong#pass1')).json().code).toBe('YW_AUTH_INVALID_CREDENTIALS');
    }
    // Sign-in answers a locked account like a wrong password (issue 10.15): the lock shows in the user list.
    const locked = await login(user.username, user.password);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('YW_AUTH_INVALID_CREDENTIALS');
    const row = await t.ctx.db.selectFrom('user').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.locked_until! - Date.now()).toBeGreaterThan(14 * 60_000);
    const lockEntry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'identity.user.lock').where('target_id', '=', user.id).executeTakeFirst();
    expect(lockEntry).toBeDefined();

    const admin = await t.signIn(t.admin);
    expect((await admin.request('POST', `/api/users/${user.id}/unlock`)).status).toBe(200);
    expect((await login(user.username, user.password)).statusCode).toBe(200);
  });

  it('counts wrong passwords typed again inside a session (password change) towards the lockout; then no more tries', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    for (let i = 0; i < 5; i++) {
      const wrong = await s.request('POST', '/api/auth/password', { currentPassword: 'Wrong#pass1', newPassword: 'Another#pass99' });
      expect(wrong.status).toBe(400);
      expect(wrong.json).toMatchObject({ code: 'YW_PASSWORD_WRONG', details: { field: 'body.currentPassword' } });
    }
    const row = await t.ctx.db.selectFrom('user').select('locked_until').where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.locked_until! - Date.now()).toBeGreaterThan(14 * 60_000);
    // Locked: even the right password is refused here and at sign-in until the lock ends.
    const locked = await s.request('POST', '/api/auth/password', { currentPassword: user.password, newPassword: 'Another#pass99' });
    expect(locked.status).toBe(423);
    expect(locked.json.code).toBe('YW_AUTH_ACCOUNT_LOCKED');
    expect((await login(user.username, user.password)).statusCode).toBe(401);
  });

  it('ends a session after the idle timeout', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    expect((await s.request('GET', '/api/org-units')).status).toBe(200);
    await t.ctx.db.updateTable('session').set({ last_seen_at: Date.now() - 31 * 60_000 }).where('user_id', '=', user.id).execute();
    const expired = await s.request('GET', '/api/org-units');
    expect(expired.status).toBe(401);
    expect(expired.json.code).toBe('YW_AUTH_SESSION_EXPIRED');
    expect((await s.request('GET', '/api/org-units')).status).toBe(401);
  });

  it('forces a password change once the password is older than the maximum age', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    await t.ctx.db.updateTable('user').set({ password_changed_at: Date.now() - 91 * 86_400_000 }).where('id', '=', user.id).execute();
    const res = await s.request('GET', '/api/org-units');
    expect(res.json.code).toBe('YW_AUTH_PASSWORD_CHANGE_REQUIRED');
  });

  it('refuses cookie-authenticated writes without the CSRF token', async () => {
    const admin = await t.signIn(t.admin);
    const res = await t.app.inject({ method: 'POST', url: '/api/org-units', cookies: { yw_session: admin.cookie }, payload: { name: 'x' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('YW_AUTH_CSRF');
  });

  it('logs out: the session no longer works and the logout is audited', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    expect((await s.request('POST', '/api/auth/logout')).status).toBe(200);
    expect((await s.request('GET', '/api/org-units')).status).toBe(401);
    const entry = await t.ctx.db.selectFrom('audit_log').select('action').where('action', '=', 'identity.logout').where('actor_id', '=', user.id).executeTakeFirst();
    expect(entry).toBeDefined();
  });
});
