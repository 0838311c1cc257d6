import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { sqliteHandleOf } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { WorkerThread } from '../../db/worker-thread.js';
import { AppError } from '../../platform/errors.js';

/**
 * One batch of samples, ready to store: sorted by (series, ts), free of duplicate keys, series already
 * committed. Typed arrays so the worker receives them without a copy (transferred).
 */
export interface SampleBatch {
  sid: Float64Array;
  ts: Float64Array;
  val: Float64Array;
  /** Series whose last_seen becomes `now`. */
  touch: Float64Array;
  now: number;
  /** Earliest 5-minute bucket holding a late sample (rollups from there are redone), or null. */
  dirtyFrom: number | null;
}

export interface SampleWriterOptions {
  /** How long the worker waits for the main connection's write lock (and the main connection for it). */
  busyTimeoutMs?: number;
  /**
   * WAL pages after which the worker's commit checkpoints. SQLite's default (1,000 pages = 4 MiB) makes
   * nearly every move of staged samples (a page or more per series) checkpoint; the hot pages (the
   * staging table's last pages and index, each series' last leaf) are rewritten again and again, so a
   * larger WAL copies each back once per checkpoint instead of once per commit (bench/ingest).
   */
  walAutocheckpoint?: number;
  /**
   * Fresh samples are staged (sample-writer.worker.mjs) and moved into metric_sample once this many are
   * staged… (bench/ingest: more per move means more samples per page written, and a larger staging
   * table for readers to search)
   */
  mergeRows?: number;
  /** …or the oldest was staged this long ago. */
  mergeMs?: number;
  /** Series whose newest time the worker keeps in memory; beyond this it forgets them after a move. */
  maxTrackedSeries?: number;
  /** Tests only: the first worker exits inside its transaction before writing this row. */
  exitAfterRows?: number;
}

/** What the worker has done since it started (answer to `merge`). */
export interface StagingStats {
  /** Moves of staged samples into metric_sample, and the samples moved. */
  merges: number;
  merged: number;
  /** Samples written straight into metric_sample (their batch held a point not newer than its series' newest). */
  direct: number;
  /** Samples staged now. */
  staged: number;
}

type Answer = { id: number; ok: true; stats?: StagingStats } | { id: number; ok: false; code: string | null; message: string };

/** A move of staged samples failed (e.g. the write lock was not free in time); they stay staged and readable. */
interface MergeFailed {
  type: 'merge-failed';
  message: string;
  staged: number;
}

const WORKER_FILE = new URL('./sample-writer.worker.mjs', import.meta.url);

/**
 * Writes sample batches on a worker thread with its own better-sqlite3 connection to the same WAL
 * file, so SQLite's page writes and checkpoints run beside the main thread's HTTP, decoding and
 * validation instead of on it. Each batch is one transaction; `write` resolves once it is committed.
 * The worker starts on first use and is held (ref) only while batches are in flight. If it dies,
 * its batches are rejected with YW_MONITORING_WRITE_FAILED (503: senders retry) and the next batch
 * starts a new worker; what it had not committed was rolled back with its connection.
 */
export class WorkerSampleWriter {
  readonly #thread: WorkerThread<Answer>;
  readonly #opts: Required<Omit<SampleWriterOptions, 'exitAfterRows'>>;

  constructor(
    readonly file: string,
    log: FastifyBaseLogger,
    options: SampleWriterOptions = {},
  ) {
    this.#opts = { busyTimeoutMs: 10_000, walAutocheckpoint: 16_000, mergeRows: 200_000, mergeMs: 2_000, maxTrackedSeries: 1_000_000, ...options };
    let fault = options.exitAfterRows;
    this.#thread = new WorkerThread<Answer>({
      file: WORKER_FILE,
      workerData: () => {
        const data = { file: this.file, ...this.#opts, exitAfterRows: fault };
        fault = undefined; // the first worker only
        return data;
      },
      lost: (reason, batches) => {
        log.error({ reason, batches }, 'sample writer lost; batches not committed, writers told to retry');
        return new AppError('YW_MONITORING_WRITE_FAILED', { reason });
      },
      onNotice: (notice) => {
        const failed = notice as MergeFailed;
        log.warn({ reason: failed.message, staged: failed.staged }, 'staged samples not moved yet; will retry');
      },
    });
  }

  /** Stores the batch in one transaction; resolves once committed. The batch's arrays are transferred (unusable afterwards). */
  async write(batch: SampleBatch): Promise<void> {
    await this.#request({ type: 'write', ...batch }, [batch.sid.buffer, batch.ts.buffer, batch.val.buffer, batch.touch.buffer] as ArrayBuffer[]);
  }

  /** Moves the staged samples into metric_sample now (after the batches sent before); resolves with the worker's counts. */
  async merge(): Promise<StagingStats> {
    return (await this.#request({ type: 'merge' }))!;
  }

  /** Stops the worker once the batches it holds are answered and its staged samples moved (callers wait for their writes first). */
  close(): Promise<void> {
    return this.#thread.close();
  }

  get walAutocheckpoint(): number {
    return this.#opts.walAutocheckpoint;
  }

  async #request(message: object, transfer: ArrayBuffer[] = []): Promise<StagingStats | undefined> {
    const answer = await this.#thread.request(message, transfer);
    if (!answer.ok) {
      throw new AppError('YW_MONITORING_WRITE_FAILED', { reason: `${answer.code ?? 'error'}: ${answer.message}` });
    }
    return answer.stats;
  }
}

/** The worker writer for a file SQLite database; null for `:memory:` (one connection only) and PostgreSQL. */
export function workerSampleWriterFor(db: Kysely<Database>, log: FastifyBaseLogger, options?: SampleWriterOptions): WorkerSampleWriter | null {
  const handle = sqliteHandleOf(db);
  if (!handle || handle.memory) {
    return null;
  }
  const writer = new WorkerSampleWriter(path.resolve(handle.name), log, options);
  // The worker's commits checkpoint the WAL; the app connection only as a fallback (a checkpoint of a
  // large WAL would stall the event loop): its threshold is twice the worker's.
  handle.pragma(`wal_autocheckpoint = ${writer.walAutocheckpoint * 2}`);
  return writer;
}
