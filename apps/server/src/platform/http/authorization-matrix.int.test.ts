import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_KINDS } from '@yunwei/contracts/access';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { buildApp } from '../../app.js';
import { loadConfig } from '../../config/config.js';
import { defineModule, type ModuleDefinition } from '../module.js';
import type { GuardedRoute } from './auth-guard.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** A concrete URL for a route pattern: every `:param` becomes a random (well-formed, unknown) id. */
function concrete(url: string): string {
  return url.replace(/:[A-Za-z_]+/g, () => randomUUID());
}

/** Writes carry an empty JSON object; reads carry nothing. */
function bodyFor(method: string): unknown {
  return method === 'POST' || method === 'PUT' || method === 'PATCH' ? {} : undefined;
}

const label = (r: GuardedRoute) => `${r.method} ${r.url}`;
/** Routes that check a credential of their own (host agents): not people's routes. */
const ownCredential = (r: GuardedRoute) => r.access.startsWith('credential:');
const needsPermission = (r: GuardedRoute) => r.access !== 'public' && r.access !== 'authenticated' && !ownCredential(r);

/**
 * The checked-in matrix: one line per route × subject, `"<METHOD> <url> | <access> | <subject>": <status>`,
 * routes sorted by url then method, subjects in SUBJECTS order. Each request is the one the tests above
 * send (unknown ids, an empty JSON body), so past the guard the status is the handler's answer to that
 * (400, 404, 200…): a change of either the guard or the handler's first check shows in the diff.
 * Regenerate after adding or changing a route (and review the diff; see CONTRIBUTING.md):
 * `YUNWEI_UPDATE_MATRIX=1 npx vitest run --project sqlite apps/server/src/platform/http/authorization-matrix.int.test.ts`.
 */
const MATRIX_FILE = fileURLToPath(new URL('./authorization-matrix.json', import.meta.url));
const UPDATE_MATRIX = process.env.YUNWEI_UPDATE_MATRIX === '1';
/** The built-in roles, each alone and unscoped, and an operator whose assignment is limited to one unit. */
/** These sweeps send a request per route (and per role): their time grows with the API, and a loaded CI machine is slow. */
const ROUTE_SWEEP_TIMEOUT = 180_000;
const SUBJECTS = [...ROLE_KINDS, 'operator@unit'] as const;
const matrixKey = (r: GuardedRoute, subject: string) => `${label(r)} | ${r.access} | ${subject}`;
const byUrlThenMethod = (a: GuardedRoute, b: GuardedRoute) => (a.url === b.url ? a.method.localeCompare(b.method) : a.url < b.url ? -1 : 1);

