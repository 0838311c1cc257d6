import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';

describe.skipIf(!databaseAvailable())('on-call candidates within the data scope', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'oc');
  });
  afterAll(async () => t?.close());

  it('#10.16 on-call candidates need the schedule write permission and list only users of the caller’s units, with id, username and display name', async () => {
    const inA1 = await t.newUser({ roles: ['viewer'], orgUnitId: w.unitA1 });
    const inB = await t.newUser({ roles: ['viewer'], orgUnitId: w.unitB });
    const nowhere = await t.newUser({ roles: ['viewer'] });
    const scoped = await w.scopedToA(['oncall.schedule.read', 'oncall.schedule.write']);
    const reader = await w.scopedToA(['oncall.schedule.read']);
    expect((await reader.request('GET', '/api/oncall/candidates')).status).toBe(403);

    const res = await scoped.request('GET', '/api/oncall/candidates');
    expect(res.status, res.body).toBe(200);
    const items = res.json.items as Record<string, unknown>[];
    const listed = items.map((u) => u.id);
    expect(listed).toContain(inA1.id);
    expect(listed).not.toContain(inB.id);
    expect(listed).not.toContain(nowhere.id);
    expect(listed).not.toContain(t.admin.id);
    for (const u of items) {
      expect(Object.keys(u).sort()).toEqual(['displayName', 'id', 'username']);
    }

    const all = ((await admin.request('GET', '/api/oncall/candidates')).json.items as { id: string }[]).map((u) => u.id);
    expect(all).toEqual(expect.arrayContaining([inA1.id, inB.id, nowhere.id, t.admin.id]));
  });
});
