import mysql from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckResult } from '@yunwei/contracts/checks';
import { requireAll } from '../../../test/test-env.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

/** The CI machine's database servers (the peers the skill is about, not the app's own database). */
const PG = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'test' };
const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', database: 'test' };

async function reachable(connect: () => Promise<{ end(): Promise<unknown> }>, what: string): Promise<boolean> {
  try {
    await (await connect()).end();
    return true;
  } catch (error) {
    if (requireAll()) {
      throw new Error(`${what} is not reachable and YUNWEI_REQUIRE_ALL=1: ${(error as Error).message}`);
    }
    console.warn(`\n⚠ SKIPPING tests that need ${what}: ${(error as Error).message}\n`);
    return false;
  }
}

const hasPostgres = await reachable(async () => {
  const c = new pg.Client({ ...PG, connectionTimeoutMillis: 3000 });
  await c.connect();
  return c;
}, 'PostgreSQL at 127.0.0.1:5432');
const hasMariadb = await reachable(() => mysql.createConnection({ ...MARIADB, connectTimeout: 3000 }), 'MariaDB at 127.0.0.1:3306');

describe.skipIf(!databaseAvailable())('database health checks', () => {
  let t: TestApp;
  let admin: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  async function create(body: Record<string, unknown>): Promise<Check> {
    const res = await admin.request('POST', '/api/checks', { intervalSeconds: 30, timeoutMs: 5000, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  }

  async function run(id: string): Promise<CheckResult> {
    const res = await admin.request('POST', `/api/checks/${id}/run`);
    expect(res.status, res.body).toBe(200);
    return res.json as CheckResult;
  }

  /** The values of a metric of the check over the last minute, through the Prometheus-compatible query API. */
  async function stored(metric: string, checkId: string): Promise<number[]> {
    const end = Date.now() / 1000 + 1;
    const query = new URLSearchParams({ query: `${metric}{check="${checkId}"}`, start: String(end - 60), end: String(end), step: '1s' });
    const res = await admin.request('GET', `/api/v1/query_range?${query}`);
    expect(res.status, res.body).toBe(200);
    const result = res.json.data.result as { metric: Record<string, string>; values: [number, string][] }[];
    expect(result.every((r) => r.metric.type !== undefined && r.metric.check === checkId)).toBe(true);
    return result.flatMap((r) => r.values.map(([, v]) => Number(v)));
  }

  it.skipIf(!hasPostgres)("[L3-2.1.1] monitors a real PostgreSQL: connect time, connections, size, transaction rate, slow queries — stored as samples", async () => {
    const check = await create({ name: 'pg test', type: 'postgres', settings: { host: PG.host, port: PG.port, user: PG.user, database: PG.database, password: 'unused-trust-auth', replica: true } });
    const first = await run(check.id);
    expect(first.status, first.message ?? '').toBe('up');
    expect(first.values.db_connections).toBeGreaterThanOrEqual(1);
    expect(first.values.db_size_bytes).toBeGreaterThan(1_000_000);
    expect(first.values.db_connect_seconds).toBeGreaterThan(0);
    expect(first.values.db_connect_seconds).toBeLessThan(5);
    expect(first.values.db_slow_queries).toBeGreaterThanOrEqual(0);
    expect(first.values.db_replication_lag_seconds).toBeUndefined(); // a primary: said so, not reported as 0
    expect(first.message).toMatch(/connections, [\d.]+ MiB, \d+ slow queries, not a standby/);

    // A slow query running now is counted; the second run has a transaction rate.
    const sleeper = new pg.Client(PG);
    await sleeper.connect();
    const sleeping = sleeper.query('select pg_sleep(3)').catch(() => undefined);
    await new Promise((r) => setTimeout(r, 1500));
    await admin.request('PATCH', `/api/checks/${check.id}`, { settings: { host: PG.host, port: PG.port, user: PG.user, database: PG.database, slowQuerySeconds: 1 } });
    const second = await run(check.id);
    await sleeping;
    await sleeper.end();
    expect(second.values.db_slow_queries).toBeGreaterThanOrEqual(1);
    expect(second.values.db_queries_per_second).toBeGreaterThan(0);

    expect(await stored('db_connections', check.id)).toEqual([first.values.db_connections, second.values.db_connections]);
    expect((await stored('db_size_bytes', check.id)).every((v) => v > 0)).toBe(true);
    expect(await stored('check_up', check.id)).toEqual([1, 1]);
    expect(await stored('db_queries_per_second', check.id)).toHaveLength(1);
  });

  it.skipIf(!hasMariadb)('[L3-2.1.1] monitors a real MariaDB: connect time, Threads_connected, Questions rate, schema size, slow queries — stored as samples', async () => {
    const conn = await mysql.createConnection(MARIADB);
    await conn.query('CREATE TABLE IF NOT EXISTS yw_check_size (id INT PRIMARY KEY, pad VARCHAR(200))');
    await conn.query("INSERT IGNORE INTO yw_check_size VALUES (1, REPEAT('x', 200)), (2, REPEAT('y', 200))");
    const check = await create({ name: 'mariadb test', type: 'mysql', settings: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: MARIADB.database, replica: true } });
    const first = await run(check.id);
    expect(first.status, first.message ?? '').toBe('up');
    expect(first.values.db_connections).toBeGreaterThanOrEqual(1);
    expect(first.values.db_size_bytes).toBeGreaterThan(0);
    expect(first.values.db_connect_seconds).toBeGreaterThan(0);
    expect(first.values.db_slow_queries_total).toBeGreaterThanOrEqual(0);
    expect(first.message).toMatch(/not a replica/);

    const sleeping = conn.query('SELECT SLEEP(3)');
    await new Promise((r) => setTimeout(r, 1500));
    await admin.request('PATCH', `/api/checks/${check.id}`, { settings: { host: MARIADB.host, port: MARIADB.port, user: MARIADB.user, database: MARIADB.database, slowQuerySeconds: 1 } });
    const second = await run(check.id);
    await sleeping;
    await conn.query('DROP TABLE yw_check_size');
    await conn.end();
    expect(second.values.db_slow_queries).toBeGreaterThanOrEqual(1);
    expect(second.values.db_queries_per_second).toBeGreaterThan(0);
    expect(await stored('db_connections', check.id)).toEqual([first.values.db_connections, second.values.db_connections]);
    expect(await stored('db_size_bytes', check.id)).toEqual([first.values.db_size_bytes, second.values.db_size_bytes]);
  });

  it.skipIf(!hasPostgres || !hasMariadb)('a missing database, an unknown user or a closed port is DOWN with the reason', async () => {
    const pgBad = await create({ name: 'pg bad db', type: 'postgres', settings: { host: PG.host, port: PG.port, user: PG.user, database: 'no_such_database_here' } });
    expect(await run(pgBad.id)).toMatchObject({ status: 'down', message: expect.stringMatching(/PostgreSQL: .*no_such_database_here/) });
    const myBad = await create({ name: 'mysql bad user', type: 'mysql', settings: { host: MARIADB.host, port: MARIADB.port, user: 'no_such_user', password: 'wrong' } });
    expect(await run(myBad.id)).toMatchObject({ status: 'down', message: expect.stringMatching(/MySQL: Access denied/) });
    const closed = await create({ name: 'pg closed', type: 'postgres', settings: { host: '127.0.0.1', port: 1, user: 'x', database: 'x' } });
    expect((await run(closed.id)).message).toMatch(/ECONNREFUSED/);
  });
});
