import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { sqliteHandleOf } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { offloadedSqlite } from '../../db/worker-sqlite-dialect.js';
import { MetricsRepository, type IdRange } from './metrics.repository.js';
import { apiToken, bearer, qs } from './monitoring.testing.js';
import { RollupService } from './rollup.service.js';
import { monitoringOf } from './runtime.js';

const M = 60_000;
const H = 3_600_000;
const D = 86_400_000;

describe.skipIf(!databaseAvailable())('rollups and retention', () => {
  let t: TestApp;
  let writer: string;
  let admin: TestSession;
  const now = Math.floor(Date.now() / H) * H; // on the hour, so buckets are easy to name
  const base = now - 2 * D; // two days ago, on the hour
  /** Minute i of two hours from `base`: value i for host a, 100 - i for host b. */
  const samples = Array.from({ length: 120 }, (_, i) => [
    { metric: 'yw_roll_cpu', labels: { host: 'a' }, ts: base + i * M, value: i },
    { metric: 'yw_roll_cpu', labels: { host: 'b' }, ts: base + i * M, value: 100 - i },
  ]).flat();

  beforeAll(async () => {
    t = await createTestApp();
    writer = await apiToken(t, ['monitoring.metric.write']);
    admin = await t.signIn(t.admin);
    const res = await bearer(t, writer, 'POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  });
  afterAll(() => t?.close());

  const rollupRows = async (table: 'metric_rollup_5m' | 'metric_rollup_1h', host: string) => {
    const rows = await t.ctx.db
      .selectFrom(`${table} as r`)
      .innerJoin('metric_series as s', 's.id', 'r.series_id')
      .select(['r.bucket_ts', 'r.min', 'r.max', 'r.sum', 'r.count'])
      .where('s.metric', '=', 'yw_roll_cpu')
      .where('s.labels', '=', JSON.stringify({ host }))
      .orderBy('r.bucket_ts')
      .execute();
    return rows.map((r) => ({ bucket: Number(r.bucket_ts), min: Number(r.min), max: Number(r.max), sum: Number(r.sum), count: Number(r.count) }));
  };

  it('computes 5-minute and 1-hour rollups: min, max, sum, count (hence avg) per bucket', async () => {
    const run = await monitoringOf(t.ctx).rollups.run(now);
    expect(run.to5m).toBe(now - 5 * M); // the bucket still filling (late samples) waits for the next run
    // Never rolled up before: it starts at the first sample (two days ago), not at raw retention (15 days).
    expect(run.from5m).toBe(base);
    expect(run.from1h).toBe(base);
    expect(run.rows5m).toBeGreaterThanOrEqual(48);

    const a5 = await rollupRows('metric_rollup_5m', 'a');
    expect(a5).toHaveLength(24);
    // Bucket k holds minutes 5k..5k+4, values 5k..5k+4.
    expect(a5[0]).toEqual({ bucket: base, min: 0, max: 4, sum: 10, count: 5 });
    expect(a5[23]).toEqual({ bucket: base + 115 * M, min: 115, max: 119, sum: 585, count: 5 });
    const b5 = await rollupRows('metric_rollup_5m', 'b');
    expect(b5[1]).toEqual({ bucket: base + 5 * M, min: 91, max: 95, sum: 465, count: 5 });

    const a1 = await rollupRows('metric_rollup_1h', 'a');
    expect(a1).toEqual([
      { bucket: base, min: 0, max: 59, sum: 1770, count: 60 },
      { bucket: base + H, min: 60, max: 119, sum: 5370, count: 60 },
    ]);
    const state = await t.ctx.db.selectFrom('metric_rollup_state').selectAll().orderBy('level').execute();
    expect(state.map((s) => [s.level, Number(s.done_until)])).toEqual([
      ['1h', now - H],
      ['5m', now - 5 * M],
    ]);

    // Running again changes nothing (idempotent), and covers no new buckets.
    const again = await monitoringOf(t.ctx).rollups.run(now);
    expect(again.from5m).toBe(now - 5 * M);
    expect(await rollupRows('metric_rollup_5m', 'a')).toEqual(a5);
  });

  it('answers range queries from the rollups with the same min/avg/max/count as from raw samples', async () => {
    const query = (agg: string, resolution: string, step = '1h') =>
      admin.request('GET', `/api/v1/query_range?${qs({ query: 'yw_roll_cpu{host="a"}', start: base / 1000, end: (base + 2 * H - 1) / 1000, step, agg, resolution })}`);
    for (const [agg, expected] of [
      ['min', ['0', '60']],
      ['max', ['59', '119']],
      ['avg', ['29.5', '89.5']],
      ['count', ['60', '60']],
      ['sum', ['1770', '5370']],
    ] as const) {
      for (const resolution of ['raw', '5m', '1h']) {
        const res = await query(agg, resolution);
        expect(res.status, res.body).toBe(200);
        expect(res.json.data.resolution).toBe(resolution);
        expect(res.json.data.result[0].values, `${agg} ${resolution}`).toEqual([
          [base / 1000, expected[0]],
          [(base + H) / 1000, expected[1]],
        ]);
      }
    }
    // A range over a day picks the 5-minute rollups by itself.
    const auto = await admin.request('GET', `/api/v1/query_range?${qs({ query: 'yw_roll_cpu{host="b"}', start: (now - 3 * D) / 1000, end: now / 1000, step: '1h', agg: 'max' })}`);
    expect(auto.json.data.resolution).toBe('5m');
    expect(auto.json.data.result[0].values).toEqual([
      [base / 1000, '100'],
      [(base + H) / 1000, '40'],
    ]);
    // A step that is not a multiple of the bucket cannot read a rollup.
    const bad = await query('avg', '5m', '7m');
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'querystring.step' } });
  });

  it('recomputes the buckets where late samples arrived', async () => {
    const late = await bearer(t, writer, 'POST', '/api/v1/metrics', {
      samples: [
        { metric: 'yw_roll_cpu', labels: { host: 'a' }, ts: base + 30 * 1000, value: 1000 },
        { metric: 'yw_roll_cpu', labels: { host: 'a' }, ts: base + 61 * M, value: -5 },
      ],
    });
    expect(late.status).toBe(200);
    const state = await t.ctx.db.selectFrom('metric_rollup_state').select('dirty_from').where('level', '=', '5m').executeTakeFirstOrThrow();
    expect(Number(state.dirty_from)).toBe(base);
    // Until the job runs, queries read the dirty range from raw samples: already right.
    const before = await admin.request('GET', `/api/v1/query_range?${qs({ query: 'yw_roll_cpu{host="a"}', start: base / 1000, end: (base + 2 * H - 1) / 1000, step: '1h', agg: 'max', resolution: '5m' })}`);
    expect(before.json.data.result[0].values[0]).toEqual([base / 1000, '1000']);

    await t.jobs.enqueue('monitoring.rollup');
    expect(await t.jobs.drain()).toBeGreaterThanOrEqual(1);
    const job = await t.ctx.db.selectFrom('job').select(['status', 'last_error']).where('name', '=', 'monitoring.rollup').executeTakeFirstOrThrow();
    expect(job).toEqual({ status: 'done', last_error: null });
    const a5 = await rollupRows('metric_rollup_5m', 'a');
    expect(a5[0]).toEqual({ bucket: base, min: 0, max: 1000, sum: 1010, count: 6 });
    expect(a5[12]).toEqual({ bucket: base + H, min: -5, max: 64, sum: 60 + 62 + 63 + 64 - 5, count: 5 });
    const a1 = await rollupRows('metric_rollup_1h', 'a');
    expect(a1[0]).toEqual({ bucket: base, min: 0, max: 1000, sum: 2770, count: 61 });
    expect(a1[1]).toEqual({ bucket: base + H, min: -5, max: 119, sum: 5370 - 61 - 5, count: 60 });
    const after = await t.ctx.db.selectFrom('metric_rollup_state').select(['level', 'dirty_from']).execute();
    expect(after.every((s) => s.dirty_from === null)).toBe(true);
  });

  it('retention deletes raw samples after 15 days, 5-minute rollups after 90 and 1-hour rollups after 2 years', async () => {
    const count = async (table: 'metric_sample' | 'metric_rollup_5m' | 'metric_rollup_1h') =>
      Number(
        (
          await t.ctx.db
            // (each of the three tables has series_id: one of them stands for the type)
            .selectFrom(`${table} as x` as 'metric_sample as x')
            .innerJoin('metric_series as s', 's.id', 'x.series_id')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('s.metric', '=', 'yw_roll_cpu')
            .executeTakeFirstOrThrow()
        ).n,
      );
    const rollups = monitoringOf(t.ctx).rollups;
    const counts = async () => [await count('metric_sample'), await count('metric_rollup_5m'), await count('metric_rollup_1h')];
    const initial = await counts();
    expect(initial).toEqual([241, 48, 4]);
    // 14 days later nothing is old enough.
    expect(await rollups.purge(base + 14 * D)).toEqual({ raw: 0, rollup5m: 0, rollup1h: 0 });
    // The first hour is now over 15 days old: its raw samples go (61 for a, 60 for b), rollups stay.
    const purged = await rollups.purge(base + 15 * D + H);
    expect(purged.raw).toBe(121);
    expect(await counts()).toEqual([120, 48, 4]);
    expect(await rollups.purge(base + 16 * D)).toMatchObject({ raw: 120, rollup5m: 0 });
    expect(await rollups.purge(base + 91 * D)).toMatchObject({ rollup5m: 48, rollup1h: 0 });
    expect(await rollups.purge(base + 731 * D)).toMatchObject({ rollup1h: 4 });
    expect(await counts()).toEqual([0, 0, 0]);
  });

  it('keeps retention in settings: defaults, a change (audited), consistent orders of magnitude', async () => {
    expect((await admin.request('GET', '/api/monitoring/settings')).json).toEqual({ rawRetentionDays: 15, rollup5mRetentionDays: 90, rollup1hRetentionDays: 730, newSeriesPerMinute: 100_000, updatedAt: null });
    const changed = await admin.request('PATCH', '/api/monitoring/settings', { rawRetentionDays: 30 });
    expect(changed.status, changed.body).toBe(200);
    expect(changed.json).toMatchObject({ rawRetentionDays: 30, rollup5mRetentionDays: 90 });
    expect((await admin.request('GET', '/api/monitoring/settings')).json.rawRetentionDays).toBe(30);
    const bad = await admin.request('PATCH', '/api/monitoring/settings', { rollup5mRetentionDays: 20 });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ code: 'YW_VALIDATION', details: { field: 'body.rollup5mRetentionDays' } });
    const zero = await admin.request('PATCH', '/api/monitoring/settings', { rawRetentionDays: 0 });
    expect(zero.json.details.field).toBe('body.rawRetentionDays');
    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'before', 'after']).where('action', '=', 'monitoring.settings.update').execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.before)).toMatchObject({ rawRetentionDays: 15 });
    expect(JSON.parse(audit[0]!.after)).toMatchObject({ rawRetentionDays: 30 });
    // The purge follows the setting: 20-day-old samples stay now.
    await bearer(t, writer, 'POST', '/api/v1/metrics', { samples: [{ metric: 'yw_roll_kept', ts: Date.now() - 20 * D, value: 1 }] });
    expect((await monitoringOf(t.ctx).rollups.purge()).raw).toBe(0);
  });
});

