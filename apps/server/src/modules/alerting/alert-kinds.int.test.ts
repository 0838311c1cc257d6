import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';

const HOUR = 3_600_000;
const WEEK = 7 * 24 * HOUR;
type A = { state: string; severity: string; labels: Record<string, string>; value: number; annotations: { en: { summary: string } } };

describe.skipIf(!databaseAvailable())('alert rule kinds on real samples', () => {
  let t: TestApp;
  let h: AlertingHarness;
  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
  });
  afterAll(() => t?.close());

  it('[L3-2.1.3] metric rule: avg over the window, and "n of the last m" evaluations', async () => {
    const t0 = baseTime(40);
    const points = [20, 95, 30, 96, 97];
    await h.push(points.map((value, i) => ({ metric: 'yw_kind_load', labels: { instance: 'n1' }, ts: t0 + i * 15_000, value })));
    // 3 of the last 4 evaluations above 90 (the value flickers, so "for" would never hold).
    const rule = await h.rule({ name: 'load', spec: { kind: 'metric', selector: 'yw_kind_load', reducer: 'last', windowSeconds: 20, op: '>', thresholds: { warning: 90 }, nOfM: { n: 3, m: 4 } } });
    const states: string[] = [];
    for (let i = 0; i < points.length; i++) {
      await h.cycle(t0 + i * 15_000);
      states.push((await h.alerts(`?ruleId=${rule.id}`))[0]?.state ?? 'none');
    }
    expect(states, JSON.stringify(states)).toEqual(['none', 'pending', 'pending', 'pending', 'firing']);
    // The n-of-m history is persisted while it holds a breach.
    expect(await t.ctx.db.selectFrom('alert_rule_state').select('history').where('rule_id', '=', rule.id).execute()).toEqual([{ history: '1011' }]);

    const avg = await h.admin.request('POST', '/api/alerting/rules/preview', { name: 'avg', spec: { kind: 'metric', selector: 'yw_kind_load', reducer: 'avg', windowSeconds: 86_400, op: '>', thresholds: { warning: 60 } } });
    expect(avg.json.items[0].value).toBeCloseTo((20 + 95 + 30 + 96 + 97) / 5, 10);
  });

  it('[L3-2.1.3] check rule: down N times in a row, and flapping, from a real TCP check', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    const created = await h.admin.request('POST', '/api/checks', { name: 'tcp svc', type: 'tcp', settings: { host: '127.0.0.1', port }, intervalSeconds: 60, enabled: false, orgUnitId: null });
    expect(created.status, created.body).toBe(200);
    const check = created.json;
    const rule = await h.rule({ name: 'svc down', severity: 'critical', spec: { kind: 'check', checkIds: [check.id], consecutiveDown: 2, flapping: { changes: 3, window: 6 } } });
    const run = async () => {
      expect((await h.admin.request('POST', `/api/checks/${check.id}/run`)).status).toBe(200);
      await h.cycle(Date.now());
      const alerts: A[] = await h.alerts(`?ruleId=${rule.id}`);
      return alerts.map((a) => `${a.labels.flapping ? 'flapping' : 'down'}:${a.state}:${a.severity}`).sort();
    };
    const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const listen = () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    try {
      expect(await run()).toEqual([]);
      await close();
      expect(await run()).toEqual([]); // down once
      expect(await run()).toEqual(['down:firing:critical']); // down twice
      await listen();
      expect(await run()).toEqual([]); // up: resolved (2 changes so far)
      await close();
      expect(await run()).toEqual(['flapping:firing:warning']); // 3 changes in 6 results
    } finally {
      if (server.listening) {
        await close();
      }
    }
  });

  it('[L3-2.1.3] absent rule: a series that stopped, and an agent gone silent', async () => {
    const t0 = baseTime(50);
    await h.push([
      { metric: 'yw_kind_beat', labels: { instance: 'quiet' }, ts: t0, value: 1 },
      { metric: 'yw_kind_beat', labels: { instance: 'alive' }, ts: t0, value: 1 },
    ]);
    const rule = await h.rule({ name: 'no data', spec: { kind: 'absent', subject: 'series', selector: 'yw_kind_beat' }, forSeconds: 120 });
    await h.push([{ metric: 'yw_kind_beat', labels: { instance: 'alive' }, ts: t0 + 100_000, value: 1 }]);
    await h.cycle(t0 + 60_000);
    expect(await h.alerts(`?ruleId=${rule.id}`)).toEqual([]);
    await h.cycle(t0 + 130_000);
    const alerts: A[] = await h.alerts(`?ruleId=${rule.id}`);
    expect(alerts.map((a) => [a.labels.instance, a.state, a.value])).toEqual([['quiet', 'firing', 130]]);
    // Data again: resolved.
    await h.push([{ metric: 'yw_kind_beat', labels: { instance: 'quiet' }, ts: t0 + 140_000, value: 1 }]);
    await h.cycle(t0 + 150_000);
    expect(await h.alerts(`?ruleId=${rule.id}`)).toEqual([]);

    const now = Date.now();
    await t.ctx.db
      .insertInto('agent')
      .values({ id: '0190b000-0000-7000-8000-00000000a001', hostname: 'agent-host', machine_id: 'm1', ci_id: null, version: '1', os: 'linux', ip: '10.0.0.9', interval_seconds: 15, credential_hash: 'x', enrolment_token_id: 'none', enrolled_at: now - HOUR, last_contact_at: now - 5 * 60_000, revoked_at: null })
      .execute();
    const agentRule = await h.rule({ name: 'agent silent', severity: 'critical', spec: { kind: 'absent', subject: 'agent' }, forSeconds: 120 });
    await h.cycle(now);
    const [agentAlert] = await h.alerts(`?ruleId=${agentRule.id}`);
    expect(agentAlert).toMatchObject({ state: 'firing', severity: 'critical', labels: { agent: '0190b000-0000-7000-8000-00000000a001', instance: 'agent-host' } });
  });

  it('[L3-2.1.3] capacity rule: a disk filling linearly fires with the time it will be full', async () => {
    const now = Math.floor(Date.now() / 60_000) * 60_000;
    const samples = [];
    for (let i = 0; i <= 72; i++) {
      const ts = now - (72 - i) * 5 * 60_000;
      samples.push({ metric: 'yw_kind_fs', labels: { mount: '/data' }, ts, value: 40 + (i * 5) / 60 }); // +1 % per hour
      samples.push({ metric: 'yw_kind_fs', labels: { mount: '/flat' }, ts, value: 50 });
    }
    await h.push(samples);
    const rule = await h.rule({ name: 'disk full soon', spec: { kind: 'capacity', selector: 'yw_kind_fs', op: '>', threshold: 100, horizonSeconds: 7 * 86_400, lookbackSeconds: 6 * 3600 } });
    await h.cycle(now);
    const alerts: A[] = await h.alerts(`?ruleId=${rule.id}`);
    expect(alerts.map((a) => a.labels.mount)).toEqual(['/data']);
    // 46 % now, +1 %/h: 100 % in about 54 hours.
    expect(alerts[0]!.value).toBeCloseTo(46, 0);
    // Written as every time in messages: wall-clock time in YUNWEI_TIME_ZONE (Asia/Shanghai) with its offset.
    const eta = formatMessageTime(now + 54 * HOUR, 'Asia/Shanghai').slice(0, 13);
    expect(alerts[0]!.annotations.en.summary).toContain(`disk full soon: /data expected to reach 100 at ${eta}`);
    expect(alerts[0]!.annotations.en.summary).toMatch(/\(UTC\+08:00\)$/);
  });

  it('[L3-2.1.3] [L2-2.1.3] baseline rule: a value outside mean ± k·σ of the same hour of the week', async () => {
    const now = Date.now();
    const history = [10, 12, 14, 12];
    await h.push(
      history.flatMap((value, i) => [
        { metric: 'yw_kind_qps', labels: { app: 'odd' }, ts: now - (i + 1) * WEEK, value },
        { metric: 'yw_kind_qps', labels: { app: 'usual' }, ts: now - (i + 1) * WEEK, value },
      ]),
    );
    await h.push([
      { metric: 'yw_kind_qps', labels: { app: 'odd' }, ts: now - 60_000, value: 30 },
      { metric: 'yw_kind_qps', labels: { app: 'usual' }, ts: now - 60_000, value: 13 },
    ]);
    const rule = await h.rule({ name: 'qps unusual', spec: { kind: 'baseline', selector: 'yw_kind_qps', k: 3, minSamples: 4, weeks: 5 } });
    await h.cycle(now);
    const alerts: A[] = await h.alerts(`?ruleId=${rule.id}`);
    expect(alerts.map((a) => [a.labels.app, a.value])).toEqual([['odd', 30]]);
  });

  it('[L3-2.1.3] a rule attached to a CI class applies to the CIs of that class only, including a CI created later', async () => {
    const classes = (await h.admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const classId = (code: string) => classes.find((c) => c.code === code)!.id;
    const ci = async (name: string, code: string) => (await h.admin.request('POST', '/api/cmdb/cis', { classId: classId(code), name })).json.id as string;
    const server1 = await ci('srv-1', 'server');
    const db1 = await ci('db-1', 'database');
    const t0 = baseTime(25);
    await h.push([
      { metric: 'yw_kind_temp', labels: { ci: server1 }, ts: t0, value: 99 },
      { metric: 'yw_kind_temp', labels: { ci: db1 }, ts: t0, value: 99 },
    ]);
    const rule = await h.rule({ name: 'hot', spec: { kind: 'metric', selector: 'yw_kind_temp', reducer: 'last', windowSeconds: 300, op: '>', thresholds: { critical: 80 } }, target: { kind: 'class', classId: classId('server') } });
    await h.cycle(t0 + 1000);
    expect((await h.alerts(`?ruleId=${rule.id}`)).map((a: A) => a.labels.ci)).toEqual([server1]);
    expect((await h.alerts(`?ciId=${server1}`)).length).toBe(1);

    const server2 = await ci('srv-2', 'server');
    await h.push([{ metric: 'yw_kind_temp', labels: { ci: server2 }, ts: t0 + 2000, value: 99 }]);
    // The class's members are cached for a minute.
    await h.cycle(t0 + 70_000);
    expect((await h.alerts(`?ruleId=${rule.id}`)).map((a: A) => a.labels.ci).sort()).toEqual([server1, server2].sort());
  });

  it('installs the default rule packs once, bound to what they apply to (every host, every check of their types)', async () => {
    const packs = (await h.admin.request('GET', '/api/alerting/rule-packs')).json.items as { id: string; rules: number; installed: number }[];
    expect(packs.map((p) => p.id)).toEqual(['hosts', 'databases', 'http']);
    for (const p of packs) {
      const res = await h.admin.request('POST', `/api/alerting/rule-packs/${p.id}/install`);
      expect(res.json).toEqual({ created: p.rules, skipped: 0 });
    }
    expect((await h.admin.request('POST', '/api/alerting/rule-packs/hosts/install')).json).toEqual({ created: 0, skipped: 5 });
    const rules = (await h.admin.request('GET', '/api/alerting/rules?limit=100')).json.items as { pack: string | null; target: { kind: string } }[];
    expect(rules.filter((r) => r.pack !== null).every((r) => r.target.kind === (r.pack === 'hosts' ? 'hosts' : 'all'))).toBe(true);
    // Every pack rule compiles and evaluates.
    await h.cycle(Date.now());
  });
});
