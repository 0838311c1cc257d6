import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MaintenanceWindow, Silence } from '@yunwei/contracts/alert-routing';
import type { CiListItem } from '@yunwei/contracts/cmdb';
import type { PageOf } from '@yunwei/contracts/common';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';

const HOUR = 3600_000;
/** What the silence form's CI picker sends for the CIs picked (apps/web/.../silence-cis.ts). */
const picked = (ids: string[]) => ({ name: 'ci', op: ids.length === 1 ? '=' : '=~', value: ids.join('|') });

describe.skipIf(!databaseAvailable())('silences and maintenance windows name their CIs', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  /** An operator limited to 甲: reads the CMDB and silences within it. */
  let operator: TestSession;
  let businessId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'sn');
    operator = await t.signIn(await t.newUser({ roles: ['operator'], orgUnitIds: [w.unitA] }));
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    businessId = (await admin.request('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'business_system')!.id, name: '网上营业厅-sn', orgUnitId: w.unitA1 })).json.id as string;
  });
  afterAll(async () => {
    await t?.close();
  });

  const silence = (who: TestSession, matchers: { name: string; op: string; value: string }[]) => who.request('POST', '/api/alerting/silences', { matchers, endsAt: Date.now() + HOUR, comment: '变更' });
  const listed = async (who: TestSession, id: string) => ((await who.request('GET', '/api/alerting/silences')).json.items as Silence[]).find((s) => s.id === id);

  it('lists and details name the CIs of `ci` matchers (ids stay in the matchers); a scoped reader sees only the names in their scope', async () => {
    const both = await silence(admin, [{ name: 'alertname', op: '=', value: 'HostDown' }, picked([w.ciA, w.ciB])]);
    expect(both.status, both.body).toBe(200);
    expect(both.json.matchers[1]).toEqual({ name: 'ci', op: '=~', value: `${w.ciA}|${w.ciB}` });
    const names = (s: Silence | undefined) => s?.cis.map((c) => c.name);
    expect(names(both.json)).toEqual(['host-a-sn', 'host-b-sn']);
    expect(names(await listed(admin, both.json.id))).toEqual(['host-a-sn', 'host-b-sn']);
    expect(((await admin.request('GET', `/api/alerting/silences/${both.json.id}`)).json as Silence).cis).toEqual([
      { id: w.ciA, name: 'host-a-sn', classCode: 'server' },
      { id: w.ciB, name: 'host-b-sn', classCode: 'server' },
    ]);
    // The operator of 甲 sees the silence (it reaches their CI) but not the name of 乙's CI.
    expect(names(await listed(operator, both.json.id))).toEqual(['host-a-sn']);
    expect(names((await operator.request('GET', `/api/alerting/silences/${both.json.id}`)).json as Silence)).toEqual(['host-a-sn']);
    // A negation names its CI too; a CI since deleted is left unnamed.
    const gone = (await admin.request('POST', '/api/cmdb/cis', { classId: w.serverClassId, name: 'host-gone-sn', orgUnitId: w.unitB })).json.id as string;
    const except = await silence(admin, [{ name: 'ci', op: '!=', value: w.ciB }, { name: 'ci', op: '!=', value: gone }]);
    expect(names(except.json)).toEqual(['host-b-sn', 'host-gone-sn']);
    expect((await admin.request('DELETE', `/api/cmdb/cis/${gone}`)).status).toBe(200);
    expect(names(await listed(admin, except.json.id))).toEqual(['host-b-sn']);
    // Audit entries read names as well.
    const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'alerting.silence.create').where('target_id', '=', both.json.id).executeTakeFirstOrThrow();
    expect(audit.after).toContain('host-b-sn');
    for (const id of [both.json.id, except.json.id]) {
      await admin.request('POST', `/api/alerting/silences/${id}/expire`);
    }
  });

  it('maintenance windows name their CIs and business systems in lists and details', async () => {
    const created = await admin.request('POST', '/api/alerting/maintenance', {
      name: '机房断电演练',
      scope: { ciIds: [w.ciA, w.ciB], classCodes: [], businessSystemIds: [businessId] },
      schedule: { kind: 'once', startsAt: Date.now() + HOUR, endsAt: Date.now() + 2 * HOUR },
    });
    expect(created.status, created.body).toBe(200);
    expect((created.json as MaintenanceWindow).cis.map((c) => c.name)).toEqual(['host-a-sn', 'host-b-sn', '网上营业厅-sn']);
    const inList = ((await admin.request('GET', '/api/alerting/maintenance')).json.items as MaintenanceWindow[]).find((m) => m.id === created.json.id);
    expect(inList?.cis.map((c) => c.name)).toEqual(['host-a-sn', 'host-b-sn', '网上营业厅-sn']);
    const forOperator = (await operator.request('GET', `/api/alerting/maintenance/${created.json.id}`)).json as MaintenanceWindow;
    expect(forOperator.scope.ciIds).toEqual([w.ciA, w.ciB]);
    expect(forOperator.cis.map((c) => c.name)).toEqual(['host-a-sn', '网上营业厅-sn']);
    expect((await admin.request('DELETE', `/api/alerting/maintenance/${created.json.id}`)).status).toBe(200);
  });

  it('an operator limited to a unit silences their own CI picked by name from the CMDB list; another unit’s CI is refused naming the field', async () => {
    // What the picker does: search the CMDB list by name, within the operator's scope.
    const search = async (q: string) => ((await operator.request('GET', `/api/cmdb/cis?q=${encodeURIComponent(q)}&limit=20&sort=name&order=asc`)).json as PageOf<CiListItem>).items.map((c) => ({ id: c.id, name: c.name }));
    expect(await search('host-a-sn')).toEqual([{ id: w.ciA, name: 'host-a-sn' }]);
    expect(await search('host-b-sn')).toEqual([]);

    const mine = await silence(operator, [picked([(await search('host-a-sn'))[0]!.id]), { name: 'alertname', op: '=~', value: 'Disk.*' }]);
    expect(mine.status, mine.body).toBe(200);
    expect(mine.json).toMatchObject({ createdBy: expect.any(String), state: 'active', cis: [{ id: w.ciA, name: 'host-a-sn' }] });
    expect((await listed(operator, mine.json.id))?.cis.map((c) => c.name)).toEqual(['host-a-sn']);

    // 乙's CI (sent by id: the picker would not offer it) is refused on the picker's matcher, alone or with 甲's.
    for (const ids of [[w.ciB], [w.ciA, w.ciB]]) {
      const theirs = await silence(operator, [picked(ids)]);
      expect(theirs.status, theirs.body).toBe(403);
      expect(theirs.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { field: 'body.matchers.0.value' } });
    }
    // Without a CI picked, a scoped operator is told to name the CIs.
    const none = await silence(operator, [{ name: 'alertname', op: '=', value: 'HostDown' }]);
    expect(none.status).toBe(403);
    expect(none.json).toMatchObject({ code: 'YW_ROUTING_SILENCE_NEEDS_CI', details: { field: 'body.matchers' } });
    expect(await t.ctx.db.selectFrom('alert_silence').select('id').where('created_by_id', 'is not', null).where('created_by', '!=', 'admin').execute()).toHaveLength(1);
  });
});
