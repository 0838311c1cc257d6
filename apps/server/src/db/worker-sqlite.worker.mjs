// The worker thread behind WorkerSqliteDialect (worker-sqlite-dialect.ts): one better-sqlite3
// connection to a file database, running the statements the main thread posts, one at a time.
// Plain JavaScript on purpose: a worker does not inherit the tsx loader, and this file needs nothing
// but better-sqlite3, so it runs the same under `yunwei.mjs serve`, Vitest and the benches.
//
// Message in: { id, sql, parameters } or { type: 'close' }.
// Answer: { id, ok: true, rows, blobs } for statements that return rows (stmt.reader), { id, ok: true,
// changes, lastInsertRowid } for the others, { id, ok: false, code, message } when SQLite (or the
// binding) refused — the shape of Kysely's SqliteDriver results, rebuilt on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {{ file: string, busyTimeoutMs: number, walAutocheckpoint: number, exitOnSql?: string }} */
const options = workerData;

const db = new SQLite(options.file);
// busy_timeout first: switching to WAL needs a lock another connection may hold.
db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma('foreign_keys = ON');
db.pragma(`wal_autocheckpoint = ${Math.trunc(options.walAutocheckpoint)}`);

const STATEMENT_CACHE_SIZE = 200;
/** Prepared statements by SQL text, least recently used first (preparing costs about as much as a small query). */
const statements = new Map();

function prepare(sql) {
  let statement = statements.get(sql);
  if (statement) {
    statements.delete(sql);
  } else {
    statement = db.prepare(sql);
    if (statements.size >= STATEMENT_CACHE_SIZE) {
      statements.delete(statements.keys().next().value);
    }
  }
  statements.set(sql, statement);
  return statement;
}

/** True when a row holds a BLOB: structured cloning turns a Buffer into a plain Uint8Array, which the main thread turns back. */
function hasBlobs(rows) {
  for (const row of rows) {
    for (const key in row) {
      if (Buffer.isBuffer(row[key])) {
        return true;
      }
    }
  }
  return false;
}

function execute(message) {
  const statement = prepare(message.sql);
  if (statement.reader) {
    const rows = statement.all(message.parameters);
    return { id: message.id, ok: true, rows, blobs: hasBlobs(rows) };
  }
  const { changes, lastInsertRowid } = statement.run(message.parameters);
  return { id: message.id, ok: true, changes, lastInsertRowid };
}

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    // Closing rolls back a transaction left open; the main thread waits for the thread to exit.
    db.close();
    parentPort.close();
    return;
  }
  if (options.exitOnSql !== undefined && message.sql === options.exitOnSql) {
    process.exit(70); // fault injection for the tests: the thread dies holding the statement (and any open transaction)
  }
  let answer;
  try {
    answer = execute(message);
  } catch (error) {
    answer = { id: message.id, ok: false, code: error?.code ?? null, message: String(error?.message ?? error) };
  }
  parentPort.postMessage(answer);
});
