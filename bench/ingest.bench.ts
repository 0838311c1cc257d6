// `npm run bench -- ingest [--duration 20] [--warmup 3] [--series 10000] [--shards 5] [--batch 2000] [--targets sqlite,postgres,prometheus] [--no-push] [--profile <dir>]`
//
// Metrics ingestion. A load generator (this process) sends Prometheus remote-write 1.0 requests
// (protobuf WriteRequest, snappy) of node_exporter-like series — one sample per series per request
// batch, `shards` requests in flight — for a warm-up then `duration` seconds, to:
//   sqlite      Yunwei (the real app, own child process) on SQLite in a temp dir, API token with monitoring.metric.write
//   postgres    the same on a fresh PostgreSQL database (created and dropped here)
//   prometheus  a real Prometheus (--web.enable-remote-write-receiver) on its own temp TSDB
// and, for the Yunwei targets, the same series as JSON to POST /api/v1/metrics (the agent/script push API).
// Figures: samples/s acknowledged in the measured window (a Yunwei answer means committed), request
// latency p50/p99, retried 503s, errors, server CPU per million samples (Yunwei: split by thread — main,
// the SQLite sample writer, the rest). Afterwards what is stored is
// counted (SQL count, PromQL count_over_time) and must equal what was acknowledged.
// One JSON line on stdout; progress on stderr; everything started is stopped and removed.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { decodeRemoteWrite } from '../apps/server/src/modules/monitoring/remote-write.js';
import { drive, type Body, type PhaseFigures } from './ingest/drive.js';
import { nodeExporterSeries, valueAt, type BenchSeries } from './ingest/series.js';
import { threadCpuMs, threadSplit, type ThreadSplit } from './ingest/threads.js';
import { processCpuMs, processRssMiB } from './lib/proc.js';
import { promSamplesAppended, startPrometheus } from './lib/prometheus.js';
import { encodeLabels, REMOTE_WRITE_HEADERS, remoteWriteBody } from './lib/remote-write.js';
import { killAllServers, startServer, stopAll } from './lib/server-process.js';
import { benchToken, createPostgresDatabase, type BenchDatabase } from './lib/yunwei.js';

const TARGET_SAMPLES_PER_SEC = 100_000;
const log = (message: string) => process.stderr.write(`[bench ingest] ${message}\n`);
function usage(problem: string): never {
  log(problem);
  process.exit(2);
}

const OPTIONS = {
  duration: { type: 'string', default: '20' },
  warmup: { type: 'string', default: '3' },
  series: { type: 'string', default: '10000' },
  shards: { type: 'string', default: '5' },
  batch: { type: 'string', default: '2000' },
  targets: { type: 'string', default: 'sqlite,postgres,prometheus' },
  'no-push': { type: 'boolean', default: false },
  profile: { type: 'string' },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ options: OPTIONS });
} catch (error) {
  usage(`${(error as Error).message}\noptions: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(' ')}`);
}
const opts = parsed.values;
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    usage(`--${name} must be a positive number, got ${value}`);
  }
  return n;
};
const durationMs = positive('duration', opts.duration) * 1000;
const warmupMs = Number(opts.warmup) * 1000;
if (!Number.isFinite(warmupMs) || warmupMs < 0) {
  usage(`--warmup must be seconds (0 for none), got ${opts.warmup}`);
}
const seriesCount = Math.round(positive('series', opts.series));
const shardCount = Math.round(positive('shards', opts.shards));
const batch = Math.round(positive('batch', opts.batch));
const targets = opts.targets.split(',').map((t) => t.trim());
for (const t of targets) {
  if (!['sqlite', 'postgres', 'prometheus'].includes(t)) {
    usage(`unknown target ${t} (sqlite, postgres, prometheus)`);
  }
}

// ------------------------------------------------------------------ the load

