// `npm run bench -- incident-timeline [--noise 500] [--duration 5] [--targets sqlite,postgres]`
//
// Cause tracing's correlated timeline (L2-2.1.3, CauseTimelineService.timeline) for an application CI
// with 50 dependencies (10 direct, each relying on 4 more: 2 hops) over the default window (2 h before
// the start, 30 min after), beside `noise` unrelated CIs carrying the same data, so every query must
// pick its CIs out of a larger store. Per CI (the 51 and the noise alike):
//   - 2 checks with a result every minute from 3.5 h before the start to the end (state flips now and then);
//   - 6 alerts in the window, each fired and resolved (alert + 2 alert_event rows);
//   - 4 series with 5-minute rollups over the 24 h baseline and the window, one in 8 with a jump;
//   - 3 audited CMDB changes (cmdb.ci.update) in the window, plus 20,000 other audit rows.
// Cases, in process (the service, without HTTP), one call at a time for `duration` seconds:
//   timeline   the whole answer (CMDB walk, scope, every source, ranking) — the target: < 500 ms
//   scoped     the same for a reader who reaches half of the dependencies
//   source:*   each source's collect() alone over the 51 CIs, to show where the time goes
// Figures: wall p50/p95 and this process's CPU per call. The answer is checked (51 CIs, events of every
// kind) before timing. One JSON line on stdout; progress on stderr; everything is removed at the end.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { uuidv7 } from 'uuidv7';
import { INCIDENT_TIMELINE_PERMISSION } from '@yunwei/contracts/incident-timeline';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { type Actor, systemActor } from '../apps/server/src/platform/actor.js';
import { CauseTimelineService } from '../apps/server/src/modules/incidents/cause-timeline.service.js';
import { timelineSources } from '../apps/server/src/modules/incidents/cause-timeline.sources.js';
import type { MetricSeriesTable } from '../apps/server/src/modules/monitoring/monitoring.tables.js';
import { benchStore } from './lib/yunwei.js';

const log = (message: string) => process.stderr.write(`[bench incident-timeline] ${message}\n`);
const { values: opts } = parseArgs({
  options: {
    noise: { type: 'string', default: '500' },
    duration: { type: 'string', default: '5' },
    targets: { type: 'string', default: 'sqlite,postgres' },
  },
});
const NOISE = Number(opts.noise);
const DURATION_MS = Number(opts.duration) * 1000;
if (!Number.isInteger(NOISE) || NOISE < 0 || !Number.isInteger(DURATION_MS) || DURATION_MS <= 0) {
  log('--noise must be a non-negative integer, --duration a positive one');
  process.exit(2);
}
const MIN = 60_000;
const HOUR = 60 * MIN;
const TARGET_MS = 500;

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

