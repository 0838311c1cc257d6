import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';
import { systemActor } from '../../platform/actor.js';
import { UserService } from './user.service.js';

/** Issue 10: MFA enrolment, lockout races, TOTP replay, session rotation, uniform sign-in errors. */
describe.skipIf(!databaseAvailable())('sign-in hardening', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  const login = (username: string, password: string, cookie?: string) =>
    t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en' }, ...(cookie ? { cookies: { yw_session: cookie } } : {}), payload: { username, password } });
  const sessionCookie = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'yw_session')?.value;
  const call = (cookie: string, csrf: string, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, cookies: { yw_session: cookie }, headers: { 'accept-language': 'en', ...(csrf ? { 'x-csrf-token': csrf } : {}) }, ...(payload ? { payload } : {}) });

  /** Enrols TOTP for a signed-in user without MFA; returns the secret. */
  async function enrolMfa(s: TestSession, user: TestUser): Promise<string> {
    const enrol = await s.request('POST', '/api/auth/mfa/enrol');
    expect(enrol.status, enrol.body).toBe(200);
    const confirm = await s.request('POST', '/api/auth/mfa/confirm', { code: t.totp(enrol.json.secret) });
    expect(confirm.status, confirm.body).toBe(200);
    user.totpSecret = enrol.json.secret;
    return enrol.json.secret;
  }

  async function userWithMfa(): Promise<{ user: TestUser; s: TestSession; secret: string }> {
    const user = await t.newUser({ permissions: ['org.unit.read', 'identity.token.use'] });
    const s = await t.signIn(user);
    const secret = await enrolMfa(s, user);
    await t.allowTotpReuse(user.id);
    return { user, s, secret };
  }

  const userRow = (id: string) => t.ctx.db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const auditOf = (action: string, targetId: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).where('target_id', '=', targetId).execute();

  // ---- #10.1 ----
  it('#10.1 a session waiting for its TOTP code (password only) cannot bind an authenticator or change the password', async () => {
    const { user, secret } = await userWithMfa();
    // The attacker knows the password only: sign-in stops at the second factor.
    const pending = await login(user.username, user.password);
    expect(pending.json().pending).toBe('mfa');
    const cookie = sessionCookie(pending)!;
    const csrf = pending.json().csrfToken as string;

    // Step 1 of the attack: start an enrolment to get a fresh secret. Refused, and no secret leaks.
    const enrol = await call(cookie, csrf, 'POST', '/api/auth/mfa/enrol');
    expect(enrol.statusCode).toBe(401);
    expect(enrol.json().code).toBe('YW_AUTH_MFA_REQUIRED');
    expect(enrol.body).not.toContain('otpauth');
    expect((await userRow(user.id)).mfa_pending_secret).toBeNull();

    // Step 2: confirm a pending secret with a valid code. Even with one on file (a half-done
    // enrolment of the owner), the half-signed-in session cannot make it the authenticator.
    const planted = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    await t.ctx.db.updateTable('user').set({ mfa_pending_secret: t.ctx.secrets.seal(planted) }).where('id', '=', user.id).execute();
    const confirm = await call(cookie, csrf, 'POST', '/api/auth/mfa/confirm', { code: t.totp(planted) });
    expect(confirm.statusCode).toBe(401);
    expect(confirm.json().code).toBe('YW_AUTH_MFA_REQUIRED');
    const row = await userRow(user.id);
    expect(t.ctx.secrets.open(row.mfa_secret!)).toBe(secret);

    // Nor can it change the password (which would lock the owner out and end their sessions).
    const password = await call(cookie, csrf, 'POST', '/api/auth/password', { currentPassword: user.password, newPassword: 'Taken#Over2026' });
    expect(password.statusCode).toBe(401);
    expect(password.json().code).toBe('YW_AUTH_MFA_REQUIRED');
    expect((await login(user.username, 'Taken#Over2026')).statusCode).toBe(401);

    // Every refusal is audited.
    for (const action of ['identity.mfa.enrol.start', 'identity.mfa.enrol', 'identity.password.change']) {
      const refused = (await auditOf(action, user.id)).filter((e) => e.outcome === 'failure');
      expect(refused.length, action).toBe(1);
    }

    // The owner's authenticator still completes the sign-in.
    const done = await call(cookie, csrf, 'POST', '/api/auth/mfa', { code: t.totp(secret) });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().pending).toBeNull();
  });

  it('#10.1 once MFA is on, re-enrolment needs the password and a current code, and is audited', async () => {
    const { user, s, secret } = await userWithMfa();
    const bare = await s.request('POST', '/api/auth/mfa/enrol');
    expect(bare.status).toBe(400);
    expect(bare.json.details.field).toBe('body.currentPassword');
    const wrongPassword = await s.request('POST', '/api/auth/mfa/enrol', { currentPassword: 'Wrong#pass1', code: t.totp(secret) });
    expect(wrongPassword.status).toBe(400);
    expect(wrongPassword.json).toMatchObject({ code: 'YW_PASSWORD_WRONG', details: { field: 'body.currentPassword' } });
    const wrongCode = await s.request('POST', '/api/auth/mfa/enrol', { currentPassword: user.password, code: t.totp(secret) === '000000' ? '111111' : '000000' });
    expect(wrongCode.json).toMatchObject({ code: 'YW_AUTH_MFA_INVALID', details: { field: 'body.code' } });
    const ok = await s.request('POST', '/api/auth/mfa/enrol', { currentPassword: user.password, code: t.totp(secret) });
    expect(ok.status, ok.body).toBe(200);
    const confirm = await s.request('POST', '/api/auth/mfa/confirm', { code: t.totp(ok.json.secret) });
    expect(confirm.status, confirm.body).toBe(200);
    const entries = await auditOf('identity.mfa.enrol', user.id);
    expect(entries.filter((e) => e.outcome === 'success').length).toBe(2);
    expect((await auditOf('identity.mfa.enrol.start', user.id)).length).toBeGreaterThanOrEqual(2);
  });

  it('#10.1 an administrator with the MFA-reset permission resets a user\'s MFA: audited, their sessions end', async () => {
    const { user, s } = await userWithMfa();
    const plainWriter = await t.signIn(await t.newUser({ permissions: ['identity.user.read', 'identity.user.write'] }));
    expect((await plainWriter.request('POST', `/api/users/${user.id}/reset-mfa`)).status).toBe(403);
    const res = await admin.request('POST', `/api/users/${user.id}/reset-mfa`);
    expect(res.status, res.body).toBe(200);
    const row = await userRow(user.id);
    expect(row.mfa_secret).toBeNull();
    expect(row.mfa_pending_secret).toBeNull();
    expect((await auditOf('identity.user.mfa-reset', user.id)).length).toBe(1);
    expect((await s.request('GET', '/api/auth/session')).status).toBe(401);
    // Signing in again no longer asks for a code.
    expect((await login(user.username, user.password)).json().pending).toBeNull();
    expect((await admin.request('POST', '/api/users/00000000-0000-7000-8000-000000000000/reset-mfa')).status).toBe(404);
    // Not on oneself: replacing one's own authenticator needs the password and a current code.
    const self = await admin.request('POST', `/api/users/${t.admin.id}/reset-mfa`);
    expect(self.status).toBe(409);
    expect(self.json.code).toBe('YW_CANNOT_CHANGE_SELF');
  });

  it('#10.1 `yunwei user reset-mfa` (the server-side way back when no administrator can sign in) clears MFA and is audited', async () => {
    const { user } = await userWithMfa();
    await new UserService(t.ctx).resetMfa(systemActor('cli'), user.id);
    expect((await userRow(user.id)).mfa_secret).toBeNull();
    const [entry] = await auditOf('identity.user.mfa-reset', user.id);
    expect(entry).toMatchObject({ outcome: 'success', actor_name: 'cli' });
  });

  // ---- #10.7 ----
  it('#10.7 twelve parallel wrong passwords count twelve failed attempts', async () => {
    expect((await admin.request('PATCH', '/api/security-policy', { lockoutThreshold: 100 })).status).toBe(200);
    try {
      const user = await t.newUser({ permissions: ['org.unit.read'] });
      const results = await Promise.all(Array.from({ length: 12 }, () => login(user.username, 'Wrong#pass1')));
      expect(results.every((r) => r.statusCode === 401)).toBe(true);
      expect((await userRow(user.id)).failed_attempts).toBe(12);
    } finally {
      expect((await admin.request('PATCH', '/api/security-policy', { lockoutThreshold: 5 })).status).toBe(200);
    }
  });

  it('#10.7 twelve parallel wrong passwords on re-authentication lock the account', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    const results = await Promise.all(Array.from({ length: 12 }, () => s.request('POST', '/api/auth/password', { currentPassword: 'Wrong#pass1', newPassword: 'Another#pass99' })));
    expect(results.every((r) => r.status === 400 || r.status === 423)).toBe(true);
    const row = await userRow(user.id);
    expect(row.locked_until).not.toBeNull();
    expect(row.locked_until! - Date.now()).toBeGreaterThan(14 * 60_000);
    expect((await auditOf('identity.user.lock', user.id)).length).toBeGreaterThanOrEqual(1);
  });

  // ---- #10.8 ----
  it('#10.8 a TOTP code is accepted once: replaying it in a later sign-in is refused', async () => {
    const { user, secret } = await userWithMfa();
    const first = await login(user.username, user.password);
    const code = t.totp(secret);
    const ok = await call(sessionCookie(first)!, '', 'POST', '/api/auth/mfa', { code });
    expect(ok.statusCode, ok.body).toBe(200);
    const second = await login(user.username, user.password);
    const replay = await call(sessionCookie(second)!, '', 'POST', '/api/auth/mfa', { code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json().code).toBe('YW_AUTH_MFA_INVALID');
    expect((await userRow(user.id)).failed_attempts).toBe(1);
  });

  it('#10.8 two parallel sign-ins with the same code: exactly one wins', async () => {
    const { user, secret } = await userWithMfa();
    const a = sessionCookie(await login(user.username, user.password))!;
    const b = sessionCookie(await login(user.username, user.password))!;
    const code = t.totp(secret);
    const results = await Promise.all([a, b].map((cookie) => call(cookie, '', 'POST', '/api/auth/mfa', { code })));
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 401]);
  });

  // ---- #10.14 ----
  it('#10.14 completing sign-in (MFA or forced password change) rotates the session id and CSRF token; login drops the old session', async () => {
    const { user, secret, s } = await userWithMfa();
    const pending = await login(user.username, user.password, s.cookie);
    // The session the browser carried before signing in again is ended.
    expect((await s.request('GET', '/api/auth/session')).status).toBe(401);
    const before = { cookie: sessionCookie(pending)!, csrf: pending.json().csrfToken as string };
    const done = await call(before.cookie, before.csrf, 'POST', '/api/auth/mfa', { code: t.totp(secret) });
    expect(done.statusCode, done.body).toBe(200);
    const after = { cookie: sessionCookie(done)!, csrf: done.json().csrfToken as string };
    expect(after.cookie).toBeTruthy();
    expect(after.cookie).not.toBe(before.cookie);
    expect(after.csrf).not.toBe(before.csrf);
    expect((await call(before.cookie, before.csrf, 'GET', '/api/auth/session')).statusCode).toBe(401);
    expect((await call(after.cookie, after.csrf, 'GET', '/api/auth/session')).statusCode).toBe(200);

    // A new account's forced password change ends its pending step: rotated too.
    const fresh = await t.newUser({ permissions: ['org.unit.read'] });
    const first = await login(fresh.username, fresh.password);
    expect(first.json().pending).toBe('password');
    const changed = await call(sessionCookie(first)!, first.json().csrfToken, 'POST', '/api/auth/password', { currentPassword: fresh.password, newPassword: `${fresh.password}Z7` });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(sessionCookie(changed)).toBeTruthy();
    expect(sessionCookie(changed)).not.toBe(sessionCookie(first));
    expect(changed.json().csrfToken).not.toBe(first.json().csrfToken);
    expect((await call(sessionCookie(first)!, '', 'GET', '/api/auth/session')).statusCode).toBe(401);
  });

  it('#10.14 the first MFA enrolment that a policy forces ends a pending step too: rotated', async () => {
    const auditor = await t.newUser({ roles: ['audit_admin'] });
    const first = await login(auditor.username, auditor.password);
    const changed = await call(sessionCookie(first)!, first.json().csrfToken, 'POST', '/api/auth/password', { currentPassword: auditor.password, newPassword: `${auditor.password}Z7` });
    expect(changed.json().pending).toBe('mfa-enrol');
    const before = { cookie: sessionCookie(changed)!, csrf: changed.json().csrfToken as string };
    const enrol = await call(before.cookie, before.csrf, 'POST', '/api/auth/mfa/enrol');
    expect(enrol.statusCode, enrol.body).toBe(200);
    const confirm = await call(before.cookie, before.csrf, 'POST', '/api/auth/mfa/confirm', { code: t.totp(enrol.json().secret) });
    expect(confirm.statusCode, confirm.body).toBe(200);
    expect(confirm.json().pending).toBeNull();
    expect(sessionCookie(confirm)).toBeTruthy();
    expect(sessionCookie(confirm)).not.toBe(before.cookie);
    expect(confirm.json().csrfToken).not.toBe(before.csrf);
    expect((await call(before.cookie, before.csrf, 'GET', '/api/auth/session')).statusCode).toBe(401);
    expect((await call(sessionCookie(confirm)!, confirm.json().csrfToken, 'GET', '/api/auth/session')).json().pending).toBeNull();
  });

  it('#10.14 logout needs the CSRF token', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const s = await t.signIn(user);
    const forged = await call(s.cookie, '', 'POST', '/api/auth/logout');
    expect(forged.statusCode).toBe(403);
    expect(forged.json().code).toBe('YW_AUTH_CSRF');
    expect((await s.request('GET', '/api/auth/session')).status).toBe(200);
    expect((await s.request('POST', '/api/auth/logout')).status).toBe(200);
    expect((await s.request('GET', '/api/auth/session')).status).toBe(401);
  });

  it("#10.14 an administrator's password reset revokes the user's API tokens unless told to keep them", async () => {
    const bearer = (secret: string) => t.app.inject({ method: 'GET', url: '/api/org-units', headers: { authorization: `Bearer ${secret}` } });
    const user = await t.newUser({ permissions: ['org.unit.read', 'identity.token.use'] });
    const s = await t.signIn(user);
    const token = (await s.request('POST', '/api/tokens', { name: 'ci', scopes: ['org.unit.read'], expiresInDays: 30 })).json.secret as string;
    expect((await bearer(token)).statusCode).toBe(200);
    const keep = await admin.request('POST', `/api/users/${user.id}/reset-password`, { password: 'Reset#pass2026', revokeTokens: false });
    expect(keep.status, keep.body).toBe(200);
    expect((await bearer(token)).statusCode).toBe(200);
    const reset = await admin.request('POST', `/api/users/${user.id}/reset-password`, { password: 'Reset#pass2027' });
    expect(reset.status, reset.body).toBe(200);
    expect((await bearer(token)).statusCode).toBe(401);
    const entry = (await auditOf('identity.user.reset-password', user.id)).at(-1)!;
    expect(JSON.stringify(entry.after)).toContain("tokensRevoked");
  });

  // ---- #10.15 ----
  it('#10.15 a locked account answers like a wrong password (401), still audited, and the admin list shows the lock', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    for (let i = 0; i < 5; i++) {
      await login(user.username, 'Wrong#pass1');
    }
    const locked = await login(user.username, user.password);
    const unknown = await login('nobody-here', user.password);
    expect(locked.statusCode).toBe(401);
    expect(locked.json().code).toBe('YW_AUTH_INVALID_CREDENTIALS');
    expect(locked.json()).toEqual(unknown.json());
    const entries = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'identity.login').where('target_id', '=', user.id).where('outcome', '=', 'failure').execute();
    expect(entries.some((e) => JSON.stringify(e.after).includes('locked'))).toBe(true);
    const list = await admin.request('GET', `/api/users?q=${user.username}`);
    expect(list.json.items.find((u: { id: string }) => u.id === user.id)).toMatchObject({ locked: true });
  });

  it('#10.15 common passwords are refused, whatever their case', async () => {
    for (const password of ['Passw0rd', 'P@ssw0rd', 'Qwerty123', 'pASSW0RD']) {
      const res = await admin.request('POST', '/api/users', { username: `common${password.length}${password.charCodeAt(1)}`, displayName: '常见密码', password });
      expect(res.status, password).toBe(400);
      expect(res.json).toMatchObject({ code: 'YW_PASSWORD_POLICY', details: { field: 'body.password' } });
    }
  });
});
