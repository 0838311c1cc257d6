// `npm run bench -- query [--duration 10] [--warmup 2] [--noise 10000] [--noise-samples 240] [--targets sqlite,postgres] [--connections 1] [--vacuum on|off]`
//
// Range queries. One series holds 7 days of samples at 15 s (40,320) with the 5-minute and 1-hour
// rollups computed by the rollup service; `noise` other series (node_exporter-like, `noise-samples`
// each at 15 s up to now) fill the same tables. Yunwei (the real app in its own child process, API
// token with monitoring.metric.read) answers
//   GET /api/v1/query_range?query=<the series>&start=now−7d&end=now&step=60     (the issue's: 10,081 points)
//   … step=300                                                                 (5-minute rollups, for comparison)
// for `duration` seconds each after a warm-up, `connections` concurrent clients (1: latency of one
// client), on SQLite and on a fresh PostgreSQL database. PostgreSQL: after seeding, `vacuum (analyze)
// metric_sample` (--vacuum on, the default) leaves the table as autovacuum leaves days-old data (visibility
// map set: index-only scans skip the heap); --vacuum off measures right after the bulk insert.
// Before measuring, the answer is checked:
// resolution, number of points, and values against averages computed here.
// One JSON line on stdout; progress on stderr; everything is removed at the end.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { buildApp } from '../apps/server/src/app.js';
import { dialectOf } from '../apps/server/src/db/dialect.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { MetricsRepository } from '../apps/server/src/modules/monitoring/metrics.repository.js';
import { monitoringOf } from '../apps/server/src/modules/monitoring/runtime.js';
import { seriesHash, seriesRef, type SeriesRef } from '../apps/server/src/modules/monitoring/series.js';
import { nodeExporterSeries } from './ingest/series.js';
import { measure, type LoadFigures } from './lib/load.js';
import { killAllServers, startServer, stopAll } from './lib/server-process.js';
import { benchToken, createPostgresDatabase, POSTGRES_ADMIN_URL, type BenchDatabase } from './lib/yunwei.js';

const TARGET_P50_MS = 50;
const DAY = 86_400_000;
const log = (message: string) => process.stderr.write(`[bench query] ${message}\n`);
function usage(problem: string): never {
  log(problem);
  process.exit(2);
}
const OPTIONS = {
  duration: { type: 'string', default: '10' },
  warmup: { type: 'string', default: '2' },
  noise: { type: 'string', default: '10000' },
  'noise-samples': { type: 'string', default: '240' },
  targets: { type: 'string', default: 'sqlite,postgres' },
  connections: { type: 'string', default: '1' },
  vacuum: { type: 'string', default: 'on' },
} as const;
let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS }>>;
try {
  parsed = parseArgs({ options: OPTIONS });
} catch (error) {
  usage(`${(error as Error).message}\noptions: ${Object.keys(OPTIONS).map((o) => `--${o}`).join(' ')}`);
}
const opts = parsed.values;
const num = (name: string, value: string, min: number): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) {
    usage(`--${name} must be a number ≥ ${min}, got ${value}`);
  }
  return n;
};
const duration = num('duration', opts.duration, 1);
const warmup = num('warmup', opts.warmup, 0);
const noise = Math.round(num('noise', opts.noise, 0));
const noiseSamples = Math.round(num('noise-samples', opts['noise-samples'], 0));
const connections = Math.round(num('connections', opts.connections, 1));
const targets = opts.targets.split(',').map((t) => t.trim());
if (opts.vacuum !== 'on' && opts.vacuum !== 'off') {
  usage(`--vacuum must be on or off, got ${opts.vacuum}`);
}
const vacuum = opts.vacuum === 'on';

const METRIC = 'node_cpu_usage_percent';
const LABELS = { instance: 'db-1:9100', job: 'node', ci: 'bench-host-1' };
const SELECTOR = `${METRIC}{instance="db-1:9100",job="node"}`;
/** The one series' value at `ts`: a daily wave plus a 15-sample saw tooth (every 1-minute average differs). */
const valueAt = (ts: number) => Math.round((50 + 30 * Math.sin((2 * Math.PI * ts) / DAY) + ((ts / 15_000) % 10)) * 1000) / 1000;

// The data ends at a whole minute before now, so every range has the same shape.
const end = Math.floor(Date.now() / 60_000) * 60_000 - 60_000;
const start = end - 7 * DAY;

