// `npm run bench -- cluster [--checks 10000] [--interval 60] [--duration 130] [--kills 20] [--lease 15000]`
//
// Cluster mode on PostgreSQL (docs/architecture.md "Cluster mode"): 10,000 agentless checks a minute run
// by one real `yunwei serve` process, then by two on the same database (each owns about half). Measured
// in one run: each node's CPU (from /proc) against the single node's, the start-time jitter each node
// reports, and starts per minute. Then fail-over: `kills` times the node holding the alert evaluator
// is killed (-9) and the time until the other holds it is measured (target ≤ 2 × lease), the killed
// node restarted each time. Prints one JSON line; progress goes to stderr.
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { startYunwei, type RunningYunwei } from '../e2e/support/yunwei-server.js';
import { insertChecks, startCheckTargets } from './lib/check-fleet.js';
import { percentile, processCpuMs } from './lib/proc.js';
import { benchStore, benchToken } from './lib/yunwei.js';

const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '10000' },
    interval: { type: 'string', default: '60' },
    duration: { type: 'string', default: '130' },
    kills: { type: 'string', default: '20' },
    lease: { type: 'string', default: '15000' },
  },
});
const count = Number(values.checks);
const intervalS = Number(values.interval);
const duration = Number(values.duration);
const kills = Number(values.kills);
const leaseMs = Number(values.lease);
if (!(count > 0) || !(intervalS >= 5) || !(duration > 0) || !(kills >= 0) || !(leaseMs >= 300)) {
  process.stderr.write('[bench cluster] bad options\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench cluster] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const { dir, databaseUrl, remove } = await benchStore('postgres', 'cluster');
const targets = await startCheckTargets();
const env = { YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin1', YUNWEI_WEB_DIR: '', YUNWEI_CLUSTER_LEASE_MS: String(leaseMs), YUNWEI_LOG_LEVEL: 'error' };

// Migrate, seed the checks and make a token (it lives in the database: every node accepts it).
const setup = await buildApp({ config: loadConfig({ ...env, YUNWEI_DATA_DIR: dir, YUNWEI_LOG_LEVEL: 'silent' }), announce: () => undefined });
await insertChecks(setup.ctx.db, count, intervalS, targets);
const token = await benchToken(setup, 'bench-cluster', ['checks.check.read', 'platform.cluster.read']);
await setup.close();
say(`${count} checks every ${intervalS} s on PostgreSQL, lease ${leaseMs} ms`);

async function api<T>(node: RunningYunwei, path: string): Promise<T> {
  const res = await fetch(`${node.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  if (!res.ok) {
    throw new Error(`${path} on ${node.url}: ${res.status}`);
  }
  return (await res.json()) as T;
}

type Scheduler = { checks: number; started: number; jitterMs: { p50: number; p99: number; max: number; samples: number } };

/** Runs the nodes for `duration` seconds (after a minute's warm-up, so every check has started once) and measures. */
async function measure(nodes: RunningYunwei[]) {
  await sleep(intervalS * 1000 + 5_000);
  const before = await Promise.all(nodes.map(async (n) => ({ cpu: processCpuMs(n.pid)!, s: await api<Scheduler>(n, '/api/checks/scheduler') })));
  const from = Date.now();
  await sleep(duration * 1000);
  const wallMs = Date.now() - from;
  return Promise.all(
    nodes.map(async (n, i) => {
      const s = await api<Scheduler>(n, '/api/checks/scheduler');
      return {
        checks: s.checks,
        startsPerMinute: Math.round(((s.started - before[i]!.s.started) / wallMs) * 60_000),
        cpuPercentOfCore: Math.round(((processCpuMs(n.pid)! - before[i]!.cpu) / wallMs) * 1000) / 10,
        jitterMs: s.jitterMs,
      };
    }),
  );
}

const single = await startYunwei(env, { dataDir: dir });
say('one node');
const one = await measure([single]);
say(JSON.stringify(one));
const second = await startYunwei(env, { dataDir: dir });
const nodes = [single, second];
say('two nodes');
const two = await measure(nodes);
say(JSON.stringify(two));

// Fail-over: the node holding the evaluator is killed; how long until the other holds it.
type Cluster = { nodes: { alive: boolean; self: boolean; leases: string[] }[] };
const takeovers: number[] = [];
for (let k = 0; k < kills; k++) {
  const views = await Promise.all(nodes.map((n) => api<Cluster>(n, '/api/cluster')));
  const victim = views.findIndex((v) => v.nodes.find((n) => n.self)!.leases.includes('alerting.evaluator'));
  if (victim < 0) {
    await sleep(1000);
    k--;
    continue;
  }
  const survivor = nodes[1 - victim]!;
  await nodes[victim]!.kill();
  const killedAt = Date.now();
  for (;;) {
    const view = await api<Cluster>(survivor, '/api/cluster');
    if (view.nodes.find((n) => n.self)!.leases.includes('alerting.evaluator')) {
      break;
    }
    await sleep(100);
  }
  takeovers.push(Date.now() - killedAt);
  say(`kill ${k + 1}/${kills}: taken over in ${takeovers.at(-1)} ms`);
  nodes[victim] = await startYunwei(env, { dataDir: dir });
  // Both members again before the next kill.
  for (;;) {
    const view = await api<Cluster>(survivor, '/api/cluster');
    if (view.nodes.filter((n) => n.alive).length === 2) {
      break;
    }
    await sleep(200);
  }
}

await Promise.all(nodes.map((n) => n.stop()));
targets.stop();
await remove();

const result = {
  bench: 'cluster',
  checks: count,
  intervalSeconds: intervalS,
  durationSeconds: duration,
  leaseMs,
  single: one[0],
  two,
  cpuRatioPerNode: two.map((n) => Math.round((n.cpuPercentOfCore / one[0]!.cpuPercentOfCore) * 100) / 100),
  failover: {
    kills: takeovers.length,
    p50Ms: percentile(takeovers, 50),
    maxMs: takeovers.length ? Math.max(...takeovers) : null,
    targetMs: 2 * leaseMs,
    meetsTarget: takeovers.every((ms) => ms <= 2 * leaseMs),
  },
};
process.stdout.write(`${JSON.stringify(result)}\n`);