async function timed(fn: () => Promise<unknown>): Promise<{ calls: number; p50Ms: number; p95Ms: number; cpuMs: number }> {
  const times: number[] = [];
  const until = Date.now() + DURATION_MS;
  const cpu = process.cpuUsage();
  while (Date.now() < until) {
    const start = process.hrtime.bigint();
    await fn();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const used = process.cpuUsage(cpu);
  times.sort((a, b) => a - b);
  return { calls: times.length, p50Ms: +quantile(times, 0.5).toFixed(1), p95Ms: +quantile(times, 0.95).toFixed(1), cpuMs: +((used.user + used.system) / 1000 / times.length).toFixed(1) };
}

async function run(kind: string): Promise<Record<string, unknown>> {
  const store = await benchStore(kind, 'timeline');
  const config = loadConfig({ YUNWEI_DATA_DIR: store.dir, YUNWEI_DATABASE_URL: store.databaseUrl, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin-2026', YUNWEI_LOG_LEVEL: 'warn' }, { webDir: '' });
  const yunwei = await buildApp({ config, announce: () => undefined });
  try {
    const db = yunwei.ctx.db;
    const t0 = Date.now();
    const at = Math.floor(t0 / (5 * MIN)) * 5 * MIN;
    const from = at - 2 * HOUR;
    const to = at + 30 * MIN;
    const classId = (await db.selectFrom('cmdb_class').select('id').where('code', '=', 'server').executeTakeFirstOrThrow()).id;
    const units = [uuidv7(), uuidv7()];
    for (const [i, id] of units.entries()) {
      await db.insertInto('org_unit').values({ id, parent_id: null, name: `运维${i + 1}部`, code: `tl${i}`, sort_order: i, leader_id: null, created_at: t0, updated_at: t0 }).execute();
    }

    // The CMDB: app → 10 direct dependencies → 4 each; noise CIs in pairs (a → b).
    const app = uuidv7();
    const direct = Array.from({ length: 10 }, () => uuidv7());
    const second = direct.flatMap(() => Array.from({ length: 4 }, () => uuidv7()));
    const noise = Array.from({ length: NOISE }, () => uuidv7());
    const all = [app, ...direct, ...second, ...noise];
    const relations: [string, string][] = [...direct.map((d): [string, string] => [app, d]), ...second.map((s, i): [string, string] => [direct[Math.floor(i / 4)]!, s])];
    for (let i = 0; i + 1 < noise.length; i += 2) {
      relations.push([noise[i]!, noise[i + 1]!]);
    }
    const chunk = async <T>(rows: T[], insert: (part: T[]) => Promise<unknown>, size = 500) => {
      for (let i = 0; i < rows.length; i += size) {
        await insert(rows.slice(i, i + size));
      }
    };
    await chunk(
      all.map((id, n) => ({ id, class_id: classId, subtype: null, name: `主机-${String(n).padStart(4, '0')}`, status: 'active' as const, ip: `10.0.${Math.floor(n / 250)}.${n % 250}`, hostname: `h${n}`, owner_id: null, org_unit_id: units[n % 2]!, attributes: '{}', description: '', created_at: t0 - 30 * 24 * HOUR, updated_at: t0 - 30 * 24 * HOUR })),
      (part) => db.insertInto('cmdb_ci').values(part).execute(),
    );
    await chunk(
      relations.map(([s, tgt]) => ({ id: uuidv7(), source_id: s, target_ci_id: tgt, target_group_id: null, type: 'depends_on' as const, propagates: 1, description: '', created_at: t0, updated_at: t0 })),
      (part) => db.insertInto('cmdb_relation').values(part).execute(),
    );

    // Checks: a result a minute from 3.5 h before the start (the window and the hour before it) to its end.
    const checks = all.flatMap((ci, n) => [0, 1].map((k) => ({ id: uuidv7(), ci, flips: (n + k) % 3 === 0 })));
    await chunk(
      checks.map((c, n) => ({ id: c.id, name: `端口检查-${n}`, type: 'tcp', settings: '{}', secrets: null, target: `tcp://10.0.0.${n % 250}:22`, ci_id: c.ci, org_unit_id: null, interval_s: 60, timeout_ms: 1000, enabled: 1, retries: 0, alert_rule_id: null, notify_policy_id: null, escalation_policy_id: null, created_at: t0, updated_at: t0 })),
      (part) => db.insertInto('check_definition').values(part).execute(),
    );
    const results = [];
    for (const [n, c] of checks.entries()) {
      for (let ts = from - HOUR; ts <= to; ts += MIN) {
        const minute = (ts - from) / MIN;
        const up = c.flips && Math.floor((minute + n) / 37) % 2 === 1 ? 0 : 1;
        results.push({ check_id: c.id, at: ts, up, latency_ms: up ? 2 : null, message: up ? null : 'connection refused', message_code: null, message_params: null, values: '{}' });
      }
    }
    await chunk(results, (part) => db.insertInto('check_result').values(part).execute(), 1000);
    log(`${kind}: ${all.length} CIs, ${checks.length} checks, ${results.length} check results`);

    // Alerts: 6 per CI in the window, fired then resolved 7 minutes later.
    const alerts = [];
    const events = [];
    for (const [n, ci] of all.entries()) {
      for (let k = 0; k < 6; k++) {
        const id = uuidv7();
        const start = from + ((n * 13 + k * 23) % 140) * MIN;
        alerts.push({ id, fingerprint: id, rule_id: 'bench-rule', rule_name: `规则-${k}`, rule_name_en: null, severity: k % 2 ? 'warning' : 'critical', state: 'resolved', labels: '{}', annotations: '{}', value: null, threshold: null, ci_id: ci, started_at: start, firing_at: start, acked_at: null, acked_by: null, resolved_at: start + 7 * MIN, updated_at: start + 7 * MIN, notify_seq: 0 });
        events.push({ alert_id: id, at: start, from_state: 'pending', to_state: 'firing', actor_id: null, note: null }, { alert_id: id, at: start + 7 * MIN, from_state: 'firing', to_state: 'resolved', actor_id: null, note: null });
      }
    }
    await chunk(alerts, (part) => db.insertInto('alert').values(part).execute());
    await chunk(events, (part) => db.insertInto('alert_event').values(part).execute(), 1000);

    // Series: 4 per CI, 5-minute rollups over the 24 h baseline and the window.
    const series = all.flatMap((ci, n) => ['cpu_usage', 'mem_usage', 'disk_io', 'net_rx'].map((metric, k) => ({ metric, labels: JSON.stringify({ ci }), hash: uuidv7(), ci_id: ci, created_at: t0 - 48 * HOUR, last_seen: t0, jump: (n + k) % 8 === 0 })));
    const ids: number[] = [];
    for (let i = 0; i < series.length; i += 500) {
      // The database draws the ids (PostgreSQL refuses one given).
      const part = series.slice(i, i + 500).map(({ jump: _jump, ...s }) => s as MetricSeriesTable);
      ids.push(...(await db.insertInto('metric_series').values(part).returning('id').execute()).map((r) => Number(r.id)));
    }
    const rollups = [];
    for (const [i, s] of series.entries()) {
      for (let ts = from - 24 * HOUR; ts <= to; ts += 5 * MIN) {
        const v = s.jump && ts >= at - 45 * MIN && ts < at - 30 * MIN ? 95 : 20 + ((ts / (5 * MIN) + i) % 7);
        rollups.push({ series_id: ids[i]!, bucket_ts: ts, min: v, max: v, sum: v * 15, count: 15 });
      }
    }
    await chunk(rollups, (part) => db.insertInto('metric_rollup_5m').values(part).execute(), 1000);
    log(`${kind}: ${series.length} series, ${rollups.length} rollup rows`);

    // The audit trail: 3 CMDB changes per CI in the window and 20,000 other rows around it.
    const audit = [];
    for (const [n, ci] of all.entries()) {
      for (let k = 0; k < 3; k++) {
        audit.push({ ts: from + ((n * 7 + k * 41) % 150) * MIN, actor_id: null, actor_name: 'admin', ip: '127.0.0.1', action: 'cmdb.ci.update', target_type: 'cmdb_ci', target_id: ci, outcome: 'success' as const, before: JSON.stringify({ ip: '10.0.0.1' }), after: JSON.stringify({ ip: `10.0.0.${k + 2}` }), prev_hash: '', hash: '' });
      }
    }
    for (let k = 0; k < 20_000; k++) {
      audit.push({ ts: from - 24 * HOUR + k * 5_000, actor_id: null, actor_name: 'admin', ip: '127.0.0.1', action: 'identity.session.login', target_type: 'user', target_id: uuidv7(), outcome: 'success' as const, before: '{}', after: '{}', prev_hash: '', hash: '' });
    }
    await chunk(audit, (part) => db.insertInto('audit_log').values(part).execute());
    log(`${kind}: seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const service = new CauseTimelineService(yunwei.ctx);
    const admin = systemActor('bench');
    const scoped: Actor = { ...systemActor('bench'), kind: 'user', permissions: new Set([INCIDENT_TIMELINE_PERMISSION]), scopes: new Map([[INCIDENT_TIMELINE_PERMISSION, new Set([units[0]!])]]) };
    const answer = await service.timeline(admin, { ciIds: [app], at });
    const kinds = new Set(answer.events.map((e) => e.kind));
    if (answer.cis.length !== 51 || answer.hiddenCis !== 0 || kinds.size !== 4) {
      throw new Error(`unexpected answer: ${answer.cis.length} CIs, ${answer.hiddenCis} hidden, kinds ${[...kinds].join(',')}`);
    }
    const scopedAnswer = await service.timeline(scoped, { ciIds: [app], at });
    const figures: Record<string, unknown> = {
      answer: { cis: answer.cis.length, events: answer.total, shown: answer.events.length, byKind: Object.fromEntries([...kinds].map((k) => [k, answer.events.filter((e) => e.kind === k).length])) },
    };
    figures.timeline = await timed(() => service.timeline(admin, { ciIds: [app], at }));
    log(`${kind} timeline: ${JSON.stringify(figures.timeline)}`);
    figures.scoped = { hiddenCis: scopedAnswer.hiddenCis, ...(await timed(() => service.timeline(scoped, { ciIds: [app], at }))) };
    log(`${kind} scoped: ${JSON.stringify(figures.scoped)}`);
    const ciIds = answer.cis.map((c) => c.id);
    const names = new Map(answer.cis.map((c) => [c.id, c.name]));
    for (const source of timelineSources(db)) {
      const query = { ciIds, from, to, locale: 'zh-CN' as const, ciName: (id: string) => names.get(id) ?? '' };
      figures[`source:${source.kind}`] = { events: (await source.collect(query)).length, ...(await timed(() => source.collect(query))) };
      log(`${kind} source:${source.kind}: ${JSON.stringify(figures[`source:${source.kind}`])}`);
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
process.stdout.write(`${JSON.stringify({ bench: 'incident-timeline', dependencies: 50, noise: NOISE, window: '2 h before + 30 min after', targetMs: TARGET_MS, cpus: cpus().length, loadavg: loadavg().map((l) => +l.toFixed(1)), results })}\n`);