async function seed(config: ReturnType<typeof loadConfig>): Promise<{ token: string; rows: number; rollups: { rows5m: number; rows1h: number }; seedMs: number }> {
  const t0 = Date.now();
  const yunwei = await buildApp({ config, announce: () => undefined });
  try {
    const db = yunwei.ctx.db;
    const repo = new MetricsRepository(db);
    const now = Date.now();
    const refs: SeriesRef[] = [seriesRef(METRIC, LABELS) as SeriesRef, ...nodeExporterSeries(noise).map((s) => seriesRef(s.metric, s.labels) as SeriesRef)];
    await db.transaction().execute((trx) =>
      repo.insertSeries(
        trx,
        refs.map((r) => ({ metric: r.metric, labels: r.labelsJson, hash: seriesHash(r), ci_id: r.labels.ci ?? null, created_at: start, last_seen: now })),
      ),
    );
    const ids = (await repo.seriesByHash(db, refs.map(seriesHash))).map((r) => r.id).sort((a, b) => a - b);
    let rows = 0;
    const write = async (sid: number[], ts: number[], val: number[]) => {
      await db.transaction().execute((trx) => repo.upsertSamples(trx, sid, ts, val));
      rows += sid.length;
    };
    // The series of interest (the first id): 7 days at 15 s, up to `end` inclusive.
    let sid: number[] = [];
    let ts: number[] = [];
    let val: number[] = [];
    const flushIfFull = async (force = false) => {
      if (sid.length >= 50_000 || (force && sid.length)) {
        await write(sid, ts, val);
        sid = [];
        ts = [];
        val = [];
      }
    };
    for (let t = start; t <= end; t += 15_000) {
      sid.push(ids[0]!);
      ts.push(t);
      val.push(valueAt(t));
      await flushIfFull();
    }
    for (const id of ids.slice(1)) {
      for (let k = 0; k < noiseSamples; k++) {
        sid.push(id);
        ts.push(end - k * 15_000);
        val.push((id * 7 + k) % 100);
      }
      await flushIfFull();
    }
    await flushIfFull(true);
    log(`${rows} samples in ${refs.length} series written in ${Date.now() - t0} ms; computing rollups…`);
    // Rollups from the first sample on (not from "now − raw retention", 15 days: nothing is older than 7).
    await db.updateTable('metric_rollup_state').set({ done_until: Math.floor(start / 300_000) * 300_000 }).where('level', '=', '5m').execute();
    const run = await monitoringOf(yunwei.ctx).rollups.run(now);
    if (vacuum && dialectOf(db) === 'postgres') {
      await sql`vacuum (analyze) metric_sample`.execute(db);
    }
    const token = await benchToken(yunwei, 'bench.reader', ['monitoring.metric.read']);
    return { token, rows, rollups: { rows5m: run.rows5m, rows1h: run.rows1h }, seedMs: Date.now() - t0 };
  } finally {
    await yunwei.close();
  }
}

/** What the 1-minute answer must hold: 10,081 points (start … end), each the average of its four samples. */
function expectedMinute(t: number): number {
  let sum = 0;
  let n = 0;
  for (let s = t; s < t + 60_000 && s <= end; s += 15_000) {
    sum += valueAt(s);
    n++;
  }
  return sum / n;
}

/**
 * CPU time (user + system, µs) so far of the PostgreSQL backends serving database `name` (PostgreSQL
 * runs on this machine: /proc/<pid>/stat, in clock ticks of 10 ms). Like the server's CPU per request,
 * the database's does not grow with other load on the machine, unlike latency.
 */
async function postgresCpuMicros(name: string): Promise<number> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()', [name]);
    let ticks = 0;
    for (const { pid } of rows) {
      try {
        // Fields after "(comm)": state is the 1st, utime the 12th and stime the 13th.
        const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        ticks += Number(fields[11]) + Number(fields[12]);
      } catch {
        // The backend exited meanwhile.
      }
    }
    return ticks * 10_000;
  } finally {
    await client.end();
  }
}

interface Check {
  resolution: string;
  points: number;
  checked: number;
  bytes: number;
}

async function check(url: string, headers: Record<string, string>, step: number): Promise<Check> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  if (res.status !== 200) {
    throw new Error(`${url}: ${res.status} ${text.slice(0, 300)}`);
  }
  const body = JSON.parse(text) as { data: { resolution: string; result: { values: [number, string][] }[] } };
  const values = body.data.result[0]?.values ?? [];
  const expectedPoints = Math.floor((end - start) / step) + 1;
  if (body.data.result.length !== 1 || values.length !== expectedPoints) {
    throw new Error(`step ${step / 1000}s: ${body.data.result.length} series, ${values.length} points, expected 1 series of ${expectedPoints}`);
  }
  let checked = 0;
  if (step === 60_000) {
    for (let i = 0; i < values.length; i += 97) {
      const [t, v] = values[i]!;
      if (t * 1000 !== start + i * step || Math.abs(Number(v) - expectedMinute(t * 1000)) > 1e-9) {
        throw new Error(`point ${i} is ${JSON.stringify(values[i])}, expected [${(start + i * step) / 1000}, ${expectedMinute(start + i * step)}]`);
      }
      checked++;
    }
  }
  return { resolution: body.data.resolution, points: values.length, checked, bytes: text.length };
}

