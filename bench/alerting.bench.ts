// `npm run bench -- alerting [--rules 10000] [--series 100000] [--cycles 30] [--window 300] [--database sqlite|postgres]`
//
// The alert evaluator at 10,000 rules over 100,000 series, one cycle every (simulated) 15 s. Series:
// `bench_m_<k>{instance,group}`, 100 per metric, 10 groups; rule i reads metric i mod (series/100)
// restricted to one group, so every series is read by exactly one rule (100,000 rule × series
// evaluations a cycle). Before each cycle every series gets one sample, handed to the evaluator's window
// as the ingest writer's commit listener would (that cost is measured apart: `feedMs`). About 0.2 % of
// the series breach from cycle 10 and recover from cycle 20, so the cycles include real transitions
// (alert rows, events, audit entries in one transaction). Measured: cycle time p50/p99/max, apart for the
// quiet cycles and for the two storm cycles (200 alerts pending, then the same 200 firing).
// Target: a cycle < 1 s. Prints one JSON line; progress goes to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { uuidv7 } from 'uuidv7';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { alertingOf } from '../apps/server/src/modules/alerting/alerts-runtime.js';
import { DEFAULT_ANNOTATIONS } from '../apps/server/src/modules/alerting/rule-model.js';
import { seriesRef, type PreparedSample, type SeriesRef } from '../apps/server/src/modules/monitoring/series.js';
import { createPostgresDatabase, type BenchDatabase } from './lib/yunwei.js';

const TARGET_MS = 1000;
const { values } = parseArgs({
  options: {
    rules: { type: 'string', default: '10000' },
    series: { type: 'string', default: '100000' },
    cycles: { type: 'string', default: '30' },
    window: { type: 'string', default: '300' },
    database: { type: 'string', default: 'sqlite' },
  },
});
const ruleCount = Number(values.rules);
const seriesCount = Number(values.series);
const cycles = Number(values.cycles);
const windowS = Number(values.window);
if (!(ruleCount > 0) || !(seriesCount >= 100) || !(cycles > 0) || !(windowS > 0) || !['sqlite', 'postgres'].includes(values.database)) {
  process.stderr.write('[bench alerting] bad options\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench alerting] ${text}\n`);
const metrics = Math.max(1, Math.floor(seriesCount / 100));

const dir = mkdtempSync(path.join(tmpdir(), 'yw-bench-alerting-'));
let pgDb: BenchDatabase | null = null;
let databaseUrl = `sqlite:${path.join(dir, 'yunwei.db')}`;
if (values.database === 'postgres') {
  pgDb = await createPostgresDatabase('yw_bench_alerting');
  if (!pgDb) {
    process.exit(1);
  }
  databaseUrl = pgDb.url;
}
const config = loadConfig({ YUNWEI_DATA_DIR: dir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin1', YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '' });
const yunwei = await buildApp({ config, announce: () => undefined });
const evaluator = alertingOf(yunwei.ctx).evaluator;

// Rules straight into the table (10,000 audited API calls would measure the audit trail, not the evaluator).
const created = Date.now();
const rules = Array.from({ length: ruleCount }, (_, i) => ({
  id: uuidv7(),
  name: `bench rule ${i}`,
  description: '',
  kind: 'metric',
  spec: JSON.stringify({ kind: 'metric', selector: `bench_m_${i % metrics}{group="g${Math.floor(i / metrics) % 10}"}`, reducer: i % 2 ? 'avg' : 'max', windowSeconds: windowS, op: '>', thresholds: { warning: 80, critical: 95 }, recovery: 70 }),
  severity: 'warning',
  for_s: 30,
  labels: '{}',
  annotations: JSON.stringify(DEFAULT_ANNOTATIONS.metric),
  target: '{"kind":"all"}',
  enabled: 1,
  pack: null,
  created_at: created,
  updated_at: created,
}));
for (let i = 0; i < rules.length; i += 500) {
  await yunwei.ctx.db.insertInto('alert_rule').values(rules.slice(i, i + 500)).execute();
}

const refs: SeriesRef[] = Array.from({ length: seriesCount }, (_, j) => seriesRef(`bench_m_${j % metrics}`, { instance: `h${Math.floor(j / metrics)}`, group: `g${Math.floor(j / metrics) % 10}` }) as SeriesRef);
const hot = (j: number) => j % 500 < 2; // 0.4 % of the series (half of them read by max rules, which fire)
const valueOf = (j: number, cycle: number) => (hot(j) && cycle >= 10 && cycle < 20 ? 97 : 20 + ((j * 7 + cycle * 13) % 40));

const step = 15_000;
let now = Math.floor(Date.now() / step) * step - (cycles + windowS / 15) * step;
const feedSamples = (cycle: number) => {
  const batch: PreparedSample[] = new Array(seriesCount);
  for (let j = 0; j < seriesCount; j++) {
    batch[j] = { series: refs[j]!, ts: now, value: valueOf(j, cycle) };
  }
  return batch;
};

// Warm-up: load rules, then fill the window (window / 15 s samples per series).
await evaluator.cycle(now);
for (let k = windowS / 15; k > 0; k--) {
  evaluator.window.add(feedSamples(-k));
  now += step;
}
say(`${ruleCount} rules over ${seriesCount} series (${metrics} metrics), window ${windowS} s, ${values.database}; ${cycles} cycles`);

const cycleMs: number[] = [];
/** Cycles without transitions (the steady state) and with them (a storm: every transition is written and audited). */
const quietMs: number[] = [];
const burstMs: number[] = [];
const feedMs: number[] = [];
let changes = 0;
const cpuStart = process.cpuUsage();
const wallStart = performance.now();
for (let c = 0; c < cycles; c++) {
  now += step;
  const f0 = performance.now();
  evaluator.window.add(feedSamples(c));
  feedMs.push(performance.now() - f0);
  const stats = await evaluator.cycle(now);
  cycleMs.push(stats.ms);
  (stats.changes ? burstMs : quietMs).push(stats.ms);
  changes += stats.changes;
  if (c % 5 === 0 || stats.changes) {
    say(`cycle ${c}: ${stats.ms.toFixed(0)} ms, ${stats.observations} observations, ${stats.changes} transitions`);
  }
}
const wallMs = performance.now() - wallStart;
const cpu = process.cpuUsage(cpuStart);
const open = await yunwei.ctx.db.selectFrom('alert').select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
const rss = process.memoryUsage().rss;
await yunwei.close();
await pgDb?.drop();
rmSync(dir, { recursive: true, force: true });

const pct = (list: number[], p: number) => {
  const sorted = [...list].sort((a, b) => a - b);
  return Math.round(sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!);
};
const result = {
  bench: 'alerting',
  database: values.database,
  rules: ruleCount,
  series: seriesCount,
  windowSeconds: windowS,
  cycles,
  transitions: changes,
  alertRows: Number(open.n),
  cycleMs: { p50: pct(cycleMs, 50), p99: pct(cycleMs, 99), max: Math.round(Math.max(...cycleMs)) },
  quietCycleMs: { p50: pct(quietMs, 50), max: Math.round(Math.max(...quietMs)) },
  burstCycleMs: burstMs.map(Math.round),
  feedMs: { p50: pct(feedMs, 50), max: Math.round(Math.max(...feedMs)) },
  targetMs: TARGET_MS,
  meetsTarget: Math.max(...cycleMs) < TARGET_MS,
  rssMiB: Math.round(rss / 1048576),
  cpuPercentOfCore: Math.round(((cpu.user + cpu.system) / 1000 / wallMs) * 1000) / 10,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
