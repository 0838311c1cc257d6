// `npm run bench -- rollup [--duration 60] [--series 10000] [--interval 15] [--fresh]`
//
// The 5-minute rollup job over fresh samples, on file SQLite: `--series` node_exporter-like series hold
// `--duration` minutes of samples every `--interval` seconds (default 10,000 × 240 = 2.4 M), and
// RollupService.run computes their 5-minute and 1-hour rollups, once per mode, in the same process:
//   app-connection   on the app's own better-sqlite3 connection (how it ran until 2026-11-27)
//   worker           on the worker-thread connection the app now uses (offloadedSqlite)
// Figures per mode: wall time, and how long the event loop was blocked at most (a 10 ms interval timer's
// largest lateness) — what every HTTP request would have waited.
// Both modes must write the same rollups (rows and a checksum of min/max/sum/count), or the run fails.
// One JSON line on stdout; progress on stderr; the temp directory is removed at the end.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql, type Kysely } from 'kysely';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import type { Database } from '../apps/server/src/db/schema.js';
import { offloadedSqlite } from '../apps/server/src/db/worker-sqlite-dialect.js';
import { MetricsRepository } from '../apps/server/src/modules/monitoring/metrics.repository.js';
import { RollupService } from '../apps/server/src/modules/monitoring/rollup.service.js';
import { monitoringOf } from '../apps/server/src/modules/monitoring/runtime.js';
import { seriesHash, seriesRef, type SeriesRef } from '../apps/server/src/modules/monitoring/series.js';
import { nodeExporterSeries } from './ingest/series.js';

const log = (message: string) => process.stderr.write(`[bench rollup] ${message}\n`);
const OPTIONS = {
  duration: { type: 'string', default: '60' },
  series: { type: 'string', default: '10000' },
  interval: { type: 'string', default: '15' },
  /** Start from a database that was never rolled up (the first run covers the whole raw retention). */
  fresh: { type: 'boolean', default: false },
} as const;
const { values: opts } = parseArgs({ options: OPTIONS });
const positive = (name: string, value: string): number => {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    log(`--${name} must be a positive number, got ${value}`);
    process.exit(2);
  }
  return n;
};
const minutes = positive('duration', opts.duration);
const seriesCount = Math.round(positive('series', opts.series));
const intervalMs = positive('interval', opts.interval) * 1000;

const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-bench-rollup-'));
const env = { YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: `sqlite:${path.join(dataDir, 'yunwei.db')}`, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' };
const yunwei = await buildApp({ config: loadConfig(env, { webDir: '' }), announce: () => undefined });

interface Mode {
  wallMs: number;
  eventLoop: { maxTimerLatenessMs: number };
  rows5m: number;
  rows1h: number;
  checksum: string;
}

try {
  const db = yunwei.ctx.db;
  const repo = new MetricsRepository(db);
  // Samples end 5 minutes before now, so all of them are old enough to be rolled up.
  const now = Date.now();
  const end = Math.floor((now - 5 * 60_000) / intervalMs) * intervalMs;
  const start = end - minutes * 60_000;
  const refs = nodeExporterSeries(seriesCount).map((s) => seriesRef(s.metric, s.labels) as SeriesRef);
  await db.transaction().execute((trx) =>
    repo.insertSeries(
      trx,
      refs.map((r) => ({ metric: r.metric, labels: r.labelsJson, hash: seriesHash(r), ci_id: null, created_at: start, last_seen: now })),
    ),
  );
  const ids = (await repo.seriesByHash(db, refs.map(seriesHash))).map((r) => r.id);
  let rows = 0;
  const seeded = Date.now();
  // Written per time step, as ingestion writes them (values differ per sample).
  for (let t = start; t < end; t += intervalMs) {
    const ts = ids.map(() => t);
    const val = ids.map((id, i) => ((id * 31 + t / intervalMs) % 1000) / 10 + i / 1e6);
    await db.transaction().execute((trx) => repo.upsertSamples(trx, ids, ts, val));
    rows += ids.length;
  }
  log(`${rows} samples in ${ids.length} series written in ${Date.now() - seeded} ms`);

  const settings = monitoringOf(yunwei.ctx).settings;
  const offloaded = offloadedSqlite(db, yunwei.ctx.log);
  if (!offloaded) {
    throw new Error('no worker connection: the bench needs file SQLite');
  }
  const measureMode = async (name: string, on: Kysely<Database>): Promise<Mode> => {
    await sql`delete from metric_rollup_5m`.execute(db);
    await sql`delete from metric_rollup_1h`.execute(db);
    await db.updateTable('metric_rollup_state').set({ done_until: opts.fresh ? null : Math.floor(start / 3_600_000) * 3_600_000, dirty_from: null }).execute();
    let last = performance.now();
    let maxLateness = 0;
    const ticker = setInterval(() => {
      const at = performance.now();
      maxLateness = Math.max(maxLateness, at - last - 10);
      last = at;
    }, 10);
    const t0 = performance.now();
    const run = await new RollupService(on, settings, yunwei.ctx.log).run(now);
    const wallMs = performance.now() - t0;
    // Let the loop turn: on the app connection the whole run may have been one chain of microtasks, so
    // the timer only fires (late) afterwards.
    await new Promise((resolve) => setTimeout(resolve, 30));
    clearInterval(ticker);
    const { rows: sums } = await sql<{ n5: number; s5: number; n1: number; s1: number }>`
      select (select count(*) from metric_rollup_5m) as n5, (select sum("min" + "max" + "sum" + "count") from metric_rollup_5m) as s5,
             (select count(*) from metric_rollup_1h) as n1, (select sum("min" + "max" + "sum" + "count") from metric_rollup_1h) as s1`.execute(db);
    const c = sums[0]!;
    const mode: Mode = {
      wallMs: Math.round(wallMs),
      eventLoop: { maxTimerLatenessMs: Math.round(maxLateness) },
      rows5m: run.rows5m,
      rows1h: run.rows1h,
      checksum: `${c.n5}/${c.s5}/${c.n1}/${c.s1}`,
    };
    log(`${name}: ${mode.wallMs} ms, event loop blocked up to ${mode.eventLoop.maxTimerLatenessMs} ms, ${run.rows5m} 5-minute and ${run.rows1h} 1-hour rows`);
    return mode;
  };
  const appConnection = await measureMode('app-connection', db);
  const worker = await measureMode('worker', offloaded);
  await offloaded.destroy();
  const same = appConnection.checksum === worker.checksum;
  console.log(
    JSON.stringify({
      bench: 'rollup',
      date: new Date().toISOString(),
      machine: { cpus: cpus().length, node: process.version, loadavg1: loadavg()[0] },
      setup: { series: ids.length, minutes, intervalS: intervalMs / 1000, samples: rows, fresh: opts.fresh },
      'app-connection': appConnection,
      worker,
      sameRollups: same,
    }),
  );
  if (!same) {
    log(`the two modes wrote different rollups: ${appConnection.checksum} vs ${worker.checksum}`);
    process.exitCode = 1;
  }
} finally {
  await yunwei.close();
  rmSync(dataDir, { recursive: true, force: true });
}
