import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { AppError } from '../../platform/errors.js';
import { ciIdFor, type CompiledCiRule } from './ci-mapping.js';
import { MetricsRepository } from './metrics.repository.js';
import { seriesHash, type PreparedSample, type SeriesRef } from './series.js';

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
}

export interface IngestStats {
  samples: number;
  flushes: number;
  seriesCreated: number;
  pending: number;
  cachedSeries: number;
}

interface Entry {
  samples: readonly PreparedSample[];
  at: number;
  resolve: () => void;
  reject: (error: unknown) => void;
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
 */
export class IngestService {
  readonly #repo: MetricsRepository;
  readonly #cache = new Map<string, number>();
  /** Series id → the last_seen value written for it. */
  readonly #touched = new Map<number, number>();
  readonly #opts: Required<IngestOptions>;
  #entries: Entry[] = [];
  #pending = 0;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;
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
    this.#opts = { flushMs: 250, maxBatch: 2_000, maxFlush: 100_000, maxPending: 500_000, maxCachedSeries: 1_000_000, ...options };
  }

  get stats(): IngestStats {
    return { ...this.#stats, pending: this.#pending, cachedSeries: this.#cache.size };
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
    while (this.#pending > 0 || this.#running) {
      if (!this.#running) {
        this.#start(true);
      }
      await this.#running;
    }
  }

  /** Flushes and refuses further writes (the app is stopping). */
  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.flush();
  }

  #schedule(): void {
    if (this.#running) {
      return; // the running drain looks at the queue when its batch is done
    }
    const oldest = this.#entries[0]?.at ?? Date.now();
    if (this.#pending >= this.#opts.maxBatch || Date.now() - oldest >= this.#opts.flushMs) {
      this.#start(false);
    } else if (!this.#timer) {
      this.#timer = setTimeout(() => {
        this.#timer = undefined;
        this.#schedule();
      }, Math.max(0, oldest + this.#opts.flushMs - Date.now()));
    }
  }

  #start(all: boolean): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#running = this.#drain(all).finally(() => {
      this.#running = null;
      if (this.#pending > 0) {
        this.#schedule();
      }
    });
  }

  async #drain(all: boolean): Promise<void> {
    do {
      const batch: Entry[] = [];
      let n = 0;
      while (this.#entries.length && (n === 0 || n + this.#entries[0]!.samples.length <= this.#opts.maxFlush)) {
        const e = this.#entries.shift()!;
        batch.push(e);
        n += e.samples.length;
      }
      this.#pending -= n;
      try {
        await this.#write(batch, n);
        this.#notify(batch);
        for (const e of batch) {
          e.resolve();
        }
      } catch (error) {
        this.log.error({ err: error, samples: n }, 'metric batch not written');
        for (const e of batch) {
          e.reject(error);
        }
      }
    } while (this.#pending > 0 && (all || this.#pending >= this.#opts.maxBatch));
  }

  async #write(batch: readonly Entry[], n: number): Promise<void> {
    const now = Date.now();
    const unknown = new Map<string, SeriesRef>();
    for (const e of batch) {
      for (const s of e.samples) {
        if (!this.#cache.has(s.series.key)) {
          unknown.set(s.series.key, s.series);
        }
      }
    }
    let resolved = new Map<string, number>();
    const touch: number[] = [];
    await this.db.transaction().execute(async (trx) => {
      resolved = unknown.size ? await this.#resolve(trx, [...unknown.values()], now) : resolved;

      // Sort by (series, ts) for locality in the primary-key b-tree; of equal keys the last write wins.
      const sid = new Float64Array(n);
      const ts = new Float64Array(n);
      const val = new Float64Array(n);
      let i = 0;
      let minTs = Infinity;
      for (const e of batch) {
        for (const s of e.samples) {
          sid[i] = this.#cache.get(s.series.key) ?? resolved.get(s.series.key)!;
          ts[i] = s.ts;
          val[i] = s.value;
          if (s.ts < minTs) {
            minTs = s.ts;
          }
          i++;
        }
      }
      const order = Array.from({ length: n }, (_, k) => k);
      order.sort((a, b) => sid[a]! - sid[b]! || ts[a]! - ts[b]! || a - b);
      const outSid: number[] = [];
      const outTs: number[] = [];
      const outVal: number[] = [];
      for (let k = 0; k < n; k++) {
        const at = order[k]!;
        const next = order[k + 1];
        if (next !== undefined && sid[next] === sid[at] && ts[next] === ts[at]) {
          continue; // a later write of the same point follows
        }
        outSid.push(sid[at]!);
        outTs.push(ts[at]!);
        outVal.push(val[at]!);
        if ((this.#touched.get(sid[at]!) ?? 0) < now - TOUCH_EVERY_MS && (touch.length === 0 || touch[touch.length - 1] !== sid[at])) {
          touch.push(sid[at]!);
        }
      }
      await this.#repo.upsertSamples(trx, outSid, outTs, outVal);
      if (touch.length) {
        await this.#repo.touchSeries(trx, touch, now);
      }
      if (minTs < now - LATE_AFTER_MS) {
        await this.#repo.markDirty(trx, '5m', Math.floor(minTs / FIVE_MINUTES) * FIVE_MINUTES);
      }
    });
    if (this.#cache.size + resolved.size > this.#opts.maxCachedSeries) {
      this.#cache.clear();
      this.#touched.clear();
    }
    for (const [key, id] of resolved) {
      this.#cache.set(key, id);
    }
    for (const id of touch) {
      this.#touched.set(id, now);
    }
    this.#stats.samples += n;
    this.#stats.flushes++;
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
