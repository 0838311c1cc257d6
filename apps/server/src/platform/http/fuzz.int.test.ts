import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession, type TestUser } from '../../../test/test-app.js';
import { bodyArbitrary, malformedJson, toRawJson, validish, WRONG_CONTENT_TYPES, type JsonSchema } from './fuzz-arbitraries.js';

/**
 * Property-based fuzzing of every JSON-body route of the OpenAPI document: bodies generated from the
 * route's schema, most of them mutated (wrong types, missing and unknown fields, non-finite and huge
 * numbers, long strings, deep nesting, NUL and lone surrogates, SQL and HTML), then malformed JSON
 * and wrong content types. No answer may be a 5xx, and every list that answered 200 before must
 * still answer 200 afterwards (nothing unreadable was stored).
 *
 * CI runs a fixed seed and few runs per route; `npm run fuzz` runs many more:
 *   YUNWEI_FUZZ_RUNS=300 YUNWEI_FUZZ_SEED=$RANDOM npm run fuzz
 */
const RUNS = Number(process.env.YUNWEI_FUZZ_RUNS ?? 30);
const SEED = Number(process.env.YUNWEI_FUZZ_SEED ?? 20261206);
const TIMEOUT_MS = Math.max(300_000, RUNS * 40_000);

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

interface BodyRoute {
  method: Method;
  /** OpenAPI form: `/api/x/{id}`. */
  path: string;
  schema: JsonSchema;
  access: string;
}

const ID_PATTERN = /^[0-9a-fA-F-]{1,64}$/;

/** Ids of the rows a list answer holds, at any depth (trees of org units, nested rows). */
function idsIn(json: unknown, out: string[] = []): string[] {
  if (Array.isArray(json)) {
    json.forEach((row) => idsIn(row, out));
  } else if (json && typeof json === 'object') {
    const { id } = json as { id?: unknown };
    if (typeof id === 'string' && ID_PATTERN.test(id)) {
      out.push(id);
    }
    Object.values(json).forEach((child) => idsIn(child, out));
  }
  return out;
}

/** Which list a body field's ids come from, so that references in generated bodies resolve. */
const ID_SOURCES: [RegExp, string][] = [
  [/^(orgUnitIds?|parentId)$/, '/api/org-units'],
  [/^roleIds?$/, '/api/roles'],
  [/^(userIds?|members|ownerId|assigneeId)$/, '/api/users'],
  [/^classIds?$/, '/api/cmdb/classes'],
  [/^(ciIds?|sourceId|targetId|memberIds|businessSystemIds?)$/, '/api/cmdb/cis'],
  [/^templateId$/, '/api/inspections/templates'],
  [/^checkIds?$/, '/api/checks'],
  [/^channelIds?$/, '/api/notify/channels'],
  [/^escalationId$/, '/api/alerting/escalations'],
  [/^(ruleIds?)$/, '/api/alerting/rules'],
  [/^(alertIds?|ids)$/, '/api/alerting/alerts'],
  [/^(scheduleIds?)$/, '/api/oncall/schedules'],
];

