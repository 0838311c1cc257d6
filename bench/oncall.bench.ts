// `npm run bench -- oncall [--schedules 200] [--overrides 20] [--lookups 2000] [--duration 20]`
//
// What alert routing pays to resolve an escalation step's `{ type: 'oncall' }` target: `whoIsOnCall`
// through the module's runtime on SQLite (in this process), over `schedules` schedules of three layers
// (weekly turns every day, a workdays 09:00–18:00 layer, a non-workdays layer; five members each) with
// `overrides` overrides each over the next 60 days. Measured: sequential lookups at random instants
// (p50/p99/max; target p99 < 50 ms, a small share of the 1 s notification budget), a burst of 100
// concurrent lookups (a switch failure escalating 100 groups at once), and 62-day timelines (the UI).
// Stops the lookup loop after `duration` seconds. Prints one JSON line; progress goes to stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { systemActor } from '../apps/server/src/platform/actor.js';
import { UserService } from '../apps/server/src/modules/identity/user.service.js';
import { oncallOf } from '../apps/server/src/modules/oncall/runtime.js';

const TARGET_P99_MS = 50;
const DAY_MS = 86_400_000;
const { values } = parseArgs({ options: { schedules: { type: 'string', default: '200' }, overrides: { type: 'string', default: '20' }, lookups: { type: 'string', default: '2000' }, duration: { type: 'string', default: '20' } } });
const scheduleCount = Number(values.schedules);
const overrideCount = Number(values.overrides);
const lookups = Number(values.lookups);
const duration = Number(values.duration);
if (!(scheduleCount > 0) || !(overrideCount >= 0) || !(lookups > 0) || !(duration > 0)) {
  process.stderr.write('[bench oncall] bad options\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench oncall] ${text}\n`);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
const round = (ms: number) => Math.round(ms * 100) / 100;
const stats = (ms: number[]) => {
  const sorted = [...ms].sort((a, b) => a - b);
  return { n: sorted.length, p50: round(quantile(sorted, 0.5)), p99: round(quantile(sorted, 0.99)), max: round(sorted.at(-1)!) };
};

const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-bench-oncall-'));
const config = loadConfig({ YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: `sqlite:${path.join(dataDir, 'yunwei.db')}`, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '' });
const yunwei = await buildApp({ config, announce: () => undefined });
try {
  const system = systemActor('bench');
  const users = new UserService(yunwei.ctx);
  const people: string[] = [];
  for (let i = 0; i < 10; i++) {
    people.push((await users.create(system, { username: `duty${i}`, displayName: `值班 ${i}`, password: 'Bench#Duty-2026' })).id);
  }
  const members = (k: number) => Array.from({ length: 5 }, (_, j) => people[(k + j) % people.length]!);
  const oncall = oncallOf(yunwei.ctx);
  const now = Date.now();
  const ids: string[] = [];
  say(`creating ${scheduleCount} schedules with ${overrideCount} overrides each`);
  for (let s = 0; s < scheduleCount; s++) {
    const common = { unit: 'weeks' as const, length: 1, handoverTime: '09:00', startDate: '2026-01-05' };
    const schedule = await oncall.schedules.create(system, {
      name: `schedule ${s}`,
      rotations: [
        { name: 'base', members: members(s), applies: 'all', ...common },
        { name: 'office', members: members(s + 1), applies: 'workdays', windowStart: '09:00', windowEnd: '18:00', ...common },
        { name: 'holidays', members: members(s + 2), applies: 'non-workdays', ...common },
      ],
    });
    ids.push(schedule.id);
    for (let o = 0; o < overrideCount; o++) {
      const start = now + Math.floor(Math.random() * 60 * DAY_MS);
      await oncall.schedules.addOverride(system, schedule.id, { userId: people[o % people.length]!, start, end: start + 4 * 3_600_000, reason: 'bench' });
    }
  }
  const pick = () => ids[Math.floor(Math.random() * ids.length)]!;
  const instant = () => now + Math.floor(Math.random() * 60 * DAY_MS);

  say(`${lookups} sequential lookups (at most ${duration} s)`);
  const sequential: number[] = [];
  const deadline = performance.now() + duration * 1000;
  for (let i = 0; i < lookups && performance.now() < deadline; i++) {
    const t0 = performance.now();
    await oncall.whoIsOnCall(pick(), instant());
    sequential.push(performance.now() - t0);
  }

  say('a burst of 100 concurrent lookups');
  const t0 = performance.now();
  await Promise.all(Array.from({ length: 100 }, () => oncall.whoIsOnCall(pick(), instant())));
  const burstMs = performance.now() - t0;

  say('62-day timelines');
  const timelines: number[] = [];
  for (let i = 0; i < 50; i++) {
    const t1 = performance.now();
    await oncall.schedules.timeline(pick(), { from: now, to: now + 62 * DAY_MS });
    timelines.push(performance.now() - t1);
  }
  const lookup = stats(sequential);
  console.log(JSON.stringify({ bench: 'oncall', database: 'sqlite', schedules: scheduleCount, overridesPerSchedule: overrideCount, lookupMs: lookup, burst100Ms: round(burstMs), timeline62dMs: stats(timelines), targetP99Ms: TARGET_P99_MS, pass: lookup.p99 < TARGET_P99_MS }));
} finally {
  await yunwei.close();
  rmSync(dataDir, { recursive: true, force: true });
}
