import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { MetricsRepository } from './metrics.repository.js';
import { seriesHash, seriesRef, type SeriesRef } from './series.js';
import type { Bucket } from './utilisation.js';

/**
 * Fine-step range buckets (bucketed in JS from the ordered samples) must equal what the SQL `group by`
 * of the bucket expression computes — on SQLite bit for bit (same compensated sum), on PostgreSQL up
 * to the rounding of its plain sum — for awkward values (many digits, large magnitudes, negatives,
 * ±Infinity), gaps, several series, and a grid that is not aligned on the step.
 */
describe.skipIf(!databaseAvailable())('range buckets of raw samples', () => {
  let t: TestApp;
  let repo: MetricsRepository;
  let ids: number[];
  const t0 = Math.floor(Date.now() / 60_000) * 60_000 - 6 * 3_600_000;
  const t1 = t0 + 6 * 3_600_000;

  beforeAll(async () => {
    t = await createTestApp();
    const db = t.ctx.db;
    repo = new MetricsRepository(db);
    const refs = [0, 1, 2].map((i) => seriesRef('yw_rb_value', { n: String(i) }) as SeriesRef);
    await db.transaction().execute((trx) =>
      repo.insertSeries(
        trx,
        refs.map((r) => ({ metric: r.metric, labels: r.labelsJson, hash: seriesHash(r), ci_id: null, created_at: t0, last_seen: t1 })),
      ),
    );
    ids = (await repo.seriesByHash(db, refs.map(seriesHash))).map((r) => r.id).sort((a, b) => a - b);
    // A deterministic pseudo-random walk (no Math.random: a failure must reproduce).
    let seed = 12345;
    const next = () => (seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const sid: number[] = [];
    const ts: number[] = [];
    const val: number[] = [];
    ids.forEach((id, i) => {
      const scale = [1, 1e9, 1e-3][i]!;
      for (let at = t0 + i * 1000; at < t1; at += 15_000) {
        if (next() < 0.1) {
          continue; // gaps: missed scrapes
        }
        sid.push(id);
        ts.push(at);
        val.push((next() - 0.3) * scale * (next() < 0.05 ? 1e6 : 1) + 0.1);
      }
    });
    // Infinite samples (Prometheus allows them) survive the trip and are kept, as SQL keeps them.
    sid.push(ids[1]!, ids[1]!, ids[2]!);
    ts.push(t0 + 3_600_000 + 3, t0 + 3_600_000 + 4, t0 + 3_600_000 + 5);
    val.push(Infinity, 5, -Infinity);
    await db.transaction().execute((trx) => repo.upsertSamples(trx, sid, ts, val));
  });
  afterAll(() => t?.close());

  async function groupBy(from: number, to: number, grid: number, step: number): Promise<Map<number, Bucket[]>> {
    const { rows } = await sql<{ s: unknown; b: unknown; mn: unknown; mx: unknown; sm: unknown; n: unknown }>`
      select series_id as s, ts - ((ts - ${grid}) % ${step}) as b, min(value) as mn, max(value) as mx, sum(value) as sm, count(*) as n
      from metric_sample
      where series_id in (${sql.join(ids)}) and ts >= ${from} and ts < ${to}
      group by series_id, b
      order by series_id, b`.execute(t.ctx.db);
    const out = new Map<number, Bucket[]>();
    for (const r of rows) {
      const list = out.get(Number(r.s)) ?? [];
      list.push({ ts: Number(r.b), min: Number(r.mn), max: Number(r.mx), sum: Number(r.sm), count: Number(r.n) });
      out.set(Number(r.s), list);
    }
    return out;
  }

  it('equal the SQL aggregation exactly at 15 s, 1 min, 5 min and 7 min steps', async () => {
    const grid = t0 + 7_000;
    for (const step of [15_000, 60_000, 300_000, 420_000]) {
      const expected = await groupBy(grid, t1, grid, step);
      const actual = await repo.rawBuckets(ids, grid, t1, grid, step);
      expect([...actual.keys()].sort(), `step ${step}`).toEqual([...expected.keys()].sort());
      for (const [id, list] of expected) {
        const got = [...actual.get(id)!].sort((a, b) => a.ts - b.ts);
        expect(got.length, `step ${step} series ${id}`).toBe(list.length);
        for (const [i, b] of list.entries()) {
          // Object.is: bit-identical doubles (toEqual would also accept them, but say so explicitly).
          // On PostgreSQL, whose sum() adds plainly, the compensated sum may differ in the last bits.
          const keys = t.dialect === 'sqlite' ? (['ts', 'min', 'max', 'sum', 'count'] as const) : (['ts', 'min', 'max', 'count'] as const);
          const same = keys.every((k) => Object.is(got[i]![k], b[k])) && (Object.is(got[i]!.sum, b.sum) || Math.abs(got[i]!.sum - b.sum) <= 1e-12 * Math.max(Math.abs(b.min), Math.abs(b.max)) * b.count);
          expect(same, `step ${step} series ${id} bucket ${i}: ${JSON.stringify(got[i])} vs ${JSON.stringify(b)}`).toBe(true);
        }
      }
    }
  });

  it('returns nothing for series without samples in the range', async () => {
    expect((await repo.rawBuckets(ids, t1 + 60_000, t1 + 120_000, t1, 60_000)).size).toBe(0);
  });
});
