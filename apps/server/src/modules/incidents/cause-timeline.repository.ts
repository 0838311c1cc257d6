import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.js';

const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) {
    out.push(items.slice(i, i + CHUNK));
  }
  return out;
}

export interface AlertEventRow {
  event_id: number;
  alert_id: string;
  at: number;
  from_state: string | null;
  to_state: string;
  note: string | null;
  ci_id: string;
  rule_name: string;
  rule_name_en: string | null;
  severity: string;
  annotations: string;
}

export interface CheckChangeRow {
  id: number;
  check_id: string;
  check_name: string;
  check_type: string;
  ci_id: string;
  at: number;
  up: number;
  message: string | null;
  message_code: string | null;
  message_params: string | null;
}

export interface CiChangeRow {
  id: number;
  ts: number;
  action: string;
  actor_name: string;
  target_id: string;
  before: string;
  after: string;
}

export interface SeriesRow {
  id: number;
  metric: string;
  labels: string;
  ci_id: string;
}

export interface SeriesStatsRow {
  series_id: number;
  n: number;
  s1: number;
  s2: number;
}

export interface BucketRow {
  series_id: number;
  bucket_ts: number;
  avg: number;
}

/** The queries of the cause timeline: read-only, over the tables of other modules (alerting, checks, the audit trail, monitoring). */
export class CauseTimelineRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Alert transitions in [from, to] of alerts on these CIs (alerts that overlap the window, then their events). */
  async alertEvents(ciIds: readonly string[], from: number, to: number): Promise<AlertEventRow[]> {
    const out: AlertEventRow[] = [];
    for (const part of chunks(ciIds)) {
      const rows = await this.db
        .selectFrom('alert_event as e')
        .innerJoin('alert as a', 'a.id', 'e.alert_id')
        .select(['e.id as event_id', 'e.alert_id', 'e.at', 'e.from_state', 'e.to_state', 'e.note', 'a.ci_id', 'a.rule_name', 'a.rule_name_en', 'a.severity', 'a.annotations'])
        .where('a.ci_id', 'in', part)
        .where('a.started_at', '<=', to)
        .where((eb) => eb.or([eb('a.resolved_at', 'is', null), eb('a.resolved_at', '>=', from)]))
        .where('e.at', '>=', from)
        .where('e.at', '<=', to)
        .where('e.to_state', 'in', ['firing', 'acknowledged', 'resolved'])
        .execute();
      out.push(...rows.map((r) => ({ ...r, event_id: Number(r.event_id), at: Number(r.at), ci_id: r.ci_id! })));
    }
    return out;
  }

  /**
   * Results of the CIs' checks in [from, to] whose state differs from the result before (up→down,
   * down→up), and a first result that is down. `lag()` over [from − lookback, to] finds the result
   * before; one a full lookback older is not looked for (a check silent that long has no "change").
   */
  async checkChanges(ciIds: readonly string[], from: number, to: number, lookbackMs: number): Promise<CheckChangeRow[]> {
    const out: CheckChangeRow[] = [];
    for (const part of chunks(ciIds)) {
      const checks = await this.db.selectFrom('check_definition').select(['id', 'name', 'type', 'ci_id']).where('ci_id', 'in', part).execute();
      if (checks.length === 0) {
        continue;
      }
      const byId = new Map(checks.map((c) => [c.id, c]));
      const windowed = this.db
        .selectFrom('check_result')
        .select(['id', 'check_id', 'at', 'up', 'message', 'message_code', 'message_params', sql<number | null>`lag(up) over (partition by check_id order by at, id)`.as('prev_up')])
        .where('check_id', 'in', [...byId.keys()])
        .where('at', '>=', from - lookbackMs)
        .where('at', '<=', to);
      const rows = await this.db
        .selectFrom(windowed.as('r'))
        .selectAll()
        .where('r.at', '>=', from)
        .where((eb) => eb.or([eb('r.prev_up', 'is', null).and('r.up', '=', 0), eb('r.prev_up', '<>', eb.ref('r.up'))]))
        .execute();
      for (const r of rows) {
        const check = byId.get(r.check_id)!;
        out.push({ ...r, id: Number(r.id), at: Number(r.at), up: Number(r.up), check_name: check.name, check_type: check.type, ci_id: check.ci_id! });
      }
    }
    return out;
  }

  /**
   * Audited changes of these CIs in [from, to]. A CI's registration (`cmdb.ci.create`) is bookkeeping,
   * not a change of the thing it describes, so it is not looked at.
   */
  async ciChanges(ciIds: readonly string[], from: number, to: number): Promise<CiChangeRow[]> {
    const out: CiChangeRow[] = [];
    for (const part of chunks(ciIds)) {
      const rows = await this.db
        .selectFrom('audit_log')
        .select(['id', 'ts', 'action', 'actor_name', 'target_id', 'before', 'after'])
        .where('ts', '>=', from)
        .where('ts', '<=', to)
        .where('target_type', '=', 'cmdb_ci')
        .where('action', '=', 'cmdb.ci.update')
        .where('outcome', '=', 'success')
        .where('target_id', 'in', part)
        .execute();
      out.push(...rows.map((r) => ({ ...r, id: Number(r.id), ts: Number(r.ts), target_id: r.target_id! })));
    }
    return out;
  }

  async seriesOf(ciIds: readonly string[], max: number): Promise<SeriesRow[]> {
    const out: SeriesRow[] = [];
    for (const part of chunks(ciIds)) {
      const rows = await this.db.selectFrom('metric_series').select(['id', 'metric', 'labels', 'ci_id']).where('ci_id', 'in', part).orderBy('id').limit(max - out.length).execute();
      out.push(...rows.map((r) => ({ ...r, id: Number(r.id), ci_id: r.ci_id! })));
      if (out.length >= max) {
        break;
      }
    }
    return out;
  }

  /** Per series, the count, sum and sum of squares of its 5-minute averages in [from, to). */
  async bucketStats(seriesIds: readonly number[], from: number, to: number): Promise<SeriesStatsRow[]> {
    const out: SeriesStatsRow[] = [];
    const avg = sql<number>`(${sql.ref('sum')} * 1.0 / ${sql.ref('count')})`;
    for (const part of chunks(seriesIds)) {
      const rows = await this.db
        .selectFrom('metric_rollup_5m')
        .select(['series_id', sql<number>`count(*)`.as('n'), sql<number>`sum(${avg})`.as('s1'), sql<number>`sum(${avg} * ${avg})`.as('s2')])
        .where('series_id', 'in', part)
        .where('bucket_ts', '>=', from)
        .where('bucket_ts', '<', to)
        .where('count', '>', 0)
        .groupBy('series_id')
        .execute();
      out.push(...rows.map((r) => ({ series_id: Number(r.series_id), n: Number(r.n), s1: Number(r.s1), s2: Number(r.s2) })));
    }
    return out;
  }

  /** The 5-minute averages of these series in [from, to], in time order per series. */
  async buckets(seriesIds: readonly number[], from: number, to: number): Promise<BucketRow[]> {
    const out: BucketRow[] = [];
    for (const part of chunks(seriesIds)) {
      const rows = await this.db
        .selectFrom('metric_rollup_5m')
        .select(['series_id', 'bucket_ts', sql<number>`(${sql.ref('sum')} * 1.0 / ${sql.ref('count')})`.as('avg')])
        .where('series_id', 'in', part)
        .where('bucket_ts', '>=', from)
        .where('bucket_ts', '<=', to)
        .where('count', '>', 0)
        .orderBy('series_id')
        .orderBy('bucket_ts')
        .execute();
      out.push(...rows.map((r) => ({ series_id: Number(r.series_id), bucket_ts: Number(r.bucket_ts), avg: Number(r.avg) })));
    }
    return out;
  }

  /** The agents (not revoked) reporting for these CIs. */
  async agentsOf(ciIds: readonly string[]): Promise<AgentRow[]> {
    const out: AgentRow[] = [];
    for (const part of chunks(ciIds)) {
      const rows = await this.db.selectFrom('agent').select(['id', 'hostname', 'ci_id', 'interval_seconds', 'enrolled_at']).where('ci_id', 'in', part).where('revoked_at', 'is', null).execute();
      out.push(...rows.map((r) => ({ ...r, ci_id: r.ci_id!, interval_seconds: Number(r.interval_seconds), enrolled_at: Number(r.enrolled_at) })));
    }
    return out;
  }

  /** One series per CI among its host metrics (an agent pushes them all at once): the lowest id. */
  async hostSeries(ciIds: readonly string[], prefix: string): Promise<{ ciId: string; seriesId: number }[]> {
    const out: { ciId: string; seriesId: number }[] = [];
    for (const part of chunks(ciIds)) {
      const rows = await this.db
        .selectFrom('metric_series')
        .select(['ci_id', (eb) => eb.fn.min('id').as('id')])
        .where('ci_id', 'in', part)
        .where('metric', 'like', `${prefix}%`)
        .groupBy('ci_id')
        .execute();
      out.push(...rows.map((r) => ({ ciId: r.ci_id!, seriesId: Number(r.id) })));
    }
    return out;
  }

  /** The 5-minute rollups are complete up to here (null: none yet). */
  async rollupDoneUntil(): Promise<number | null> {
    const row = await this.db.selectFrom('metric_rollup_state').select('done_until').where('level', '=', '5m').executeTakeFirst();
    return row?.done_until === null || row?.done_until === undefined ? null : Number(row.done_until);
  }

  /** The 5-minute buckets holding samples of these series in [from, to]. */
  async bucketTimes(seriesIds: readonly number[], from: number, to: number): Promise<{ series_id: number; bucket_ts: number }[]> {
    const out: { series_id: number; bucket_ts: number }[] = [];
    for (const part of chunks(seriesIds)) {
      const rows = await this.db.selectFrom('metric_rollup_5m').select(['series_id', 'bucket_ts']).where('series_id', 'in', part).where('bucket_ts', '>=', from).where('bucket_ts', '<=', to).orderBy('series_id').orderBy('bucket_ts').execute();
      out.push(...rows.map((r) => ({ series_id: Number(r.series_id), bucket_ts: Number(r.bucket_ts) })));
    }
    return out;
  }
}

export interface AgentRow {
  id: string;
  hostname: string;
  ci_id: string;
  interval_seconds: number;
  enrolled_at: number;
}
