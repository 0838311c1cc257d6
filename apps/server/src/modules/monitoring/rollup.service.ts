import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { LATE_AFTER_MS } from './ingest.service.js';
import { chunks, MetricsRepository, type IdRange } from './metrics.repository.js';
import { SamplePartitions } from './partitions.js';
import { BUCKET_MS, DAY_MS } from './query-plan.js';
import type { MonitoringSettingsService } from './settings.service.js';

const M5 = BUCKET_MS['5m'];
const H1 = BUCKET_MS['1h'];
/** Raw samples are rolled up an hour (and a range of series ids) per pass: short writes, as ingestion waits for them on SQLite. */
const RAW_CHUNK_MS = H1;
const HOURLY_CHUNK_MS = 7 * DAY_MS;
/**
 * A series' last_seen is when a sample last arrived (refreshed once a minute); a sample may be stamped
 * up to 10 minutes ahead. Series idle for longer than this before a bucket are skipped when it is computed.
 */
const ACTIVE_SLACK_MS = 15 * 60_000;
/**
 * Each chunk of time is rolled up a range of series ids per pass (rollupRaw / rollupHourly: one read
 * and its writes), the range resized as it goes so a pass takes about 100 ms: on SQLite writes hold
 * the write lock, for which the sample writer (busy_timeout 10 s) and the app's transactions (5 s)
 * wait, and a pass's rows travel between threads. Halved after a pass slower than SLOW_MS, doubled
 * after one faster than FAST_MS.
 */
const INITIAL_ID_RANGE = 2_000;
const SLOW_MS = 250;
const FAST_MS = 50;

export interface RollupOptions {
  /** Series ids per pass at first (tests force tiny ranges). */
  initialIdRange?: number;
}

const floorTo = (t: number, step: number) => Math.floor(t / step) * step;

export interface RollupRun {
  from5m: number;
  to5m: number;
  rows5m: number;
  from1h: number;
  to1h: number;
  rows1h: number;
}

/**
 * Rollups (5 minutes from raw samples, 1 hour from 5-minute rollups), computed incrementally from
 * where the last run stopped, plus buckets where late samples arrived; and retention.
 */
export class RollupService {
  private readonly repo: MetricsRepository;
  private readonly partitions: SamplePartitions;
  /** Ids per pass, per level: kept between runs (the cost of an id changes slowly: samples per series). */
  private readonly idRange: Record<'5m' | '1h', number>;

  /**
   * `db`: on file SQLite a Kysely whose connection runs on a worker thread (runtime.ts,
   * offloadedSqlite), so these long passes leave the event loop free; `settings` reads through the
   * app's own connection.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: MonitoringSettingsService,
    private readonly log: FastifyBaseLogger,
    options: RollupOptions = {},
  ) {
    this.repo = new MetricsRepository(db);
    this.partitions = new SamplePartitions(db);
    const initial = Math.max(1, Math.floor(options.initialIdRange ?? INITIAL_ID_RANGE));
    this.idRange = { '5m': initial, '1h': initial };
  }

  /** PostgreSQL: creates the day partitions of raw samples ahead (and for strays within retention). */
  async ensurePartitions(now = Date.now()): Promise<string[]> {
    const retention = await this.settings.retention();
    const created = await this.partitions.ensure(now, now - retention.raw * DAY_MS);
    if (created.length) {
      this.log.info({ created }, 'metric sample partitions created');
    }
    return created;
  }

