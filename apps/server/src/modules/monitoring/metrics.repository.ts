import { sql, type Kysely, type RawBuilder } from 'kysely';
import { sqliteHandleOf } from '../../db/database.js';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { MetricSeriesTable } from './monitoring.tables.js';
import { bucketSamples } from './sample-buckets.js';
import type { Bucket } from './utilisation.js';

export type SeriesRow = MetricSeriesTable;
export type RollupTableName = 'metric_rollup_5m' | 'metric_rollup_1h';
/** Series ids from `from` to `to`, both included. */
export interface IdRange {
  from: number;
  to: number;
}

/** Ids per `in (…)` list: well under both databases' parameter limits. */
const ID_CHUNK = 500;
/**
 * Raw-sample steps up to this are bucketed in JS (#packedRawBuckets): at most ~20 samples
 * per bucket at a 15 s interval, so moving the samples costs about what the SQL sort cost. Coarser
 * steps (top-N over a range, 5-minute rollups' raw tail at larger steps) keep the SQL aggregation,
 * which returns far fewer rows than it reads.
 */
const PACKED_MAX_STEP = 300_000;
/** Rollup rows per write statement (SQLite): 6 bound values each, within its 32,766 parameters. */
const ROLLUP_WRITE_CHUNK = 5_000;
/** Series per packed statement: bounds the JSON text held at once. */
const PACKED_CHUNK = 50;

export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

const num = (v: unknown) => Number(v);

const UPSERT_SAMPLE = 'insert into metric_sample (series_id, ts, value) values (?, ?, ?) on conflict (series_id, ts) do update set value = excluded.value';

