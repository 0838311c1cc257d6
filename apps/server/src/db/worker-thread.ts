import { Worker } from 'node:worker_threads';

/** A worker's answer to a request: `id` is the request's. */
export interface WorkerAnswer {
  id: number;
}

export interface WorkerThreadOptions {
  /** The worker's module (plain JavaScript: a worker does not inherit the tsx loader). */
  file: URL;
  /** The `workerData` of each new worker (called per start, so a test fault can be given to the first only). */
  workerData: () => unknown;
  /** The error pending requests reject with when the worker dies (or was closed) before answering. */
  lost: (reason: string, pending: number) => Error;
  /** Messages from the worker that answer no request (they carry no `id`). */
  onNotice?: (message: unknown) => void;
}

/**
 * Requests to a worker thread, each answered by a message with its id, in the order the worker
 * handles them. The worker starts with the first request and is held (ref) only while requests are
 * pending, so an idle worker never keeps the process alive. If it dies, its pending requests reject
 * with `lost(reason)` and the next request starts a new worker (`generation` counts them). Used by
 * the sample writer (modules/monitoring/sample-writer.ts) and the worker SQLite dialect.
 */
export class WorkerThread<A extends WorkerAnswer> {
  #worker: Worker | null = null;
  #generation = 0;
  readonly #pending = new Map<number, { resolve: (answer: A) => void; reject: (error: unknown) => void }>();
  #seq = 0;
  #closed = false;
  #closing: Promise<void> | undefined;

  constructor(private readonly options: WorkerThreadOptions) {}

  /** The running worker's number, starting one if none runs (unless closed). */
  get generation(): number {
    if (!this.#worker && !this.#closed) {
      this.#start();
    }
    return this.#generation;
  }

  /** True while the worker numbered `generation` is the one running. */
  isAlive(generation: number): boolean {
    return this.#worker !== null && this.#generation === generation;
  }

  /** Sends a request (its `transfer` buffers are moved, not copied); resolves with the worker's answer. */
  request(message: object, transfer: readonly ArrayBuffer[] = []): Promise<A> {
    if (this.#closed) {
      return Promise.reject(this.options.lost('closed', 1));
    }
    const worker = this.#worker ?? this.#start();
    const id = ++this.#seq;
    return new Promise<A>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...message, id }, transfer as ArrayBuffer[]);
    });
  }

  /** Asks the worker to finish (`{ type: 'close' }`: it answers what it holds first) and waits for it to exit. */
  close(): Promise<void> {
    this.#closed = true;
    const worker = this.#worker;
    if (!this.#closing && worker) {
      this.#closing = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.ref(); // keep the process up until the thread has exited
      worker.postMessage({ type: 'close' });
    }
    return this.#closing ?? Promise.resolve();
  }

  #start(): Worker {
    const worker = new Worker(this.options.file, { workerData: this.options.workerData() });
    this.#worker = worker;
    this.#generation++;
    worker.unref();
    worker.on('message', (message: A | { id?: undefined }) => {
      if (message.id === undefined) {
        this.options.onNotice?.(message);
        return;
      }
      const waiting = this.#pending.get(message.id);
      this.#pending.delete(message.id);
      if (this.#pending.size === 0) {
        worker.unref();
      }
      waiting?.resolve(message as A);
    });
    worker.on('error', (error) => this.#lost(worker, `worker error: ${error.message}`));
    worker.on('exit', (code) => this.#lost(worker, `worker exited (code ${code})`));
    return worker;
  }

  /** The worker is gone: what it had not answered is rejected; the next request starts a new one. */
  #lost(worker: Worker, reason: string): void {
    if (this.#worker === worker) {
      this.#worker = null;
    }
    if (this.#pending.size === 0) {
      return;
    }
    const error = this.options.lost(reason, this.#pending.size);
    for (const waiting of this.#pending.values()) {
      waiting.reject(error);
    }
    this.#pending.clear();
  }
}
