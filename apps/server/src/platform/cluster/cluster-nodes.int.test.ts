import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startYunwei, type RunningYunwei } from '../../../../../e2e/support/yunwei-server.js';
import { waitFor } from '../../../test/peers.js';
import { ADMIN_PASSWORD, createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { postgresTestUrl, testDialect } from '../../../test/test-env.js';
import { startReceiver, type TestReceiver } from '../notify/notify.testing.js';
import { clusterNodeEnv } from './cluster.testing.js';

const INTERVAL_S = 5;
const LEASE_MS = 3_000;
const CHECKS = 12;

/**
 * Two real `yunwei serve` processes on one PostgreSQL database (the cluster mode of docs/architecture.md):
 * the agentless checks are shared between them and each runs once per interval, the alert of a failing
 * check notifies once, a live socket on one node sees what the other ingests, and when one node is
 * killed (-9) the other takes its share over within the lease.
 */
describe.runIf(databaseAvailable() && testDialect() === 'postgres')('two Yunwei nodes on one PostgreSQL database', () => {
  let t: TestApp;
  let admin: TestSession;
  let target: TestReceiver;
  let hook: TestReceiver;
  const nodes: RunningYunwei[] = [];
  let checkIds: string[] = [];
  let alarmId = '';
  let env: Record<string, string>;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    target = await startReceiver((req) => (req.url.startsWith('/bad') ? { status: 500 } : { status: 200, json: { ok: true } }));
    hook = await startReceiver();
    const channel = await admin.request('POST', '/api/notify/channels', { name: '值班群', type: 'webhook', config: { url: `${hook.url}/hook` } });
    expect(channel.status, channel.body).toBe(200);
    for (let i = 0; i < CHECKS; i++) {
      const res = await admin.request('POST', '/api/checks', { name: `站点 ${i}`, type: 'http', intervalSeconds: INTERVAL_S, timeoutMs: 2000, settings: { url: `${target.url}/ok/${i}` } });
      expect(res.status, res.body).toBe(200);
      checkIds.push(res.json.id as string);
    }
    const alarm = await admin.request('POST', '/api/checks', { name: '坏掉的站点', type: 'http', intervalSeconds: INTERVAL_S, timeoutMs: 2000, retries: 0, notifyChannelIds: [channel.json.id], settings: { url: `${target.url}/bad` } });
    expect(alarm.status, alarm.body).toBe(200);
    alarmId = alarm.json.id as string;
    checkIds = [...checkIds, alarmId];

    // The nodes share the database (this test's schema) and the data directory (the master key).
    env = await clusterNodeEnv(t, { YUNWEI_NOTIFY_ALLOW_LOCAL: 'true', YUNWEI_CLUSTER_LEASE_MS: String(LEASE_MS), YUNWEI_ALERT_EVAL_INTERVAL: '1' });
    nodes.push(...(await Promise.all([startYunwei(env, { dataDir: t.ctx.config.dataDir }), startYunwei(env, { dataDir: t.ctx.config.dataDir })])));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await target?.stop();
    await hook?.stop();
    await t?.close();
  });

  /** A call to a node's API with the session made on the test's own app: sessions live in the database, any node knows them. */
  async function call<T>(node: RunningYunwei, path: string): Promise<T> {
    const res = await fetch(`${node.url}${path}`, { headers: { cookie: `yw_session=${admin.cookie}` } });
    expect(res.status, `${path} on ${node.url}`).toBe(200);
    return (await res.json()) as T;
  }

  const resultTimes = async (from: number, to: number): Promise<Map<string, number[]>> => {
    const rows = await t.ctx.db.selectFrom('check_result').select(['check_id', 'at']).where('at', '>=', from).where('at', '<', to).orderBy('at').execute();
    const byCheck = new Map<string, number[]>(checkIds.map((id) => [id, []]));
    for (const r of rows) {
      byCheck.get(r.check_id)?.push(Number(r.at));
    }
    return byCheck;
  };

  const gaps = (times: number[]) => times.slice(1).map((at, i) => at - times[i]!);

  it('shares the checks between the nodes: each runs once per interval, the failing one notifies once, either node answers for both', async () => {
    type Cluster = { nodes: { id: string; alive: boolean; leases: string[]; self: boolean }[] };
    await waitFor(async () => (await call<Cluster>(nodes[0]!, '/api/cluster')).nodes.filter((n) => n.alive).length === 2, 'both nodes alive', 20_000);
    // Settled: each node has seen the other; from here each check is one node's.
    await new Promise((r) => setTimeout(r, LEASE_MS));
    const from = Date.now();
    await new Promise((r) => setTimeout(r, 4 * INTERVAL_S * 1000 + 1000));
    const to = Date.now();

    const byCheck = await resultTimes(from, to);
    for (const [id, times] of byCheck) {
      // 21 s at a 5 s interval: 4 or 5 results, never two runs of one check close together.
      expect(times.length, `results of ${id}`).toBeGreaterThanOrEqual(4);
      expect(times.length, `results of ${id}`).toBeLessThanOrEqual(5);
      expect(Math.min(...gaps(times)), `gaps of ${id}`).toBeGreaterThan((INTERVAL_S * 1000) / 2);
    }
    // Both nodes hold a share of the checks (their schedulers say how many).
    const shares = await Promise.all(nodes.map((n) => call<{ checks: number }>(n, '/api/checks/scheduler')));
    expect(shares.every((s) => s.checks > 0), JSON.stringify(shares)).toBe(true);
    expect(shares.reduce((sum, s) => sum + s.checks, 0)).toBe(CHECKS + 1);
    // The alert of the failing check reached the channel once, naming the check.
    await waitFor(() => hook.requests.length > 0, 'the alert notification', 20_000);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(hook.requests).toHaveLength(1);
    expect(hook.requests[0]!.body).toContain('坏掉的站点');
    // Each singleton is held by exactly one node.
    const state = await call<Cluster>(nodes[1]!, '/api/cluster');
    for (const lease of ['alerting.evaluator', 'alerting.dispatcher', 'platform.job-schedules']) {
      expect(state.nodes.filter((n) => n.leases.includes(lease)), lease).toHaveLength(1);
    }

    // A browser on node B sees the alert acknowledged through node A, live.
    const alert = await t.ctx.db.selectFrom('alert').select('id').where('state', '=', 'firing').executeTakeFirstOrThrow();
    const live = new WebSocket(`${nodes[1]!.url.replace('http', 'ws')}/api/alerting/live`, { headers: { cookie: `yw_session=${admin.cookie}` } });
    const messages: { alert: { id: string; state: string } }[] = [];
    live.on('message', (data) => messages.push(JSON.parse(data.toString()) as (typeof messages)[number]));
    await new Promise((resolve, reject) => live.once('open', resolve).once('error', reject));
    try {
      const ack = await fetch(`${nodes[0]!.url}/api/alerting/alerts/${alert.id}/ack`, {
        method: 'POST',
        headers: { cookie: `yw_session=${admin.cookie}`, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(ack.status).toBe(200);
      await waitFor(() => messages.find((m) => m.alert.id === alert.id && m.alert.state === 'acknowledged'), 'the acknowledgement on the other node', 10_000, 50);
    } finally {
      live.close();
    }
  }, 120_000);

  it('streams live samples across the nodes: a socket on node B sees the check results and the pushed samples of node A', async () => {
    const socket = new WebSocket(`${nodes[1]!.url.replace('http', 'ws')}/api/monitoring/live`, { headers: { cookie: `yw_session=${admin.cookie}`, origin: nodes[1]!.url } });
    const seen = { checks: new Set<string>(), pushed: [] as number[] };
    socket.on('message', (data) => {
      const message = JSON.parse(data.toString()) as { id?: string; series?: { labels: Record<string, string>; points: [number, number][] }[] };
      for (const series of message.series ?? []) {
        if (message.id === 'up') {
          seen.checks.add(series.labels.check!);
        } else if (message.id === 'pushed') {
          seen.pushed.push(...series.points.map(([, value]) => value));
        }
      }
    });
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
    try {
      socket.send(JSON.stringify({ subscribe: [{ id: 'up', selector: 'check_up' }, { id: 'pushed', selector: 'cluster_live_probe' }] }));
      // Node B runs only its share of the checks: every check's result arriving means node A's came over too.
      await waitFor(() => seen.checks.size === CHECKS + 1, 'live results of every check on node B', 4 * INTERVAL_S * 1000, 100);
      const push = await fetch(`${nodes[0]!.url}/api/v1/metrics`, {
        method: 'POST',
        headers: { cookie: `yw_session=${admin.cookie}`, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
        body: JSON.stringify({ samples: [{ metric: 'cluster_live_probe', labels: { source: 'node-a' }, ts: Date.now(), value: 42 }] }),
      });
      expect(push.status, await push.text()).toBe(200);
      await waitFor(() => seen.pushed.includes(42), 'the sample pushed to node A, live on node B', 10_000, 50);
    } finally {
      socket.close();
    }
  }, 60_000);

  it('takes an unpublished status page off every node at once, not after the cache time', async () => {
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const system = await admin.request('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'business_system')!.id, name: '网上办事大厅' });
    expect(system.status, system.body).toBe(200);
    const page = await admin.request('POST', '/api/status-pages', { title: { zh: '门户网站状态' }, slug: 'portal-cluster', businessSystemId: system.json.id, published: true });
    expect(page.status, page.body).toBe(200);
    const visit = (node: RunningYunwei) => fetch(`${node.url}/api/public/status/portal-cluster`).then((r) => r.status);
    // Node B answers the visitor and keeps the answer for its cache time (10 s).
    expect(await visit(nodes[1]!)).toBe(200);
    const unpublish = await fetch(`${nodes[0]!.url}/api/status-pages/${page.json.id}`, {
      method: 'PATCH',
      headers: { cookie: `yw_session=${admin.cookie}`, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' },
      body: JSON.stringify({ published: false }),
    });
    expect(unpublish.status).toBe(200);
    const at = Date.now();
    await waitFor(async () => (await visit(nodes[1]!)) === 404, 'the page gone from node B', 10_000, 50);
    expect(Date.now() - at).toBeLessThan(5_000);
  }, 30_000);

  it('takes the work of a killed node over within the lease, loses no check and sends nothing twice; the node rejoins on restart', async () => {
    type Cluster = { nodes: { id: string; alive: boolean; leases: string[]; self: boolean }[] };
    const state = await call<Cluster>(nodes[0]!, '/api/cluster');
    const holder = state.nodes.find((n) => n.leases.includes('alerting.evaluator'))!;
    const victim = state.nodes.find((n) => n.self)!.id === holder.id ? 0 : 1;
    const survivor = nodes[1 - victim]!;
    const from = Date.now();
    await nodes[victim]!.kill();
    const killedAt = Date.now();

    // The survivor takes the singletons over once the lease has run out.
    await waitFor(
      async () => (await call<Cluster>(survivor, '/api/cluster')).nodes.find((n) => n.self)!.leases.includes('alerting.evaluator'),
      'the evaluator on the survivor',
      4 * LEASE_MS,
    );
    const takeover = Date.now() - killedAt;
    expect(takeover).toBeLessThanOrEqual(2 * LEASE_MS + 2_000);
    await new Promise((r) => setTimeout(r, 3 * INTERVAL_S * 1000));
    const to = Date.now();

    const byCheck = await resultTimes(from - INTERVAL_S * 1000, to);
    for (const [id, times] of byCheck) {
      // No check waits longer than its interval plus the takeover; at most one doubled run at the handover.
      expect(Math.max(...gaps(times)), `longest gap of ${id}`).toBeLessThanOrEqual(INTERVAL_S * 1000 + 2 * LEASE_MS + 2_000);
      expect(gaps(times).filter((g) => g < (INTERVAL_S * 1000) / 2).length, `doubled runs of ${id}`).toBeLessThanOrEqual(1);
    }
    expect((await call<{ checks: number }>(survivor, '/api/checks/scheduler')).checks).toBe(CHECKS + 1);
    // The firing alert is not announced again by the node that took over.
    expect(hook.requests).toHaveLength(1);

    // Restarted, the node rejoins and takes a share again.
    nodes[victim] = await startYunwei(env, { dataDir: t.ctx.config.dataDir });
    await waitFor(async () => (await call<{ checks: number }>(nodes[victim]!, '/api/checks/scheduler')).checks > 0, 'a share for the restarted node', 20_000);
    const after = await call<Cluster>(survivor, '/api/cluster');
    expect(after.nodes.filter((n) => n.alive)).toHaveLength(2);
  }, 120_000);
});

describe.runIf(databaseAvailable() && testDialect() === 'postgres')('three Yunwei nodes starting at once on an empty database', () => {
  const schema = `t_start_${process.pid}_${Date.now().toString(36)}`;
  const started: RunningYunwei[] = [];
  let dataDir = '';

  afterAll(async () => {
    await Promise.all(started.map((n) => n.stop()));
    if (dataDir) {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('migrates once and seeds once; all three serve', async () => {
    const admin = new pg.Client({ connectionString: postgresTestUrl() });
    await admin.connect();
    await admin.query(`create schema ${schema}`);
    dataDir = mkdtempSync(path.join(tmpdir(), 'yw-start-'));
    const env = {
      YUNWEI_DATABASE_URL: `${postgresTestUrl()}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      YUNWEI_ADMIN_PASSWORD: ADMIN_PASSWORD,
      YUNWEI_WEB_DIR: '',
      YUNWEI_CLUSTER_LEASE_MS: String(LEASE_MS),
    };
    try {
      started.push(...(await Promise.all([0, 1, 2].map(() => startYunwei(env, { dataDir })))));
      for (const n of started) {
        expect((await fetch(`${n.url}/api/health`)).status).toBe(200);
      }
      const q = async (text: string) => Number((await admin.query<{ n: string }>(text)).rows[0]!.n);
      // Each migration ran once (its row is there once), and the first-start seeds exist once.
      expect(await q(`select count(*) - count(distinct name) as n from ${schema}.yunwei_migration`)).toBe(0);
      expect(await q(`select count(*) as n from ${schema}.yunwei_migration`)).toBeGreaterThan(20);
      expect(await q(`select count(*) as n from ${schema}."user" where username = 'admin'`)).toBe(1);
      expect(await q(`select count(*) - count(distinct kind) as n from ${schema}.role where builtin = 1`)).toBe(0);
      expect(await q(`select count(*) as n from ${schema}.cluster_node where stopped_at is null`)).toBe(3);
    } finally {
      await admin.end();
    }
  }, 180_000);
});
