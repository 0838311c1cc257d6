import type { FastifyReply, FastifyRequest } from 'fastify';
import { AppError } from '../errors.js';

/**
 * A small concurrency limiter for file imports. Reading a workbook costs memory (ExcelJS holds the
 * whole sheet, up to about 0.5 GB for the largest accepted one), so a burst of uploads runs a few at a
 * time and the rest wait their turn; when even the waiting line is full the upload is refused with
 * 503 YW_UPLOAD_BUSY and `Retry-After`, having done nothing, so the client may simply send it again.
 */
export class ImportQueue {
  #running = 0;
  #peak = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
    readonly retryAfterSeconds = 5,
  ) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** True when one more import would be refused. */
  get full(): boolean {
    return this.#running >= this.concurrency && this.#waiting.length >= this.maxWaiting;
  }

  /** The most imports that ever ran at once (tests and diagnostics). */
  get peak(): number {
    return this.#peak;
  }

  resetPeak(): void {
    this.#peak = this.#running;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) {
      this.#running++;
    } else if (this.#waiting.length < this.maxWaiting) {
      // The finishing import hands its slot over: `running` stays as it is.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      throw this.busy();
    }
    this.#peak = Math.max(this.#peak, this.#running);
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) {
        next();
      } else {
        this.#running--;
      }
    }
  }

  busy(): AppError {
    return new AppError('YW_UPLOAD_BUSY', { running: this.#running, waiting: this.#waiting.length, retryAfterSeconds: this.retryAfterSeconds });
  }
}

/** The one queue of every spreadsheet / document import of this process (memory is per process). */
export const fileImports = new ImportQueue(2, 8);

/**
 * Route-level `onRequest` hook of an upload route: when the queue is already full the upload is
 * refused before its body (up to the route's `bodyLimit`) is read into memory. Route hooks run after
 * the global auth guard, so only a caller allowed to import learns that the queue is busy.
 */
export async function refuseWhenImportsBusy(_request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (fileImports.full) {
    void reply.header('retry-after', String(fileImports.retryAfterSeconds));
    throw fileImports.busy();
  }
}

/** Runs an upload's import in `fileImports`; a refusal for a full queue carries `Retry-After`. */
export async function queuedImport<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T> {
  if (fileImports.full) {
    void reply.header('retry-after', String(fileImports.retryAfterSeconds));
  }
  return fileImports.run(work);
}