const series: BenchSeries[] = nodeExporterSeries(seriesCount);
const shards: number[][] = Array.from({ length: shardCount }, () => []);
series.forEach((_, i) => shards[i % shardCount]!.push(i));
const labelBytes = series.map((s) => encodeLabels(s.metric, s.labels));
const jsonPrefix = series.map((s) => `{"metric":${JSON.stringify(s.metric)},"labels":${JSON.stringify(s.labels)},"ts":`);

function remoteWrite(idx: readonly number[], ts: number, tick: number): Body {
  const values = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) {
    values[k] = valueAt(series, idx[k]!, tick);
  }
  return { body: remoteWriteBody(idx.map((i) => labelBytes[i]!), ts, values), samples: idx.length };
}

function push(idx: readonly number[], ts: number, tick: number): Body {
  const parts = idx.map((i) => `${jsonPrefix[i]}${ts},"value":${valueAt(series, i, tick)}}`);
  return { body: `{"samples":[${parts.join(',')}]}`, samples: idx.length };
}

// The encoder is checked against the server's decoder before anything is measured.
{
  const probe = remoteWrite([0, 1, seriesCount - 1], 1_764_000_000_123, 3);
  const decoded = decodeRemoteWrite(probe.body as Buffer);
  const expected = [0, 1, seriesCount - 1].map((i) => ({
    labels: Object.entries({ __name__: series[i]!.metric, ...series[i]!.labels }).sort(([a], [b]) => (a === '__name__' ? -1 : b === '__name__' ? 1 : a < b ? -1 : 1)),
    samples: [{ ts: 1_764_000_000_123, value: valueAt(series, i, 3) }],
    histograms: 0,
  }));
  if (JSON.stringify(decoded) !== JSON.stringify(expected)) {
    throw new Error(`remote-write encoder self-check failed: ${JSON.stringify(decoded[0])}`);
  }
}

// ------------------------------------------------------------------ targets

const tempDirs: string[] = [];
const databases: BenchDatabase[] = [];
const cleanups: (() => Promise<void>)[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    void Promise.all(cleanups.map((c) => c().catch(() => undefined))).finally(() => {
      tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
      process.exit(130);
    });
  });
}

interface Measured extends PhaseFigures {
  /** Server CPU per million samples acknowledged in the window (s), and its CPU use (% of one core). */
  serverCpuSecPerMSamples: number | null;
  serverCpuPct: number | null;
  serverRssMiB: number | null;
  /** Server CPU by thread (Linux). */
  serverThreads: ThreadSplit | null;
}

async function phase(name: string, url: string, headers: Record<string, string>, encode: typeof remoteWrite, pid: number, threads = true): Promise<Measured> {
  log(`${name}: ${warmupMs / 1000}s warm-up + ${durationMs / 1000}s, ${shardCount} shards × ${batch} samples/request, ${seriesCount} series (load average ${loadavg()[0]!.toFixed(2)})`);
  let cpuAtStart: number | null = null;
  let cpuAtEnd: number | null = null;
  let rss: number | null = null;
  let threadsAtStart = new Map<number, number>();
  let threadsAtEnd = new Map<number, number>();
  const f = await drive({
    url,
    headers,
    shards,
    batch,
    encode,
    warmupMs,
    durationMs,
    onWindow: (edge) => {
      if (edge === 'start') {
        cpuAtStart = processCpuMs(pid);
        threadsAtStart = threadCpuMs(pid);
      } else {
        cpuAtEnd = processCpuMs(pid);
        threadsAtEnd = threadCpuMs(pid);
        rss = processRssMiB(pid);
      }
    },
  });
  const cpuMs = cpuAtStart !== null && cpuAtEnd !== null ? cpuAtEnd - cpuAtStart : null;
  const m: Measured = {
    ...f,
    serverCpuSecPerMSamples: cpuMs === null || f.samples === 0 ? null : Math.round((cpuMs / f.samples) * 1000 * 100) / 100,
    serverCpuPct: cpuMs === null ? null : Math.round((cpuMs / durationMs) * 100),
    serverRssMiB: rss,
    serverThreads: threads && threadsAtEnd.size ? threadSplit(pid, threadsAtStart, threadsAtEnd, durationMs, f.samples) : null,
  };
  log(`${name}: ${m.samplesPerSec} samples/s, p50 ${m.p50Ms} ms, p99 ${m.p99Ms} ms, ${m.requests} requests, ${m.retried} retried, ${m.errors} errors, server CPU ${m.serverCpuPct}% (${m.serverCpuSecPerMSamples} s per 1M samples${m.serverThreads ? `; threads: main ${m.serverThreads.mainPct}%, busiest other ${m.serverThreads.busiestOtherPct}%, rest ${m.serverThreads.restPct}%` : ''}), loader CPU ${m.loaderCpuPct}%`);
  if (m.firstError) {
    log(`${name}: first error: ${m.firstError}`);
  }
  return m;
}

