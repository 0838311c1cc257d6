// `npm run bench -- latest [--series 100000] [--samples 20] [--duration 5] [--targets sqlite,postgres]`
//
// 最新数据 (GET /api/monitoring/latest) over a store of `series` node_exporter-like series holding
// `samples` samples each at 15 s up to now. In process (the service, without HTTP), an unrestricted
// reader, one call at a time for `duration` seconds per case:
//   page      no search, the first page of 50 (reads the whole series table, sorts it)
//   search    "node_filesystem_avail mountpoint=/data" (LIKE narrows the series in SQL)
//   word      "host-0042" (a label value: every series of one host)
//   selector  match=node_load1 (the metric index)
// Each answer is checked (total, newest value of the page's series) before timing. One JSON line on
// stdout; progress on stderr; everything is removed at the end.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import type { LatestQuery } from '@yunwei/contracts/monitoring';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { systemActor } from '../apps/server/src/platform/actor.js';
import { LatestService } from '../apps/server/src/modules/monitoring/latest.service.js';
import { MetricsRepository } from '../apps/server/src/modules/monitoring/metrics.repository.js';
import { monitoringOf } from '../apps/server/src/modules/monitoring/runtime.js';
import { seriesHash, seriesRef, type SeriesRef } from '../apps/server/src/modules/monitoring/series.js';
import { nodeExporterSeries, valueAt } from './ingest/series.js';
import { benchStore } from './lib/yunwei.js';

const log = (message: string) => process.stderr.write(`[bench latest] ${message}\n`);
const { values: opts } = parseArgs({
  options: {
    series: { type: 'string', default: '100000' },
    samples: { type: 'string', default: '20' },
    duration: { type: 'string', default: '5' },
    targets: { type: 'string', default: 'sqlite,postgres' },
  },
});
const SERIES = Number(opts.series);
const SAMPLES = Number(opts.samples);
const DURATION_MS = Number(opts.duration) * 1000;
if (![SERIES, SAMPLES, DURATION_MS].every((n) => Number.isInteger(n) && n > 0)) {
  log('--series, --samples and --duration must be positive integers');
  process.exit(2);
}
const STEP = 15_000;

const CASES: Record<string, { q: LatestQuery; total: number }> = {
  page: { q: { limit: 50 }, total: SERIES },
  search: { q: { search: 'node_filesystem_avail mountpoint=/data', limit: 50 }, total: -1 },
  word: { q: { search: 'host-0042', limit: 50 }, total: -1 },
  selector: { q: { match: 'node_load1', limit: 50 }, total: -1 },
};

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function run(kind: string): Promise<Record<string, unknown>> {
  const store = await benchStore(kind, 'latest');
  const config = loadConfig({ YUNWEI_DATA_DIR: store.dir, YUNWEI_DATABASE_URL: store.databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' }, { webDir: '' });
  const yunwei = await buildApp({ config, announce: () => undefined });
  try {
    const db = yunwei.ctx.db;
    const repo = new MetricsRepository(db);
    const now = Date.now();
    const all = nodeExporterSeries(SERIES);
    const refs = all.map((s) => seriesRef(s.metric, s.labels) as SeriesRef);
    const t0 = Date.now();
    await db.transaction().execute((trx) => repo.insertSeries(trx, refs.map((r) => ({ metric: r.metric, labels: r.labelsJson, hash: seriesHash(r), ci_id: null, created_at: now, last_seen: now }))));
    const idOf = new Map((await repo.seriesByHash(db, refs.map(seriesHash))).map((r) => [r.hash, r.id]));
    const ids = refs.map((r) => idOf.get(seriesHash(r))!);
    for (let tick = 0; tick < SAMPLES; tick++) {
      const ts = now - (SAMPLES - 1 - tick) * STEP;
      await db.transaction().execute((trx) =>
        repo.upsertSamples(
          trx,
          ids,
          ids.map(() => ts),
          ids.map((_, i) => valueAt(all, i, tick)),
        ),
      );
    }
    log(`${kind}: ${SERIES} series × ${SAMPLES} samples seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const latest = new LatestService(db, monitoringOf(yunwei.ctx).queries);
    const actor = systemActor('bench');
    const figures: Record<string, unknown> = {};
    for (const [name, c] of Object.entries(CASES)) {
      const answer = await latest.latest(actor, c.q);
      const first = answer.items[0]!;
      const i = ids.indexOf(first.id);
      if ((c.total >= 0 && answer.total !== c.total) || answer.total === 0 || first.ts !== now || first.value !== valueAt(all, i, SAMPLES - 1)) {
        throw new Error(`${name}: unexpected answer (total ${answer.total}, first ${JSON.stringify(first)})`);
      }
      const times: number[] = [];
      const until = Date.now() + DURATION_MS;
      while (Date.now() < until) {
        const start = process.hrtime.bigint();
        await latest.latest(actor, c.q);
        times.push(Number(process.hrtime.bigint() - start) / 1e6);
      }
      times.sort((a, b) => a - b);
      figures[name] = { total: answer.total, calls: times.length, p50Ms: +quantile(times, 0.5).toFixed(1), p95Ms: +quantile(times, 0.95).toFixed(1) };
      log(`${kind} ${name}: ${JSON.stringify(figures[name])}`);
    }
    return figures;
  } finally {
    await yunwei.close();
    await store.remove();
  }
}

const results: Record<string, unknown> = {};
for (const kind of opts.targets.split(',')) {
  results[kind] = await run(kind);
}
process.stdout.write(`${JSON.stringify({ bench: 'latest', series: SERIES, samples: SAMPLES, cpus: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(1)), results })}\n`);
