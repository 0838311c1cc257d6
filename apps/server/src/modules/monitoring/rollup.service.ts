import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { LATE_AFTER_MS } from './ingest.service.js';
import { chunks, MetricsRepository } from './metrics.repository.js';
import { SamplePartitions } from './partitions.js';
import { BUCKET_MS, DAY_MS } from './query-plan.js';
import type { MonitoringSettingsService } from './settings.service.js';

const M5 = BUCKET_MS['5m'];
const H1 = BUCKET_MS['1h'];
/** Raw samples are rolled up an hour per statement (short write transactions: ingestion waits for them on SQLite). */
const RAW_CHUNK_MS = H1;
const HOURLY_CHUNK_MS = 7 * DAY_MS;
/**
 * A series' last_seen is when a sample last arrived (refreshed once a minute); a sample may be stamped
 * up to 10 minutes ahead. Series idle for longer than this before a bucket are skipped when it is computed.
 */
const ACTIVE_SLACK_MS = 15 * 60_000;

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

  constructor(
    private readonly db: Kysely<Database>,
    private readonly settings: MonitoringSettingsService,
    private readonly log: FastifyBaseLogger,
  ) {
    this.repo = new MetricsRepository(db);
    this.partitions = new SamplePartitions(db);
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
    const from5m = Math.max(oldestRaw, Math.min(s5.done_until ?? oldestRaw, s5.dirty_from ?? Infinity));
    let rows5m = 0;
    for (let a = from5m; a < to5m; a += RAW_CHUNK_MS) {
      const b = Math.min(a + RAW_CHUNK_MS, to5m);
      rows5m += await this.db.transaction().execute((trx) => this.repo.rollupRaw(trx, a, b, a - ACTIVE_SLACK_MS));
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
    const from1h = Math.max(oldest5m, Math.min(s1.done_until ?? oldest5m, s1.dirty_from ?? Infinity));
    let rows1h = 0;
    for (let a = from1h; a < to1h; a += HOURLY_CHUNK_MS) {
      const b = Math.min(a + HOURLY_CHUNK_MS, to1h);
      rows1h += await this.db.transaction().execute((trx) => this.repo.rollupHourly(trx, a, b, a - ACTIVE_SLACK_MS));
    }
    await this.repo.finishRollup(this.db, '1h', Math.max(to1h, s1.done_until ?? to1h), s1.dirty_seq);
    const run = { from5m, to5m, rows5m, from1h, to1h, rows1h };
    this.log.debug(run, 'metric rollups computed');
    return run;
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
