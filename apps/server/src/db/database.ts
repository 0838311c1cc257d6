import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { CompiledQuery, Kysely, PostgresDialect, SqliteDialect, type DatabaseConnection, type Driver } from 'kysely';
import pg from 'pg';
import { ensurePrivateFile, type OnModeFix, tightenIfExists } from '../platform/private-files.js';
import type { DialectName } from './dialect.js';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

export interface DatabaseHandle {
  db: Db;
  dialect: DialectName;
  /** Where the data lives, for messages (password stripped). */
  location: string;
  /**
   * PostgreSQL only: LISTEN on `channel` with a connection of its own (NOTIFY reaches every node on the
   * database). Reconnects after a failure; the returned function stops listening.
   */
  listen?: (channel: string, onMessage: (payload: string) => void, onError: (error: unknown) => void) => () => Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** `postgres://…` for PostgreSQL; a file path or `sqlite:<path>` for SQLite. */
  url: string;
  /** PostgreSQL schema to use (tests isolate themselves in one). */
  pgSchema?: string;
  pgPoolSize?: number;
  /** Told when an existing SQLite file was readable by other users and has been tightened (default: a line on stderr). */
  onModeFix?: OnModeFix;
}

// pg returns int8 (our epoch-millisecond timestamps and serial keys) as strings; they fit in a double.
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

export function openDatabase(options: DatabaseOptions): DatabaseHandle {
  if (/^postgres(ql)?:\/\//.test(options.url)) {
    const pool = new pg.Pool({
      connectionString: options.url,
      max: options.pgPoolSize ?? 10,
      types: pgTypes,
      ...(options.pgSchema ? { options: `-c search_path=${options.pgSchema}` } : {}),
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const listen: DatabaseHandle['listen'] = (channel, onMessage, onError) => listenOn(options.url, channel, onMessage, onError);
    return { db, dialect: 'postgres', location: redact(options.url), listen, close: () => db.destroy() };
  }

  const file = options.url.replace(/^sqlite:/, '');
  const onDisk = file !== ':memory:' && file !== '';
  if (onDisk) {
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    // SQLite gives the -wal, -shm and -journal files the mode of the database file: create it 0600 first.
    ensurePrivateFile(file, options.onModeFix);
    for (const suffix of SQLITE_SIDE_FILES) {
      tightenIfExists(file + suffix, options.onModeFix);
    }
  }
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  cacheStatements(sqlite);
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  sqliteHandles.set(db.getExecutor().adapter, sqlite);
  return { db, dialect: 'sqlite', location: path.resolve(file), close: () => db.destroy() };
}

const SQLITE_SIDE_FILES = ['-wal', '-shm', '-journal'];

/**
 * Transactions begin IMMEDIATE: they take the write lock at `begin`, waiting for it (busy_timeout) while
 * another connection writes — the ingest worker (modules/monitoring/sample-writer.ts) has its own. A
 * deferred transaction that read first would instead fail at its first write with SQLITE_BUSY
 * (snapshot), which no busy timeout retries, whenever another connection committed in between.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

/** The better-sqlite3 connection behind each SQLite Kysely instance, by adapter (shared by its transactions). */
const sqliteHandles = new WeakMap<object, SQLite.Database>();

/**
 * The better-sqlite3 connection under `db` (or a transaction of it); undefined on PostgreSQL. For hot
 * paths only (one prepared statement run many times); inside a Kysely transaction the statements
 * join it, as SQLite has the one connection.
 */
export function sqliteHandleOf(db: Kysely<Database>): SQLite.Database | undefined {
  return sqliteHandles.get(db.getExecutor().adapter);
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) {
      u.password = '***';
    }
    return u.toString();
  } catch {
    return 'postgres';
  }
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh; with better-sqlite3 preparing costs about as much as running a
 * small query. Statements are reused per SQL text (LRU). Safe because Kysely runs one query at a time
 * on the single SQLite connection, so a cached statement is never busy when it is used again.
 */
function cacheStatements(sqlite: SQLite.Database): void {
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, SQLite.Statement>();
  sqlite.prepare = ((source: string) => {
    let statement = cache.get(source);
    if (statement) {
      cache.delete(source);
    } else {
      statement = prepare(source);
      if (cache.size >= STATEMENT_CACHE_SIZE) {
        cache.delete(cache.keys().next().value!);
      }
    }
    cache.set(source, statement);
    return statement;
  }) as typeof sqlite.prepare;
}

/** A LISTEN connection that comes back after the database restarts (retried every second until stopped). */
function listenOn(connectionString: string, channel: string, onMessage: (payload: string) => void, onError: (error: unknown) => void): () => Promise<void> {
  let client: pg.Client | null = null;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;
  const connect = async () => {
    const c = new pg.Client({ connectionString });
    client = c;
    c.on('notification', (n) => n.channel === channel && n.payload !== undefined && onMessage(n.payload));
    c.on('error', (error) => {
      onError(error);
      again();
    });
    try {
      await c.connect();
      await c.query(`LISTEN "${channel.replace(/"/g, '')}"`);
    } catch (error) {
      onError(error);
      again();
    }
  };
  const again = () => {
    const old = client;
    client = null;
    void old?.end().catch(() => undefined);
    if (!stopped && !retry) {
      retry = setTimeout(() => {
        retry = undefined;
        void connect();
      }, 1000);
      retry.unref();
    }
  };
  void connect();
  return async () => {
    stopped = true;
    clearTimeout(retry);
    await client?.end().catch(() => undefined);
  };
}
