import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';
import { deliveryAlertsMigration } from './routing-scope.migration.js';
import { insertAlert } from './routing.testing.js';

const HOUR = 3600_000;

describe.skipIf(!databaseAvailable())('alert routing within the data scope: silences, maintenance windows, groups, deliveries, statistics', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  let scoped: TestSession;
  let dispatcher: Dispatcher;
  let clock = 0;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'rs');
    scoped = await w.scopedToA(['alerting.alert.read', 'alerting.silence.write', 'alerting.maintenance.write', 'alerting.policy.read', 'notify.delivery.read', 'notify.channel.write', 'notify.delivery.send']);
    dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { now: () => clock, graphTtlMs: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  const silence = (who: TestSession, matchers: { name: string; op: string; value: string }[]) => who.request('POST', '/api/alerting/silences', { matchers, endsAt: Date.now() + HOUR, comment: '变更' });
  const ids = (res: { json: { items: { id: string }[] } }) => res.json.items.map((i) => i.id);
  const suppressedBy = async (alertId: string) => (await t.ctx.db.selectFrom('alert_suppression').select('ref_id').where('alert_id', '=', alertId).where('kind', '=', 'silence').execute()).map((r) => r.ref_id);

  /** Every list of the area answers 200 to both users (after any accepted write). */
  async function listsStillAnswer(): Promise<void> {
    for (const who of [admin, scoped]) {
      for (const path of ['/api/alerting/silences', '/api/alerting/silences?state=expired', '/api/alerting/maintenance', '/api/alerting/groups', '/api/alerting/stats/rules', '/api/notify/deliveries', '/api/alerting/alerts']) {
        const res = await who.request('GET', path);
        expect(res.status, `${path}: ${res.body}`).toBe(200);
      }
    }
  }

  it('#10.5 a scoped user must confine a silence to CIs in scope: no ci matcher, a regex or a CI of another unit is refused naming the field', async () => {
    const refused = async (matchers: { name: string; op: string; value: string }[], status: number, field: string) => {
      const res = await silence(scoped, matchers);
      expect(res.status, res.body).toBe(status);
      if (status === 403) {
        expect(res.json.code).toBe(field === 'body.matchers' ? 'YW_ROUTING_SILENCE_NEEDS_CI' : 'YW_OUT_OF_SCOPE');
      }
      expect(JSON.stringify(res.json.details)).toContain(field);
    };
    await refused([{ name: 'ci', op: '=~', value: '.*' }], 403, 'body.matchers');
    await refused([{ name: 'alertname', op: '=', value: 'HostDown' }], 403, 'body.matchers');
    await refused([{ name: 'ci', op: '!=', value: w.ciB }], 403, 'body.matchers');
    // A pattern is refused even when it matches 甲's CI only today: it could match CIs created later.
    await refused([{ name: 'ci', op: '=~', value: `${w.ciA}|zz.*` }], 403, 'body.matchers');
    await refused([{ name: 'ci', op: '=', value: w.ciB }], 403, 'body.matchers.0.value');
    await refused([{ name: 'alertname', op: '=', value: 'X' }, { name: 'ci', op: '=~', value: `${w.ciA}|${w.ciB}` }], 403, 'body.matchers.1.value');
    await refused([{ name: 'ci', op: '=', value: '0190d6a0-0000-7000-8000-00000000beef' }], 400, 'body.matchers.0.value');
    expect(await t.ctx.db.selectFrom('alert_silence').select('id').execute()).toEqual([]);

    const ok = await silence(scoped, [{ name: 'ci', op: '=', value: w.ciA }]);
    expect(ok.status, ok.body).toBe(200);
    const set = await silence(scoped, [{ name: 'alertname', op: '=', value: 'DiskFull' }, { name: 'ci', op: '=~', value: w.ciA }]);
    expect(set.status, set.body).toBe(200);
    // Unrestricted users silence as before.
    expect((await silence(admin, [{ name: 'ci', op: '=~', value: '.*' }])).status).toBe(200);
    await listsStillAnswer();
    for (const id of [ok.json.id, set.json.id]) {
      expect((await admin.request('POST', `/api/alerting/silences/${id}/expire`)).status).toBe(200);
    }
    const all = await t.ctx.db.selectFrom('alert_silence').select('id').execute();
    for (const s of all) {
      await admin.request('POST', `/api/alerting/silences/${s.id}/expire`);
    }
  });

  it('#10.5 a scoped user’s silence keeps their CI’s alerts quiet and no other’s', async () => {
    const mine = await silence(scoped, [{ name: 'ci', op: '=', value: w.ciA }]);
    expect(mine.status, mine.body).toBe(200);
    const at = Date.now();
    const onA = await insertAlert(t.ctx.db, { ruleName: 'ScopeSilenceA', ciId: w.ciA, at });
    const onB = await insertAlert(t.ctx.db, { ruleName: 'ScopeSilenceB', ciId: w.ciB, at });
    clock = Date.now() + 1000;
    await dispatcher.tick();
    expect(await suppressedBy(onA)).toEqual([mine.json.id]);
    expect(await suppressedBy(onB)).toEqual([]);
    await t.ctx.db.updateTable('alert').set({ state: 'resolved', resolved_at: Date.now() }).where('id', 'in', [onA, onB]).execute();
    expect((await scoped.request('POST', `/api/alerting/silences/${mine.json.id}/expire`)).status).toBe(200);
  });

  it('#10.5 scoped users list and read the silences whose reach touches their scope, and expire only those wholly within it', async () => {
    const made = {
      wide: await silence(admin, [{ name: 'ci', op: '=~', value: '.*' }]),
      byName: await silence(admin, [{ name: 'alertname', op: '=', value: 'HostDown' }]),
      theirs: await silence(admin, [{ name: 'ci', op: '=', value: w.ciB }]),
      theirsByRegex: await silence(admin, [{ name: 'ci', op: '=~', value: `${w.ciB.slice(0, -1)}.` }]),
      both: await silence(admin, [{ name: 'ci', op: '=~', value: `${w.ciA}|${w.ciB}` }]),
      ours: await silence(admin, [{ name: 'ci', op: '=', value: w.ciA }]),
      oursByRegex: await silence(admin, [{ name: 'ci', op: '=~', value: `${w.ciA.slice(0, -1)}.` }]),
      mine: await silence(scoped, [{ name: 'ci', op: '=', value: w.ciA }]),
    };
    for (const res of Object.values(made)) {
      expect(res.status, res.body).toBe(200);
    }
    type Made = keyof typeof made;
    const id = (k: Made) => made[k].json.id as string;
    const hidden: Made[] = ['theirs', 'theirsByRegex'];
    const readOnly: Made[] = ['wide', 'byName', 'both'];
    const ours: Made[] = ['ours', 'oursByRegex', 'mine'];
    expect(ids(await scoped.request('GET', '/api/alerting/silences?state=active')).sort()).toEqual([...readOnly, ...ours].map(id).sort());
    expect(ids(await admin.request('GET', '/api/alerting/silences?state=active'))).toEqual(expect.arrayContaining(Object.values(made).map((r) => r.json.id)));
    for (const k of hidden) {
      expect((await scoped.request('GET', `/api/alerting/silences/${id(k)}`)).status).toBe(404);
      const expire = await scoped.request('POST', `/api/alerting/silences/${id(k)}/expire`);
      expect(expire.status, expire.body).toBe(404);
    }
    // Readable (they keep 甲's alerts quiet too), but ending them would let other units' alerts, or those without a CI, through.
    for (const k of readOnly) {
      expect((await scoped.request('GET', `/api/alerting/silences/${id(k)}`)).status).toBe(200);
      const expire = await scoped.request('POST', `/api/alerting/silences/${id(k)}/expire`);
      expect(expire.status, expire.body).toBe(403);
      expect(expire.json.code).toBe('YW_OUT_OF_SCOPE');
    }
    for (const k of [...hidden, ...readOnly]) {
      expect((await admin.request('GET', `/api/alerting/silences/${id(k)}`)).json.state).toBe('active');
    }
    for (const k of ours) {
      const expire = await scoped.request('POST', `/api/alerting/silences/${id(k)}/expire`);
      expect(expire.status, expire.body).toBe(200);
      expect(expire.json.state).toBe('expired');
    }
    expect(ids(await scoped.request('GET', '/api/alerting/silences?state=expired'))).toEqual(expect.arrayContaining(ours.map(id)));
    expect(ids(await scoped.request('GET', '/api/alerting/silences'))).not.toContain(id('theirs'));
    await listsStillAnswer();
    for (const k of [...hidden, ...readOnly]) {
      await admin.request('POST', `/api/alerting/silences/${id(k)}/expire`);
    }
  });

  it('#10.16 scoped users see only the maintenance windows touching their scope, and change only those wholly within it', async () => {
    const window = (who: TestSession, name: string, scope: Record<string, unknown>) =>
      who.request('POST', '/api/alerting/maintenance', { name, scope: { ciIds: [], classCodes: [], businessSystemIds: [], ...scope }, schedule: { kind: 'once', startsAt: Date.now() + HOUR, endsAt: Date.now() + 2 * HOUR } });
    const theirs = await window(admin, '乙维护', { ciIds: [w.ciB] });
    const wide = await window(admin, '全部服务器', { classCodes: ['server'] });
    const both = await window(admin, '甲乙维护', { ciIds: [w.ciA, w.ciB] });
    const ours = await window(scoped, '甲维护', { ciIds: [w.ciA] });
    for (const res of [theirs, wide, both, ours]) {
      expect(res.status, res.body).toBe(200);
    }
    expect(ids(await scoped.request('GET', '/api/alerting/maintenance')).sort()).toEqual([wide.json.id, both.json.id, ours.json.id].sort());
    expect(ids(await admin.request('GET', '/api/alerting/maintenance'))).toEqual(expect.arrayContaining([theirs.json.id, wide.json.id, both.json.id, ours.json.id]));
    expect((await scoped.request('GET', `/api/alerting/maintenance/${theirs.json.id}`)).status).toBe(404);
    expect((await scoped.request('PATCH', `/api/alerting/maintenance/${theirs.json.id}`, { name: '改' })).status).toBe(404);
    expect((await scoped.request('DELETE', `/api/alerting/maintenance/${theirs.json.id}`)).status).toBe(404);
    for (const readable of [wide, both, ours]) {
      expect((await scoped.request('GET', `/api/alerting/maintenance/${readable.json.id}`)).status).toBe(200);
    }
    for (const foreign of [wide, both]) {
      expect((await scoped.request('PATCH', `/api/alerting/maintenance/${foreign.json.id}`, { name: '改' })).status).toBe(403);
    }
    expect((await scoped.request('PATCH', `/api/alerting/maintenance/${ours.json.id}`, { name: '甲维护二' })).status).toBe(200);
    await listsStillAnswer();
    for (const res of [theirs, wide, both, ours]) {
      expect((await admin.request('DELETE', `/api/alerting/maintenance/${res.json.id}`)).status).toBe(200);
    }
  });

  it('#10.16 scoped users see only the alert groups, deliveries and rule statistics of alerts in scope', async () => {
    const channel = (await admin.request('POST', '/api/notify/channels', { name: '范围测试群', type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' } })).json.id as string;
    const esc = await admin.request('POST', '/api/alerting/escalations', { name: '范围升级', steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: channel }] }] });
    expect(esc.status, esc.body).toBe(200);
    const policy = await admin.request('POST', '/api/alerting/policies', { name: '范围策略', matchers: [{ name: 'team', op: '=', value: 'scope' }], groupBy: ['alertname'], groupWaitSeconds: 30, escalationPolicyId: esc.json.id });
    expect(policy.status, policy.body).toBe(200);
    const at = Date.now();
    const onA = await insertAlert(t.ctx.db, { ruleName: 'ScopeGroupA', ciId: w.ciA, labels: { team: 'scope' }, at });
    const onB = await insertAlert(t.ctx.db, { ruleName: 'ScopeGroupB', ciId: w.ciB, labels: { team: 'scope' }, at });
    // One group holding alerts of both units: only unrestricted readers see it.
    await insertAlert(t.ctx.db, { ruleName: 'ScopeGroupMixed', ciId: w.ciA, labels: { team: 'scope' }, at });
    await insertAlert(t.ctx.db, { ruleName: 'ScopeGroupMixed', ciId: w.ciB, labels: { team: 'scope' }, at });
    clock = at + 1000;
    await dispatcher.tick();
    clock = at + 31_000;
    await dispatcher.tick();
    // A test message is about a channel of the whole organisation.
    expect((await admin.request('POST', `/api/notify/channels/${channel}/test`)).status).toBe(200);

    const groups = (who: TestSession) => who.request('GET', '/api/alerting/groups').then((r) => (r.json.items as { labels: Record<string, string> }[]).map((g) => g.labels.alertname).sort());
    expect(await groups(admin)).toEqual(expect.arrayContaining(['ScopeGroupA', 'ScopeGroupB', 'ScopeGroupMixed']));
    expect(await groups(scoped)).toEqual(['ScopeGroupA']);

    const titles = async (who: TestSession) => {
      const res = await who.request('GET', `/api/notify/deliveries?channelId=${channel}`);
      expect(res.status, res.body).toBe(200);
      return { total: res.json.total as number, titles: (res.json.items as { title: string; sourceKind: string }[]).map((d) => `${d.sourceKind}:${d.title}`) };
    };
    const all = await titles(admin);
    expect(all.total).toBe(4);
    expect(all.titles.join('\n')).toContain('ScopeGroupB');
    const seen = await titles(scoped);
    expect(seen.total).toBe(1);
    expect(seen.titles).toHaveLength(1);
    expect(seen.titles[0]).toContain('ScopeGroupA');
    const deliveryOfB = await t.ctx.db.selectFrom('alert_dispatch_log').select('delivery_id').where('alert_ids', 'like', `%${onB}%`).executeTakeFirstOrThrow();
    expect((await scoped.request('POST', `/api/notify/deliveries/${deliveryOfB.delivery_id}/retry`)).status).toBe(404);

    const t0 = at - HOUR;
    const stats = async (who: TestSession) =>
      ((await who.request('GET', `/api/alerting/stats/rules?from=${t0}`)).json.items as { ruleName: string; fired: number }[]).filter((r) => r.ruleName.startsWith('ScopeGroup')).map((r) => `${r.ruleName}:${r.fired}`).sort();
    expect(await stats(admin)).toEqual(['ScopeGroupA:1', 'ScopeGroupB:1', 'ScopeGroupMixed:2']);
    expect(await stats(scoped)).toEqual(['ScopeGroupA:1', 'ScopeGroupMixed:1']);
    expect(onA).toBeTruthy();
    await listsStillAnswer();
  });

  it('#10.16 the migration fills in what earlier deliveries were about from the dispatch log', async () => {
    const snapshot = async () => (await t.ctx.db.selectFrom('alert_delivery_alert').select(['delivery_id', 'alert_id', 'ci_id']).orderBy('delivery_id').orderBy('alert_id').execute()).map((r) => `${r.delivery_id} ${r.alert_id} ${r.ci_id}`);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(0);
    await deliveryAlertsMigration.down!(t.ctx.db);
    await deliveryAlertsMigration.up(t.ctx.db);
    expect(await snapshot()).toEqual(before);
    // An alert gone since: its CI is unknown, and only unrestricted readers see the delivery.
    const gone = (await t.ctx.db.selectFrom('alert_delivery_alert').select(['delivery_id', 'alert_id']).where('ci_id', '=', w.ciA).executeTakeFirstOrThrow());
    await t.ctx.db.deleteFrom('alert').where('id', '=', gone.alert_id).execute();
    await deliveryAlertsMigration.down!(t.ctx.db);
    await deliveryAlertsMigration.up(t.ctx.db);
    expect((await t.ctx.db.selectFrom('alert_delivery_alert').select('ci_id').where('alert_id', '=', gone.alert_id).execute()).map((r) => r.ci_id)).toEqual(expect.arrayContaining(['?']));
    const seen = (await scoped.request('GET', '/api/notify/deliveries')).json.items as { id: string }[];
    expect(seen.map((d) => d.id)).not.toContain(gone.delivery_id);
    await listsStillAnswer();
  });
});
