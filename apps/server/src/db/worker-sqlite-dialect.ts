/**
 * A Kysely dialect for file SQLite whose one connection lives on a worker thread
 * (worker-sqlite.worker.mjs). better-sqlite3 is synchronous: a long statement on the app's connection
 * (a rollup pass over a million samples) stops Node's event loop, and every HTTP request waits for it.
 * Here the statement runs on the worker while the main thread goes on; the answer comes back as a
 * message. Results have the shape of Kysely's own SqliteDriver; errors keep SQLite's `code`
 * (SQLITE_BUSY, SQLITE_CONSTRAINT_…). Transactions begin IMMEDIATE, as the app connection's do
 * (database.ts, ImmediateSqliteDialect). The worker starts on first use, holds the process (ref) only
 * while a statement runs, and is replaced by a new one on the next statement if it dies.
 *
 * For work that may be slow and needs no in-process handle (sqliteHandleOf is undefined here): the app
 * connection stays the default for everything else.
 */
import path from 'node:path';
import type { FastifyBaseLogger } from 'fastify';
import {
  CompiledQuery,
  IdentifierNode,
  Kysely,
  RawNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  createQueryId,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type DialectAdapter,
  type Driver,
  type QueryCompiler,
  type QueryResult,
} from 'kysely';
import { sqliteHandleOf } from './database.js';
import { WorkerThread } from './worker-thread.js';
import type { Database } from './schema.js';

export interface WorkerSqliteOptions {
  /** The database file (resolved against the working directory). */
  file: string;
  /** How long a statement waits for a lock another connection holds (the app's, the sample writer's). */
  busyTimeoutMs?: number;
  /** WAL pages after which this connection's commits checkpoint (SQLite's default: 1,000). */
  walAutocheckpoint?: number;
  /** Told when the worker dies with statements in flight. */
  log?: FastifyBaseLogger;
  /** Tests only: the first worker exits (as if it crashed) when asked to run exactly this SQL. */
  exitOnSql?: string;
}

/**
 * The worker died (or the dialect was destroyed) before answering. A statement outside a transaction
 * may or may not have been applied; an open transaction was rolled back with the connection.
 */
export class SqliteWorkerLostError extends Error {
  override readonly name = 'SqliteWorkerLostError';
}

const WORKER_FILE = new URL('./worker-sqlite.worker.mjs', import.meta.url);

type Answer =
  | { id: number; ok: true; rows: Record<string, unknown>[]; blobs: boolean }
  | { id: number; ok: true; changes: number; lastInsertRowid: number | bigint }
  | { id: number; ok: false; code: string | null; message: string };

/** The worker thread and its one connection. */
class SqliteThread {
  readonly #thread: WorkerThread<Answer>;

  constructor(options: WorkerSqliteOptions) {
    let exitOnSql = options.exitOnSql;
    this.#thread = new WorkerThread<Answer>({
      file: WORKER_FILE,
      workerData: () => {
        const data = { file: options.file, busyTimeoutMs: options.busyTimeoutMs ?? 10_000, walAutocheckpoint: options.walAutocheckpoint ?? 1_000, exitOnSql };
        exitOnSql = undefined; // the first worker only
        return data;
      },
      lost: (reason, statements) => {
        if (reason === 'closed') {
          return new SqliteWorkerLostError('the SQLite worker database was closed');
        }
        options.log?.error({ reason, statements, file: options.file }, 'SQLite worker lost; its statements were not answered');
        return new SqliteWorkerLostError(`the SQLite worker thread was lost (${reason}) before answering`);
      },
    });
  }

  /** The running worker's generation (starting one if needed, unless closed). */
  get generation(): number {
    return this.#thread.generation;
  }

  isAlive(generation: number): boolean {
    return this.#thread.isAlive(generation);
  }

  /**
   * Runs one statement. `pinned`: the generation a transaction began on; if that worker is gone the
   * statement is refused rather than run outside the transaction on a new one.
   */
  async query(compiled: CompiledQuery, pinned: number | null = null): Promise<QueryResult<unknown>> {
    if (pinned !== null && !this.isAlive(pinned)) {
      throw new SqliteWorkerLostError('the SQLite worker thread was lost during this transaction; the transaction was rolled back');
    }
    const answer = await this.#thread.request({ sql: compiled.sql, parameters: compiled.parameters });
    if (!answer.ok) {
      throw Object.assign(new Error(answer.message), { code: answer.code ?? undefined });
    }
    if ('rows' in answer) {
      return { rows: answer.blobs ? answer.rows.map(withBuffers) : answer.rows };
    }
    return { numAffectedRows: BigInt(answer.changes), insertId: BigInt(answer.lastInsertRowid), rows: [] };
  }

  /** Closes the connection (an open transaction is rolled back) and waits for the thread to exit. */
  close(): Promise<void> {
    return this.#thread.close();
  }
}

