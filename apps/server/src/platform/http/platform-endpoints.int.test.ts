import { randomUUID } from 'node:crypto';
import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { sqliteHandleOf } from '../../db/database.js';

describe.skipIf(!databaseAvailable())('platform endpoints', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });

  /** A bearer token holding exactly `scopes` (its owner holds them plus token use). */
  async function token(scopes: string[]): Promise<string> {
    const owner = await t.signIn(await t.newUser({ permissions: ['identity.token.use', ...scopes] }));
    const res = await owner.request('POST', '/api/tokens', { name: 'monitoring', scopes, expiresInDays: 1 });
    expect(res.status, res.body).toBe(200);
    return res.json.secret as string;
  }

  describe('health, API description, docs', () => {
    it('answers /api/health without credentials, naming the database', async () => {
      const res = await get('/api/health');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ status: 'ok', database: t.dialect });
      expect(Math.abs(res.json().time - Date.now())).toBeLessThan(60_000);
    });

    it('publishes an OpenAPI 3 description with the routes and their schemas', async () => {
      const res = await get('/api/openapi.json');
      expect(res.statusCode).toBe(200);
      const doc = res.json();
      expect(doc.openapi).toMatch(/^3\./);
      expect(doc.info.title).toContain('Yunwei');
      expect(Object.keys(doc.components.securitySchemes).sort()).toEqual(['bearer', 'session']);

      const users = doc.paths['/api/users'];
      expect(users.get.tags).toEqual(['users']);
      expect(users.get.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['limit', 'offset', 'q', 'orgUnitId']));
      expect(users.get.responses['200'].content['application/json'].schema.properties).toHaveProperty('items');
      const create = users.post.requestBody.content['application/json'].schema;
      expect(create.required).toEqual(expect.arrayContaining(['username', 'displayName', 'password']));
      expect(create.properties.username).toMatchObject({ type: 'string', maxLength: 64 });
      expect(create.additionalProperties).toBe(false);
      expect(doc.paths['/api/users/{id}'].get.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'id', in: 'path' })]));

      // Every guarded API route is described, except the deliberately hidden ones.
      const described = new Set<string>();
      for (const [p, ops] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
        for (const method of Object.keys(ops)) {
          described.add(`${method.toUpperCase()} ${p.replace(/\{(\w+)\}/g, ':$1')}`);
        }
      }
      // WebSocket routes are left out by @fastify/swagger: OpenAPI 3 cannot describe a socket.
      const websockets = new Set(['GET /api/monitoring/live', 'GET /api/alerting/live']);
      const missing = t.routes.filter((r) => r.url.startsWith('/api/') && r.url !== '/api/openapi.json' && !described.has(`${r.method} ${r.url}`) && !websockets.has(`${r.method} ${r.url}`));
      expect(missing).toEqual([]);
      expect(described.has('GET /metrics')).toBe(false);
    });

    it('serves the Swagger UI at /api/docs', async () => {
      let res = await get('/api/docs');
      for (let hops = 0; hops < 5 && res.statusCode >= 300 && res.statusCode < 400; hops++) {
        res = await get(new URL(String(res.headers.location), 'http://localhost/api/docs').pathname);
      }
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.body).toContain('Swagger UI');
      const spec = await get('/api/docs/json');
      expect(spec.statusCode).toBe(200);
      expect(spec.json().paths).toHaveProperty(['/api/users']);
    });
  });

  describe('metrics', () => {
    it('refuses /metrics without credentials', async () => {
      const res = await get('/metrics');
      expect(res.statusCode).toBe(401);
      expect(res.json().code).toBe('YW_AUTH_REQUIRED');
    });

    it('serves Prometheus text to a token holding platform.metrics.read, labelled by route pattern', async () => {
      const secret = await token(['platform.metrics.read']);
      const id = randomUUID();
      await get('/api/health');
      await admin.request('GET', `/api/users/${id}`);
      const res = await get('/metrics', { authorization: `Bearer ${secret}` });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = res.body;
      expect(text).toContain('# TYPE yunwei_http_requests_total counter');
      expect(text).toMatch(/^yunwei_http_requests_total\{method="GET",route="\/api\/health",status="200"\} [1-9]\d*$/m);
      expect(text).toMatch(/^yunwei_http_requests_total\{method="GET",route="\/api\/users\/:id",status="404"\} [1-9]\d*$/m);
      expect(text).toContain('yunwei_http_request_duration_seconds_bucket');
      expect(text).toMatch(/^(yunwei_)?process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^yunwei_nodejs_heap_size_used_bytes \d/m);
      // Ids in URLs never become labels.
      expect(text).not.toContain(id);
    });

    it('counts sign-ins by outcome through the event bus', async () => {
      const secret = await token(['platform.metrics.read']);
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'Wrong#pass1' } });
      const text = (await get('/metrics', { authorization: `Bearer ${secret}` })).body;
      expect(text).toMatch(/^yunwei_logins_total\{outcome="failure",reason="unknown user"\} [1-9]\d*$/m);
      expect(text).toMatch(/^yunwei_logins_total\{outcome="success",reason=""\} [1-9]\d*$/m);
      expect(text).toContain('# TYPE yunwei_account_lockouts_total counter');
    });

    it('refuses /metrics to a token without that scope, even when its owner is an administrator', async () => {
      const owner = await t.signIn(await t.newUser({ roles: ['system_admin'] }));
      const created = await owner.request('POST', '/api/tokens', { name: 'narrow', scopes: ['org.unit.read'], expiresInDays: 1 });
      const res = await get('/metrics', { authorization: `Bearer ${created.json.secret}` });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'platform.metrics.read' } });
      expect((await owner.request('GET', '/metrics')).status).toBe(200);
    });
  });

  describe('HTTP behaviour', () => {
    it('sends security headers on pages, API answers and errors alike', async () => {
      for (const res of [await get('/api/health'), await get('/api/users'), await get('/api/docs')]) {
        const h = res.headers;
        expect(h['content-security-policy'], res.raw.req.url).toContain("default-src 'self'");
        expect(h['content-security-policy']).toContain("object-src 'none'");
        expect(h['content-security-policy']).toContain("frame-ancestors 'self'");
        expect(h['x-content-type-options']).toBe('nosniff');
        expect(h['x-frame-options']).toBe('SAMEORIGIN');
        expect(h['referrer-policy']).toBe('no-referrer');
        expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
        expect(h['x-powered-by']).toBeUndefined();
      }
    });

    it('answers an unknown API route with 404 YW_ROUTE_NOT_FOUND as JSON (after authentication)', async () => {
      for (const [method, url] of [
        ['GET', '/api/nope'],
        ['POST', '/api/users/x/y/z'],
        ['DELETE', '/api/health'],
      ] as const) {
        const res = await admin.request(method, url);
        expect(res.status, url).toBe(404);
        expect(String(res.headers['content-type'])).toMatch(/^application\/json/);
        expect(res.json).toMatchObject({ code: 'YW_ROUTE_NOT_FOUND', message: 'No such API endpoint', details: { method, url } });
      }
      // Anonymous callers learn nothing about which API routes exist.
      const anon = await get('/api/nope');
      expect(anon.statusCode).toBe(401);
      expect(anon.json().code).toBe('YW_AUTH_REQUIRED');
      // Outside the API (no web UI built into this app) the same JSON 404, no sign-in needed.
      const page = await get('/no/such/page');
      expect(page.statusCode).toBe(404);
      expect(page.json().code).toBe('YW_ROUTE_NOT_FOUND');
    });

    it('speaks Chinese by default and English on request', async () => {
      expect((await get('/api/users')).json().message).toBe('请先登录');
      expect((await get('/api/users', { 'accept-language': 'zh-CN,zh;q=0.9' })).json().message).toBe('请先登录');
      expect((await get('/api/users', { 'accept-language': 'en-US,en;q=0.8' })).json().message).toBe('Sign in first');
    });

    it('never leaks stack traces or internals in errors', async () => {
      const res = await admin.request('POST', '/api/org-units', '{"name":', { 'content-type': 'application/json' });
      expect(res.status).toBe(400);
      expect(Object.keys(res.json).sort()).toEqual(['code', 'message']);
      expect(res.body).not.toMatch(/at .*\.(ts|js):\d+|FST_|SyntaxError/);
    });

    it('answers 503 YW_DB_BUSY, saving nothing, while another connection holds SQLite\'s write lock past the busy timeout', async (ctx) => {
      if (t.dialect !== 'sqlite') {
        return ctx.skip(); // PostgreSQL has row locks, no database-wide write lock
      }
      const other = new SQLite(sqliteHandleOf(t.ctx.db)!.name);
      const name = `busy-${randomUUID().slice(0, 8)}`;
      try {
        other.prepare('begin immediate').run();
        const res = await admin.request('POST', '/api/org-units', { name });
        expect(res.status, res.body).toBe(503);
        expect(res.json.code).toBe('YW_DB_BUSY');
      } finally {
        other.prepare('rollback').run();
        other.close();
      }
      const named = async () => ((await admin.request('GET', '/api/org-units')).json as { name: string }[]).filter((u) => u.name === name);
      expect(await named()).toHaveLength(0);
      expect((await admin.request('POST', '/api/org-units', { name })).status).toBe(200);
      expect(await named()).toHaveLength(1);
    }, 30_000);
  });

  describe('login rate limit', () => {
    let limited: TestApp;
    beforeAll(async () => {
      limited = await createTestApp({ YUNWEI_LOGIN_RATE_LIMIT: '3' });
    });
    afterAll(() => limited?.close());

    const login = (username: string, password: string, remoteAddress = '127.0.0.1') =>
      limited.app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, headers: { 'accept-language': 'en' }, payload: { username, password } });

    it('answers the 4th sign-in within a minute from one address with 429 YW_RATE_LIMITED', async () => {
      const user = await limited.newUser({ permissions: ['org.unit.read'] });
      for (let i = 0; i < 3; i++) {
        const res = await login('nobody-at-all', 'Wrong#pass1');
        expect(res.statusCode, `attempt ${i + 1}`).toBe(401);
        expect(res.headers['x-ratelimit-limit']).toBe('3');
      }
      // Even the right password is refused now: the limit is per address, before credentials are checked.
      const fourth = await login(user.username, user.password);
      expect(fourth.statusCode).toBe(429);
      expect(fourth.json()).toMatchObject({ code: 'YW_RATE_LIMITED', message: 'Too many requests, try again later' });
      expect(Number(fourth.headers['retry-after'])).toBeGreaterThan(0);
      const locked = await limited.ctx.db.selectFrom('user').select(['failed_attempts', 'last_login_at']).where('id', '=', user.id).executeTakeFirstOrThrow();
      expect(locked).toEqual({ failed_attempts: 0, last_login_at: null });

      // Another client address is not affected, nor are other routes.
      expect((await login(user.username, user.password, '10.1.2.3')).statusCode).toBe(200);
      expect((await limited.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    });
  });

  describe('job runner', () => {
    const jobRow = (id: number) => t.ctx.db.selectFrom('job').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const makeDue = (id: number) => t.exec(`update job set run_at = ${Date.now() - 1} where id = ${id}`);

    it('runs a defined job with its payload and records it done', async () => {
      const seen: unknown[] = [];
      t.jobs.define({ name: 'test.echo', run: async (payload) => void seen.push(payload) });
      const id = await t.jobs.enqueue('test.echo', { host: '服务器-01', n: 1 });
      expect((await jobRow(id)).status).toBe('queued');
      expect(await t.jobs.drain()).toBe(1);
      expect(seen).toEqual([{ host: '服务器-01', n: 1 }]);
      const row = await jobRow(id);
      expect(row).toMatchObject({ status: 'done', attempts: 1, last_error: null, lease_until: null });
      expect(row.finished_at).toBeGreaterThan(0);
      expect(await t.jobs.drain()).toBe(0);
    });

    it('waits for a job scheduled later', async () => {
      const ran: number[] = [];
      t.jobs.define({ name: 'test.later', run: async () => void ran.push(1) });
      const id = await t.jobs.enqueue('test.later', null, { runAt: Date.now() + 60_000 });
      expect(await t.jobs.drain()).toBe(0);
      expect((await jobRow(id)).status).toBe('queued');
      await makeDue(id);
      expect(await t.jobs.drain()).toBe(1);
      expect(ran).toEqual([1]);
    });

    it('retries a failing job with exponential backoff and marks it failed after the last attempt', async () => {
      let calls = 0;
      t.jobs.define({ name: 'test.always-fails', maxAttempts: 3, run: async () => {
        calls++;
        throw new Error(`boom ${calls}`);
      } });
      const id = await t.jobs.enqueue('test.always-fails');

      const expectedBackoff = [5_000, 10_000];
      for (const [attempt, backoff] of expectedBackoff.entries()) {
        const before = Date.now();
        expect(await t.jobs.drain()).toBe(1);
        const after = Date.now();
        const row = await jobRow(id);
        expect(row).toMatchObject({ status: 'queued', attempts: attempt + 1, last_error: `boom ${attempt + 1}`, lease_until: null, finished_at: null });
        expect(row.run_at).toBeGreaterThanOrEqual(before + backoff);
        expect(row.run_at).toBeLessThanOrEqual(after + backoff);
        // Not due yet: nothing runs.
        expect(await t.jobs.drain()).toBe(0);
        await makeDue(id);
      }
      expect(await t.jobs.drain()).toBe(1);
      const failed = await jobRow(id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 3, last_error: 'boom 3' });
      expect(failed.finished_at).toBeGreaterThan(0);
      expect(calls).toBe(3);
      await makeDue(id);
      expect(await t.jobs.drain()).toBe(0);
      expect(calls).toBe(3);
    });

    it('succeeds on a retry after a transient failure', async () => {
      let calls = 0;
      t.jobs.define({ name: 'test.flaky', run: async () => {
        if (++calls === 1) {
          throw new Error('transient');
        }
      } });
      const id = await t.jobs.enqueue('test.flaky');
      await t.jobs.drain();
      expect(await jobRow(id)).toMatchObject({ status: 'queued', attempts: 1, last_error: 'transient' });
      await makeDue(id);
      await t.jobs.drain();
      expect(await jobRow(id)).toMatchObject({ status: 'done', attempts: 2, last_error: null });
    });

    it('takes over a running job whose lease expired (a crashed runner), and fails jobs nobody handles', async () => {
      let runs = 0;
      t.jobs.define({ name: 'test.orphan', run: async () => void runs++ });
      const orphan = await t.jobs.enqueue('test.orphan');
      await t.exec(`update job set status = 'running', attempts = 1, lease_until = ${Date.now() - 1} where id = ${orphan}`);
      const gone = await t.jobs.enqueue('test.orphan');
      await t.exec(`update job set name = 'test.removed-module' where id = ${gone}`);
      const leased = await t.jobs.enqueue('test.orphan');
      await t.exec(`update job set status = 'running', attempts = 1, lease_until = ${Date.now() + 60_000} where id = ${leased}`);

      await t.jobs.drain();
      expect(await jobRow(orphan)).toMatchObject({ status: 'done', attempts: 2 });
      expect(await jobRow(gone)).toMatchObject({ status: 'failed', last_error: 'no handler for job test.removed-module' });
      // A job another runner still holds is left alone.
      expect(await jobRow(leased)).toMatchObject({ status: 'running', attempts: 1 });
      expect(runs).toBe(1);
    });

    it('refuses to enqueue an unknown job or to define one twice', async () => {
      await expect(t.jobs.enqueue('test.never-defined')).rejects.toThrow(/unknown job test\.never-defined/);
      t.jobs.define({ name: 'test.once', run: async () => undefined });
      expect(() => t.jobs.define({ name: 'test.once', run: async () => undefined })).toThrow(/defined twice/);
      // The modules' own jobs are defined at start-up.
      expect(() => t.jobs.define({ name: 'audit.retention-purge', run: async () => undefined })).toThrow(/defined twice/);
    });
  });
});
