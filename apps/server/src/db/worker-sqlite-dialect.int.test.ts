/**
 * WorkerSqliteDialect: Kysely on a better-sqlite3 connection that lives on a worker thread. The same
 * results as Kysely's own SqliteDialect, transactions, errors with SQLite's code, a dying worker, and
 * the event loop left free while a long statement runs.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import SQLite from 'better-sqlite3';
import { Kysely, sql, SqliteDialect, type Generated } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../test/test-app.js';
import { testDialect } from '../../test/test-env.js';
import { openDatabase, sqliteHandleOf } from './database.js';
import { dialectOf, isUniqueViolation } from './dialect.js';
import { offloadedSqlite, SqliteWorkerLostError, WorkerSqliteDialect } from './worker-sqlite-dialect.js';

interface Row {
  id: Generated<number>;
  name: string;
  n: number;
  blob: Buffer | null;
}
interface Db {
  a: Row;
  b: Row;
}

/** SQLite only: the dialect runs a file SQLite connection; on PostgreSQL the rollups keep the (asynchronous) pool. */
describe.skipIf(testDialect() !== 'sqlite')('worker SQLite dialect (SQLite only: PostgreSQL needs no worker)', () => {
  let dir: string;
  let file: string;
  let native: SQLite.Database;
  let inProcess: Kysely<Db>;
  let worker: Kysely<Db>;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'yw-worker-sqlite-'));
    file = path.join(dir, 'db.sqlite');
    native = new SQLite(file);
    native.pragma('journal_mode = WAL');
    native.pragma('busy_timeout = 5000');
    inProcess = new Kysely<Db>({ dialect: new SqliteDialect({ database: native }) });
    worker = new Kysely<Db>({ dialect: new WorkerSqliteDialect({ file }) });
  });
  afterAll(async () => {
    await worker?.destroy();
    await inProcess?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  /** The same steps on either Kysely, each on its own table: what each step returned. */
  const scenario = async (db: Kysely<Db>, table: 'a' | 'b') => {
    await db.schema.createTable(table).addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('name', 'text').addColumn('n', 'real').addColumn('blob', 'blob').execute();
    const one = await db.insertInto(table).values({ name: 'one', n: 1.5, blob: Buffer.from([1, 2, 3]) }).executeTakeFirst();
    const many = await db
      .insertInto(table)
      .values([
        { name: 'two', n: 2, blob: null },
        { name: 'three', n: 3, blob: null },
      ])
      .executeTakeFirst();
    const returning = await db.insertInto(table).values({ name: 'four', n: 4, blob: null }).returning(['id', 'name']).execute();
    const updated = await db.updateTable(table).set({ n: 10 }).where('n', '>=', 2).executeTakeFirst();
    const none = await db.updateTable(table).set({ n: 0 }).where('name', '=', 'nobody').executeTakeFirst();
    const deleted = await db.deleteFrom(table).where('name', '=', 'three').executeTakeFirst();
    const rows = await db.selectFrom(table).selectAll().orderBy('id').execute();
    const count = await sql<{ n: number }>`select count(*) as n, sum(n) as total from ${sql.table(table)}`.execute(db);
    return { one, many, returning, updated, none, deleted, rows, count: count.rows };
  };

  it('returns what Kysely’s own SqliteDialect returns: rows (BLOBs as Buffers), numAffectedRows, insertId', async () => {
    expect(dialectOf(worker)).toBe('sqlite');
    const expected = await scenario(inProcess, 'a');
    const got = await scenario(worker, 'b');
    expect(got).toEqual(expected);
    expect(got.one).toEqual({ insertId: 1n, numInsertedOrUpdatedRows: 1n });
    expect(got.updated.numUpdatedRows).toBe(3n);
    expect(Buffer.isBuffer(got.rows[0]!.blob)).toBe(true);
    // Each sees what the other committed (two connections to one WAL file).
    expect(await worker.selectFrom('a').selectAll().orderBy('id').execute()).toEqual(await inProcess.selectFrom('a').selectAll().orderBy('id').execute());
  });

  it('commits a transaction, rolls a failing one back (savepoints too), and begins IMMEDIATE', async () => {
    await worker.transaction().execute(async (trx) => {
      await trx.insertInto('b').values({ id: 100, name: 'kept', n: 1, blob: null }).execute();
      // IMMEDIATE: the write lock is held from `begin`, so another connection cannot write meanwhile.
      native.pragma('busy_timeout = 0');
      try {
        expect(() => native.prepare('insert into a (name, n) values (?, ?)').run('blocked', 0)).toThrow(/database is locked/);
      } finally {
        native.pragma('busy_timeout = 5000');
      }
    });
    expect(native.prepare('select name from b where id = 100').get()).toEqual({ name: 'kept' });

    await expect(
      worker.transaction().execute(async (trx) => {
        await trx.insertInto('b').values({ id: 101, name: 'dropped', n: 1, blob: null }).execute();
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(native.prepare('select count(*) as n from b where id = 101').get()).toEqual({ n: 0 });

    const trx = await worker.startTransaction().execute();
    await trx.insertInto('b').values({ id: 102, name: 'outer', n: 1, blob: null }).execute();
    const inner = await trx.savepoint('inner').execute();
    await inner.insertInto('b').values({ id: 103, name: 'inner', n: 1, blob: null }).execute();
    await inner.rollbackToSavepoint('inner').execute();
    await trx.commit().execute();
    expect(native.prepare('select id from b where id in (102, 103)').all()).toEqual([{ id: 102 }]);
  }, 20_000);

  it('rejects an SQL error with SQLite’s code: constraint, syntax, and a busy lock past busy_timeout', async () => {
    const dup = await worker
      .insertInto('b')
      .values({ id: 100, name: 'again', n: 1, blob: null })
      .execute()
      .catch((error: unknown) => error);
    expect(dup).toBeInstanceOf(Error);
    expect(dup).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY', message: expect.stringContaining('UNIQUE constraint failed') as string });
    expect(isUniqueViolation(dup)).toBe(true);
    await expect(sql`selec 1`.execute(worker)).rejects.toMatchObject({ code: 'SQLITE_ERROR', message: expect.stringContaining('syntax error') as string });

    const impatient = new Kysely<Db>({ dialect: new WorkerSqliteDialect({ file, busyTimeoutMs: 50 }) });
    native.prepare('begin immediate').run();
    try {
      await expect(impatient.insertInto('b').values({ name: 'late', n: 0, blob: null }).execute()).rejects.toMatchObject({ code: 'SQLITE_BUSY' });
    } finally {
      native.prepare('rollback').run();
      await impatient.destroy();
    }
    // The connection is still usable after errors.
    expect((await sql<{ x: number }>`select 1 as x`.execute(worker)).rows).toEqual([{ x: 1 }]);
  });

  it('a worker that dies: the pending statement and its transaction reject, nothing is committed, the lock is free, and the next statement runs on a fresh worker', async () => {
    const fragile = new Kysely<Db>({ dialect: new WorkerSqliteDialect({ file, exitOnSql: 'select 70 as crash' }) });
    try {
      // A temporary table lives and dies with its connection: it tells the workers apart.
      await sql`create temp table marker (x)`.execute(fragile);
      const afterLoss: unknown[] = [];
      const failed = fragile.transaction().execute(async (trx) => {
        await trx.insertInto('b').values({ id: 200, name: 'uncommitted', n: 1, blob: null }).execute();
        afterLoss.push(await sql`select 70 as crash`.execute(trx).catch((error: unknown) => error));
        // The transaction is gone: a later statement of it must not run on the new worker, outside any transaction.
        afterLoss.push(await trx.insertInto('b').values({ id: 201, name: 'stray', n: 1, blob: null }).execute().catch((error: unknown) => error));
        throw afterLoss[0];
      });
      await expect(failed).rejects.toBeInstanceOf(SqliteWorkerLostError);
      expect(afterLoss[0]).toBeInstanceOf(SqliteWorkerLostError);
      expect((afterLoss[0] as Error).message).toMatch(/exited \(code 70\)/);
      expect(afterLoss[1]).toBeInstanceOf(SqliteWorkerLostError);
      expect((afterLoss[1] as Error).message).toMatch(/during this transaction/);
      expect(native.prepare('select count(*) as n from b where id in (200, 201)').get()).toEqual({ n: 0 });
      // The dead connection's write lock went with it.
      native.prepare('begin immediate').run();
      native.prepare('rollback').run();

      expect((await sql<{ n: number }>`select count(*) as n from sqlite_temp_master where name = 'marker'`.execute(fragile)).rows).toEqual([{ n: 0 }]);
      await fragile.insertInto('b').values({ id: 202, name: 'after', n: 1, blob: null }).execute();
      expect(native.prepare('select name from b where id = 202').get()).toEqual({ name: 'after' });
      // Outside a transaction too: only the first worker had the fault, so the same statement now runs.
      expect((await sql<{ crash: number }>`select 70 as crash`.execute(fragile)).rows).toEqual([{ crash: 70 }]);
    } finally {
      await fragile.destroy();
    }
    await expect(sql`select 1`.execute(fragile)).rejects.toThrow(/destroyed|closed/);
  }, 20_000);

  it('leaves the event loop free during a long statement (a 10 ms interval keeps ticking); the in-process dialect does not', async () => {
    const count = sql<{ n: number }>`with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000000) select count(*) as n from c`;
    const ticksDuring = async (db: Kysely<Db>) => {
      await sql`select 1`.execute(db); // the worker is started before timing
      let ticks = 0;
      const timer = setInterval(() => ticks++, 10);
      try {
        const started = performance.now();
        const { rows } = await count.execute(db);
        expect(rows).toEqual([{ n: 3_000_000 }]);
        return { ticks, ms: performance.now() - started };
      } finally {
        clearInterval(timer);
      }
    };
    const offloaded = await ticksDuring(worker);
    expect(offloaded.ms).toBeGreaterThan(50); // long enough for the ticks to mean something
    expect(offloaded.ticks).toBeGreaterThanOrEqual(3);
    const blocking = await ticksDuring(inProcess);
    expect(blocking.ticks).toBeLessThanOrEqual(1);
  }, 30_000);

  it('does not keep the process alive while idle', () => {
    // A child process runs a statement and never destroys the Kysely: it must still exit on its own.
    const dialect = fileURLToPath(new URL('./worker-sqlite-dialect.ts', import.meta.url));
    const script = path.join(dir, 'idle.mjs');
    writeFileSync(
      script,
      `
      const { WorkerSqliteDialect } = await import(${JSON.stringify(dialect)});
      // The driver straight away: a script outside the repository cannot import kysely.
      const driver = new WorkerSqliteDialect({ file: ${JSON.stringify(file)} }).createDriver();
      await driver.init();
      const connection = await driver.acquireConnection();
      const { rows } = await connection.executeQuery({ sql: 'select 41 + 1 as x', parameters: [] });
      await driver.releaseConnection(connection);
      console.log(JSON.stringify(rows));`,
    );
    // (A file, not --eval: a worker inherits the parent's flags, and --input-type is refused in a worker.)
    const child = spawnSync(process.execPath, ['--import', 'tsx', script], { encoding: 'utf8', timeout: 20_000, cwd: process.cwd() });
    expect(child.error, child.stderr).toBeUndefined();
    expect(child.status, child.stderr).toBe(0);
    expect(child.stdout.trim()).toBe('[{"x":42}]');
  }, 30_000);
});

describe.skipIf(!databaseAvailable())('offloadedSqlite', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('gives a worker-backed Kysely on the app’s file SQLite database (same data), and null for :memory: and PostgreSQL', async () => {
    const offloaded = offloadedSqlite(t.ctx.db, t.ctx.log);
    if (t.dialect === 'postgres') {
      expect(offloaded).toBeNull();
      return;
    }
    try {
      expect(offloaded).not.toBeNull();
      expect(dialectOf(offloaded!)).toBe('sqlite');
      expect(sqliteHandleOf(offloaded!)).toBeUndefined(); // no in-process handle: hot paths fall back to plain SQL
      const viaApp = await t.ctx.db.selectFrom('user').select('username').orderBy('username').execute();
      expect(await offloaded!.selectFrom('user').select('username').orderBy('username').execute()).toEqual(viaApp);
    } finally {
      await offloaded?.destroy();
    }
    const memory = openDatabase({ url: 'sqlite::memory:' });
    expect(offloadedSqlite(memory.db, t.ctx.log)).toBeNull();
    await memory.close();
  });
});