/** Structured cloning hands BLOBs over as plain Uint8Arrays; better-sqlite3 (and our callers) give Buffers. */
function withBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const key of Object.keys(row)) {
    const value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value)) {
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    }
  }
  return row;
}

/** The one connection. A transaction is pinned to the worker it began on (see SqliteThread.query). */
class WorkerSqliteConnection implements DatabaseConnection {
  #transaction: number | null = null;

  constructor(private readonly thread: SqliteThread) {}

  executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.thread.query(compiled, this.#transaction) as Promise<QueryResult<R>>;
  }

  // eslint-disable-next-line require-yield -- the interface wants a generator; rows come back whole
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('streaming is not supported by the worker SQLite dialect');
  }

  async begin(): Promise<void> {
    const generation = this.thread.generation;
    // IMMEDIATE: the write lock is taken (or waited for, busy_timeout) at begin; see ImmediateSqliteDialect.
    await this.thread.query(CompiledQuery.raw('begin immediate'), generation);
    this.#transaction = generation;
  }

  async commit(): Promise<void> {
    // Cleared only once committed: after a failed commit Kysely rolls back, on the same worker.
    await this.thread.query(CompiledQuery.raw('commit'), this.#transaction);
    this.#transaction = null;
  }

  async rollback(): Promise<void> {
    const generation = this.#transaction;
    this.#transaction = null;
    if (generation !== null && !this.thread.isAlive(generation)) {
      return; // the transaction went with the worker's connection
    }
    await this.thread.query(CompiledQuery.raw('rollback'), generation);
  }
}

/** Kysely's ConnectionMutex (sqlite-driver.js): one user of the single connection at a time. */
class ConnectionMutex {
  #promise: Promise<void> | undefined;
  #resolve: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.#promise) {
      await this.#promise;
    }
    this.#promise = new Promise((resolve) => {
      this.#resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.#resolve;
    this.#promise = undefined;
    this.#resolve = undefined;
    resolve?.();
  }
}

class WorkerSqliteDriver implements Driver {
  readonly #mutex = new ConnectionMutex();
  readonly #thread: SqliteThread;
  readonly #connection: WorkerSqliteConnection;

  constructor(options: WorkerSqliteOptions) {
    this.#thread = new SqliteThread(options);
    this.#connection = new WorkerSqliteConnection(this.#thread);
  }

  async init(): Promise<void> {
    // The worker starts with the first statement.
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as WorkerSqliteConnection).begin();
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as WorkerSqliteConnection).commit();
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await (connection as WorkerSqliteConnection).rollback();
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('savepoint', name), createQueryId()));
  }

  async rollbackToSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('rollback to', name), createQueryId()));
  }

  async releaseSavepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler['compileQuery']): Promise<void> {
    await connection.executeQuery(compile(savepointCommand('release', name), createQueryId()));
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async destroy(): Promise<void> {
    await this.#thread.close();
  }
}

/** As Kysely's parseSavepointCommand (not exported): the name goes through the compiler as an identifier. */
function savepointCommand(command: string, name: string): RawNode {
  return RawNode.createWithChildren([RawNode.createWithSql(`${command} `), IdentifierNode.create(name)]);
}

/** SQLite's adapter, compiler and introspector (so `dialectOf` says 'sqlite') over the worker's connection. */
export class WorkerSqliteDialect implements Dialect {
  constructor(private readonly options: WorkerSqliteOptions) {}

  createDriver(): Driver {
    return new WorkerSqliteDriver(this.options);
  }

  createQueryCompiler(): QueryCompiler {
    return new SqliteQueryCompiler();
  }

  createAdapter(): DialectAdapter {
    return new SqliteAdapter();
  }

  createIntrospector(db: Kysely<any>): DatabaseIntrospector {
    return new SqliteIntrospector(db);
  }
}

/**
 * A Kysely on a worker thread for the file SQLite database under `db`; null for `:memory:` (its data
 * lives in that one connection) and PostgreSQL (its pool is asynchronous already). Close it with
 * `destroy()`.
 */
export function offloadedSqlite(db: Kysely<Database>, log: FastifyBaseLogger, options: Omit<WorkerSqliteOptions, 'file' | 'log'> = {}): Kysely<Database> | null {
  const handle = sqliteHandleOf(db);
  if (!handle || handle.memory || handle.name === '') {
    return null;
  }
  // Checkpoints as seldom as the app's connection: the sample writer keeps a large WAL on purpose (sample-writer.ts).
  const walAutocheckpoint = Number(handle.pragma('wal_autocheckpoint', { simple: true }));
  return new Kysely<Database>({ dialect: new WorkerSqliteDialect({ walAutocheckpoint, ...options, file: path.resolve(handle.name), log }) });
}
