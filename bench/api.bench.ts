// `npm run bench -- api [--duration 10] [--warmup 3] [--connections 30] [--users 10000] [--rounds 1] [--profile <dir>] [--query <path?query>]`
//
// Yunwei's authenticated GET /api/users (page of 50, sorted, filtered by text and status, API token)
// against a bare Fastify + better-sqlite3 route running the same SQL on the same database file.
// Each server runs in its own child process (same node, same flags, same database file), the load
// generator (autocannon) in this one. Each gets a warm-up, then `duration` seconds of `connections`
// keep-alive clients, one server at a time (the other one idles). --rounds N repeats the pair of
// measurements N times and reports each server's median round (the machine may be shared).
// Prints one JSON line on stdout; progress goes to stderr. Everything lives in a temp dir, removed
// at the end. --profile <dir> writes a V8 CPU profile of the Yunwei child there (slows it down);
// --query measures another /api/users request than the issue's (the figures are then not comparable).
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs, isDeepStrictEqual } from 'node:util';
import { loadConfig } from '../apps/server/src/config/config.js';
import { LIST_QUERY, seed } from './api/seed.js';
import { measure, type LoadFigures } from './lib/load.js';
import { killAllServers, startServer, stopAll, type ServerProcess } from './lib/server-process.js';

const TARGETS = { reqPerSec: 3000, p99Ms: 50, ratio: 0.5 };

function usage(problem: string): never {
  process.stderr.write(`[bench api] ${problem}\n`);
  process.exit(2);
}
const OPTIONS = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '3' },
  connections: { type: 'string', default: '30' },
  users: { type: 'string', default: '10000' },
  rounds: { type: 'string', default: '1' },
  profile: { type: 'string' },
  query: { type: 'string', default: LIST_QUERY },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ options: OPTIONS });
} catch (error) {
  usage(`${(error as Error).message}\noptions: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(' ')}`);
}
const opts = parsed.values;
const positive = (name: string, value: string | undefined): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    usage(`--${name} must be a positive number, got ${value}`);
  }
  return n;
};
const duration = positive('duration', opts.duration);
const warmup = Number(opts.warmup);
if (!Number.isFinite(warmup) || warmup < 0) {
  usage(`--warmup must be a number of seconds (0 for none), got ${opts.warmup}`);
}
const connections = Math.round(positive('connections', opts.connections));
const userCount = Math.round(positive('users', opts.users));
const rounds = Math.round(positive('rounds', opts.rounds));
const listQuery = opts.query;
if (!listQuery.startsWith('/api/users')) {
  usage('--query must be a GET /api/users… path (the bare route implements only that one)');
}
const log = (message: string) => process.stderr.write(`[bench api] ${message}\n`);

const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-bench-api-'));
const dbFile = path.join(dataDir, 'yunwei.db');
// No web UI (webDir '' is passed as an override: an empty variable counts as unset).
const env = {
  YUNWEI_DATA_DIR: dataDir,
  YUNWEI_DATABASE_URL: `sqlite:${dbFile}`,
  YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026',
  YUNWEI_LOG_LEVEL: 'silent',
  YUNWEI_LOGIN_RATE_LIMIT: '100000',
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(130);
  });
}
// What else the machine was doing when we started (1-minute load average).
const loadavgAtStart = Math.round(loadavg()[0]! * 100) / 100;

async function getJson(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: await res.json() };
}

interface Contender {
  name: 'yunwei' | 'bare';
  server: ServerProcess;
  headers: Record<string, string>;
  sample: unknown;
  rounds: LoadFigures[];
}

async function contender(name: Contender['name'], server: ServerProcess, headers: Record<string, string>): Promise<Contender> {
  const sample = await getJson(`${server.url}${listQuery}`, headers);
  if (sample.status !== 200) {
    throw new Error(`${name}: GET ${listQuery} answered ${sample.status}: ${JSON.stringify(sample.body)}`);
  }
  log(`${name}: pid ${server.pid} at ${server.url}`);
  return { name, server, headers, sample: sample.body, rounds: [] };
}

