import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiToken } from '@yunwei/contracts/identity';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe.skipIf(!databaseAvailable())('personal API tokens', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  /** A call with only the bearer token: no cookie, no CSRF header. */
  const bearer = async (secret: string, method: Method, url: string, body?: unknown) => {
    const res = await t.app.inject({ method, url, headers: { authorization: `Bearer ${secret}`, 'accept-language': 'en' }, ...(body === undefined ? {} : { payload: body as object }) });
    return { status: res.statusCode, json: res.json(), body: res.body };
  };

  /** A signed-in owner who may use tokens, read and write org units, and read users. */
  async function owner(extra: string[] = []): Promise<{ user: TestUser; s: TestSession }> {
    const user = await t.newUser({ permissions: ['identity.token.use', 'org.unit.read', 'org.unit.write', 'identity.user.read', ...extra] });
    return { user, s: await t.signIn(user) };
  }

  async function createToken(s: TestSession, scopes: string[], name = 'ci'): Promise<{ token: ApiToken; secret: string }> {
    const res = await s.request('POST', '/api/tokens', { name, scopes, expiresInDays: 30 });
    expect(res.status, res.body).toBe(200);
    return res.json;
  }

  it('creates a token whose secret is shown once and stored only as a hash', async () => {
    const { user, s } = await owner();
    const before = Date.now();
    const res = await s.request('POST', '/api/tokens', { name: '备份脚本', scopes: ['org.unit.write', 'org.unit.read'], expiresInDays: 30 });
    expect(res.status).toBe(200);
    const { token, secret } = res.json as { token: ApiToken; secret: string };
    expect(secret).toMatch(/^yw_[A-Za-z0-9_-]{40,}$/);
    expect(token).toMatchObject({ name: '备份脚本', prefix: secret.slice(0, 10), scopes: ['org.unit.read', 'org.unit.write'], revoked: false, lastUsedAt: null });
    expect(token.expiresAt! - before).toBeGreaterThanOrEqual(30 * 86_400_000);
    expect(token.expiresAt! - Date.now()).toBeLessThanOrEqual(30 * 86_400_000);
    expect(JSON.stringify(token)).not.toContain(secret);

    const row = await t.ctx.db.selectFrom('api_token').selectAll().where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(row.user_id).toBe(user.id);
    expect(row.token_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(row)).not.toContain(secret);
    expect(JSON.stringify(row)).not.toContain(secret.slice(10));

    // Neither the audit trail nor any other row holds it.
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'identity.token.create').where('target_id', '=', token.id).executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(user.id);
    expect(JSON.stringify(entry)).not.toContain(secret);
    expect(JSON.stringify(entry)).not.toContain(row.token_hash);
  });

  it('authenticates `Authorization: Bearer` calls without a CSRF token, as its owner', async () => {
    const { user, s } = await owner();
    const { token, secret } = await createToken(s, ['org.unit.read', 'org.unit.write']);
    const list = await bearer(secret, 'GET', '/api/org-units');
    expect(list.status).toBe(200);
    const created = await bearer(secret, 'POST', '/api/org-units', { name: '令牌创建的机构' });
    expect(created.status).toBe(200);
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'org.unit.create').where('target_id', '=', created.json.id).executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ actor_id: user.id, actor_name: user.username });
    const row = await t.ctx.db.selectFrom('api_token').select('last_used_at').where('id', '=', token.id).executeTakeFirstOrThrow();
    expect(row.last_used_at).toBeGreaterThan(0);
  });

  it('cannot touch its owner’s own credentials (password, MFA): those routes take a session only', async () => {
    const user = await t.newUser({ roles: ['operator'] });
    const s = await t.signIn(user);
    const { secret } = await createToken(s, ['org.unit.read']);
    const before = await t.ctx.db.selectFrom('user').select(['password_hash', 'mfa_secret', 'mfa_pending_secret']).where('id', '=', user.id).executeTakeFirstOrThrow();
    const attempts: [string, unknown][] = [
      ['/api/auth/mfa/enrol', undefined],
      ['/api/auth/mfa/confirm', { code: '123456' }],
      ['/api/auth/password', { currentPassword: user.password, newPassword: `${user.password}Zz9` }],
    ];
    for (const [url, body] of attempts) {
      const res = await bearer(secret, 'POST', url, body);
      expect(res.status, url).toBe(403);
      expect(res.json, url).toMatchObject({ code: 'YW_FORBIDDEN', details: { sessionRequired: true } });
    }
    const after = await t.ctx.db.selectFrom('user').select(['password_hash', 'mfa_secret', 'mfa_pending_secret']).where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(after).toEqual(before);
    const denials = await t.ctx.db.selectFrom('audit_log').select('target_id').where('action', '=', 'access.permission.deny').where('actor_id', '=', user.id).execute();
    expect(denials.map((d) => d.target_id).sort()).toEqual(['POST /api/auth/mfa/confirm', 'POST /api/auth/mfa/enrol', 'POST /api/auth/password']);
    // The session itself still works, and still signs in with the old password.
    expect((await s.request('GET', '/api/org-units')).status).toBe(200);
    expect((await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } })).statusCode).toBe(200);
  });

  it('limits a token to its scopes even when its owner can do more', async () => {
    const { s } = await owner();
    const { secret } = await createToken(s, ['org.unit.read']);
    expect((await s.request('GET', '/api/users')).status).toBe(200);
    const users = await bearer(secret, 'GET', '/api/users');
    expect(users.status).toBe(403);
    expect(users.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'identity.user.read' } });
    expect((await bearer(secret, 'POST', '/api/org-units', { name: 'x' })).status).toBe(403);
    // A token cannot mint or list tokens unless scoped to do so.
    expect((await bearer(secret, 'POST', '/api/tokens', { name: 'child', scopes: ['org.unit.read'], expiresInDays: 1 })).status).toBe(403);
    expect((await bearer(secret, 'GET', '/api/org-units')).status).toBe(200);
  });

  it('never does more than its owner can do today', async () => {
    const { user, s } = await owner();
    const { secret } = await createToken(s, ['org.unit.read', 'identity.user.read']);
    expect((await bearer(secret, 'GET', '/api/users')).status).toBe(200);
    // The owner loses identity.user.read: so does the token.
    const admin = await t.signIn(t.admin);
    const narrower = (await admin.request('POST', '/api/roles', { name: `narrow-${user.username}`, permissions: ['identity.token.use', 'org.unit.read'] })).json;
    expect((await admin.request('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: narrower.id, orgUnitIds: null }] })).status).toBe(200);
    expect((await bearer(secret, 'GET', '/api/users')).status).toBe(403);
    expect((await bearer(secret, 'GET', '/api/org-units')).status).toBe(200);
    // A disabled owner's tokens stop working.
    expect((await admin.request('PATCH', `/api/users/${user.id}`, { status: 'disabled' })).status).toBe(200);
    const disabled = await bearer(secret, 'GET', '/api/org-units');
    expect(disabled.status).toBe(401);
    expect(disabled.json.code).toBe('YW_AUTH_TOKEN_INVALID');
  });

  it('refuses a scope beyond the owner’s permissions at creation, naming the scope', async () => {
    const { user, s } = await owner();
    const res = await s.request('POST', '/api/tokens', { name: 'greedy', scopes: ['org.unit.read', 'audit.log.read'], expiresInDays: 30 });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'YW_TOKEN_SCOPE_EXCEEDS', details: { field: 'body.scopes.1', permission: 'audit.log.read' } });
    const reserved = await s.request('POST', '/api/tokens', { name: 'greedy', scopes: ['access.role.write'], expiresInDays: 30 });
    expect(reserved.json).toMatchObject({ code: 'YW_TOKEN_SCOPE_EXCEEDS', details: { field: 'body.scopes.0' } });
    const bogus = await s.request('POST', '/api/tokens', { name: 'bogus', scopes: ['not-a-permission'], expiresInDays: 30 });
    expect(bogus.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.scopes.0' } });
    const forever = await s.request('POST', '/api/tokens', { name: 'forever', scopes: ['org.unit.read'], expiresInDays: 3651 });
    expect(forever.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.expiresInDays' } });
    const none = await s.request('POST', '/api/tokens', { name: 'none', scopes: [], expiresInDays: 1 });
    expect(none.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.scopes' } });
    const rows = await t.ctx.db.selectFrom('api_token').select('id').where('user_id', '=', user.id).execute();
    expect(rows).toEqual([]);
  });

  it('stops working once expired', async () => {
    const { s } = await owner();
    const { token, secret } = await createToken(s, ['org.unit.read']);
    expect((await bearer(secret, 'GET', '/api/org-units')).status).toBe(200);
    await t.exec(`update api_token set expires_at = ${Date.now() - 1000} where id = '${token.id}'`);
    const res = await bearer(secret, 'GET', '/api/org-units');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('YW_AUTH_TOKEN_INVALID');
  });

  it('stops working once revoked; only its owner can revoke it; the revocation is audited', async () => {
    const { user, s } = await owner();
    const { token, secret } = await createToken(s, ['org.unit.read']);
    const other = await owner();
    const foreign = await other.s.request('DELETE', `/api/tokens/${token.id}`);
    expect(foreign.status).toBe(404);
    expect(foreign.json.code).toBe('YW_TOKEN_NOT_FOUND');
    expect((await bearer(secret, 'GET', '/api/org-units')).status).toBe(200);

    expect((await s.request('DELETE', `/api/tokens/${token.id}`)).status).toBe(200);
    const res = await bearer(secret, 'GET', '/api/org-units');
    expect(res.status).toBe(401);
    expect(res.json.code).toBe('YW_AUTH_TOKEN_INVALID');
    const listed = (await s.request('GET', '/api/tokens')).json as ApiToken[];
    expect(listed.find((x) => x.id === token.id)?.revoked).toBe(true);
    const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'identity.token.revoke').where('target_id', '=', token.id).executeTakeFirstOrThrow();
    expect(entry.actor_id).toBe(user.id);
    expect((await s.request('DELETE', `/api/tokens/${randomUUID()}`)).json.code).toBe('YW_TOKEN_NOT_FOUND');
  });

  it('refuses unknown, malformed and empty bearer tokens with 401', async () => {
    for (const secret of ['yw_doesnotexist', 'garbage', `yw_${'A'.repeat(43)}`, '']) {
      const res = await t.app.inject({ method: 'GET', url: '/api/org-units', headers: { authorization: `Bearer ${secret}` } });
      expect(res.statusCode, secret).toBe(401);
    }
    // A public route ignores a bad token rather than failing.
    const health = await t.app.inject({ method: 'GET', url: '/api/health', headers: { authorization: 'Bearer yw_bad' } });
    expect(health.statusCode).toBe(200);
  });

  it('lists my tokens without secrets or hashes, and nobody else’s', async () => {
    const { s } = await owner();
    const a = await createToken(s, ['org.unit.read'], 'first');
    const b = await createToken(s, ['identity.user.read'], 'second');
    const other = await owner();
    await createToken(other.s, ['org.unit.read'], 'someone else');

    const res = await s.request('GET', '/api/tokens');
    expect(res.status).toBe(200);
    const list = res.json as Record<string, unknown>[];
    expect(list.map((x) => x.name).sort()).toEqual(['first', 'second']);
    for (const item of list) {
      expect(Object.keys(item).sort()).toEqual(['createdAt', 'expiresAt', 'id', 'lastUsedAt', 'name', 'prefix', 'revoked', 'scopes']);
    }
    const hashes = await t.ctx.db.selectFrom('api_token').select('token_hash').where('id', 'in', [a.token.id, b.token.id]).execute();
    for (const secret of [a.secret, b.secret]) {
      expect(res.body).not.toContain(secret);
    }
    for (const { token_hash } of hashes) {
      expect(res.body).not.toContain(token_hash);
    }
    expect(res.body).not.toMatch(/hash|secret/i);
  });
});