describe.skipIf(!databaseAvailable())('rollups in series-id ranges', () => {
  let t: TestApp;
  const now = Math.floor(Date.now() / H) * H;
  const base = now - 2 * D;
  const SERIES = 12;

  beforeAll(async () => {
    t = await createTestApp();
    const writer = await apiToken(t, ['monitoring.metric.write']);
    // Two samples per 5-minute bucket over two hours; each series its own values.
    const samples = Array.from({ length: SERIES }, (_, s) => Array.from({ length: 48 }, (_, i) => ({ metric: 'yw_split_cpu', labels: { n: String(s) }, ts: base + i * 150_000, value: s * 1000 + i }))).flat();
    const res = await bearer(t, writer, 'POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  });
  afterAll(() => t?.close());

  const rollupRows = async (table: 'metric_rollup_5m' | 'metric_rollup_1h') =>
    (
      await t.ctx.db
        .selectFrom(`${table} as r`)
        .innerJoin('metric_series as s', 's.id', 'r.series_id')
        .select(['s.labels', 'r.bucket_ts', 'r.min', 'r.max', 'r.sum', 'r.count'])
        .where('s.metric', '=', 'yw_split_cpu')
        .orderBy('s.labels')
        .orderBy('r.bucket_ts')
        .execute()
    ).map((r) => [r.labels, Number(r.bucket_ts), Number(r.min), Number(r.max), Number(r.sum), Number(r.count)]);
  /** Both levels start at `base` with no rollup rows: each run below computes the same buckets from scratch. */
  const reset = async () => {
    await t.ctx.db.deleteFrom('metric_rollup_5m').execute();
    await t.ctx.db.deleteFrom('metric_rollup_1h').execute();
    await t.ctx.db.updateTable('metric_rollup_state').set({ done_until: base, dirty_from: null }).execute();
  };

  it('runs on the worker connection on file SQLite (the app connection elsewhere)', () => {
    const db = (monitoringOf(t.ctx).rollups as unknown as { db: Kysely<Database> }).db;
    if (t.dialect === 'sqlite') {
      expect(db).not.toBe(t.ctx.db);
      expect(sqliteHandleOf(db)).toBeUndefined(); // a worker-backed Kysely has no in-process handle
    } else {
      expect(db).toBe(t.ctx.db);
    }
  });

  it('gives the same rows split into several small id ranges as in one range', async () => {
    const settings = monitoringOf(t.ctx).settings;
    await reset();
    await new RollupService(t.ctx.db, settings, t.ctx.log, { initialIdRange: Number.MAX_SAFE_INTEGER }).run(now);
    const whole5m = await rollupRows('metric_rollup_5m');
    const whole1h = await rollupRows('metric_rollup_1h');
    expect(whole5m).toHaveLength(SERIES * 24);
    expect(whole1h).toHaveLength(SERIES * 2);

    await reset();
    const worker = offloadedSqlite(t.ctx.db, t.ctx.log);
    const raw = vi.spyOn(MetricsRepository.prototype, 'rollupRaw');
    const hourly = vi.spyOn(MetricsRepository.prototype, 'rollupHourly');
    try {
      await new RollupService(worker ?? t.ctx.db, settings, t.ctx.log, { initialIdRange: 2 }).run(now);
      const bounds = (await new MetricsRepository(t.ctx.db).seriesIdBounds(t.ctx.db))!;
      // The first hour was walked in consecutive ranges from 2 ids up, covering every id once.
      const firstHour = raw.mock.calls.filter((c) => c[1] === base).map((c) => c[4] as IdRange);
      expect(firstHour.length).toBeGreaterThanOrEqual(2);
      expect(firstHour[0]).toEqual({ from: bounds.from, to: Math.min(bounds.from + 1, bounds.to) });
      expect(firstHour.at(-1)!.to).toBe(bounds.to);
      firstHour.slice(1).forEach((range, i) => expect(range.from).toBe(firstHour[i]!.to + 1));
      expect(hourly.mock.calls[0]![4]).toEqual({ from: bounds.from, to: Math.min(bounds.from + 1, bounds.to) });
    } finally {
      raw.mockRestore();
      hourly.mockRestore();
      await worker?.destroy();
    }
    expect(await rollupRows('metric_rollup_5m')).toEqual(whole5m);
    expect(await rollupRows('metric_rollup_1h')).toEqual(whole1h);
    const state = await t.ctx.db.selectFrom('metric_rollup_state').select(['level', 'done_until', 'dirty_from']).orderBy('level').execute();
    expect(state.map((r) => [r.level, Number(r.done_until), r.dirty_from])).toEqual([
      ['1h', now - H, null],
      ['5m', now - 5 * M, null],
    ]);
  });
});
