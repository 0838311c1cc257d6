import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

describe.skipIf(!databaseAvailable())('bad input is refused with a 4xx naming the field, never a 500', () => {
  let t: TestApp;
  let admin: TestSession;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(() => t?.close());

  /** A raw body with an explicit content type (the session helper sends objects as JSON). */
  const raw = (method: Method, url: string, payload: string, contentType = 'application/json') => admin.request(method, url, payload, { 'content-type': contentType });

  const countRows = async (table: 'user' | 'org_unit' | 'audit_log') =>
    Number((await t.ctx.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  it('refuses a malformed JSON body with 400 YW_MALFORMED_BODY', async () => {
    for (const payload of ['{"name":', '{name: "x"}', "{'name':'x'}", '{"name":"x"}}']) {
      const res = await raw('POST', '/api/org-units', payload);
      expect(res.status, payload).toBe(400);
      expect(res.json.code, payload).toBe('YW_MALFORMED_BODY');
    }
  });

  it('refuses a prototype-pollution body and leaves Object.prototype untouched', async () => {
    const res = await raw('POST', '/api/org-units', '{"name":"p","__proto__":{"polluted":true}}');
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('YW_MALFORMED_BODY');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses wrong types in a JSON body without coercing them, naming the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 5 }, 'body.name'],
      [{ name: true }, 'body.name'],
      [{ name: ['x'] }, 'body.name'],
      [{ name: 'ok', sortOrder: '5' }, 'body.sortOrder'],
      [{ name: 'ok', parentId: 12 }, 'body.parentId'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.request('POST', '/api/org-units', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json, JSON.stringify(body)).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
    // Nothing was created from a coerced value.
    const list = (await admin.request('GET', '/api/org-units')).json as { name: string }[];
    expect(list.map((u) => u.name)).not.toContain('5');
    expect(list.map((u) => u.name)).not.toContain('ok');
  });

  it('refuses over-long and blank strings, naming the field', async () => {
    const long = await admin.request('POST', '/api/org-units', { name: '部'.repeat(65) });
    expect(long.status).toBe(400);
    expect(long.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.name' } });
    expect(long.json.details.fields[0].message).toMatch(/64/);
    expect((await admin.request('POST', '/api/org-units', { name: '部'.repeat(64) })).status).toBe(200);

    const blank = await admin.request('POST', '/api/org-units', { name: '   ' });
    expect(blank.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.name' } });
    // No control characters, not even a single one between printable ones.
    for (const name of ['a\u001bb', 'a\u0001', '\u0007', 'x\ny']) {
      const control = await admin.request('POST', '/api/org-units', { name });
      expect(control.json, JSON.stringify(name)).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.name' } });
    }
    const username = await admin.request('POST', '/api/users', { username: 'u'.repeat(65), displayName: 'x', password: 'Long#enough1' });
    expect(username.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.username' } });
  });

  it('refuses unknown fields instead of dropping them, naming the field', async () => {
    const res = await admin.request('POST', '/api/org-units', { name: 'x', evil: 1 });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.evil' } });
    expect(res.json.details.fields).toEqual([{ field: 'body.evil', message: 'is not a known field' }]);
    expect(res.json.message).toContain('body.evil');

    const nested = await admin.request('POST', '/api/users', { username: 'nested', displayName: 'n', password: 'Long#enough1', roles: [{ roleId: randomUUID(), orgUnitIds: null, admin: true }] });
    expect(nested.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.roles.0.admin' } });
  });

  it('refuses a missing required field, naming it (every missing field is listed)', async () => {
    const res = await admin.request('POST', '/api/users', { username: 'someone' });
    expect(res.status).toBe(400);
    expect(res.json.code).toBe('YW_VALIDATION');
    const fields = (res.json.details.fields as { field: string }[]).map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['body.displayName', 'body.password']));
    expect(['body.displayName', 'body.password']).toContain(res.json.details.field);

    const empty = await admin.request('PATCH', `/api/users/${t.admin.id}`, {});
    expect(empty.status).toBe(400);
    expect(empty.json.code).toBe('YW_VALIDATION');
  });

  it('stores SQL-injection and HTML strings verbatim and harmlessly', async () => {
    const sqlName = "'; drop table user; --";
    const htmlName = '<script>alert("x")</script>';
    const usersBefore = await countRows('user');

    const unit = await admin.request('POST', '/api/org-units', { name: sqlName, code: 'INJ' });
    expect(unit.status).toBe(200);
    expect(unit.json.name).toBe(sqlName);
    const html = await admin.request('POST', '/api/org-units', { name: htmlName });
    expect(html.status).toBe(200);
    const user = await admin.request('POST', '/api/users', { username: 'robert.tables', displayName: `Robert'); DROP TABLE "user";-- ${htmlName}`, password: 'Long#enough1', orgUnitId: unit.json.id });
    expect(user.status).toBe(200);

    // Read back exactly as sent, served as JSON (never as HTML).
    const got = await admin.request('GET', `/api/org-units/${html.json.id}`);
    expect(got.json.name).toBe(htmlName);
    expect(String(got.headers['content-type'])).toMatch(/^application\/json/);
    expect((await admin.request('GET', `/api/users/${user.json.id}`)).json.displayName).toBe(`Robert'); DROP TABLE "user";-- ${htmlName}`);

    // The injection strings as search text match literally and break nothing.
    const search = await admin.request('GET', `/api/users?q=${encodeURIComponent("' or '1'='1")}`);
    expect(search.status).toBe(200);
    expect(search.json.total).toBe(0);
    const wildcard = await admin.request('GET', `/api/users?q=${encodeURIComponent('%')}`);
    expect(wildcard.json.total).toBe(0);
    const found = await admin.request('GET', `/api/users?q=${encodeURIComponent('drop table')}`);
    expect(found.json.items.map((u: { username: string }) => u.username)).toEqual(['robert.tables']);

    // The tables are all still there.
    expect(await countRows('user')).toBe(usersBefore + 1);
    expect(await countRows('org_unit')).toBeGreaterThanOrEqual(2);
    expect((await admin.request('GET', '/api/users')).status).toBe(200);
  });

  it('refuses bad query parameters, naming the parameter', async () => {
    const cases: [string, string][] = [
      ['/api/users?limit=abc', 'querystring.limit'],
      ['/api/users?limit=100000', 'querystring.limit'],
      ['/api/users?limit=0', 'querystring.limit'],
      ['/api/users?offset=-1', 'querystring.offset'],
      ['/api/users?sort=password_hash', 'querystring.sort'],
      ['/api/users?order=sideways', 'querystring.order'],
      ['/api/users?evil=1', 'querystring.evil'],
      [`/api/users?q=${'x'.repeat(201)}`, 'querystring.q'],
      ['/api/roles?limit=1.5', 'querystring.limit'],
    ];
    for (const [url, field] of cases) {
      const res = await admin.request('GET', url);
      expect(res.status, url).toBe(400);
      expect(res.json, url).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
    // The audit trail is the audit administrator's (separation of duties): same rules there.
    const auditor = await t.signIn(await t.newUser({ roles: ['audit_admin'] }));
    for (const [url, field] of [
      ['/api/audit/export?format=pdf', 'querystring.format'],
      ['/api/audit/export', 'querystring.format'],
      ['/api/audit?from=yesterday', 'querystring.from'],
      ['/api/audit?outcome=maybe', 'querystring.outcome'],
    ]) {
      const res = await auditor.request('GET', url!);
      expect(res.status, url).toBe(400);
      expect(res.json, url).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
  });

  it('refuses NUL characters anywhere (PostgreSQL cannot store them), naming the field, even before sign-in', async () => {
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', headers: { 'accept-language': 'en' }, payload: { username: 'adm\u0000in', password: 'x' } });
    expect(login.statusCode).toBe(400);
    expect(login.json()).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.username' } });
    const cases: [Method, string, unknown, string][] = [
      ['GET', '/api/users?q=%00', undefined, 'querystring.q'],
      ['GET', '/api/roles?q=a%00b', undefined, 'querystring.q'],
      ['POST', '/api/roles', { name: 'nul-role', description: 'a\u0000b', permissions: [] }, 'body.description'],
      ['POST', '/api/users', { username: 'nul.user', displayName: 'n', password: 'Long#enough1\u0000' }, 'body.password'],
      ['POST', '/api/org-units', { name: 'a\u0000b' }, 'body.name'],
    ];
    for (const [method, url, body, field] of cases) {
      const res = await admin.request(method, url, body);
      expect(res.status, url).toBe(400);
      expect(res.json, url).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
      if (field !== 'body.name') {
        // (a name's own pattern already refuses control characters)
        expect(res.json.details.fields[0].message).toMatch(/NUL/);
      }
    }
    expect(await t.ctx.db.selectFrom('role').select('id').where('name', '=', 'nul-role').executeTakeFirst()).toBeUndefined();
  });

  it('refuses lone surrogates, and NUL or lone surrogates in keys, naming the field', async () => {
    const cases: [string, string, string][] = [
      ['/api/org-units', '{"name":"x\\ud800"}', 'body.name'],
      ['/api/roles', '{"name":"r","description":"\\udfffx","permissions":[]}', 'body.description'],
      ['/api/roles', '{"name":"r","description":"a\\ud83d","permissions":[]}', 'body.description'],
      ['/api/v1/metrics', '{"samples":[{"metric":"yw_k","labels":{"a\\u0000":"v"},"value":1}]}', 'body.samples.0.labels.a\u0000'],
      ['/api/v1/metrics', '{"samples":[{"metric":"yw_k","labels":{"\\ud800":"v"},"value":1}]}', 'body.samples.0.labels.\ud800'],
    ];
    for (const [url, payload, field] of cases) {
      const res = await raw('POST', url, payload);
      expect(res.status, payload).toBe(400);
      expect(res.json, payload).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
    }
    // A proper pair (an emoji) is text like any other.
    const emoji = await raw('POST', '/api/roles', '{"name":"r\\ud83d\\ude00","description":"😀","permissions":[]}');
    expect(emoji.status).toBe(200);
    expect(emoji.json.name).toBe('r😀');
  });

  it('refuses malformed path ids with 400 and unknown ones with 404', async () => {
    for (const id of ['not-an-id!', "1'%20or%20'1'='1", 'f'.repeat(65), '%00']) {
      const res = await admin.request('GET', `/api/users/${id}`);
      expect(res.status, id).toBe(400);
      expect(res.json, id).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'params.id' } });
    }
    const unknown = await admin.request('GET', `/api/users/${randomUUID()}`);
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('YW_USER_NOT_FOUND');
    expect((await admin.request('DELETE', `/api/roles/${randomUUID()}`)).json.code).toBe('YW_ROLE_NOT_FOUND');
    expect((await admin.request('PATCH', `/api/org-units/${randomUUID()}`, { name: 'x' })).json.code).toBe('YW_ORG_NOT_FOUND');
  });

  it('refuses bodies that are not JSON objects, or not JSON at all', async () => {
    const text = await raw('POST', '/api/org-units', 'name=x', 'text/plain');
    expect([400, 415]).toContain(text.status);
    expect(text.json.code).toMatch(/^YW_(VALIDATION|UNSUPPORTED_MEDIA_TYPE)$/);
    const form = await raw('POST', '/api/org-units', 'name=x', 'application/x-www-form-urlencoded');
    expect(form.status).toBe(415);
    expect(form.json.code).toBe('YW_UNSUPPORTED_MEDIA_TYPE');
    const xml = await raw('POST', '/api/org-units', '<name>x</name>', 'application/xml');
    expect(xml.json.code).toBe('YW_UNSUPPORTED_MEDIA_TYPE');
    for (const payload of ['null', '[]', '"x"', '42']) {
      const res = await raw('POST', '/api/org-units', payload);
      expect(res.status, payload).toBe(400);
      expect(res.json, payload).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body' } });
    }
    const empty = await raw('POST', '/api/org-units', '');
    expect(empty.status).toBe(400);
    expect(empty.json.code).toMatch(/^YW_(MALFORMED_BODY|VALIDATION)$/);
  });

  it('refuses a body over 1 MiB with 413 YW_BODY_TOO_LARGE', async () => {
    const res = await raw('POST', '/api/org-units', JSON.stringify({ name: 'x'.repeat(1_100_000) }));
    expect(res.status).toBe(413);
    expect(res.json.code).toBe('YW_BODY_TOO_LARGE');
  });

  it('answers hostile bodies on every write route with a coded error or success, never a 500', async () => {
    const writes = t.routes.filter((r) => r.method !== 'GET' && r.url !== '/api/auth/logout');
    const failures: string[] = [];
    for (const r of writes) {
      const url = r.url.replace(/:[A-Za-z_]+/g, () => randomUUID());
      for (const payload of ['"x"', '[1,2]', 'null', '{"a":{"b":{"c":[{"d":null}]}}}', JSON.stringify({ name: 'x'.repeat(5000), permissions: ['a'], assignments: 'all' })]) {
        const res = await raw(r.method as Method, url, payload);
        if (res.status >= 500 || (res.status >= 400 && typeof res.json?.code !== 'string')) {
          failures.push(`${r.method} ${r.url} ${payload.slice(0, 30)} → ${res.status} ${res.body.slice(0, 100)}`);
        }
      }
    }
    expect(failures).toEqual([]);
    // The session survived it all.
    expect((await admin.request('GET', '/api/auth/session')).status).toBe(200);
  });

  it('leaves nothing half-written: a user with an unknown role is not created, nor audited', async () => {
    const usersBefore = await countRows('user');
    const auditBefore = await countRows('audit_log');
    const missing = randomUUID();
    const res = await admin.request('POST', '/api/users', { username: 'half.written', displayName: '半途', password: 'Long#enough1', roles: [{ roleId: missing, orgUnitIds: null }] });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'YW_ROLE_NOT_FOUND', details: { field: 'body.assignments.0.roleId', id: missing } });

    expect(await countRows('user')).toBe(usersBefore);
    expect(await t.ctx.db.selectFrom('user').select('id').where('username', '=', 'half.written').executeTakeFirst()).toBeUndefined();
    expect(await t.ctx.db.selectFrom('password_history as h').innerJoin('user as u', 'u.id', 'h.user_id').select('u.id').where('u.username', '=', 'half.written').executeTakeFirst()).toBeUndefined();
    expect(await countRows('audit_log')).toBe(auditBefore);
    const mention = await t.ctx.db.selectFrom('audit_log').select('id').where('after', 'like', '%half.written%').executeTakeFirst();
    expect(mention).toBeUndefined();
    // The chain's head was rolled back too: the trail still verifies and the next write links on.
    expect((await t.ctx.audit.verify()).ok).toBe(true);
    expect((await admin.request('POST', '/api/users', { username: 'half.written', displayName: '完整', password: 'Long#enough1' })).status).toBe(200);
    expect((await t.ctx.audit.verify()).ok).toBe(true);
  });

  it('leaves nothing half-written: an assignment to an unknown org unit keeps the old roles', async () => {
    const user = await t.newUser({ permissions: ['org.unit.read'] });
    const before = (await admin.request('GET', `/api/users/${user.id}`)).json.roles;
    const viewer = (await admin.request('GET', '/api/roles?limit=500')).json.items.find((r: { kind: string }) => r.kind === 'viewer');
    const res = await admin.request('PUT', `/api/users/${user.id}/roles`, { assignments: [{ roleId: viewer.id, orgUnitIds: [randomUUID()] }] });
    expect(res.status).toBe(404);
    expect(res.json).toMatchObject({ code: 'YW_ORG_NOT_FOUND', details: { field: 'body.assignments.0.orgUnitIds' } });
    expect((await admin.request('GET', `/api/users/${user.id}`)).json.roles).toEqual(before);
  });
});
