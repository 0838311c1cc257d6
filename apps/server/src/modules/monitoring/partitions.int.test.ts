import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { testDialect } from '../../../test/test-env.js';
import { MetricsRepository } from './metrics.repository.js';
import { monitoringMigrations } from './monitoring.migrations.js';
import { AHEAD_DAYS, DEFAULT_PARTITION, isPartitioned, listPartitions, partitionName, SamplePartitions } from './partitions.js';
import { DAY_MS } from './query-plan.js';
import { monitoringOf } from './runtime.js';
import { seriesHash, seriesRef, type SeriesRef } from './series.js';

const H = 3_600_000;
const day = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;

/** PostgreSQL only: SQLite keeps one WITHOUT ROWID table (its behaviour is covered by the other monitoring tests). */
describe.skipIf(!databaseAvailable() || testDialect() !== 'postgres')('time partitions of metric_sample (PostgreSQL)', () => {
  let t: TestApp;
  let repo: MetricsRepository;
  let id: number;
  const now = Date.now();
  const today = day(now);

  /** Where each sample of the series lives: partition name per ts. */
  const placement = async (): Promise<Map<number, string>> => {
    const { rows } = await sql<{ ts: unknown; part: string }>`select ts, tableoid::regclass::text as part from metric_sample where series_id = ${id} order by ts`.execute(t.ctx.db);
    return new Map(rows.map((r) => [Number(r.ts), r.part.replace(/^.*\./, '')]));
  };
  const write = (ts: number[], values: number[]) => t.ctx.db.transaction().execute((trx) => repo.upsertSamples(trx, ts.map(() => id), ts, values));

  beforeAll(async () => {
    t = await createTestApp();
    repo = new MetricsRepository(t.ctx.db);
    const ref = seriesRef('yw_part_value', { host: 'a' }) as SeriesRef;
    await t.ctx.db.transaction().execute((trx) => repo.insertSeries(trx, [{ metric: ref.metric, labels: ref.labelsJson, hash: seriesHash(ref), ci_id: null, created_at: now, last_seen: now }]));
    id = (await repo.seriesByHash(t.ctx.db, [seriesHash(ref)]))[0]!.id;
  });
  afterAll(() => t?.close());

  it('is partitioned by day, with partitions ready from yesterday to a week ahead (migration and start-up job)', async () => {
    expect(await isPartitioned(t.ctx.db)).toBe(true);
    const parts = await listPartitions(t.ctx.db);
    const starts = new Set(parts.map((p) => p.from));
    for (let d = today - DAY_MS; d <= today + AHEAD_DAYS * DAY_MS; d += DAY_MS) {
      expect(starts.has(d), new Date(d).toISOString()).toBe(true);
    }
    expect(parts.every((p) => p.to - p.from === DAY_MS && p.name === partitionName(p.from))).toBe(true);
    // The job is idempotent: nothing missing, nothing created.
    expect(await monitoringOf(t.ctx).rollups.ensurePartitions(now)).toEqual([]);
    // Ten days on, the days that came into the window are created.
    const later = await monitoringOf(t.ctx).rollups.ensurePartitions(now + 10 * DAY_MS);
    expect(later).toContain(partitionName(today + (10 + AHEAD_DAYS) * DAY_MS));
  });

  it('accepts samples of any time: far past and far future wait in the default partition, then move into their day', async () => {
    const past = Date.UTC(2001, 0, 1, 12);
    const future = today + 30 * DAY_MS + 5 * H;
    const recent = now - 2 * H;
    await write([past, recent, future], [1, 2, 3]);
    // Replacing a value goes through ON CONFLICT on the partitioned table too.
    await write([future], [4]);
    let where = await placement();
    expect(where.get(past)).toBe(DEFAULT_PARTITION);
    expect(where.get(future)).toBe(DEFAULT_PARTITION);
    expect(where.get(recent)).toBe(partitionName(day(recent)));

    // Three weeks later the future sample's day is within a week: its partition is made and the row moved.
    const created = await new SamplePartitions(t.ctx.db).ensure(now + 25 * DAY_MS, now);
    expect(created).toContain(partitionName(day(future)));
    where = await placement();
    expect(where.get(future)).toBe(partitionName(day(future)));
    expect(where.get(past)).toBe(DEFAULT_PARTITION); // outside retention: left to retention
    const buckets = await repo.rawBuckets([id], past, future + 1, past, 60_000);
    expect(buckets.get(id)?.map((b) => [b.ts, b.sum])).toEqual([
      [past, 1],
      [recent - ((recent - past) % 60_000), 2],
      [future, 4],
    ]);
  });

  it('retention drops whole day partitions, deletes the rest before the cutoff, and the newer samples stay queryable', async () => {
    // Ten samples an hour apart ending two hours ago; retention 15 days, so purge as of 15 days and 5 hours later.
    const ts = Array.from({ length: 10 }, (_, i) => now - 2 * H - i * H);
    await write(ts, ts.map((_, i) => i));
    const cutoff = now + 5 * H; // = purge time − 15 days
    const expectedGone = [...(await placement()).keys()].filter((x) => x < cutoff).length;
    const before = await listPartitions(t.ctx.db);
    const purged = await monitoringOf(t.ctx).rollups.purge(cutoff + 15 * DAY_MS);
    expect(purged.raw).toBe(expectedGone);
    const after = await listPartitions(t.ctx.db);
    const droppedParts = before.filter((p) => p.to <= cutoff).map((p) => p.name);
    expect(droppedParts.length).toBeGreaterThan(0);
    expect(after.map((p) => p.name)).toEqual(before.filter((p) => p.to > cutoff).map((p) => p.name));
    // Left: samples at or after the cutoff (the future one), in their partitions; a range query reads them.
    const left = await placement();
    expect([...left.keys()].every((x) => x >= cutoff)).toBe(true);
    expect(left.size).toBe(1);
    const buckets = await repo.rawBuckets([id], cutoff, cutoff + 60 * DAY_MS, cutoff, 60_000);
    expect(buckets.get(id)?.map((b) => b.sum)).toEqual([4]);
  });

  it('the migration converts a plain table holding samples into the partitioned one, keeping every row (and back)', async () => {
    const migration = monitoringMigrations['2026-11-27-0500-partition-metric-sample']!;
    const db = t.ctx.db;
    const ref = seriesRef('yw_part_migrated', { host: 'b' }) as SeriesRef;
    await db.transaction().execute((trx) => repo.insertSeries(trx, [{ metric: ref.metric, labels: ref.labelsJson, hash: seriesHash(ref), ci_id: null, created_at: now, last_seen: now }]));
    const other = (await repo.seriesByHash(db, [seriesHash(ref)]))[0]!.id;
    // Down: back to the plain table of 2026-11-26-1200 (rows kept), then rows written to the plain table.
    await db.transaction().execute((trx) => migration.down!(trx));
    expect(await isPartitioned(db)).toBe(false);
    const ts = [Date.UTC(1999, 11, 31), now - 40 * DAY_MS, now - 3 * DAY_MS, now - 1000, now + 2 * DAY_MS, now + 400 * DAY_MS];
    await db.transaction().execute((trx) => repo.upsertSamples(trx, ts.map(() => other), ts, ts.map((_, i) => i + 0.5)));
    const snapshot = async () => (await sql<{ s: unknown; ts: unknown; v: number }>`select series_id as s, ts, value as v from metric_sample order by series_id, ts`.execute(db)).rows.map((r) => [Number(r.s), Number(r.ts), r.v]);
    const rows = await snapshot();
    expect(rows.length).toBe(ts.length + 1); // and the future sample of the test above

    await db.transaction().execute((trx) => migration.up(trx));
    expect(await isPartitioned(db)).toBe(true);
    expect(await snapshot()).toEqual(rows);
    const where = new Map((await sql<{ ts: unknown; part: string }>`select ts, tableoid::regclass::text as part from metric_sample where series_id = ${other}`.execute(db)).rows.map((r) => [Number(r.ts), r.part.replace(/^.*\./, '')]));
    expect(where.get(now - 3 * DAY_MS)).toBe(partitionName(day(now - 3 * DAY_MS)));
    expect(where.get(now + 2 * DAY_MS)).toBe(partitionName(day(now + 2 * DAY_MS)));
    expect(where.get(now + 400 * DAY_MS)).toBe(DEFAULT_PARTITION);
    // A query over the converted table; writes still replace values.
    await db.transaction().execute((trx) => repo.upsertSamples(trx, [other], [now - 1000], [9]));
    const buckets = await repo.rawBuckets([other], now - 50 * DAY_MS, now, now - 50 * DAY_MS, 60_000);
    expect(buckets.get(other)?.map((b) => b.sum)).toEqual([1.5, 2.5, 9]);
  });
});

describe.skipIf(testDialect() !== 'sqlite')('metric_sample on SQLite', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  it('stays one WITHOUT ROWID table: the partition job and the partition drop do nothing', async () => {
    expect(await isPartitioned(t.ctx.db)).toBe(false);
    const partitions = new SamplePartitions(t.ctx.db);
    expect(await partitions.ensure(Date.now(), Date.now() - 15 * DAY_MS)).toEqual([]);
    expect(await partitions.dropBefore(Date.now())).toEqual({ partitions: [], rows: 0 });
    const { rows } = await sql<{ sql: string }>`select sql from sqlite_master where name = 'metric_sample'`.execute(t.ctx.db);
    expect(rows[0]?.sql).toMatch(/without rowid/i);
  });
});