/** Series, samples and rollups. Methods taking `db` write or read through the caller's executor (`trx`). */
export class MetricsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ------------------------------------------------------------ series

  async seriesByHash(db: Kysely<Database>, hashes: readonly string[]): Promise<{ id: number; hash: string }[]> {
    const out: { id: number; hash: string }[] = [];
    for (const part of chunks(hashes, ID_CHUNK)) {
      const rows = await db.selectFrom('metric_series').select(['id', 'hash']).where('hash', 'in', part).execute();
      out.push(...rows.map((r) => ({ id: num(r.id), hash: r.hash })));
    }
    return out;
  }

  /** Inserts series that do not exist yet (a concurrent writer may have created some: no error). */
  async insertSeries(db: Kysely<Database>, rows: Omit<SeriesRow, 'id'>[]): Promise<void> {
    for (const part of chunks(rows, 200)) {
      await db
        .insertInto('metric_series')
        .values(part as SeriesRow[])
        .onConflict((oc) => oc.column('hash').doNothing())
        .execute();
    }
  }

  async touchSeries(db: Kysely<Database>, ids: readonly number[], now: number): Promise<void> {
    for (const part of chunks(ids, ID_CHUNK)) {
      await db.updateTable('metric_series').set({ last_seen: now }).where('id', 'in', part).execute();
    }
  }

  /** Series of these metric names (every series when `metrics` is null). */
  async seriesOf(metrics: readonly string[] | null, limit: number): Promise<SeriesRow[]> {
    let q = this.db.selectFrom('metric_series').selectAll().orderBy('id').limit(limit);
    if (metrics) {
      if (metrics.length === 0) {
        return [];
      }
      q = metrics.length === 1 ? q.where('metric', '=', metrics[0]!) : q.where('metric', 'in', [...metrics]);
    }
    return (await q.execute()).map((r) => ({ ...r, id: num(r.id) }));
  }

  async seriesOfCi(ciId: string, limit: number): Promise<SeriesRow[]> {
    return (await this.db.selectFrom('metric_series').selectAll().where('ci_id', '=', ciId).orderBy('id').limit(limit).execute()).map((r) => ({ ...r, id: num(r.id) }));
  }

  async metricNames(): Promise<string[]> {
    return (await this.db.selectFrom('metric_series').select('metric').distinct().execute()).map((r) => r.metric);
  }

  async allSeriesLabels(db: Kysely<Database>): Promise<{ id: number; metric: string; labels: string; ci_id: string | null }[]> {
    return (await db.selectFrom('metric_series').select(['id', 'metric', 'labels', 'ci_id']).orderBy('id').execute()).map((r) => ({ ...r, id: num(r.id) }));
  }

  async setCi(db: Kysely<Database>, ciId: string | null, ids: readonly number[]): Promise<void> {
    for (const part of chunks(ids, ID_CHUNK)) {
      await db.updateTable('metric_series').set({ ci_id: ciId }).where('id', 'in', part).execute();
    }
  }

  async allSeriesIds(): Promise<number[]> {
    return (await this.db.selectFrom('metric_series').select('id').orderBy('id').execute()).map((r) => num(r.id));
  }

  // ------------------------------------------------------------ samples

  /**
   * Writes samples, a later write of the same (series, ts) replacing the value. `rows` must be free of
   * duplicate keys (PostgreSQL refuses to update a row twice in one statement). PostgreSQL: one
   * statement per call reading three arrays (unnest), several times faster than a statement per
   * sample. SQLite (in-process, no round trips): one cached prepared statement run per sample on the
   * caller's transaction; the JSON batch (json_each) remains for a Kysely without a known connection.
   */
  async upsertSamples(db: Kysely<Database>, seriesIds: readonly number[], ts: readonly number[], values: readonly number[]): Promise<void> {
    if (seriesIds.length === 0) {
      return;
    }
    if (dialectOf(db) === 'postgres') {
      await sql`insert into metric_sample (series_id, ts, value)
        select * from unnest(${seriesIds}::bigint[], ${ts}::bigint[], ${values}::float8[])
        on conflict (series_id, ts) do update set value = excluded.value`.execute(db);
      return;
    }
    const handle = sqliteHandleOf(db);
    if (handle) {
      // One prepared statement run per row: ~25 % cheaper than building and parsing a JSON batch.
      const insert = handle.prepare(UPSERT_SAMPLE);
      for (let i = 0; i < seriesIds.length; i++) {
        insert.run(seriesIds[i], ts[i], values[i]);
      }
      return;
    }
    const rows = new Array<string>(seriesIds.length);
    for (let i = 0; i < seriesIds.length; i++) {
      rows[i] = `[${seriesIds[i]},${ts[i]},${values[i]}]`;
    }
    await sql`insert into metric_sample (series_id, ts, value)
      select j.value ->> 0, j.value ->> 1, j.value ->> 2 from json_each(${`[${rows.join(',')}]`}) as j where true
      on conflict (series_id, ts) do update set value = excluded.value`.execute(db);
  }

  /** Samples of [from, to), by series then time (SQLite: staged fresh samples included). */
  async rawSamples(seriesIds: readonly number[], from: number, to: number): Promise<{ series_id: number; ts: number; value: number }[]> {
    const out: { series_id: number; ts: number; value: number }[] = [];
    for (const part of chunks(seriesIds, ID_CHUNK)) {
      const { rows } = await sql<{ series_id: unknown; ts: unknown; value: unknown }>`
        select series_id, ts, value from ${this.#samples(part, from, to)} as m order by series_id, ts`.execute(this.db);
      for (const r of rows) {
        out.push({ series_id: num(r.series_id), ts: num(r.ts), value: num(r.value) });
      }
    }
    return out;
  }

  /**
   * The samples of these series in [from, to) as a derived table (series_id, ts, value). On SQLite the
   * union of `metric_sample` and the staging table `metric_sample_head` (fresh samples the writer has
   * not moved yet, sample-writer.worker.mjs): the writer keeps them disjoint — a series' staged samples
   * are all newer than its stored ones — so the union is exact, without duplicates.
   */
  #samples(seriesIds: readonly number[], from: number, to: number) {
    const where = sql`series_id in (${sql.join(seriesIds)}) and ts >= ${from} and ts < ${to}`;
    return dialectOf(this.db) === 'postgres'
      ? sql`(select series_id, ts, value from metric_sample where ${where})`
      : sql`(select series_id, ts, value from metric_sample where ${where} union all select series_id, ts, value from metric_sample_head where ${where})`;
  }

  /** The newest sample at or after `from` of each of these series that has one. */
  async latestSamples(seriesIds: readonly number[], from: number): Promise<Map<number, { ts: number; value: number }>> {
    const out = new Map<number, { ts: number; value: number }>();
    for (const part of chunks(seriesIds, ID_CHUNK)) {
      // Each series' newest ts over both sources, joined back to its row for the value.
      const { rows } = await sql<{ series_id: unknown; ts: unknown; value: unknown }>`
        select m.series_id, m.ts, m.value from ${this.#samples(part, from, Number.MAX_SAFE_INTEGER)} as m
        inner join (select series_id, max(ts) as ts from ${this.#samples(part, from, Number.MAX_SAFE_INTEGER)} as x group by series_id) as l
          on l.series_id = m.series_id and l.ts = m.ts`.execute(this.db);
      for (const r of rows) {
        out.set(num(r.series_id), { ts: num(r.ts), value: num(r.value) });
      }
    }
    return out;
  }

  /**
   * The newest sample of each of these series that has one, however old: per series a backward seek
   * of the primary key (correlated `order by ts desc limit 1`), so nothing else of the series is read.
   * SQLite: a series' staged samples (metric_sample_head) are all newer than its stored ones, so a
   * staged sample, when there is one, is the newest.
   */
  async newestSamples(seriesIds: readonly number[]): Promise<Map<number, { ts: number; value: number }>> {
    const out = new Map<number, { ts: number; value: number }>();
    const newest = (table: 'metric_sample' | 'metric_sample_head', column: 'ts' | 'value') =>
      sql`(select ${sql.ref(column)} from ${sql.table(table)} x where x.series_id = s.id order by x.ts desc limit 1)`;
    const pg = dialectOf(this.db) === 'postgres';
    for (const part of chunks(seriesIds, ID_CHUNK)) {
      const { rows } = await sql<{ id: unknown; ts: unknown; value: unknown; hts: unknown; hvalue: unknown }>`
        select s.id, ${newest('metric_sample', 'ts')} as ts, ${newest('metric_sample', 'value')} as value,
          ${pg ? sql`null` : newest('metric_sample_head', 'ts')} as hts, ${pg ? sql`null` : newest('metric_sample_head', 'value')} as hvalue
        from metric_series s where s.id in (${sql.join(part)})`.execute(this.db);
      for (const r of rows) {
        const [ts, value] = r.hts !== null && r.hts !== undefined ? [r.hts, r.hvalue] : [r.ts, r.value];
        if (ts !== null && ts !== undefined) {
          // SQLite keeps a NaN as NULL.
          out.set(num(r.id), { ts: num(ts), value: value === null ? NaN : num(value) });
        }
      }
    }
    return out;
  }

  /** The newest sample time (≤ upTo) of these series, or null: one index seek per series and source. */
  async newestTs(seriesIds: readonly number[], upTo: number): Promise<number | null> {
    const sources = dialectOf(this.db) === 'postgres' ? (['metric_sample'] as const) : (['metric_sample', 'metric_sample_head'] as const);
    let newest: number | null = null;
    for (const id of seriesIds) {
      for (const source of sources) {
        const row = await this.db.selectFrom(source).select('ts').where('series_id', '=', id).where('ts', '<=', upTo).orderBy('ts', 'desc').limit(1).executeTakeFirst();
        if (row) {
          newest = Math.max(newest ?? -Infinity, num(row.ts));
        }
      }
    }
    return newest;
  }

  /**
   * Per series, samples of [from, to) aggregated into buckets of `step` ms aligned on `grid`
   * (bucket = grid + k·step). `step` 0: one bucket per sample.
   */
  async rawBuckets(seriesIds: readonly number[], from: number, to: number, grid: number, step: number): Promise<Map<number, Bucket[]>> {
    const out = new Map<number, Bucket[]>();
    if (step === 0) {
      for (const r of await this.rawSamples(seriesIds, from, to)) {
        push(out, r.series_id, { ts: r.ts, min: r.value, max: r.value, sum: r.value, count: 1 });
      }
      return out;
    }
    if (step <= PACKED_MAX_STEP) {
      return this.#packedRawBuckets(seriesIds, from, to, grid, step);
    }
    for (const part of chunks(seriesIds, ID_CHUNK)) {
      const { rows } = await sql<{ s: unknown; b: unknown; mn: unknown; mx: unknown; sm: unknown; n: unknown }>`
        select series_id as s, ts - ((ts - ${grid}) % ${step}) as b, min(value) as mn, max(value) as mx, sum(value) as sm, count(*) as n
        from ${this.#samples(part, from, to)} as m
        group by series_id, b`.execute(this.db);
      for (const r of rows) {
        push(out, num(r.s), { ts: num(r.b), min: num(r.mn), max: num(r.mx), sum: num(r.sm), count: num(r.n) });
      }
    }
    return out;
  }

  /**
   * rawBuckets for fine steps. A `group by` on the bucket expression sorts every sample (SQLite: a
   * temporary b-tree) and the driver then builds an object per bucket and column: ~75 % of a 7-day
   * query at a 1-minute step (40,321 samples → 10,081 buckets). Instead the database packs each
   * series' samples of the range into two JSON arrays (one row per series, read in primary-key order)
   * and they are bucketed here in one pass (bucketSamples: SQLite's arithmetic, so SQLite's answers are
   * bit-identical; on PostgreSQL sums are now compensated too, instead of its plain float sum).
   * Doubles survive the trip exactly: both write the shortest text that reads back as the same double.
   */
  async #packedRawBuckets(seriesIds: readonly number[], from: number, to: number, grid: number, step: number): Promise<Map<number, Bucket[]>> {
    const out = new Map<number, Bucket[]>();
    const pg = dialectOf(this.db) === 'postgres';
    for (const part of chunks(seriesIds, PACKED_CHUNK)) {
      const packed = pg ? await this.#packedPg(part, from, to) : await this.#packedSqlite(part, from, to, 'metric_sample');
      if (!pg) {
        // Staged samples of a series are all newer than its stored ones: appended, the arrays stay in order.
        for (const [id, head] of await this.#packedSqlite(part, from, to, 'metric_sample_head')) {
          const stored = packed.get(id);
          packed.set(id, stored ? { t: stored.t.concat(head.t), v: stored.v.concat(head.v) } : head);
        }
      }
      for (const [id, { t, v }] of packed) {
        out.set(id, bucketSamples(t, v, grid, step));
      }
    }
    return out;
  }

  /** Per series, its samples of [from, to) from `table` read in key order and packed into two arrays. */
  async #packedSqlite(part: readonly number[], from: number, to: number, table: 'metric_sample' | 'metric_sample_head'): Promise<Map<number, Packed>> {
    const { rows } = await sql<{ s: unknown; t: string; v: string }>`
      select series_id as s, json_group_array(ts) as t, json_group_array(value) as v
      from ${sql.table(table)}
      where series_id in (${sql.join(part)}) and ts >= ${from} and ts < ${to}
      group by series_id`.execute(this.db);
    // Order is checked by bucketSamples.
    return new Map(rows.map((r) => [num(r.s), { t: JSON.parse(r.t) as number[], v: JSON.parse(r.v) as number[] }]));
  }

  async #packedPg(part: readonly number[], from: number, to: number): Promise<Map<number, Packed>> {
    const { rows } = await sql<{ s: unknown; t: number[]; v: unknown[] }>`
      select s, json_agg(ts) as t, json_agg(value) as v
      from (select series_id as s, ts, value from metric_sample
            where series_id in (${sql.join(part)}) and ts >= ${from} and ts < ${to} order by series_id, ts) as x
      group by s`.execute(this.db);
    // PostgreSQL writes NaN and ±Infinity as JSON strings ("Infinity"): Number() reads them back.
    return new Map(rows.map((r) => [num(r.s), { t: r.t, v: r.v.map(Number) }]));
  }

  /** Like rawBuckets, from a rollup table (rows with bucket_ts in [from, to)). */
  async rollupBuckets(table: RollupTableName, seriesIds: readonly number[], from: number, to: number, grid: number, step: number): Promise<Map<number, Bucket[]>> {
    const out = new Map<number, Bucket[]>();
    for (const part of chunks(seriesIds, ID_CHUNK)) {
      const { rows } = await sql<{ s: unknown; b: unknown; mn: unknown; mx: unknown; sm: unknown; n: unknown }>`
        select series_id as s, bucket_ts - ((bucket_ts - ${grid}) % ${step}) as b, min("min") as mn, max("max") as mx, sum("sum") as sm, sum("count") as n
        from ${sql.table(table)}
        where series_id in (${sql.join(part)}) and bucket_ts >= ${from} and bucket_ts < ${to}
        group by series_id, b`.execute(this.db);
      for (const r of rows) {
        push(out, num(r.s), { ts: num(r.b), min: num(r.mn), max: num(r.mx), sum: num(r.sm), count: num(r.n) });
      }
    }
    return out;
  }

  // ------------------------------------------------------------ rollups

  async rollupState(db: Kysely<Database>): Promise<Map<string, { done_until: number | null; dirty_from: number | null; dirty_seq: number }>> {
    const rows = await db.selectFrom('metric_rollup_state').selectAll().execute();
    return new Map(rows.map((r) => [r.level, { done_until: r.done_until === null ? null : num(r.done_until), dirty_from: r.dirty_from === null ? null : num(r.dirty_from), dirty_seq: num(r.dirty_seq) }]));
  }

  /** Late samples at or after `from` arrived: the rollups from there must be recomputed. */
  async markDirty(db: Kysely<Database>, level: '5m' | '1h', from: number): Promise<void> {
    await db
      .updateTable('metric_rollup_state')
      .set((eb) => ({ dirty_from: sql`case when dirty_from is null or dirty_from > ${from} then ${from} else dirty_from end`, dirty_seq: eb('dirty_seq', '+', 1) }))
      .where('level', '=', level)
      .execute();
  }

  /** Records progress; clears dirty_from only if no writer marked it since the job read `seenSeq`. */
  async finishRollup(db: Kysely<Database>, level: '5m' | '1h', doneUntil: number, seenSeq: number): Promise<void> {
    const cleared = await db.updateTable('metric_rollup_state').set({ done_until: doneUntil, dirty_from: null }).where('level', '=', level).where('dirty_seq', '=', seenSeq).executeTakeFirst();
    if (Number(cleared.numUpdatedRows) === 0) {
      await db.updateTable('metric_rollup_state').set({ done_until: doneUntil }).where('level', '=', level).execute();
    }
  }

  /**
   * Computes the 5-minute rollups of raw samples in [from, to) (upsert: recomputing is idempotent) of
   * the series active since `activeSince` (and within `ids`, when given), each read by its primary-key
   * range. SQLite: samples still staged in metric_sample_head (sample-writer.worker.mjs) count too — the
   * two tables never hold the same (series, ts) — and the aggregation is a read of its own followed by
   * one short write, so the database's single write lock is held only for the write (an
   * `insert … select` would hold it while it reads). Not for a transaction: each statement commits.
   */
  async rollupRaw(db: Kysely<Database>, from: number, to: number, activeSince: number, ids: IdRange | null = null): Promise<number> {
    const series = sql`s.last_seen >= ${activeSince} ${ids ? sql`and s.id >= ${ids.from} and s.id <= ${ids.to}` : sql``}`;
    const fromTable = (table: 'metric_sample' | 'metric_sample_head') =>
      sql`select m.series_id, m.ts, m.value from metric_series s inner join ${sql.table(table)} m on m.series_id = s.id where ${series} and m.ts >= ${from} and m.ts < ${to}`;
    const samples = dialectOf(db) === 'postgres' ? fromTable('metric_sample') : sql`${fromTable('metric_sample')} union all ${fromTable('metric_sample_head')}`;
    const aggregate = sql`select x.series_id, x.ts - (x.ts % 300000) as b, min(x.value) as mn, max(x.value) as mx, sum(x.value) as sm, count(*) as n from (${samples}) as x group by x.series_id, b`;
    return this.#writeRollups(db, 'metric_rollup_5m', aggregate);
  }

  /** Computes the 1-hour rollups of 5-minute rollups with bucket_ts in [from, to) (series within `ids`, when given); as rollupRaw. */
  async rollupHourly(db: Kysely<Database>, from: number, to: number, activeSince: number, ids: IdRange | null = null): Promise<number> {
    const aggregate = sql`
      select r.series_id, r.bucket_ts - (r.bucket_ts % 3600000) as b, min(r."min") as mn, max(r."max") as mx, sum(r."sum") as sm, sum(r."count") as n
      from metric_series s inner join metric_rollup_5m r on r.series_id = s.id
      where s.last_seen >= ${activeSince} ${ids ? sql`and s.id >= ${ids.from} and s.id <= ${ids.to}` : sql``} and r.bucket_ts >= ${from} and r.bucket_ts < ${to}
      group by r.series_id, b`;
    return this.#writeRollups(db, 'metric_rollup_1h', aggregate);
  }

  /**
   * Upserts the rows of `aggregate` (series_id, b, mn, mx, sm, n) into a rollup table. PostgreSQL: one
   * `insert … select` (its row locks do not stop other writers). SQLite: the aggregate is read first
   * (no write lock), then written by multi-row inserts of bound values (doubles exactly, ±Infinity too).
   */
  async #writeRollups(db: Kysely<Database>, table: RollupTableName, aggregate: RawBuilder<unknown>): Promise<number> {
    if (dialectOf(db) === 'postgres') {
      const result = await sql`insert into ${sql.table(table)} (series_id, bucket_ts, "min", "max", "sum", "count")
        select series_id, b, mn, mx, sm, n from (${aggregate}) as a
        on conflict (series_id, bucket_ts) do update set "min" = excluded."min", "max" = excluded."max", "sum" = excluded."sum", "count" = excluded."count"`.execute(db);
      return Number(result.numAffectedRows ?? 0);
    }
    const { rows } = await sql<{ series_id: number; b: number; mn: number; mx: number; sm: number; n: number }>`${aggregate}`.execute(db);
    let written = 0;
    for (const part of chunks(rows, ROLLUP_WRITE_CHUNK)) {
      const result = await db
        .insertInto(table)
        .values(part.map((r) => ({ series_id: r.series_id, bucket_ts: r.b, min: r.mn, max: r.mx, sum: r.sm, count: r.n })))
        .onConflict((oc) =>
          oc.columns(['series_id', 'bucket_ts']).doUpdateSet((eb) => ({ min: eb.ref('excluded.min'), max: eb.ref('excluded.max'), sum: eb.ref('excluded.sum'), count: eb.ref('excluded.count') })),
        )
        .executeTakeFirst();
      written += Number(result.numInsertedOrUpdatedRows ?? 0);
    }
    return written;
  }

  /**
   * The earliest time stored in `table` (samples: staged ones too), or null when it is empty: the
   * smallest of each series' first key, one primary-key seek per series (a `min(ts)` over the table
   * would read all of it, the tables being clustered by series).
   */
  async earliest(db: Kysely<Database>, table: 'metric_sample' | 'metric_rollup_5m'): Promise<number | null> {
    const column = table === 'metric_sample' ? sql.ref('ts') : sql.ref('bucket_ts');
    const { rows } = await sql<{ t: unknown }>`select min((select min(${column}) from ${sql.table(table)} x where x.series_id = s.id)) as t from metric_series s`.execute(db);
    let earliest = rows[0]?.t === null || rows[0]?.t === undefined ? null : num(rows[0].t);
    if (table === 'metric_sample' && dialectOf(db) === 'sqlite') {
      const staged = await db.selectFrom('metric_sample_head').select((eb) => eb.fn.min('ts').as('t')).executeTakeFirst();
      if (staged?.t !== null && staged?.t !== undefined) {
        earliest = Math.min(earliest ?? Infinity, num(staged.t));
      }
    }
    return earliest;
  }

  /** The smallest and largest series id (null when there is no series): rollups walk ids in ranges. */
  async seriesIdBounds(db: Kysely<Database>): Promise<IdRange | null> {
    const row = await db.selectFrom('metric_series').select((eb) => [eb.fn.min('id').as('lo'), eb.fn.max('id').as('hi')]).executeTakeFirst();
    return row?.lo === null || row?.lo === undefined || row.hi === null ? null : { from: num(row.lo), to: num(row.hi) };
  }

  // ------------------------------------------------------------ retention

  /** Deletes samples (or rollup rows) older than `before` for these series: a primary-key range per series. */
  async deleteBefore(db: Kysely<Database>, table: 'metric_sample' | RollupTableName, seriesIds: readonly number[], before: number): Promise<number> {
    const column = table === 'metric_sample' ? 'ts' : 'bucket_ts';
    const result = await sql`delete from ${sql.table(table)} where series_id in (${sql.join(seriesIds)}) and ${sql.ref(column)} < ${before}`.execute(db);
    return Number(result.numAffectedRows ?? 0);
  }
}

/** One series' samples as parallel arrays, in time order. */
interface Packed {
  t: number[];
  v: number[];
}

function push(map: Map<number, Bucket[]>, key: number, bucket: Bucket): void {
  const list = map.get(key);
  if (list) {
    list.push(bucket);
  } else {
    map.set(key, [bucket]);
  }
}
