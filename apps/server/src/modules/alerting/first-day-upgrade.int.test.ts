import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NotificationPolicy } from '@yunwei/contracts/alert-routing';
import type { Alert, Rule } from '@yunwei/contracts/alerting';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { alertingOf } from './alerts-runtime.js';
import { alertingHarness, type AlertingHarness } from './alerts.testing.js';
import { DEFAULT_POLICY_ID, upgradeDefaultPolicy } from './default-policy.migration.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';
import { rebindPackRules } from './rule-pack-binding.migration.js';
import { insertAlert } from './routing.testing.js';

/**
 * Upgrading a database from before issue 11: rule packs installed with their CI-class binding, and the
 * catch-all default policy. The migrations' data steps run on rows put back as that version left them
 * (the columns they add exist already: every test database is migrated to the latest).
 */
describe.skipIf(!databaseAvailable())('upgrading to default channels and rule packs bound by what things are', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let classes: Map<string, string>;

  const rulesOf = async (pack: string) => ((await h.admin.request('GET', '/api/alerting/rules?limit=100')).json.items as Rule[]).filter((r) => r.pack === pack);
  const ci = async (name: string, code: string) => (await h.admin.request('POST', '/api/cmdb/cis', { classId: classes.get(code), name })).json.id as string;
  const httpCheck = async (name: string, ciId: string) => {
    const res = await h.admin.request('POST', '/api/checks', { name, type: 'http', settings: { url: 'http://127.0.0.1:9/' }, intervalSeconds: 60, enabled: false, ciId });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  };
  const runDown = async (ids: string[]) => {
    for (let i = 0; i < 3; i++) {
      for (const id of ids) {
        await h.admin.request('POST', `/api/checks/${id}/run`);
      }
      await h.cycle(Date.now());
    }
  };

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    classes = new Map(((await h.admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[]).map((c) => [c.code, c.id]));
  });
  afterAll(() => t?.close());

  it('installed pack rules move from their CI class to the new binding and get English names; their open alerts go on; rules an administrator changed are left as they are', async () => {
    await h.admin.request('POST', '/api/alerting/rule-packs/http/install');
    await h.admin.request('POST', '/api/alerting/rule-packs/hosts/install');
    const http = await rulesOf('http');
    // As the version before installed them: bound to the class `application`, the TLS rule on every check, Chinese names only.
    for (const r of http) {
      const spec = r.spec.kind === 'metric' && r.spec.selector === 'check_tls_days_left{type="http"}' ? { ...r.spec, selector: 'check_tls_days_left' } : r.spec;
      await t.ctx.db.updateTable('alert_rule').set({ target: JSON.stringify({ kind: 'class', classId: classes.get('application') }), spec: JSON.stringify(spec), name_en: null }).where('id', '=', r.id).execute();
    }
    const cpu = (await rulesOf('hosts')).find((r) => r.name === '主机 CPU 使用率过高')!;
    const edited = (await rulesOf('hosts')).find((r) => r.name === '主机内存使用率过高')!;
    const someCi = await ci('app-legacy', 'application');
    await t.ctx.db.updateTable('alert_rule').set({ target: JSON.stringify({ kind: 'class', classId: classes.get('server') }), name_en: null }).where('id', '=', cpu.id).execute();
    await t.ctx.db.updateTable('alert_rule').set({ target: JSON.stringify({ kind: 'ci', ciId: someCi }), name_en: null }).where('id', '=', edited.id).execute();
    alertingOf(t.ctx).evaluator.invalidate();

    // Under the old binding an HTTP check of an application fires, one on a server does not.
    const onApp = await httpCheck('应用首页', someCi);
    const onServer = await httpCheck('服务器首页', await ci('srv-legacy', 'server'));
    await runDown([onApp, onServer]);
    const down = http.find((r) => r.spec.kind === 'check')!;
    const before = (await h.alerts(`?ruleId=${down.id}`)) as Alert[];
    expect(before.map((a) => a.labels.check_name)).toEqual(['应用首页']);
    await t.ctx.db.updateTable('alert').set({ rule_name_en: null }).where('rule_id', '=', down.id).execute();

    expect(await rebindPackRules(t.ctx.db)).toBe(4);
    alertingOf(t.ctx).evaluator.invalidate(true);
    const after = await rulesOf('http');
    expect(after.map((r) => [r.nameEn, r.target.kind]).sort()).toEqual([
      ['HTTP responses slow', 'all'],
      ['HTTP service down', 'all'],
      ['TLS certificate expiring', 'all'],
    ]);
    expect(after.find((r) => r.nameEn === 'TLS certificate expiring')?.spec).toMatchObject({ selector: 'check_tls_days_left{type="http"}' });
    const hosts = await rulesOf('hosts');
    expect(hosts.find((r) => r.id === cpu.id)).toMatchObject({ target: { kind: 'hosts' }, nameEn: 'Host CPU usage high' });
    // Re-targeted by an administrator: keeps its target (an English name does no harm).
    expect(hosts.find((r) => r.id === edited.id)).toMatchObject({ target: { kind: 'ci', ciId: someCi }, nameEn: 'Host memory usage high' });

    await runDown([onApp, onServer]);
    const now = (await h.alerts(`?ruleId=${down.id}`)) as Alert[];
    expect(now.map((a) => a.labels.check_name).sort()).toEqual(['应用首页', '服务器首页'].sort());
    // The alert that was open is the same alert, and it has the English name now.
    expect(now.find((a) => a.id === before[0]!.id)).toMatchObject({ state: 'firing', ruleNameEn: 'HTTP service down' });
  });

  it('the seeded catch-all becomes the built-in default policy; one an administrator routed to an escalation policy keeps doing that, and the new default policy follows it', async () => {
    const policies = async () => (await h.admin.request('GET', '/api/alerting/policies')).json.items as NotificationPolicy[];
    const legacy = { name: '默认策略', name_en: null, matchers: '[]', notify_default_channels: 0, continue_matching: 0, escalation_policy_id: null };
    await t.ctx.db.updateTable('alert_notification_policy').set(legacy).where('id', '=', DEFAULT_POLICY_ID).execute();
    expect(await upgradeDefaultPolicy(t.ctx.db)).toBe('adopted');
    expect((await policies()).at(-1)).toMatchObject({ id: DEFAULT_POLICY_ID, isDefault: true, name: '默认通知策略', nameEn: 'Default policy', matchers: [{ name: 'severity', op: '=', value: 'critical' }], notifyDefaultChannels: true });

    const channel = async (name: string, isDefault: boolean) => (await h.admin.request('POST', '/api/notify/channels', { name, type: 'webhook', config: { url: 'http://127.0.0.1:9/x' }, isDefault })).json.id as string;
    const everything = await channel('全部告警', false);
    const onCall = await channel('值班', true);
    const esc = await h.admin.request('POST', '/api/alerting/escalations', { name: '全部', steps: [{ afterMinutes: 0, targets: [{ type: 'channel', channelId: everything }] }] });
    await t.ctx.db.updateTable('alert_notification_policy').set({ ...legacy, escalation_policy_id: esc.json.id }).where('id', '=', DEFAULT_POLICY_ID).execute();
    expect(await upgradeDefaultPolicy(t.ctx.db)).toBe('split');
    const list = await policies();
    expect(list.at(-2)).toMatchObject({ id: DEFAULT_POLICY_ID, isDefault: false, name: '默认策略', matchers: [], continue: true, escalationPolicyId: esc.json.id });
    expect(list.at(-1)).toMatchObject({ isDefault: true, name: '默认通知策略', nameEn: 'Default policy', notifyDefaultChannels: true, matchers: [{ name: 'severity', op: '=', value: 'critical' }] });
    expect(list.filter((p) => p.isDefault)).toHaveLength(1);

    // What reached people before still does; critical alerts reach the default channel too.
    let clock = Date.now() + 3_600_000;
    const dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { now: () => clock });
    const critical = await insertAlert(t.ctx.db, { ruleName: '升级后严重', severity: 'critical', at: clock });
    const warning = await insertAlert(t.ctx.db, { ruleName: '升级后警告', severity: 'warning', at: clock });
    await dispatcher.tick();
    clock += 31_000;
    await dispatcher.tick();
    const told = async (alertId: string) =>
      (await t.ctx.db.selectFrom('notify_delivery as d').innerJoin('alert_delivery_alert as a', 'a.delivery_id', 'd.id').select('d.channel_id').where('a.alert_id', '=', alertId).execute()).map((r) => r.channel_id).sort();
    expect(await told(critical)).toEqual([everything, onCall].sort());
    expect(await told(warning)).toEqual([everything]);
  });
});