describe.skipIf(!databaseAvailable())('authorization matrix', () => {
  describe('every guarded route', () => {
    let t: TestApp;
    let reserved: Set<string>;
    beforeAll(async () => {
      t = await createTestApp();
      reserved = new Set(t.ctx.permissions.all().filter((p) => p.reserved).map((p) => p.id));
    });
    afterAll(() => t?.close());

    it('lists every route with its access, and every permission route uses a registered permission', () => {
      expect(t.routes.length).toBeGreaterThan(20);
      const byLabel = new Map(t.routes.map((r) => [label(r), r.access]));
      expect(byLabel.get('GET /api/users')).toBe('identity.user.read');
      expect(byLabel.get('PUT /api/users/:id/roles')).toBe('access.assignment.write');
      expect(byLabel.get('GET /metrics')).toBe('platform.metrics.read');
      expect(byLabel.get('POST /api/auth/login')).toBe('public');
      expect(byLabel.get('POST /api/auth/password')).toBe('authenticated');
      expect(byLabel.get('POST /api/agent/metrics')).toBe('credential:agent');
      for (const r of t.routes) {
        if (needsPermission(r)) {
          expect(t.ctx.permissions.has(r.access), label(r)).toBe(true);
        }
      }
      // The reserved permissions the matrix signs in with the built-in security administrator for.
      expect([...reserved].sort()).toEqual(['access.assignment.write', 'access.role.write', 'identity.policy.write']);
    });

    it('refuses every non-public route to an anonymous caller with 401 YW_AUTH_REQUIRED', async () => {
      const failures: string[] = [];
      for (const r of t.routes.filter((x) => x.access !== 'public')) {
        const res = await t.app.inject({ method: r.method as Method, url: concrete(r.url), headers: { 'accept-language': 'en' }, ...(bodyFor(r.method) ? { payload: {} } : {}) });
        // A route with its own credential refuses with its own 401 code.
        if (res.statusCode !== 401 || (!ownCredential(r) && res.json().code !== 'YW_AUTH_REQUIRED')) {
          failures.push(`${label(r)} → ${res.statusCode} ${res.body.slice(0, 120)}`);
        }
      }
      expect(failures).toEqual([]);
    }, ROUTE_SWEEP_TIMEOUT);

    it('answers public routes without credentials (never 401/403 from the guard)', async () => {
      for (const r of t.routes.filter((x) => x.access === 'public')) {
        const res = await t.app.inject({ method: r.method as Method, url: concrete(r.url), ...(bodyFor(r.method) ? { payload: {} } : {}) });
        expect(res.statusCode, label(r)).toBeLessThan(500);
        // /api/auth/session answers 401 itself when there is no session: that is the handler, not the guard.
        if (r.url !== '/api/auth/session') {
          expect([401, 403], `${label(r)} → ${res.statusCode} ${res.body}`).not.toContain(res.statusCode);
        }
      }
    });

    it('refuses every permission route with 403 YW_FORBIDDEN to a signed-in user holding no permission, and audits the denial', async () => {
      const nobody = await t.newUser({ permissions: [] });
      let s = await t.signIn(nobody);
      expect(s.state.permissions).toEqual([]);
      const failures: string[] = [];
      for (const r of t.routes) {
        const res = await s.request(r.method as Method, concrete(r.url), bodyFor(r.method));
        const isPermission = needsPermission(r);
        if (isPermission) {
          if (res.status !== 403 || res.json?.code !== 'YW_FORBIDDEN' || res.json?.details?.permission !== r.access) {
            failures.push(`${label(r)} → ${res.status} ${res.body.slice(0, 120)}`);
          }
        } else if (ownCredential(r)) {
          // A session is not that credential: refused by the route's own check.
          if (res.status !== 401) {
            failures.push(`${label(r)} (${r.access}) → ${res.status} ${res.body.slice(0, 120)}`);
          }
        } else if (res.status === 403 || (res.status === 401 && r.url !== '/api/auth/mfa')) {
          // /api/auth/mfa is the second sign-in step: with no sign-in waiting for a code it answers 401 itself.
          failures.push(`${label(r)} (${r.access}) → ${res.status} ${res.body.slice(0, 120)}`);
        }
        if (r.url === '/api/auth/logout') {
          s = await t.signIn(nobody);
        }
      }
      expect(failures).toEqual([]);
      const denial = await t.ctx.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'access.permission.deny')
        .where('actor_id', '=', nobody.id)
        .where('target_id', '=', 'GET /api/users')
        .executeTakeFirst();
      expect(denial).toMatchObject({ outcome: 'failure', actor_name: nobody.username });
      expect(JSON.parse(denial!.after)).toEqual({ permission: 'identity.user.read' });
    }, ROUTE_SWEEP_TIMEOUT);

    it('lets a user holding exactly the route permission through the guard (never 401/403)', async () => {
      const permissionRoutes = t.routes.filter(needsPermission);
      const byPermission = new Map<string, GuardedRoute[]>();
      for (const r of permissionRoutes) {
        byPermission.set(r.access, [...(byPermission.get(r.access) ?? []), r]);
      }
      const failures: string[] = [];
      let securityAdmin: TestSession | undefined;
      for (const [permission, routes] of byPermission) {
        // Reserved permissions cannot go into a custom role while separation of duties is on.
        const session = reserved.has(permission)
          ? (securityAdmin ??= await t.signIn(await t.newUser({ roles: ['security_admin'] })))
          : await t.signIn(await t.newUser({ permissions: [permission] }));
        if (!reserved.has(permission)) {
          expect(session.state.permissions).toEqual([permission]);
        }
        for (const r of routes) {
          const res = await session.request(r.method as Method, concrete(r.url), bodyFor(r.method));
          if (res.status === 401 || res.status === 403 || res.status >= 500) {
            failures.push(`${label(r)} as holder of ${permission} → ${res.status} ${res.body.slice(0, 160)}`);
          }
        }
      }
      expect(failures).toEqual([]);
    }, ROUTE_SWEEP_TIMEOUT);

    it('lets any signed-in user reach the "authenticated" routes (own password, own MFA, the home page\'s summary)', async () => {
      const authenticated = t.routes.filter((r) => r.access === 'authenticated');
      expect(authenticated.map(label).sort()).toEqual(['GET /api/home/summary', 'GET /api/permissions', 'POST /api/auth/mfa/confirm', 'POST /api/auth/mfa/enrol', 'POST /api/auth/password']);
      const s = await t.signIn(await t.newUser({ permissions: [] }));
      for (const r of authenticated) {
        const res = await s.request(r.method as Method, concrete(r.url), bodyFor(r.method));
        expect([401, 403], `${label(r)} → ${res.status} ${res.body}`).not.toContain(res.status);
      }
    });
  });

  describe('checked-in matrix', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('#10 every route answers each built-in role and a unit-scoped operator with the status in authorization-matrix.json', async () => {
      const unit = await (await t.signIn(t.admin)).request('POST', '/api/org-units', { name: '矩阵测试单位' });
      expect(unit.status, unit.body).toBe(200);
      const users = new Map<string, Awaited<ReturnType<TestApp['newUser']>>>();
      for (const subject of SUBJECTS) {
        users.set(subject, subject === 'operator@unit' ? await t.newUser({ roles: ['operator'], orgUnitIds: [unit.json.id], orgUnitId: unit.json.id }) : await t.newUser({ roles: [subject] }));
      }
      const routes = [...t.routes].sort(byUrlThenMethod);
      const actual: Record<string, number> = {};
      const serverErrors: string[] = [];
      // Route-major order, so that whatever a request changes, every subject meets it the same way.
      const sessions = new Map<string, TestSession>();
      for (const subject of SUBJECTS) {
        sessions.set(subject, await t.signIn(users.get(subject)!));
      }
      for (const r of routes) {
        const url = concrete(r.url);
        for (const subject of SUBJECTS) {
          const res = await sessions.get(subject)!.request(r.method as Method, url, bodyFor(r.method));
          actual[matrixKey(r, subject)] = res.status;
          if (res.status >= 500) {
            serverErrors.push(`${label(r)} as ${subject} → ${res.status} ${res.body.slice(0, 160)}`);
          }
          if (r.url === '/api/auth/logout') {
            sessions.set(subject, await t.signIn(users.get(subject)!));
          }
        }
      }
      if (UPDATE_MATRIX) {
        writeFileSync(MATRIX_FILE, `${JSON.stringify(actual, null, 2)}\n`);
      }
      const expected = JSON.parse(readFileSync(MATRIX_FILE, 'utf8')) as Record<string, number>;
      const problems: string[] = [];
      for (const [key, status] of Object.entries(actual)) {
        if (!(key in expected)) {
          problems.push(`missing from the matrix: ${key} → ${status}`);
        } else if (expected[key] !== status) {
          problems.push(`${key}: expected ${expected[key]}, got ${status}`);
        }
      }
      for (const key of Object.keys(expected).filter((k) => !(k in actual))) {
        problems.push(`stale entry (no such route or access): ${key}`);
      }
      const hint = 'after adding or changing a route, regenerate and review the diff: YUNWEI_UPDATE_MATRIX=1 npx vitest run --project sqlite apps/server/src/platform/http/authorization-matrix.int.test.ts';
      expect(problems, hint).toEqual([]);
      expect(serverErrors).toEqual([]);
      // The file's own order is the one it is generated in (stable, reviewable diffs).
      expect(Object.keys(expected), hint).toEqual(Object.keys(actual));
    }, ROUTE_SWEEP_TIMEOUT);
  });

  describe('route declarations are enforced at start-up', () => {
    const dirs: string[] = [];
    afterAll(() => {
      for (const d of dirs) {
        rmSync(d, { recursive: true, force: true });
      }
    });

    function config() {
      const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-routes-'));
      dirs.push(dataDir);
      return loadConfig({ YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: `sqlite:${path.join(dataDir, 'yunwei.db')}`, YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '' });
    }

    function fakeModule(routes: ModuleDefinition['routes']): ModuleDefinition {
      return defineModule({
        id: 'fake',
        name: { zh: '测试', en: 'Fake' },
        skills: [],
        permissions: [{ id: 'fake.thing.read', name: { zh: '查看', en: 'Read' }, grants: [] }],
        routes,
      });
    }

    it('starts with a module whose routes all declare their access, and lists them', async () => {
      const yunwei = await buildApp({
        config: config(),
        announce: () => undefined,
        modules: [
          fakeModule((app) => {
            app.get('/api/fake', { config: { permission: 'fake.thing.read' } }, () => ({ ok: true }));
            app.get('/api/fake/open', { config: { public: true } }, () => ({ ok: true }));
          }),
        ],
      });
      try {
        expect(yunwei.routes).toEqual(
          expect.arrayContaining([
            { method: 'GET', url: '/api/fake', access: 'fake.thing.read' },
            { method: 'GET', url: '/api/fake/open', access: 'public' },
          ]),
        );
        expect((await yunwei.app.inject({ method: 'GET', url: '/api/fake' })).statusCode).toBe(401);
        expect((await yunwei.app.inject({ method: 'GET', url: '/api/fake/open' })).statusCode).toBe(200);
      } finally {
        await yunwei.close();
      }
    });

    it('refuses to start when a route declares neither a permission nor public/authenticated, naming the route', async () => {
      const build = buildApp({
        config: config(),
        announce: () => undefined,
        modules: [fakeModule((app) => void app.post('/api/fake/open-door', {}, () => ({ ok: true })))],
      });
      await expect(build).rejects.toThrow(/POST \/api\/fake\/open-door declares neither a permission nor public/);
    });

    it('refuses to start when a route uses a permission no module registered, naming both', async () => {
      const build = buildApp({
        config: config(),
        announce: () => undefined,
        modules: [fakeModule((app) => void app.delete('/api/fake/:id', { config: { permission: 'fake.thing.write' } }, () => ({ ok: true })))],
      });
      await expect(build).rejects.toThrow(/DELETE \/api\/fake\/:id uses unregistered permission fake\.thing\.write/);
    });
  });
});