// Only the bench's series (job="node"): the app writes its own figures too (e.g. the notification outbox's, every minute).
const BENCH_SERIES = `select id from metric_series where labels like '%"job":"node"%'`;
const STORED_SAMPLES = `select count(*) as n from metric_sample where series_id in (${BENCH_SERIES})`;
// SQLite: samples still staged (not yet moved into metric_sample) are stored too.
const STORED_SAMPLES_SQLITE = `select (${STORED_SAMPLES}) + (select count(*) from metric_sample_head where series_id in (${BENCH_SERIES})) as n`;
const STORED_SERIES = `select count(*) as n from (${BENCH_SERIES}) as s`;

interface YunweiResult {
  remoteWrite: Measured;
  push: Measured | null;
  verified: { acknowledged: number; stored: number; series: number; ok: boolean };
}

async function yunwei(dialect: 'sqlite' | 'postgres'): Promise<YunweiResult | null> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `yw-bench-ingest-${dialect}-`));
  tempDirs.push(dataDir);
  const dbFile = path.join(dataDir, 'yunwei.db');
  let databaseUrl = `sqlite:${dbFile}`;
  if (dialect === 'postgres') {
    const database = await createPostgresDatabase(`yw_bench_ingest_${process.pid}`);
    if (!database) {
      return null;
    }
    databases.push(database);
    databaseUrl = database.url;
  }
  const env = { YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' };
  const setup = await buildApp({ config: loadConfig(env, { webDir: '' }), announce: () => undefined });
  const token = await benchToken(setup, 'bench.writer', ['monitoring.metric.write']).finally(() => setup.close());
  const nodeArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${path.resolve(opts.profile)}`] : [];
  const server = await startServer(path.join(import.meta.dirname, 'api/yunwei-server.ts'), [], { env, nodeArgs });
  log(`yunwei-${dialect}: pid ${server.pid} at ${server.url}`);
  const auth = { authorization: `Bearer ${token}` };
  const remote = await phase(`yunwei-${dialect} remote-write`, `${server.url}/api/v1/write`, { ...REMOTE_WRITE_HEADERS, ...auth }, remoteWrite, server.pid);
  const pushed = opts['no-push'] ? null : await phase(`yunwei-${dialect} JSON push`, `${server.url}/api/v1/metrics`, { 'content-type': 'application/json', ...auth }, push, server.pid);
  await server.stop(); // flushes what is queued

  const acknowledged = remote.ackedTotal + (pushed?.ackedTotal ?? 0);
  let stored: number;
  let seriesStored: number;
  if (dialect === 'sqlite') {
    const db = new SQLite(dbFile, { readonly: true });
    stored = (db.prepare(STORED_SAMPLES_SQLITE).get() as { n: number }).n;
    seriesStored = (db.prepare(STORED_SERIES).get() as { n: number }).n;
    db.close();
  } else {
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    stored = Number((await client.query(STORED_SAMPLES)).rows[0].n);
    seriesStored = Number((await client.query(STORED_SERIES)).rows[0].n);
    await client.end();
  }
  log(`yunwei-${dialect}: ${stored} samples stored in ${seriesStored} series, ${acknowledged} acknowledged`);
  return { remoteWrite: remote, push: pushed, verified: { acknowledged, stored, series: seriesStored, ok: stored === acknowledged } };
}

async function prometheus(): Promise<{ version: string; remoteWrite: Measured; verified: { acknowledged: number; stored: number; ok: boolean } } | null> {
  const prom = await startPrometheus();
  if (!prom) {
    return null;
  }
  cleanups.push(prom.stop);
  log(`prometheus ${prom.version}: pid ${prom.pid} at ${prom.url}`);
  try {
    const remote = await phase('prometheus remote-write', `${prom.url}/api/v1/write`, { ...REMOTE_WRITE_HEADERS }, remoteWrite, prom.pid, false);
    const stored = await promSamplesAppended(prom.url);
    log(`prometheus: ${stored} samples stored, ${remote.ackedTotal} acknowledged`);
    return { version: prom.version, remoteWrite: remote, verified: { acknowledged: remote.ackedTotal, stored, ok: stored === remote.ackedTotal } };
  } finally {
    await prom.stop();
  }
}

const loadavgAtStart = Math.round(loadavg()[0]! * 100) / 100;
try {
  const results: Record<string, unknown> = {};
  const sqlite = targets.includes('sqlite') ? await yunwei('sqlite') : null;
  const postgres = targets.includes('postgres') ? await yunwei('postgres') : null;
  const prom = targets.includes('prometheus') ? await prometheus() : null;
  if (sqlite) {
    results['yunwei-sqlite'] = sqlite;
  }
  if (postgres) {
    results['yunwei-postgres'] = postgres;
  }
  if (prom) {
    results.prometheus = prom;
  }
  const ratio = (y: YunweiResult | null) => (y && prom ? Math.round((y.remoteWrite.samplesPerSec / prom.remoteWrite.samplesPerSec) * 100) / 100 : null);
  const cpuRatio = (y: YunweiResult | null) =>
    y?.remoteWrite.serverCpuSecPerMSamples && prom?.remoteWrite.serverCpuSecPerMSamples ? Math.round((prom.remoteWrite.serverCpuSecPerMSamples / y.remoteWrite.serverCpuSecPerMSamples) * 100) / 100 : null;
  const all = [sqlite, postgres].filter((r): r is YunweiResult => r !== null);
  const failures = all.reduce((n, r) => n + r.remoteWrite.errors + (r.push?.errors ?? 0) + (r.verified.ok ? 0 : 1), 0) + (prom ? prom.remoteWrite.errors + (prom.verified.ok ? 0 : 1) : 0);
  const result = {
    bench: 'ingest',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}`, loadavg1AtStart: loadavgAtStart, loadavg1AtEnd: Math.round(loadavg()[0]! * 100) / 100 },
    setup: { series: seriesCount, seriesPerHost: 100, shards: shardCount, samplesPerRequest: Math.min(batch, Math.ceil(seriesCount / shardCount)), warmupS: warmupMs / 1000, durationS: durationMs / 1000, profiled: Boolean(opts.profile) },
    ...results,
    ratioToPrometheus: { sqlite: ratio(sqlite), postgres: ratio(postgres) },
    cpuEfficiencyVsPrometheus: { sqlite: cpuRatio(sqlite), postgres: cpuRatio(postgres) },
    targets: { sqliteSamplesPerSec: TARGET_SAMPLES_PER_SEC },
    meetsTargets: sqlite === null ? null : Math.min(sqlite.remoteWrite.samplesPerSec, sqlite.push?.samplesPerSec ?? Infinity) >= TARGET_SAMPLES_PER_SEC && failures === 0,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  if (failures > 0) {
    log(`${failures} failures (errors, or stored ≠ acknowledged)`);
    process.exitCode = 1;
  }
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await stopAll();
  for (const c of cleanups) {
    await c().catch(() => undefined);
  }
  for (const d of databases) {
    await d.drop().catch((error: unknown) => log(`could not drop a bench database: ${(error as Error).message}`));
  }
  tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
}
