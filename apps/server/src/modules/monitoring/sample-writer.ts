import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { sqliteHandleOf } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
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
   * nearly every batch of a large ingest checkpoint; a series' last page is rewritten by every batch, so
   * a larger WAL copies each hot page back once per checkpoint instead of once per batch (bench/ingest).
   */
  walAutocheckpoint?: number;
  /** Tests only: the first worker exits inside its transaction before writing this row. */
  exitAfterRows?: number;
}

interface InFlight {
  resolve: () => void;
  reject: (error: unknown) => void;
}

type Answer = { id: number; ok: true } | { id: number; ok: false; code: string | null; message: string };

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
  #worker: Worker | null = null;
  readonly #inFlight = new Map<number, InFlight>();
  #seq = 0;
  #fault: number | undefined;
  readonly #opts: Required<Omit<SampleWriterOptions, 'exitAfterRows'>>;

  constructor(
    readonly file: string,
    private readonly log: FastifyBaseLogger,
    options: SampleWriterOptions = {},
  ) {
    this.#opts = { busyTimeoutMs: 10_000, walAutocheckpoint: 16_000, ...options };
    this.#fault = options.exitAfterRows;
  }

  /** Stores the batch in one transaction; resolves once committed. The batch's arrays are transferred (unusable afterwards). */
  write(batch: SampleBatch): Promise<void> {
    const worker = this.#worker ?? this.#start();
    const id = ++this.#seq;
    return new Promise<void>((resolve, reject) => {
      this.#inFlight.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ type: 'write', id, ...batch }, [batch.sid.buffer, batch.ts.buffer, batch.val.buffer, batch.touch.buffer] as ArrayBuffer[]);
    });
  }

  /** Stops the worker once the batches it holds are answered (callers wait for their writes first). */
  async close(): Promise<void> {
    const worker = this.#worker;
    if (!worker) {
      return;
    }
    this.#worker = null;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    worker.postMessage({ type: 'close' });
    await exited;
  }

  get walAutocheckpoint(): number {
    return this.#opts.walAutocheckpoint;
  }

  #start(): Worker {
    const worker = new Worker(WORKER_FILE, { workerData: { file: this.file, ...this.#opts, exitAfterRows: this.#fault } });
    this.#fault = undefined;
    this.#worker = worker;
    worker.unref();
    worker.on('message', (answer: Answer) => {
      const waiting = this.#inFlight.get(answer.id);
      this.#inFlight.delete(answer.id);
      if (this.#inFlight.size === 0) {
        worker.unref();
      }
      if (answer.ok) {
        waiting?.resolve();
      } else {
        waiting?.reject(new AppError('YW_MONITORING_WRITE_FAILED', { reason: `${answer.code ?? 'error'}: ${answer.message}` }));
      }
    });
    worker.on('error', (error) => this.#lost(worker, `worker error: ${error.message}`));
    worker.on('exit', (code) => this.#lost(worker, `worker exited (code ${code})`));
    return worker;
  }

  /** The worker is gone: what it held was not committed (no answer came), so its writers are told to retry. */
  #lost(worker: Worker, reason: string): void {
    if (this.#worker === worker) {
      this.#worker = null;
    }
    if (this.#inFlight.size === 0) {
      return;
    }
    this.log.error({ reason, batches: this.#inFlight.size }, 'sample writer lost; batches not committed, writers told to retry');
    const error = new AppError('YW_MONITORING_WRITE_FAILED', { reason });
    for (const waiting of this.#inFlight.values()) {
      waiting.reject(error);
    }
    this.#inFlight.clear();
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
