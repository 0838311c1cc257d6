import { sql, type Kysely } from 'kysely';
import { dialectOf, lockChain } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { DAY_MS } from './query-plan.js';

/**
 * PostgreSQL time partitioning of `metric_sample` (SQLite keeps its one WITHOUT ROWID table). One
 * range partition per UTC day, `metric_sample_pYYYYMMDD` = [day, next day), created ahead by a job;
 * a default partition catches samples of days without one (far past, far future) so no write ever
 * fails, and the job moves them into their own day's partition once that day enters the window.
 * Raw retention drops whole days (no DELETE: no WAL per row, no dead rows to vacuum).
 * The primary key (series_id, ts) carries `include (value)`: a range read of one series is an
 * index-only scan, never touching the heap (where one series' samples are scattered among all others').
 */
export const PARTITION_MS = DAY_MS;
/** Days of partitions kept ready after today. */
export const AHEAD_DAYS = 7;
export const DEFAULT_PARTITION = 'metric_sample_default';
/** Serialises partition changes of several app nodes (pg_advisory_xact_lock). */
const PARTITION_LOCK_KEY = 7_202_705;

export interface SamplePartition {
  name: string;
  /** Half-open [from, to) on ts. */
  from: number;
  to: number;
}

export const dayOf = (t: number) => Math.floor(t / PARTITION_MS) * PARTITION_MS;

export function partitionName(day: number): string {
  return `metric_sample_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** The partitioned `metric_sample` and its default partition (PostgreSQL). */
export async function createPartitionedSampleTable(db: Kysely<any>): Promise<void> {
  await sql`create table metric_sample (
      series_id bigint not null,
      ts bigint not null,
      value double precision not null,
      constraint metric_sample_pk primary key (series_id, ts) include (value)
    ) partition by range (ts)`.execute(db);
  await sql`create table ${sql.table(DEFAULT_PARTITION)} partition of metric_sample default`.execute(db);
}

/** True on PostgreSQL once `metric_sample` is the partitioned table (migration 2026-11-27-0500). */
export async function isPartitioned(db: Kysely<any>): Promise<boolean> {
  if (dialectOf(db) !== 'postgres') {
    return false;
  }
  const { rows } = await sql<{ kind: string }>`select relkind as kind from pg_class where oid = to_regclass('metric_sample')`.execute(db);
  return rows[0]?.kind === 'p';
}

/** The day partitions (not the default one), oldest first. */
export async function listPartitions(db: Kysely<any>): Promise<SamplePartition[]> {
  const { rows } = await sql<{ name: string; bound: string }>`
    select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound
    from pg_inherits i inner join pg_class c on c.oid = i.inhrelid
    where i.inhparent = 'metric_sample'::regclass`.execute(db);
  const out: SamplePartition[] = [];
  for (const r of rows) {
    // e.g. FOR VALUES FROM ('1764201600000') TO ('1764288000000'); the default one says DEFAULT.
    const m = /FROM \('?(-?\d+)'?\) TO \('?(-?\d+)'?\)/.exec(r.bound);
    if (m) {
      out.push({ name: r.name, from: Number(m[1]), to: Number(m[2]) });
    }
  }
  return out.sort((a, b) => a.from - b.from);
}

/**
 * Creates the partition of `day` inside the caller's transaction. Rows of that day waiting in the
 * default partition are moved into it (PostgreSQL refuses a new partition whose range the default
 * partition holds rows of): the default partition is detached meanwhile, so the move is atomic.
 */
export async function createDayPartition(trx: Kysely<any>, day: number): Promise<string> {
  const name = partitionName(day);
  const from = day;
  const to = day + PARTITION_MS;
  const create = sql`create table ${sql.table(name)} partition of metric_sample for values from (${sql.lit(from)}) to (${sql.lit(to)})`;
  const strays = await sql`select 1 from ${sql.table(DEFAULT_PARTITION)} where ts >= ${from} and ts < ${to} limit 1`.execute(trx);
  if (strays.rows.length === 0) {
    await create.execute(trx);
    return name;
  }
  await sql`alter table metric_sample detach partition ${sql.table(DEFAULT_PARTITION)}`.execute(trx);
  await create.execute(trx);
  await sql`insert into metric_sample (series_id, ts, value) select series_id, ts, value from ${sql.table(DEFAULT_PARTITION)} where ts >= ${from} and ts < ${to}`.execute(trx);
  await sql`delete from ${sql.table(DEFAULT_PARTITION)} where ts >= ${from} and ts < ${to}`.execute(trx);
  await sql`alter table metric_sample attach partition ${sql.table(DEFAULT_PARTITION)} default`.execute(trx);
  return name;
}

/** The days from `from` (inclusive) to `to` (exclusive), as day starts. */
export function daysBetween(from: number, to: number): number[] {
  const out: number[] = [];
  for (let d = dayOf(from); d < to; d += PARTITION_MS) {
    out.push(d);
  }
  return out;
}

/** Keeps the day partitions of `metric_sample` ahead of time and drops those past retention. No-op on SQLite. */
export class SamplePartitions {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Creates the missing partitions of yesterday … today + AHEAD_DAYS, and of every day since
   * `keepFrom` (raw retention's start) whose samples wait in the default partition. Returns the names created.
   */
  async ensure(now: number, keepFrom: number): Promise<string[]> {
    if (!(await isPartitioned(this.db))) {
      return [];
    }
    const horizon = dayOf(now) + (AHEAD_DAYS + 1) * PARTITION_MS;
    return this.db.transaction().execute(async (trx) => {
      await lockChain(trx, PARTITION_LOCK_KEY);
      const have = new Set((await listPartitions(trx)).map((p) => p.from));
      const days = new Set(daysBetween(now - PARTITION_MS, horizon));
      const start = dayOf(keepFrom);
      const { rows } = await sql<{ day: unknown }>`
        select distinct ts - ts % ${PARTITION_MS} as day from ${sql.table(DEFAULT_PARTITION)}
        where ts >= ${Math.max(start, 0)} and ts < ${horizon}`.execute(trx);
      rows.forEach((r) => days.add(Number(r.day)));
      const created: string[] = [];
      for (const day of [...days].sort((a, b) => a - b)) {
        if (!have.has(day)) {
          created.push(await createDayPartition(trx, day));
        }
      }
      return created;
    });
  }

  /**
   * Drops the partitions wholly before `cutoff`. Their rows are counted first, outside the lock (a
   * read: no WAL, no dead rows), for the retention log; each drop is its own short transaction, as
   * dropping a partition briefly locks the whole table.
   */
  async dropBefore(cutoff: number): Promise<{ partitions: string[]; rows: number }> {
    const out = { partitions: [] as string[], rows: 0 };
    if (!(await isPartitioned(this.db))) {
      return out;
    }
    for (const p of await listPartitions(this.db)) {
      if (p.to > cutoff) {
        break;
      }
      const { rows } = await sql<{ n: unknown }>`select count(*) as n from ${sql.table(p.name)}`.execute(this.db);
      await this.db.transaction().execute(async (trx) => {
        await lockChain(trx, PARTITION_LOCK_KEY);
        await sql`drop table if exists ${sql.table(p.name)}`.execute(trx);
      });
      out.partitions.push(p.name);
      out.rows += Number(rows[0]?.n ?? 0);
    }
    return out;
  }
}