interface TargetResult {
  seed: { samples: number; series: number; rollupRows5m: number; rollupRows1h: number; seedMs: number };
  minuteStep: LoadFigures & Check & DatabaseCpu;
  fiveMinuteStep: LoadFigures & Check & DatabaseCpu;
}

const tempDirs: string[] = [];
const databases: BenchDatabase[] = [];
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    killAllServers();
    tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
    process.exit(130);
  });
}

interface DatabaseCpu {
  /** PostgreSQL's CPU time per request (its backends for the bench database), ms; null on SQLite (in the server's). */
  dbCpuMsPerReq: number | null;
}

async function target(dialect: 'sqlite' | 'postgres'): Promise<TargetResult | null> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `yw-bench-query-${dialect}-`));
  tempDirs.push(dataDir);
  let databaseUrl = `sqlite:${path.join(dataDir, 'yunwei.db')}`;
  const databaseName = `yw_bench_query_${process.pid}`;
  if (dialect === 'postgres') {
    const database = await createPostgresDatabase(databaseName);
    if (!database) {
      return null;
    }
    databases.push(database);
    databaseUrl = database.url;
  }
  const env = { YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' };
  log(`${dialect}: seeding…`);
  const seeded = await seed(loadConfig(env, { webDir: '' }));
  const server = await startServer(path.join(import.meta.dirname, 'api/yunwei-server.ts'), [], { env });
  const headers = { authorization: `Bearer ${seeded.token}` };
  const url = (step: number) => `${server.url}/api/v1/query_range?${new URLSearchParams({ query: SELECTOR, start: String(start / 1000), end: String(end / 1000), step: String(step / 1000) })}`;
  const run = async (step: number) => {
    const c = await check(url(step), headers, step);
    if (warmup > 0) {
      await measure({ url: url(step), headers, connections, duration: warmup });
    }
    const dbCpuBefore = dialect === 'postgres' ? await postgresCpuMicros(databaseName) : null;
    const f = await measure({ url: url(step), headers, connections, duration, serverCpuMicros: server.cpuMicros });
    const dbCpuMsPerReq = dbCpuBefore === null || f.requests === 0 ? null : Math.round((await postgresCpuMicros(databaseName)) - dbCpuBefore) / 1000 / f.requests;
    const db = dbCpuMsPerReq === null ? '' : `, PostgreSQL CPU ${dbCpuMsPerReq.toFixed(3)} ms/req`;
    log(`${dialect} step ${step / 1000}s (${c.resolution}, ${c.points} points, ${Math.round(c.bytes / 1024)} KiB): p50 ${f.p50Ms} ms, p99 ${f.p99Ms} ms, ${f.reqPerSec} req/s, server CPU ${f.cpuMsPerReq} ms/req${db} (load average ${loadavg()[0]!.toFixed(2)})`);
    return { ...f, ...c, dbCpuMsPerReq: dbCpuMsPerReq === null ? null : Math.round(dbCpuMsPerReq * 1000) / 1000 };
  };
  try {
    const minuteStep = await run(60_000);
    const fiveMinuteStep = await run(300_000);
    return { seed: { samples: seeded.rows, series: noise + 1, rollupRows5m: seeded.rollups.rows5m, rollupRows1h: seeded.rollups.rows1h, seedMs: seeded.seedMs }, minuteStep, fiveMinuteStep };
  } finally {
    await server.stop();
  }
}

const loadavgAtStart = Math.round(loadavg()[0]! * 100) / 100;
try {
  const results: Record<string, TargetResult> = {};
  for (const dialect of ['sqlite', 'postgres'] as const) {
    if (targets.includes(dialect)) {
      const r = await target(dialect);
      if (r) {
        results[dialect] = r;
      }
    }
  }
  const result = {
    bench: 'query',
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, node: process.version, platform: `${process.platform}-${process.arch}`, loadavg1AtStart: loadavgAtStart, loadavg1AtEnd: Math.round(loadavg()[0]! * 100) / 100 },
    setup: { query: `GET /api/v1/query_range?query=${SELECTOR}&start=now-7d&end=now&step=60|300`, rangeDays: 7, sampleIntervalS: 15, noiseSeries: noise, noiseSamplesPerSeries: noiseSamples, connections, vacuum, warmupS: warmup, durationS: duration },
    ...results,
    targets: { p50Ms: TARGET_P50_MS },
    meetsTargets: Object.values(results).length > 0 && Object.values(results).every((r) => r.minuteStep.p50Ms < TARGET_P50_MS && r.minuteStep.non2xx + r.minuteStep.errors === 0),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
} catch (error) {
  log(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exitCode = 1;
} finally {
  await stopAll();
  for (const d of databases) {
    await d.drop().catch((error: unknown) => log(`could not drop a bench database: ${(error as Error).message}`));
  }
  tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
}
