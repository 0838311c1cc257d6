// `npm run bench -- checks [--checks 10000] [--interval 60] [--duration 130] [--concurrency 64] [--database sqlite|postgres]`
//
// The agentless check scheduler at 10,000 checks a minute: half TCP connects to 10 local listeners,
// half HTTP GETs of a local HTTP server (both in a child process, so that the targets do not share the
// server's event loop). A real Yunwei (this process, SQLite or PostgreSQL) runs the checks with its
// scheduler for `duration` seconds; results go through the real result writer and metrics ingestion.
// Measured: start-time jitter (actual − planned start) p50/p99/max over the last 10,000 starts,
// starts per minute, completion (runs finished / started, UP fraction, results stored), and the
// server's CPU. Target: jitter < 1 s. Prints one JSON line; progress goes to stderr.
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { checksOf } from '../apps/server/src/modules/checks/runtime.js';
import { monitoringOf } from '../apps/server/src/modules/monitoring/runtime.js';
import { insertChecks, startCheckTargets } from './lib/check-fleet.js';
import { benchStore } from './lib/yunwei.js';

const TARGET_JITTER_MS = 1000;
const { values } = parseArgs({
  options: {
    checks: { type: 'string', default: '10000' },
    interval: { type: 'string', default: '60' },
    duration: { type: 'string', default: '130' },
    concurrency: { type: 'string', default: '64' },
    database: { type: 'string', default: 'sqlite' },
  },
});
const count = Number(values.checks);
const intervalS = Number(values.interval);
const duration = Number(values.duration);
const concurrency = Number(values.concurrency);
if (!(count > 0) || !(intervalS >= 5) || !(duration > 0) || !(concurrency > 0) || !['sqlite', 'postgres'].includes(values.database)) {
  process.stderr.write('[bench checks] bad options\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench checks] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- run

const { dir, databaseUrl, remove } = await benchStore(values.database, 'checks');
const targets = await startCheckTargets();
say(`targets: http :${targets.http}, tcp ${targets.tcp.length} listeners`);
const config = loadConfig({
  YUNWEI_DATA_DIR: dir,
  YUNWEI_DATABASE_URL: databaseUrl,
  YUNWEI_ADMIN_PASSWORD: 'Bench#Admin1',
  YUNWEI_LOG_LEVEL: 'silent',
  YUNWEI_WEB_DIR: '',
  YUNWEI_CHECK_CONCURRENCY: String(concurrency),
});
const yunwei = await buildApp({ config, announce: () => undefined });
const checks = checksOf(yunwei.ctx);

await insertChecks(yunwei.ctx.db, count, intervalS, targets);
say(`${count} checks (${count / 2} HTTP, ${count / 2} TCP) every ${intervalS} s, concurrency ${concurrency}, ${values.database}; running ${duration} s`);

const cpuStart = process.cpuUsage();
const startedAt = Date.now();
checks.start();
let lastStarted = 0;
for (let elapsed = 0; elapsed < duration; elapsed += 10) {
  await sleep(Math.min(10, duration - elapsed) * 1000);
  const s = checks.stats();
  say(`${Math.round((Date.now() - startedAt) / 1000)} s: started ${s.started} (+${s.started - lastStarted}), in flight ${s.inFlight}, jitter p50 ${s.jitterMs.p50} ms p99 ${s.jitterMs.p99} ms max ${s.jitterMs.max} ms`);
  lastStarted = s.started;
}
const stats = checks.stats();
const wallS = (Date.now() - startedAt) / 1000;
const cpu = process.cpuUsage(cpuStart);
await checks.close();
await monitoringOf(yunwei.ctx).ingest.flush();
const stored = await yunwei.ctx.db
  .selectFrom('check_result')
  .select((eb) => [eb.fn.countAll<string | number>().as('n'), eb.fn.sum<string | number>('up').as('up')])
  .executeTakeFirstOrThrow();
const samples = await yunwei.ctx.db.selectFrom('metric_sample').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
await yunwei.close();
targets.stop();
await remove();

const result = {
  bench: 'checks',
  database: values.database,
  checks: count,
  intervalSeconds: intervalS,
  concurrency,
  durationSeconds: Math.round(wallS),
  started: stats.started,
  startsPerMinute: Math.round((stats.started / wallS) * 60),
  completed: stats.completed,
  skippedOverlap: stats.skippedOverlap,
  resultsStored: Number(stored.n),
  upFraction: Number(stored.n) ? Math.round((Number(stored.up) / Number(stored.n)) * 10_000) / 10_000 : 0,
  samplesStored: Number(samples.n),
  jitterMs: stats.jitterMs,
  targetJitterMs: TARGET_JITTER_MS,
  meetsTarget: stats.jitterMs.max < TARGET_JITTER_MS,
  serverCpuPercentOfCore: Math.round(((cpu.user + cpu.system) / 1000 / (wallS * 1000)) * 1000) / 10,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
