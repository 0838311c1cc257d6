import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { ciIdFor, type CompiledCiRule } from './ci-mapping.js';
import { MetricsRepository } from './metrics.repository.js';
import { workerSampleWriterFor, type SampleBatch, type SampleWriterOptions, type StagingStats, type WorkerSampleWriter } from './sample-writer.js';
import { seriesHash, type PreparedSample, type SeriesRef } from './series.js';
import { sortOrder } from './sort-order.mjs';

export interface IngestOptions {
  /** A batch is written at the latest this long after its first sample arrived. */
  flushMs?: number;
  /** …or as soon as this many samples wait. */
  maxBatch?: number;
  /** The most samples written in one transaction. */
  maxFlush?: number;
  /** Beyond this many waiting samples, writers are told to retry later (503). */
  maxPending?: number;
  /** Series ids kept in memory (hash → id); the cache is dropped when it grows past this. */
  maxCachedSeries?: number;
  /**
   * File SQLite: write samples on a worker thread (sample-writer.ts), default on; false keeps them on
   * the main connection. `:memory:` and PostgreSQL always use the main connection.
   */
  worker?: boolean | SampleWriterOptions;
}

export interface IngestStats {
  samples: number;
  flushes: number;
  seriesCreated: number;
  pending: number;
  cachedSeries: number;
  /** Where samples are written: a worker thread's connection (file SQLite) or the app's connection. */
  writer: 'worker' | 'connection';
}

