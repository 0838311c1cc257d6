import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckList } from '@yunwei/contracts/checks';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

// Nothing listens on port 1 of 127.0.0.1: a run is a quick DOWN.
const closed = { host: '127.0.0.1', port: 1 };

describe.skipIf(!databaseAvailable())('checks: org-unit data scope', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let op: TestSession;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'checks');
    op = await w.scopedToA(['checks.check.read', 'checks.check.write', 'checks.check.run', 'cmdb.ci.read']);
    const create = async (key: string, body: Record<string, unknown>) => {
      const res = await admin.request('POST', '/api/checks', { name: `scope ${key}`, type: 'tcp', settings: closed, timeoutMs: 1000, ...body });
      expect(res.status, res.body).toBe(200);
      ids[key] = (res.json as Check).id;
    };
    await create('on-ci-a', { ciId: w.ciA });
    await create('on-ci-b', { ciId: w.ciB });
    await create('own-a1', { orgUnitId: w.unitA1 });
    await create('own-b', { orgUnitId: w.unitB });
    await create('whole-org', {});
  });
  afterAll(() => t?.close());

  it('lists only the checks of CIs and units in scope; an unrestricted admin sees all, with their units', async () => {
    const mine = (await op.request('GET', '/api/checks?q=scope')).json as CheckList;
    expect(mine.items.map((c) => c.name).sort()).toEqual(['scope on-ci-a', 'scope own-a1']);
    expect(mine.total).toBe(2);
    const all = (await admin.request('GET', '/api/checks?q=scope')).json as CheckList;
    expect(Object.fromEntries(all.items.map((c) => [c.name, c.orgUnitId]))).toEqual({
      'scope on-ci-a': w.unitA1,
      'scope on-ci-b': w.unitB,
      'scope own-a1': w.unitA1,
      'scope own-b': w.unitB,
      'scope whole-org': null,
    });
    expect(all.items.find((c) => c.id === ids['own-a1'])!.orgUnitName).toBe('甲一-checks');
    // Filtering by an out-of-scope CI finds nothing rather than the other unit's checks.
    expect(((await op.request('GET', `/api/checks?ciId=${w.ciB}`)).json as CheckList).items).toEqual([]);
  });

  it('a check outside the scope does not exist for the reader: detail, results, run, change and delete are 404', async () => {
    for (const key of ['on-ci-b', 'own-b', 'whole-org']) {
      const id = ids[key]!;
      for (const [method, url, body] of [
        ['GET', `/api/checks/${id}`, undefined],
        ['GET', `/api/checks/${id}/results`, undefined],
        ['POST', `/api/checks/${id}/run`, undefined],
        ['PATCH', `/api/checks/${id}`, { name: 'taken over' }],
        ['DELETE', `/api/checks/${id}`, undefined],
      ] as const) {
        const res = await op.request(method, url, body);
        expect(res.status, `${method} ${url} (${key})`).toBe(404);
        expect(res.json.code).toBe('YW_CHECK_NOT_FOUND');
      }
    }
    expect((await admin.request('GET', `/api/checks/${ids['own-b']}`)).json.name).toBe('scope own-b');
    // In scope: everything works.
    expect((await op.request('GET', `/api/checks/${ids['on-ci-a']}`)).status).toBe(200);
    expect((await op.request('POST', `/api/checks/${ids['own-a1']}/run`)).json.status).toBe('down');
    expect((await op.request('GET', `/api/checks/${ids['own-a1']}/results`)).json.items).toHaveLength(1);
    expect((await op.request('PATCH', `/api/checks/${ids['own-a1']}`, { name: 'scope own-a1' })).status).toBe(200);
  });

  it('creating or moving a check outside the write scope is refused naming the field; a unit is required without a CI', async () => {
    const body = { name: 'scope new', type: 'tcp', settings: closed };
    const refusals: [string, 'POST' | 'PATCH', string, Record<string, unknown>, number, string, string][] = [
      ['on a CI of 乙', 'POST', '/api/checks', { ...body, ciId: w.ciB }, 403, 'YW_OUT_OF_SCOPE', 'body.ciId'],
      ['in unit 乙', 'POST', '/api/checks', { ...body, orgUnitId: w.unitB }, 403, 'YW_OUT_OF_SCOPE', 'body.orgUnitId'],
      ['for the whole organisation', 'POST', '/api/checks', { ...body, orgUnitId: null }, 403, 'YW_OUT_OF_SCOPE', 'body.orgUnitId'],
      ['without a CI or unit', 'POST', '/api/checks', body, 400, 'YW_VALIDATION', 'body.orgUnitId'],
      ['moved to 乙', 'PATCH', `/api/checks/${ids['own-a1']}`, { orgUnitId: w.unitB }, 403, 'YW_OUT_OF_SCOPE', 'body.orgUnitId'],
      ['attached to a CI of 乙', 'PATCH', `/api/checks/${ids['own-a1']}`, { ciId: w.ciB }, 403, 'YW_OUT_OF_SCOPE', 'body.ciId'],
    ];
    const before = ((await admin.request('GET', '/api/checks?q=scope')).json as CheckList).total;
    for (const [what, method, url, payload, status, code, field] of refusals) {
      const res = await op.request(method, url, payload);
      expect(res.status, what).toBe(status);
      expect(res.json.code, what).toBe(code);
      expect(res.json.details.field, what).toBe(field);
    }
    expect(((await admin.request('GET', '/api/checks?q=scope')).json as CheckList).total).toBe(before);
    expect((await admin.request('GET', `/api/checks/${ids['own-a1']}`)).json).toMatchObject({ orgUnitId: w.unitA1, ciId: null });

    const inA = await op.request('POST', '/api/checks', { ...body, orgUnitId: w.unitA });
    expect(inA.status, inA.body).toBe(200);
    expect(inA.json).toMatchObject({ orgUnitId: w.unitA, orgUnitName: '甲-checks' });
    // Off its CI without a unit named, a check keeps the CI's unit.
    const onCi = (await op.request('POST', '/api/checks', { ...body, name: 'scope detach', ciId: w.ciA })).json as Check;
    expect((await op.request('PATCH', `/api/checks/${onCi.id}`, { ciId: null })).json).toMatchObject({ ciId: null, orgUnitId: w.unitA1 });
  });

  it('an unrestricted admin may leave the unit out (the whole organisation); a unit beside a CI or an unknown unit is refused', async () => {
    const body = { name: 'scope admin', type: 'tcp', settings: closed };
    expect((await admin.request('POST', '/api/checks', body)).json.orgUnitId).toBeNull();
    const both = await admin.request('POST', '/api/checks', { ...body, ciId: w.ciA, orgUnitId: w.unitA });
    expect(both.status).toBe(400);
    expect(both.json.details.field).toBe('body.orgUnitId');
    const unknown = await admin.request('POST', '/api/checks', { ...body, orgUnitId: '0190a0a0-0000-7000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.json).toMatchObject({ code: 'YW_ORG_NOT_FOUND', details: { field: 'body.orgUnitId' } });
  });

  it('a reader scoped to 甲 without write sees its checks and may not change them', async () => {
    const reader = await w.scopedToA(['checks.check.read']);
    expect(((await reader.request('GET', '/api/checks?q=scope')).json as CheckList).items.map((c) => c.name)).toContain('scope own-a1');
    const res = await reader.request('PATCH', `/api/checks/${ids['own-a1']}`, { name: 'x' });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'checks.check.write' } });
  });
});
