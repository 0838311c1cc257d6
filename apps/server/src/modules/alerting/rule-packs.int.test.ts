import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert, Rule, RulePack } from '@yunwei/contracts/alerting';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { startReceiver, type TestReceiver } from '../../platform/notify/notify.testing.js';
import { notifyOf } from '../notify/runtime.js';
import { alertingOf } from './alerts-runtime.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';
import { dispatchSender } from './dispatch-sender.js';
import { Dispatcher } from './dispatcher.js';

/** A local port nothing listens on: an HTTP check of it is DOWN (connection refused). */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Rule packs apply by what a thing is: the HTTP pack's rules to every HTTP check whatever its CI's
 * class (or with no CI), the host pack's to every host. Real checks against a local port, real
 * samples through the ingestion API, the production evaluator and dispatcher.
 */
describe.skipIf(!databaseAvailable())('rule packs bind by what a thing is', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let classes: Map<string, string>;

  const ci = async (name: string, code: string) => {
    const res = await h.admin.request('POST', '/api/cmdb/cis', { classId: classes.get(code), name });
    expect(res.status, res.body).toBe(200);
    return res.json.id as string;
  };
  const packs = async () => (await h.admin.request('GET', '/api/alerting/rule-packs')).json.items as RulePack[];
  const rulesOf = async (pack: string) => ((await h.admin.request('GET', '/api/alerting/rules?limit=100')).json.items as Rule[]).filter((r) => r.pack === pack);

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    classes = new Map(((await h.admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[]).map((c) => [c.code, c.id]));
  });
  afterAll(() => t?.close());

  it('each pack says what it binds to, in both languages; its rules have both names and the binding as their target; bad input is refused naming the field', async () => {
    const list = await packs();
    expect(list.map((p) => [p.id, p.appliesTo, p.binds])).toEqual([
      ['hosts', { kind: 'hosts' }, { zh: '服务器类配置项及有 Agent 的主机', en: 'server CIs and every host with an agent' }],
      ['databases', { kind: 'checks', checkTypes: ['postgres', 'mysql'] }, { zh: '每个 PostgreSQL、MySQL 检查', en: 'every PostgreSQL and MySQL check' }],
      ['http', { kind: 'checks', checkTypes: ['http'] }, { zh: '每个 HTTP 检查', en: 'every HTTP check' }],
    ]);
    for (const p of list) {
      expect((await h.admin.request('POST', `/api/alerting/rule-packs/${p.id}/install`)).json).toEqual({ created: p.rules, skipped: 0 });
    }
    expect((await h.admin.request('POST', '/api/alerting/rule-packs/http/install')).json).toEqual({ created: 0, skipped: 3 });
    expect((await h.admin.request('POST', '/api/alerting/rule-packs/nope/install')).status).toBe(404);
    // A rule's English name is optional, and never empty nor overlong; a target kind is one of the known ones.
    const spec = { kind: 'check', checkType: 'http', consecutiveDown: 1 };
    expect((await h.admin.request('POST', '/api/alerting/rules', { name: '自建', nameEn: '', spec })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.nameEn' } });
    expect((await h.admin.request('POST', '/api/alerting/rules', { name: '自建', nameEn: 'x'.repeat(201), spec })).json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.nameEn' } });
    expect((await h.admin.request('POST', '/api/alerting/rules', { name: '自建', spec, target: { kind: 'hosts', classId: 'x' } })).status).toBe(400);
    const own = await h.admin.request('POST', '/api/alerting/rules', { name: '自建主机规则', nameEn: 'My host rule', spec, target: { kind: 'hosts' } });
    expect(own.json).toMatchObject({ nameEn: 'My host rule', target: { kind: 'hosts' } });
    expect((await h.admin.request('PATCH', `/api/alerting/rules/${own.json.id}`, { nameEn: null })).json.nameEn).toBeNull();
    await h.admin.request('DELETE', `/api/alerting/rules/${own.json.id}`);
    const http = await rulesOf('http');
    expect(http.map((r) => [r.name, r.nameEn, r.target])).toEqual(
      expect.arrayContaining([
        ['HTTP 服务不可用', 'HTTP service down', { kind: 'all' }],
        ['TLS 证书即将到期', 'TLS certificate expiring', { kind: 'all' }],
        ['HTTP 响应变慢', 'HTTP responses slow', { kind: 'all' }],
      ]),
    );
    // Check rules read only their type's checks: the type is in the rule, not in a CI class.
    expect(http.every((r) => (r.spec.kind === 'check' ? r.spec.checkType === 'http' : 'selector' in r.spec && r.spec.selector?.includes('type="http"') === true))).toBe(true);
    expect((await rulesOf('hosts')).every((r) => r.target.kind === 'hosts')).toBe(true);
    expect((await rulesOf('databases')).every((r) => r.target.kind === 'all')).toBe(true);
  });

  it('[L3-2.1.3] the HTTP pack\'s down alert fires for an HTTP check on a CI of class "server" and for one without a CI, named in both languages; a TCP check down on the same CI is not an HTTP alert', async () => {
    const port = await closedPort();
    const server = await ci('web-01', 'server');
    const check = async (body: Record<string, unknown>) => {
      const res = await h.admin.request('POST', '/api/checks', { intervalSeconds: 60, enabled: false, ...body });
      expect(res.status, res.body).toBe(200);
      return res.json.id as string;
    };
    const onServer = await check({ name: '首页', type: 'http', settings: { url: `http://127.0.0.1:${port}/` }, ciId: server });
    const noCi = await check({ name: '外部接口', type: 'http', settings: { url: `http://127.0.0.1:${port}/api` }, orgUnitId: null });
    const tcp = await check({ name: 'SSH', type: 'tcp', settings: { host: '127.0.0.1', port }, ciId: server });
    const down = (await rulesOf('http')).find((r) => r.nameEn === 'HTTP service down')!;
    for (let i = 0; i < 3; i++) {
      for (const id of [onServer, noCi, tcp]) {
        expect((await h.admin.request('POST', `/api/checks/${id}/run`)).json.status).toBe('down');
      }
      await h.cycle(Date.now());
    }
    const alerts = (await h.alerts(`?ruleId=${down.id}`)) as Alert[];
    expect(alerts.map((a) => [a.labels.check_name, a.state, a.severity, a.ciId]).sort()).toEqual([
      ['外部接口', 'firing', 'critical', null],
      ['首页', 'firing', 'critical', server],
    ]);
    expect(alerts.every((a) => a.ruleName === 'HTTP 服务不可用' && a.ruleNameEn === 'HTTP service down')).toBe(true);
    // `{{ $rule }}` in each annotation's own language.
    const home = alerts.find((a) => a.labels.check_name === '首页')!;
    expect(home.annotations.en.summary).toBe('HTTP service down: check web-01 / 首页 is failing');
    expect(home.annotations.zh.summary).toBe('HTTP 服务不可用：检查 web-01 / 首页 连续失败');
    expect(((await h.alerts()) as Alert[]).some((a) => a.labels.check === tcp)).toBe(false);
  });

  it('[L3-2.1.3] first day, end to end: the HTTP pack\'s down alert reaches the one default channel (English) through the built-in default policy, the rule named in English', async () => {
    let receiver: TestReceiver | undefined;
    let skew = 0;
    const dispatcher = new Dispatcher(t.ctx, dispatchSender(t.ctx), { now: () => Date.now() + skew });
    try {
      receiver = await startReceiver();
      const channel = await h.admin.request('POST', '/api/notify/channels', { name: 'On-call hook', type: 'webhook', config: { url: `${receiver.url}/hook` }, locale: 'en', isDefault: true });
      expect(channel.status, channel.body).toBe(200);
      notifyOf(t.ctx).start();
      await dispatcher.tick();
      // The group wait (30 s) passes on the dispatcher's clock.
      skew = 31_000;
      await dispatcher.tick();
      await waitFor(() => receiver!.requests.some((r) => r.url === '/hook'), 'the webhook request', 10_000);
      const body = receiver.requests.find((r) => r.url === '/hook')!.json as { title: string; severity: string; text: string };
      expect(body.severity).toBe('critical');
      expect(body.title).toMatch(/^\[FIRING 2\] HTTP service down/);
      expect(body.text).not.toContain('HTTP 服务不可用');
    } finally {
      await dispatcher.close();
      await notifyOf(t.ctx).close();
      await receiver?.stop();
    }
  });

  it('[L3-2.1.3] the host pack binds to hosts: a server CI and a CI of another class that has an agent, not a database CI without one', async () => {
    const server = await ci('srv-01', 'server');
    const vm = await ci('vm-01', 'vm');
    const database = await ci('db-01', 'database');
    const now = Date.now();
    await t.ctx.db
      .insertInto('agent')
      .values({ id: '0190b000-0000-7000-8000-00000000b001', hostname: 'vm-01', machine_id: 'vm-01', ci_id: vm, version: '1', os: 'linux', ip: '10.0.0.31', interval_seconds: 15, credential_hash: 'x', enrolment_token_id: 'none', enrolled_at: now, last_contact_at: now, revoked_at: null })
      .execute();
    // Who is a host is cached for a minute by the evaluator (as class members are): read it afresh.
    alertingOf(t.ctx).evaluator.targets.invalidate();
    const t0 = baseTime(5);
    await h.push([server, vm, database].map((id) => ({ metric: 'host_cpu_usage_percent', labels: { ci: id }, ts: t0, value: 99 })));
    await h.cycle(t0 + 1000);
    const cpu = (await rulesOf('hosts')).find((r) => r.nameEn === 'Host CPU usage high')!;
    const alerts = (await h.alerts(`?ruleId=${cpu.id}&state=pending,firing`)) as Alert[];
    expect(alerts.map((a) => a.ciId).sort()).toEqual([server, vm].sort());
  });
});