describe.skipIf(!databaseAvailable())('fuzz: every JSON-body route answers hostile input without a 5xx', () => {
  let t: TestApp;
  let sessions: TestSession[];
  /** Users the fuzzer must not disable, lock or strip of roles: its own sessions' (they would only end the run early). */
  const protectedUserIds = new Set<string>();
  /**
   * The `/api/auth/*` routes are fuzzed as a user of their own (a fresh one per route): a logout,
   * wrong MFA codes (which lock the account) or a password change there harm only that user.
   */
  let selfService: TestSession;
  const freshSelfService = async () => {
    const user = await t.newUser({ roles: ['viewer'] });
    protectedUserIds.add(user.id);
    return t.signIn(user);
  };
  let doc: { paths: Record<string, Record<string, any>>; components?: { schemas?: Record<string, JsonSchema> } };

  let users: TestUser[];
  const signInAll = async () => {
    sessions = [];
    for (const user of users) {
      sessions.push(await t.signIn(user));
    }
    for (const s of sessions) {
      protectedUserIds.add(s.state.user.id);
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    // `admin` is the system administrator; reserved permissions belong to the security administrator.
    users = [t.admin, await t.newUser({ roles: ['security_admin'] }), await t.newUser({ roles: ['audit_admin'] })];
    await signInAll();
    selfService = await freshSelfService();
    doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
  });
  afterAll(() => t?.close());

  const sessionFor = (path: string, access: string): TestSession =>
    path.startsWith('/api/auth/') ? selfService : (sessions.find((s) => s.state.permissions.includes(access)) ?? sessions[0]!);

  const accessOf = (method: string, path: string) => t.routes.find((r) => r.method === method && r.url === path.replace(/\{(\w+)\}/g, ':$1'))?.access ?? 'authenticated';

  function bodyRoutes(): BodyRoute[] {
    const routes: BodyRoute[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const schema = op?.requestBody?.content?.['application/json']?.schema as JsonSchema | undefined;
        if (schema && ['post', 'put', 'patch'].includes(method)) {
          routes.push({ method: method.toUpperCase() as Method, path, schema, access: accessOf(method.toUpperCase(), path) });
        }
      }
    }
    return routes;
  }

  /** GET routes without path parameters: the lists and settings every screen reads. */
  function listRoutes(): { path: string; access: string }[] {
    return Object.entries(doc.paths)
      .filter(([path, ops]) => ops.get && !path.includes('{'))
      .map(([path]) => ({ path, access: accessOf('GET', path) }));
  }

  async function listStatuses(): Promise<Map<string, { status: number; json: unknown; body: string }>> {
    const out = new Map<string, { status: number; json: unknown; body: string }>();
    for (const r of listRoutes()) {
      const res = await (sessions.find((s) => s.state.permissions.includes(r.access)) ?? sessions[0]!).request('GET', r.path);
      out.set(r.path, res);
    }
    return out;
  }

  /** Ids per list path, and all of them, from the current lists (the fuzzing sessions' own users left out). */
  async function harvestIds(): Promise<{ byList: Map<string, string[]>; all: string[]; forField: (name: string) => readonly string[] }> {
    const byList = new Map<string, string[]>();
    for (const [path, res] of await listStatuses()) {
      byList.set(
        path,
        idsIn(res.json).filter((id) => !protectedUserIds.has(id)),
      );
    }
    const all = [...new Set([...byList.values()].flat())];
    const forField = (name: string) => {
      const source = ID_SOURCES.find(([pattern]) => pattern.test(name))?.[1];
      return (source && byList.get(source)?.length ? byList.get(source)! : all);
    };
    return { byList, all, forField };
  }

  /** A concrete URL for a path template: real ids of the parent list where there are some. */
  function urlFor(path: string, ids: Map<string, string[]>, n: number): string {
    return path.replace(/\{(\w+)\}/g, (_, name: string, offset: number) => {
      if (name === 'year') {
        return '2026';
      }
      if (name === 'name') {
        return '__name__';
      }
      const candidates = ids.get(path.slice(0, offset - 1)) ?? [];
      return candidates.length ? candidates[n % candidates.length]! : randomUUID();
    });
  }

  it('fuzzes every JSON body route, then every list still answers as before', { timeout: TIMEOUT_MS }, async () => {
    const before = await listStatuses();
    // A fuzzed security policy (a 128-character minimum password) would stop the next fresh sign-in.
    const policy = (await sessions[1]!.request('GET', '/api/security-policy')).json;
    const restorePolicy = async () => {
      const res = await sessions[1]!.request('PATCH', '/api/security-policy', policy);
      expect(res.status, res.body).toBe(200);
    };
    const failures: string[] = [];
    const statuses = new Map<string, Map<number, number>>();
    const record = (route: BodyRoute, url: string, contentType: string, payload: string, res: { status: number; body: string; json: any }) => {
      const counts = statuses.get(`${route.method} ${route.path}`) ?? new Map<number, number>();
      statuses.set(`${route.method} ${route.path}`, counts.set(res.status, (counts.get(res.status) ?? 0) + 1));
      // A 5xx is a bug; so is a 4xx that is not one of our coded errors (a framework default leaking).
      if (res.status >= 500 || (res.status >= 400 && typeof res.json?.code !== 'string')) {
        failures.push(`${route.method} ${url} [${contentType}] ${payload.slice(0, 300)} → ${res.status} ${res.body.slice(0, 300)}`);
      }
    };
    const send = async (route: BodyRoute, url: string, payload: string, contentType = 'application/json') => {
      const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
      const res = await sessionFor(route.path, route.access).request(route.method, url, payload, headers);
      record(route, url, contentType, payload, res);
    };

    const routes = bodyRoutes();
    expect(routes.length).toBeGreaterThan(50);
    // Creations first (no path parameters), so that the updates after them find real rows to change.
    const phases = [routes.filter((r) => !r.path.includes('{')), routes.filter((r) => r.path.includes('{'))];
    for (const [phase, group] of phases.entries()) {
      const { byList, all, forField } = await harvestIds();
      for (const [index, route] of group.entries()) {
        if (route.path.startsWith('/api/auth/')) {
          selfService = await freshSelfService();
        }
        const arbitrary = fc.tuple(bodyArbitrary(route.schema, { components: doc.components?.schemas ?? {}, ids: all, idsFor: forField }), fc.nat());
        await fc.assert(
          fc.asyncProperty(arbitrary, async ([payload, n]) => {
            await send(route, urlFor(route.path, byList, n), payload);
          }),
          { seed: SEED + phase * 1000 + index, numRuns: RUNS, endOnFailure: true },
        );
        await restorePolicy();
      }
    }

    // The parser and the content-type checks, once per route, with a body that is otherwise right.
    const { byList, all, forField } = await harvestIds();
    for (const route of routes) {
      if (route.path.startsWith('/api/auth/')) {
        selfService = await freshSelfService();
      }
      const url = urlFor(route.path, byList, 0);
      const [valid] = fc.sample(validish(route.schema, { components: doc.components?.schemas ?? {}, ids: all, idsFor: forField }), { seed: SEED, numRuns: 1 });
      const validText = toRawJson(valid ?? {});
      for (const payload of malformedJson(validText)) {
        await send(route, url, payload);
      }
      for (const [contentType, body] of WRONG_CONTENT_TYPES) {
        await send(route, url, body(validText), contentType);
      }
      await restorePolicy();
    }
    if (process.env.YUNWEI_FUZZ_VERBOSE) {
      console.log([...statuses].map(([route, counts]) => `${route} ${[...counts].map(([s, n]) => `${s}×${n}`).join(' ')}`).join('\n'));
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(failures).toEqual([]);

    // Fresh sessions: the fuzzed policies may have ended the old ones (that is not a bug).
    await signInAll();
    const after = await listStatuses();
    const broken = [...before]
      .filter(([path, res]) => res.status === 200 && after.get(path)?.status !== 200)
      .map(([path]) => `GET ${path} → ${after.get(path)?.status} ${after.get(path)?.body.slice(0, 300)}`);
    expect(broken).toEqual([]);
    expect([...after].filter(([, res]) => res.status >= 500).map(([path, res]) => `GET ${path} → ${res.status}`)).toEqual([]);
  });
});
