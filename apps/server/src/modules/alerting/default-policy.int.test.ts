import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPolicy } from '@yunwei/contracts/alert-routing';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { fromJson } from '../../db/dialect.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';
import { insertAlert, type TestAlert } from './routing.testing.js';

const WAIT = 30_000;

/**
 * The first day: no routing set up, one channel marked default — a critical alert reaches it. The
 * built-in default policy (critical → every default channel, looked up when it sends) is driven by
 * the production dispatcher with a test clock; deliveries are the notify outbox's rows.
 */
describe.skipIf(!databaseAvailable())('the built-in default notification policy and default channels', () => {
  let t: TestApp;
  let admin: TestSession;
  let clock = 0;
  let dispatcher: Dispatcher;
  let ops: string;
  let lead: string;

  const lastAudit = (action: string) => t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', action).orderBy('id', 'desc').executeTakeFirst();
  const policies = async () => (await admin.request('GET', '/api/alerting/policies')).json.items as NotificationPolicy[];

  async function channel(name: string, extra: Record<string, unknown> = {}): Promise<string> {
    const res = await admin.request('POST', '/api/notify/channels', { name, type: 'webhook', config: { url: 'http://127.0.0.1:9/hook' }, ...extra });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  }

  /** The channels told about an alert, one entry per delivery, with what each copy was about. */
  async function toldAbout(alertId: string) {
    const rows = await t.ctx.db
      .selectFrom('notify_delivery as d')
      .innerJoin('alert_delivery_alert as a', 'a.delivery_id', 'd.id')
      .select(['d.id', 'd.channel_id', 'd.message'])
      .where('a.alert_id', '=', alertId)
      .execute();
    return rows.map((r) => ({ channel: r.channel_id, about: (fromJson<LocalizedMessage>(r.message).en.data as { firing: { id: string }[] }).firing.map((a) => a.id).sort() }));
  }
  const channelsTold = async (alertId: string) => (await toldAbout(alertId)).map((d) => d.channel).sort();

  /** The alert fires now and the group wait passes. */
  async function fireAndWait(...alerts: Omit<TestAlert, 'at'>[]): Promise<string[]> {
    clock += 60_000;
    const ids: string[] = [];
    for (const a of alerts) {
      ids.push(await insertAlert(t.ctx.db, { ...a, at: clock }));
    }
    await dispatcher.tick();
    clock += WAIT;
    await dispatcher.tick();
    return ids;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    clock = Date.now();
    dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { now: () => clock, graphTtlMs: 0 });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('a new install has it, last and built in: critical alerts to the default channels; it may be disabled and matched otherwise, never deleted or set to continue', async () => {
    const list = await policies();
    expect(list.at(-1)).toMatchObject({
      isDefault: true,
      name: '默认通知策略',
      nameEn: 'Default policy',
      matchers: [{ name: 'severity', op: '=', value: 'critical' }],
      notifyDefaultChannels: true,
      escalationPolicyId: null,
      continue: false,
      enabled: true,
    });
    const def = list.at(-1)!;
    expect((await admin.request('DELETE', `/api/alerting/policies/${def.id}`)).json.code).toBe('YW_ROUTING_POLICY_DEFAULT');
    expect((await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { continue: true })).json).toMatchObject({ code: 'YW_ROUTING_POLICY_DEFAULT', details: { field: 'body.continue' } });
    expect((await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { notifyDefaultChannels: 'yes' })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.notifyDefaultChannels' } });
    expect((await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { nameEn: '' })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.nameEn' } });

    const widened = await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { matchers: [{ name: 'severity', op: '=~', value: 'critical|warning' }], enabled: false });
    expect(widened.status, widened.body).toBe(200);
    expect(widened.json).toMatchObject({ enabled: false, isDefault: true, matchers: [{ op: '=~' }] });
    const audit = await lastAudit('alerting.policy.update');
    expect(fromJson<{ enabled: boolean }>(audit!.after).enabled).toBe(false);
    const back = await admin.request('PATCH', `/api/alerting/policies/${def.id}`, { matchers: def.matchers, enabled: true });
    expect(back.json).toMatchObject({ enabled: true, matchers: def.matchers });
    // A new policy goes before it.
    const other = await admin.request('POST', '/api/alerting/policies', { name: '临时', matchers: [{ name: 'team', op: '=', value: 'x' }] });
    expect((await policies()).map((p) => p.id).slice(-2)).toEqual([other.json.id, def.id]);
    await admin.request('DELETE', `/api/alerting/policies/${other.json.id}`);
  });

  it('channels say whether they are default (stored, listed, audited); bad input is refused naming the field', async () => {
    expect((await admin.request('POST', '/api/notify/channels', { name: 'x', type: 'webhook', config: { url: 'http://127.0.0.1:9/x' }, isDefault: 'yes' })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.isDefault' } });
    ops = await channel('运维值班群', { isDefault: true, locale: 'en' });
    lead = await channel('主管群');
    expect(fromJson<{ isDefault: boolean }>((await lastAudit('notify.channel.create'))!.after).isDefault).toBe(false);
    const list = (await admin.request('GET', '/api/notify/channels')).json.items as { id: string; isDefault: boolean }[];
    expect(list.find((c) => c.id === ops)?.isDefault).toBe(true);
    expect(list.find((c) => c.id === lead)?.isDefault).toBe(false);
    expect((await admin.request('PATCH', `/api/notify/channels/${lead}`, { isDefault: 1 })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.isDefault' } });
  });

  it('[L3-2.1.3] with no routing set up, a critical alert reaches the default channel (in its language) after the group wait, not a channel that is not default; a warning reaches neither', async () => {
    clock += 60_000;
    const critical = await insertAlert(t.ctx.db, { ruleName: '磁盘已满', labels: { instance: 'db-01' }, severity: 'critical', at: clock });
    const warning = await insertAlert(t.ctx.db, { ruleName: 'CPU 偏高', labels: { instance: 'db-01' }, severity: 'warning', at: clock });
    await dispatcher.tick();
    clock += WAIT - 1000;
    await dispatcher.tick();
    expect(await channelsTold(critical)).toEqual([]);
    clock += 1000;
    await dispatcher.tick();
    expect(await channelsTold(critical)).toEqual([ops]);
    expect(await channelsTold(warning)).toEqual([]);
    // The delivery log shows the copy in the channel's language (English).
    const delivery = await admin.request('GET', `/api/notify/deliveries?channelId=${ops}`);
    expect(delivery.json.items[0]).toMatchObject({ channelName: '运维值班群', title: expect.stringContaining('[FIRING 1] 磁盘已满') });
  });

  it('[L3-2.1.3] a channel marked default later hears the next critical alert: default channels are looked up when the policy sends', async () => {
    const marked = await admin.request('PATCH', `/api/notify/channels/${lead}`, { isDefault: true });
    expect(marked.json.isDefault).toBe(true);
    const audit = await lastAudit('notify.channel.update');
    expect([fromJson<{ isDefault: boolean }>(audit!.before).isDefault, fromJson<{ isDefault: boolean }>(audit!.after).isDefault]).toEqual([false, true]);
    const [link] = await fireAndWait({ ruleName: '链路中断', labels: { instance: 'sw-01' }, severity: 'critical' });
    expect(await channelsTold(link!)).toEqual([ops, lead].sort());
    // A disabled channel is left out even when default.
    await admin.request('PATCH', `/api/notify/channels/${lead}`, { enabled: false });
    const [power] = await fireAndWait({ ruleName: '电源告警', labels: { instance: 'pdu-01' }, severity: 'critical' });
    expect(await channelsTold(power!)).toEqual([ops]);
    await admin.request('PATCH', `/api/notify/channels/${lead}`, { enabled: true });
  });

  it('[L3-2.1.3] no double send: a team policy that tells a default channel at once and continues; the default policy tells that channel only of the alerts it has not heard of', async () => {
    const esc = await admin.request('POST', '/api/alerting/escalations', { name: 'DBA 值班', steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: ops }] }] });
    expect(esc.status, esc.body).toBe(200);
    const team = await admin.request('POST', '/api/alerting/policies', { name: 'DBA', matchers: [{ name: 'team', op: '=', value: 'db' }], groupWaitSeconds: 30, escalationPolicyId: esc.json.id, continue: true });
    expect(team.status, team.body).toBe(200);

    // Two alerts of one rule in the default policy's group: the DBA's (heard by ops through its policy) and the web team's.
    const [db, web] = await fireAndWait({ ruleName: '数据库不可用', labels: { team: 'db', instance: 'pg-01' } }, { ruleName: '数据库不可用', labels: { team: 'web', instance: 'pg-02' } });
    expect(await toldAbout(db!)).toEqual(
      expect.arrayContaining([
        { channel: ops, about: [db] },
        { channel: lead, about: [db, web].sort() },
      ]),
    );
    expect(await channelsTold(db!)).toEqual([ops, lead].sort());
    expect(await channelsTold(web!)).toEqual([ops, lead].sort());
    // ops heard of the web team's alert from the default policy, in a copy without the DBA's.
    expect((await toldAbout(web!)).find((d) => d.channel === ops)?.about).toEqual([web]);

    // Without `continue` the team policy takes the alert: the default policy never sees it.
    await admin.request('PATCH', `/api/alerting/policies/${team.json.id}`, { continue: false });
    const [db2] = await fireAndWait({ ruleName: '复制中断', labels: { team: 'db', instance: 'pg-03' } });
    expect(await channelsTold(db2!)).toEqual([ops]);
  });

  it('a policy of its own may notify the default channels too (the first one that does keeps them)', async () => {
    const res = await admin.request('POST', '/api/alerting/policies', { name: '网络组', nameEn: 'Network team', matchers: [{ name: 'team', op: '=', value: 'net' }], notifyDefaultChannels: true, continue: true, groupWaitSeconds: 30 });
    expect(res.json).toMatchObject({ nameEn: 'Network team', notifyDefaultChannels: true });
    const [net] = await fireAndWait({ ruleName: '端口down', labels: { team: 'net', instance: 'sw-02' } });
    const told = await toldAbout(net!);
    expect(told.map((d) => d.channel).sort()).toEqual([ops, lead].sort());
    const groups = (await admin.request('GET', '/api/alerting/groups')).json.items as { policyName: string; policyNameEn: string | null }[];
    expect(groups.find((g) => g.policyName === '网络组')?.policyNameEn).toBe('Network team');
    expect(groups.find((g) => g.policyName === '默认通知策略')?.policyNameEn).toBe('Default policy');
  });
});