  async run(now = Date.now()): Promise<RollupRun> {
    const retention = await this.settings.retention();
    const state = await this.repo.rollupState(this.db);
    const s5 = state.get('5m')!;
    const oldestRaw = floorTo(now - retention.raw * DAY_MS, M5);
    const to5m = floorTo(now - LATE_AFTER_MS, M5);
    // Never rolled up: start at the first sample there is, not at the retention limit (weeks of empty passes).
    const start5m = s5.done_until ?? floorTo(Math.min(to5m, (await this.repo.earliest(this.db, 'metric_sample')) ?? to5m), M5);
    const from5m = Math.max(oldestRaw, Math.min(start5m, s5.dirty_from ?? Infinity));
    let rows5m = 0;
    // Series created after this read have only samples written after the run began: any of those
    // before to5m is late (ingest marks it dirty), so the next run covers it.
    let ids = await this.repo.seriesIdBounds(this.db);
    for (let a = from5m; a < to5m && ids; a += RAW_CHUNK_MS) {
      const b = Math.min(a + RAW_CHUNK_MS, to5m);
      rows5m += await this.#byIdRanges('5m', ids, (range) => this.repo.rollupRaw(this.db, a, b, a - ACTIVE_SLACK_MS, range));
    }
    const s1Before = state.get('1h')!;
    await this.db.transaction().execute(async (trx) => {
      await this.repo.finishRollup(trx, '5m', Math.max(to5m, s5.done_until ?? to5m), s5.dirty_seq);
      if (s1Before.done_until !== null && from5m < s1Before.done_until) {
        await this.repo.markDirty(trx, '1h', floorTo(from5m, H1));
      }
    });

    const s1 = (await this.repo.rollupState(this.db)).get('1h')!;
    const oldest5m = floorTo(now - retention.rollup5m * DAY_MS, H1);
    const to1h = floorTo(Math.max(to5m, s5.done_until ?? to5m), H1);
    const start1h = s1.done_until ?? floorTo(Math.min(to1h, (await this.repo.earliest(this.db, 'metric_rollup_5m')) ?? to1h), H1);
    const from1h = Math.max(oldest5m, Math.min(start1h, s1.dirty_from ?? Infinity));
    let rows1h = 0;
    ids = await this.repo.seriesIdBounds(this.db);
    for (let a = from1h; a < to1h && ids; a += HOURLY_CHUNK_MS) {
      const b = Math.min(a + HOURLY_CHUNK_MS, to1h);
      rows1h += await this.#byIdRanges('1h', ids, (range) => this.repo.rollupHourly(this.db, a, b, a - ACTIVE_SLACK_MS, range));
    }
    await this.repo.finishRollup(this.db, '1h', Math.max(to1h, s1.done_until ?? to1h), s1.dirty_seq);
    const run = { from5m, to5m, rows5m, from1h, to1h, rows1h };
    this.log.debug(run, 'metric rollups computed');
    return run;
  }

  /**
   * Runs `pass` over `bounds` in consecutive id ranges, resizing the range after each (see
   * INITIAL_ID_RANGE). Returns the rows written. No transaction around a pass: the repository reads
   * the aggregate without the write lock and commits each write on its own (a transaction begun
   * IMMEDIATE would hold the lock through the read). That is safe: each range is recomputed whole,
   * and a late sample landing meanwhile marks its bucket dirty, so the next run redoes it.
   */
  async #byIdRanges(level: '5m' | '1h', bounds: IdRange, pass: (ids: IdRange) => Promise<number>): Promise<number> {
    const whole = bounds.to - bounds.from + 1;
    let rows = 0;
    for (let from = bounds.from; from <= bounds.to; ) {
      const size = Math.min(this.idRange[level], whole);
      const range = { from, to: Math.min(from + size - 1, bounds.to) };
      const started = performance.now();
      rows += await pass(range);
      const took = performance.now() - started;
      if (took > SLOW_MS) {
        this.idRange[level] = Math.max(1, Math.floor(size / 2));
      } else if (took < FAST_MS) {
        this.idRange[level] = Math.min(size * 2, whole);
      }
      from = range.to + 1;
    }
    return rows;
  }

  /**
   * Deletes raw samples and rollups older than their retention; returns rows deleted per store. On
   * PostgreSQL raw samples of whole days go by dropping their partitions; the rows before the cutoff
   * in the day that straddles it (and strays in the default partition) are deleted as on SQLite.
   * Rollups (~20× and ~240× fewer rows) are deleted by range on both.
   */
  async purge(now = Date.now()): Promise<{ raw: number; rollup5m: number; rollup1h: number }> {
    const retention = await this.settings.retention();
    const ids = await this.repo.allSeriesIds();
    const out = { raw: 0, rollup5m: 0, rollup1h: 0 };
    const dropped = await this.partitions.dropBefore(now - retention.raw * DAY_MS);
    out.raw += dropped.rows;
    const stores = [
      ['metric_sample', 'raw', retention.raw],
      ['metric_rollup_5m', 'rollup5m', retention.rollup5m],
      ['metric_rollup_1h', 'rollup1h', retention.rollup1h],
    ] as const;
    for (const [table, key, days] of stores) {
      const cutoff = now - days * DAY_MS;
      // One short statement per group of series: each reads only its primary-key range, and writers
      // (ingestion) get the database between statements.
      for (const part of chunks(ids, 200)) {
        out[key] += await this.repo.deleteBefore(this.db, table, part, cutoff);
      }
    }
    this.log.info({ deleted: out, retention, partitionsDropped: dropped.partitions }, 'metric retention applied');
    return out;
  }
}