/** The round with the median req/s (the lower one of the middle two for an even count). */
function median(rounds: LoadFigures[]): LoadFigures {
  return [...rounds].sort((a, b) => a.reqPerSec - b.reqPerSec)[Math.floor((rounds.length - 1) / 2)]!;
}

try {
  const started = Date.now();
  const { token } = await seed(loadConfig(env, { webDir: '' }), userCount);
  log(`seeded ${userCount} users in ${Date.now() - started} ms (${dataDir})`);

  // Both servers up (an idle one costs nothing), then measured one after the other.
  const nodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`] : [];
  const yunweiServer = await startServer(path.join(import.meta.dirname, 'api/yunwei-server.ts'), [], { env, nodeArgs });
  const yunwei = await contender('yunwei', yunweiServer, { authorization: `Bearer ${token}` });
  // The measured route really is guarded: without the token it is refused.
  const anonymous = await getJson(`${yunweiServer.url}${listQuery}`);
  if (anonymous.status !== 401) {
    throw new Error(`yunwei: GET without a token answered ${anonymous.status}, expected 401`);
  }
  const bare = await contender('bare', await startServer(path.join(import.meta.dirname, 'api/bare-server.ts'), [dbFile]), {});
  if (!isDeepStrictEqual(yunwei.sample, bare.sample)) {
    throw new Error('the bare route and Yunwei do not answer the same JSON');
  }

  for (const c of [yunwei, bare]) {
    if (warmup > 0) {
      log(`${c.name}: ${warmup}s warm-up`);
      await measure({ url: `${c.server.url}${listQuery}`, headers: c.headers, connections, duration: warmup });
    }
  }
  for (let round = 1; round <= rounds; round++) {
    for (const c of [yunwei, bare]) {
      const figures = await measure({ url: `${c.server.url}${listQuery}`, headers: c.headers, connections, duration, serverCpuMicros: c.server.cpuMicros });
      c.rounds.push(figures);
      log(`${c.name}${rounds > 1 ? ` (round ${round}/${rounds})` : ''}: ${figures.reqPerSec} req/s, p50 ${figures.p50Ms} ms, p99 ${figures.p99Ms} ms, server CPU ${figures.cpuMsPerReq} ms/req`);
    }
  }
  await Promise.all([yunwei.server.stop(), bare.server.stop()]);

  const y = median(yunwei.rounds);
  const b = median(bare.rounds);
  const page = yunwei.sample as { items: unknown[]; total: number };
  const ratio = Math.round((y.reqPerSec / b.reqPerSec) * 100) / 100;
  const failures = [...yunwei.rounds, ...bare.rounds].reduce((n, r) => n + r.non2xx + r.errors, 0);
  const result = {
    bench: 'api',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}`, loadavg1AtStart: loadavgAtStart },
    setup: {
      users: userCount,
      request: `GET ${listQuery}`,
      pageItems: page.items.length,
      matching: page.total,
      connections,
      warmupS: warmup,
      durationS: duration,
      rounds,
      profiled: Boolean(opts.profile),
    },
    yunwei: rounds > 1 ? { ...y, roundsReqPerSec: yunwei.rounds.map((r) => r.reqPerSec) } : y,
    bare: rounds > 1 ? { ...b, roundsReqPerSec: bare.rounds.map((r) => r.reqPerSec) } : b,
    ratio,
    cpuRatio: y.cpuMsPerReq && b.cpuMsPerReq ? Math.round((b.cpuMsPerReq / y.cpuMsPerReq) * 100) / 100 : null,
    targets: TARGETS,
    meetsTargets: y.reqPerSec >= TARGETS.reqPerSec && y.p99Ms < TARGETS.p99Ms && ratio >= TARGETS.ratio && failures === 0,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (failures > 0) {
    log(`${failures} requests failed (non-2xx or connection errors)`);
    process.exitCode = 1;
  }
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await stopAll();
  rmSync(dataDir, { recursive: true, force: true });
}