interface Entry {
  samples: readonly PreparedSample[];
  at: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** A batch ready to store, and the series it touches (kept here: the batch's arrays go to the worker). */
interface Prepared {
  batch: SampleBatch;
  touched: number[];
}

/** Told about samples once they are committed (e.g. the live WebSocket); must not throw or block. */
export type CommitListener = (samples: readonly PreparedSample[]) => void;

/** last_seen is refreshed at most this often per series (a write per series per flush would cost more than the samples). */
const TOUCH_EVERY_MS = 60_000;
/** Samples older than this when written may land in buckets the rollup job has already computed. */
export const LATE_AFTER_MS = 2 * 60_000;
const FIVE_MINUTES = 300_000;

/**
 * The one writer of samples. Callers hand it validated samples and wait until they are committed;
 * samples of all callers are written together, one transaction per batch (every `flushMs`, or at
 * once when `maxBatch` samples wait). Series are resolved through an in-memory cache (key → id) and
 * created on first sight, with their CI from the mapping rules. A later write of the same (series, ts)
 * replaces the value. Configuration is audited elsewhere; samples are not (they are data, not actions).
 *
 * On file SQLite the samples go to a worker thread with its own connection (WorkerSampleWriter): this
 * thread keeps HTTP, decoding, validation, the series cache and series creation (committed in a short
 * transaction of its own first), and prepares the next batch while the worker commits the previous
 * one. Writers are answered and `onCommitted` listeners told only after the worker's COMMIT, in batch
 * order, as on the single-connection path (`:memory:`, PostgreSQL), where series and samples share
 * one transaction.
 */
export class IngestService {
  readonly #repo: MetricsRepository;
  readonly #cache = new Map<string, number>();
  /** Series id → the last_seen value written for it. */
  readonly #touched = new Map<number, number>();
  readonly #opts: Required<Omit<IngestOptions, 'worker'>>;
  /** Null: samples are written through Kysely, in the batch's transaction with its new series. */
  readonly #writer: WorkerSampleWriter | null;
  #entries: Entry[] = [];
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  /** A batch is being prepared (series, sort): one at a time. */
  #preparing = false;
  /** Batches taken and not yet committed (or failed). */
  #inFlight = 0;
  readonly #maxInFlight: number;
  /** flush() calls waiting for the next batch to settle. */
  #onSettled: (() => void)[] = [];
  #closed = false;
  readonly #stats = { samples: 0, flushes: 0, seriesCreated: 0 };
  readonly #listeners = new Set<CommitListener>();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly rules: () => readonly CompiledCiRule[],
    options: IngestOptions = {},
  ) {
    this.#repo = new MetricsRepository(db);
    // maxBatch is small on purpose: senders that wait for each answer (Prometheus' shards, agents) never have
    // many samples in flight, and would otherwise wait flushMs per batch while the writer idles (bench/ingest).
    const { worker = true, ...rest } = options;
    this.#writer = worker === false ? null : workerSampleWriterFor(db, log, worker === true ? {} : worker);
    // Worker path: the next batch is prepared while the worker commits the previous one; it commits in order.
    this.#maxInFlight = this.#writer ? 2 : 1;
    // The worker's transactions stay short (maxFlush 20,000): main-connection writers wait for its write lock.
    this.#opts = { flushMs: 250, maxBatch: 2_000, maxFlush: this.#writer ? 20_000 : 100_000, maxPending: 500_000, maxCachedSeries: 1_000_000, ...rest };
  }

  get stats(): IngestStats {
    return { ...this.#stats, pending: this.#pending, cachedSeries: this.#cache.size, writer: this.#writer ? 'worker' : 'connection' };
  }

  /** Calls `listener` with each writer's samples after their batch is committed; returns an unsubscribe function. */
  onCommitted(listener: CommitListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #notify(batch: readonly Entry[]): void {
    for (const listener of this.#listeners) {
      for (const e of batch) {
        try {
          listener(e.samples);
        } catch (error) {
          this.log.error({ err: error }, 'commit listener failed');
        }
      }
    }
  }

  /**
   * The series of these samples that are not stored yet: not in the cache, nor (then asked) in the
   * database; the stored ones found are cached, so the batch need not look them up again. For the
   * new-series budget (ingest-guard.ts); samples of known series cost a map lookup each.
   */
  async newSeries(samples: readonly PreparedSample[]): Promise<SeriesRef[]> {
    let unknown: Map<string, SeriesRef> | null = null;
    for (const s of samples) {
      if (!this.#cache.has(s.series.key)) {
        (unknown ??= new Map()).set(s.series.key, s.series);
      }
    }
    if (!unknown) {
      return [];
    }
    const byHash = new Map([...unknown.values()].map((r) => [seriesHash(r), r]));
    const found = new Map<string, number>();
    for (const { id, hash } of await this.#repo.seriesByHash(this.db, [...byHash.keys()])) {
      const ref = byHash.get(hash)!;
      found.set(ref.key, id);
      unknown.delete(ref.key);
    }
    // Cached only while that needs no clearing: clearing here could pull ids from under a batch being
    // written (#write reads the cache before and after its own awaits).
    if (this.#cache.size + found.size <= this.#opts.maxCachedSeries) {
      this.#remember(found);
    }
    return [...unknown.values()];
  }

  /** Queues samples; resolves when they are committed, rejects if their batch failed. */
  write(samples: readonly PreparedSample[]): Promise<void> {
    if (this.#closed) {
      return Promise.reject(new AppError('YW_MONITORING_BUSY', { reason: 'closing' }));
    }
    if (samples.length === 0) {
      return Promise.resolve();
    }
    if (samples.length > this.#opts.maxPending) {
      // Never accepted, however long the caller waits: a 4xx, not "retry later".
      return Promise.reject(new AppError('YW_BODY_TOO_LARGE', { samples: samples.length, max: this.#opts.maxPending }));
    }
    if (this.#pending + samples.length > this.#opts.maxPending) {
      return Promise.reject(new AppError('YW_MONITORING_BUSY', { pending: this.#pending }));
    }
    return new Promise<void>((resolve, reject) => {
      this.#entries.push({ samples, at: Date.now(), resolve, reject });
      this.#pending += samples.length;
      this.#schedule();
    });
  }

  /** Writes everything queued so far. */
  async flush(): Promise<void> {
    while (this.#pending > 0 || this.#inFlight > 0) {
      const settled = new Promise<void>((resolve) => this.#onSettled.push(resolve));
      this.#schedule(true);
      await settled;
    }
  }

  /**
   * Writes everything queued, then (file SQLite) moves the staged fresh samples into metric_sample at
   * once instead of within the worker's `mergeMs`. Readers see staged samples either way; this is for
   * code that reads metric_sample alone (tests, benches) and returns the worker's counts (null: no worker).
   */
  async mergeStaged(): Promise<StagingStats | null> {
    await this.flush();
    return this.#writer ? this.#writer.merge() : null;
  }

  /** Flushes and refuses further writes (the app is stopping). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
    await this.#writer?.close();
  }

  /**
   * Starts a batch when one is due: `maxBatch` samples wait, the oldest waited `flushMs`, or `all`
   * (flush). One batch is prepared at a time; on the worker path the next is prepared while the worker
   * commits (up to two in flight, committed in order), else one batch at a time. Called again whenever a
   * batch is handed over or settles.
   */
  #schedule(all = false): void {
    if (this.#preparing || this.#inFlight >= this.#maxInFlight || this.#pending === 0) {
      return;
    }
    const oldest = this.#entries[0]?.at ?? Date.now();
    if (all || this.#pending >= this.#opts.maxBatch || Date.now() - oldest >= this.#opts.flushMs) {
      this.#startBatch();
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, Math.max(0, oldest + this.#opts.flushMs - Date.now()));
    }
  }

  #startBatch(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const batch: Entry[] = [];
    let n = 0;
    while (this.#entries.length && (n === 0 || n + this.#entries[0]!.samples.length <= this.#opts.maxFlush)) {
      const e = this.#entries.shift()!;
      batch.push(e);
      n += e.samples.length;
    }
    this.#pending -= n;
    this.#preparing = true;
    this.#inFlight++;
    let handedOver!: () => void;
    const handed = new Promise<void>((resolve) => (handedOver = resolve));
    const committed = this.#write(batch, n, handedOver).then(
      () => {
        this.#stats.samples += n;
        this.#stats.flushes++;
        this.#notify(batch);
        for (const e of batch) {
          e.resolve();
        }
      },
      (error: unknown) => {
        this.log.error({ err: error, samples: n }, 'metric batch not written');
        for (const e of batch) {
          e.reject(error);
        }
      },
    );
    void committed.then(() => {
      this.#inFlight--;
      this.#settled();
    });
    void Promise.race([committed, handed]).then(() => {
      this.#preparing = false;
      this.#schedule(this.#onSettled.length > 0);
    });
  }

  /** A batch settled: flushes waiting re-check, and the next batch may start. */
  #settled(): void {
    const waiting = this.#onSettled;
    this.#onSettled = [];
    for (const resolve of waiting) {
      resolve();
    }
    this.#schedule(waiting.length > 0);
  }

  /** Writes a batch; resolves once it is committed. On the worker path `handedOver` is called once the worker has it. */
  async #write(batch: readonly Entry[], n: number, handedOver: () => void): Promise<void> {
    const now = Date.now();
    const unknown = new Map<string, SeriesRef>();
    for (const e of batch) {
      for (const s of e.samples) {
        if (!this.#cache.has(s.series.key)) {
          unknown.set(s.series.key, s.series);
        }
      }
    }
    if (this.#writer) {
      // Series first, in a transaction of their own: the worker must never see a sample of an
      // uncommitted series. They are committed, so cached at once (the next batch may use them).
      const resolved = unknown.size ? await this.db.transaction().execute((trx) => this.#resolve(trx, [...unknown.values()], now)) : new Map<string, number>();
      this.#remember(resolved);
      const prepared = this.#prepare(batch, n, now, resolved);
      const committed = this.#writer.write(prepared.batch);
      handedOver();
      await committed;
      this.#touchedAt(prepared.touched, now);
      return;
    }
    let resolved = new Map<string, number>();
    const prepared = await this.db.transaction().execute(async (trx) => {
      resolved = unknown.size ? await this.#resolve(trx, [...unknown.values()], now) : resolved;
      const p = this.#prepare(batch, n, now, resolved);
      const b = p.batch;
      await this.#repo.upsertSamples(trx, Array.from(b.sid), Array.from(b.ts), Array.from(b.val));
      if (b.touch.length) {
        await this.#repo.touchSeries(trx, Array.from(b.touch), now);
      }
      if (b.dirtyFrom !== null) {
        await this.#repo.markDirty(trx, '5m', b.dirtyFrom);
      }
      return p;
    });
    this.#remember(resolved);
    this.#touchedAt(prepared.touched, now);
  }

  /** Caches the ids of committed series. */
  #remember(resolved: ReadonlyMap<string, number>): void {
    if (this.#cache.size + resolved.size > this.#opts.maxCachedSeries) {
      this.#cache.clear();
      this.#touched.clear();
    }
    for (const [key, id] of resolved) {
      this.#cache.set(key, id);
    }
  }

  #touchedAt(ids: readonly number[], now: number): void {
    for (const id of ids) {
      this.#touched.set(id, now);
    }
  }

  /**
   * The batch as typed arrays, sorted by (series, ts) for locality in the primary-key b-tree; of equal
   * keys the last write wins (the batch holds no duplicate key). Series whose last_seen is older than
   * TOUCH_EVERY_MS are listed to be touched.
   */
  #prepare(batch: readonly Entry[], n: number, now: number, resolved: ReadonlyMap<string, number>): Prepared {
    const sid = new Float64Array(n);
    const ts = new Float64Array(n);
    const val = new Float64Array(n);
    let i = 0;
    for (const e of batch) {
      for (const s of e.samples) {
        sid[i] = this.#cache.get(s.series.key) ?? resolved.get(s.series.key)!;
        ts[i] = s.ts;
        val[i] = s.value;
        i++;
      }
    }
    const order = sortOrder(sid, ts);
    const outSid = new Float64Array(n);
    const outTs = new Float64Array(n);
    const outVal = new Float64Array(n);
    const touch: number[] = [];
    let m = 0;
    let minTs = Infinity;
    for (let k = 0; k < n; k++) {
      const at = order[k]!;
      const next = order[k + 1];
      if (next !== undefined && sid[next] === sid[at] && ts[next] === ts[at]) {
        continue; // a later write of the same point follows
      }
      const id = sid[at]!;
      outSid[m] = id;
      outTs[m] = ts[at]!;
      outVal[m] = val[at]!;
      m++;
      if (ts[at]! < minTs) {
        minTs = ts[at]!;
      }
      if ((this.#touched.get(id) ?? 0) < now - TOUCH_EVERY_MS && (touch.length === 0 || touch[touch.length - 1] !== id)) {
        touch.push(id);
      }
    }
    return {
      batch: {
        sid: outSid.subarray(0, m),
        ts: outTs.subarray(0, m),
        val: outVal.subarray(0, m),
        touch: Float64Array.from(touch),
        now,
        dirtyFrom: minTs < now - LATE_AFTER_MS ? Math.floor(minTs / FIVE_MINUTES) * FIVE_MINUTES : null,
      },
      touched: touch,
    };
  }

  /** Ids of these series, creating those that do not exist (inside the batch's transaction). */
  async #resolve(trx: Kysely<Database>, refs: SeriesRef[], now: number): Promise<Map<string, number>> {
    const byHash = new Map(refs.map((r) => [seriesHash(r), r]));
    const ids = new Map<string, number>();
    for (const { id, hash } of await this.#repo.seriesByHash(trx, [...byHash.keys()])) {
      ids.set(byHash.get(hash)!.key, id);
    }
    // In hash order: concurrent writers (other nodes) then insert overlapping series in the same order.
    const missing = [...byHash].filter(([, r]) => !ids.has(r.key)).sort(([a], [b]) => (a < b ? -1 : 1));
    if (missing.length) {
      const rules = this.rules();
      await this.#repo.insertSeries(
        trx,
        missing.map(([hash, r]) => ({ metric: r.metric, labels: r.labelsJson, hash, ci_id: ciIdFor(rules, r.metric, r.labels), created_at: now, last_seen: now })),
      );
      for (const { id, hash } of await this.#repo.seriesByHash(
        trx,
        missing.map(([hash]) => hash),
      )) {
        ids.set(byHash.get(hash)!.key, id);
        this.#touched.set(id, now);
      }
      this.#stats.seriesCreated += missing.length;
    }
    return ids;
  }
}
