import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { IngestService } from './ingest.service.js';
import { apiToken, bearer, qs, storedSamples } from './monitoring.testing.js';
import { monitoringOf } from './runtime.js';
import { seriesRef, type PreparedSample, type SeriesRef } from './series.js';

describe.skipIf(!databaseAvailable())('metric ingestion', () => {
  let t: TestApp;
  let writer: string;
  let reader: string;
  beforeAll(async () => {
    t = await createTestApp();
    writer = await apiToken(t, ['monitoring.metric.write']);
    reader = await apiToken(t, ['monitoring.metric.read']);
  });
  afterAll(() => t?.close());

  const push = (samples: unknown[], token = writer) => bearer(t, token, 'POST', '/api/v1/metrics', { samples });
  const range = async (query: string, start: number, end: number, extra: Record<string, string> = {}) => {
    const res = await bearer(t, reader, 'GET', `/api/v1/query_range?${qs({ query, start: start / 1000, end: end / 1000, step: '1s', ...extra })}`);
    expect(res.status, res.body).toBe(200);
    return res.json.data.result as { metric: Record<string, string>; values: [number, string][] }[];
  };
  const count = async (table: 'metric_series' | 'metric_sample') => {
    const row =
      table === 'metric_sample'
        ? await t.ctx.db.selectFrom(storedSamples(t.ctx.db).as('m')).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()
        : await t.ctx.db.selectFrom('metric_series').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return Number(row.n);
  };

  it('accepts pushed samples with an API token and answers them back once the push returns', async () => {
    const ts = Date.now() - 60_000;
    const res = await push([
      { metric: 'yw_test_cpu', labels: { host: 'web-1', dc: '北京' }, ts, value: 42.5 },
      { metric: 'yw_test_cpu', labels: { dc: '北京', host: 'web-1' }, ts: ts + 1000, value: 43 },
      { metric: 'yw_test_cpu', labels: { host: 'web-2', rack: '' }, ts, value: 7 },
    ]);
    expect(res.status, res.body).toBe(200);
    expect(res.json).toEqual({ accepted: 3 });

    const result = await range('yw_test_cpu{host="web-1"}', ts, ts + 1000);
    expect(result).toEqual([{ metric: { __name__: 'yw_test_cpu', dc: '北京', host: 'web-1' }, values: [[ts / 1000, '42.5'], [(ts + 1000) / 1000, '43']] }]);
    // Both label orders are one series.
    const series = await t.ctx.db.selectFrom('metric_series').selectAll().where('metric', '=', 'yw_test_cpu').execute();
    expect(series.map((s) => s.labels).sort()).toEqual(['{"dc":"北京","host":"web-1"}', '{"host":"web-2"}']);
  });

  it('stamps samples without ts with the time of arrival', async () => {
    const before = Date.now();
    expect((await push([{ metric: 'yw_test_now', value: 1 }])).status).toBe(200);
    const rows = await t.ctx.db.selectFrom(storedSamples(t.ctx.db).as('m')).innerJoin('metric_series as s', 's.id', 'm.series_id').select('m.ts').where('s.metric', '=', 'yw_test_now').execute();
    expect(Number(rows[0]!.ts)).toBeGreaterThanOrEqual(before);
    expect(Number(rows[0]!.ts)).toBeLessThanOrEqual(Date.now());
  });

  it('keeps the last write of a duplicate (series, ts), within a push and across pushes', async () => {
    const ts = Date.now() - 120_000;
    expect(
      (
        await push([
          { metric: 'yw_test_dup', ts, value: 1 },
          { metric: 'yw_test_dup', ts, value: 2 },
        ])
      ).json,
    ).toEqual({ accepted: 2 });
    expect((await range('yw_test_dup', ts, ts))[0]!.values).toEqual([[ts / 1000, '2']]);
    await push([{ metric: 'yw_test_dup', ts, value: 3.25 }]);
    expect((await range('yw_test_dup', ts, ts))[0]!.values).toEqual([[ts / 1000, '3.25']]);
    const rows = await t.ctx.db.selectFrom(storedSamples(t.ctx.db).as('m')).innerJoin('metric_series as s', 's.id', 'm.series_id').select('m.value').where('s.metric', '=', 'yw_test_dup').execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses invalid samples with 400 naming the field, and stores nothing of that push', async () => {
    const now = Date.now();
    const seriesBefore = await count('metric_series');
    const samplesBefore = await count('metric_sample');
    const cases: [unknown[], string][] = [
      [[{ metric: 'ok', value: 1 }, { metric: '1bad', value: 1 }], 'body.samples.1.metric'],
      [[{ metric: 'bad-name', value: 1 }], 'body.samples.0.metric'],
      [[{ metric: 'ok', labels: { 'bad-label': 'x' }, value: 1 }], 'body.samples.0.labels.bad-label'],
      [[{ metric: 'ok', labels: { __name__: 'x' }, value: 1 }], 'body.samples.0.labels.__name__'],
      [[{ metric: 'ok', labels: { v: 'x'.repeat(1025) }, value: 1 }], 'body.samples.0.labels.v'],
      [[{ metric: 'ok', labels: Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`l${i}`, 'v'])), value: 1 }], 'body.samples.0.labels'],
      [[{ metric: 'ok', ts: Math.floor(now / 1000), value: 1 }], 'body.samples.0.ts'],
      [[{ metric: 'ok', ts: now + 3_600_000, value: 1 }], 'body.samples.0.ts'],
      [[{ metric: 'ok', ts: 1.5, value: 1 }], 'body.samples.0.ts'],
      [[{ metric: 'ok', value: '1' }], 'body.samples.0.value'],
      [[{ metric: 'ok', value: 1, extra: true }], 'body.samples.0.extra'],
      [[{ metric: 'ok', labels: { host: 7 }, value: 1 }], 'body.samples.0.labels.host'],
      [[], 'body.samples'],
    ];
    for (const [samples, field] of cases) {
      const res = await push(samples);
      expect(res.status, `${field}: ${res.body}`).toBe(400);
      expect(res.json, field).toMatchObject({ code: 'YW_VALIDATION', details: { field } });
      expect(res.json.message, field).toContain(field);
    }
    // JSON can spell a number too large for a double: it parses as Infinity, which is not stored.
    const inf = await bearer(t, writer, 'POST', '/api/v1/metrics', '{"samples":[{"metric":"ok","value":1e999}]}', { 'content-type': 'application/json' });
    expect(inf.status).toBe(400);
    expect(inf.json.details.field).toBe('body.samples.0.value');
    expect(await count('metric_series')).toBe(seriesBefore);
    expect(await count('metric_sample')).toBe(samplesBefore);
  });

  it('needs monitoring.metric.write: a token without it is refused, and so is no token', async () => {
    const denied = await push([{ metric: 'yw_test_denied', value: 1 }], reader);
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ code: 'YW_FORBIDDEN', details: { permission: 'monitoring.metric.write' } });
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/metrics', payload: { samples: [{ metric: 'x', value: 1 }] } });
    expect(anonymous.statusCode).toBe(401);
    expect(await t.ctx.db.selectFrom('metric_series').select('id').where('metric', '=', 'yw_test_denied').executeTakeFirst()).toBeUndefined();
  });

  it('does not audit samples (they are data, not configuration changes)', async () => {
    const before = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await push([{ metric: 'yw_test_unaudited', value: 1 }]);
    const after = await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  describe('batching', () => {
    const sample = (ref: SeriesRef, ts: number, value: number): PreparedSample => ({ series: ref, ts, value });
    const refs = Array.from({ length: 50 }, (_, i) => seriesRef('yw_test_batch', { n: String(i) }) as SeriesRef);

    it('writes concurrent writers in one transaction once the interval has passed', async () => {
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 200, maxBatch: 100_000 });
      const base = Date.now() - 30_000;
      const started = Date.now();
      await Promise.all(refs.map((ref, i) => ingest.write([sample(ref, base, i), sample(ref, base + 1, i + 0.5)])));
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(ingest.stats).toMatchObject({ samples: 100, flushes: 1, seriesCreated: 50, pending: 0, cachedSeries: 50 });
      // Known series now come from the cache: no new series.
      await Promise.all(refs.map((ref, i) => ingest.write([sample(ref, base + 2, i)])));
      expect(ingest.stats).toMatchObject({ samples: 150, flushes: 2, seriesCreated: 50 });
      await ingest.close();
      const n = await t.ctx.db.selectFrom(storedSamples(t.ctx.db).as('m')).innerJoin('metric_series as s', 's.id', 'm.series_id').select((eb) => eb.fn.countAll<number>().as('n')).where('s.metric', '=', 'yw_test_batch').executeTakeFirstOrThrow();
      expect(Number(n.n)).toBe(150);
    });

    it('writes at once when a batch is full, and splits what exceeds one transaction', async () => {
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 60_000, maxBatch: 1000, maxFlush: 1500 });
      const base = Date.now() - 20_000;
      const started = Date.now();
      // 20 writers of 100 samples: full batches go at once instead of waiting a minute.
      await Promise.all(Array.from({ length: 20 }, (_, w) => ingest.write(Array.from({ length: 100 }, (_, k) => sample(refs[k % 50]!, base + w * 100 + k, k)))));
      expect(Date.now() - started).toBeLessThan(30_000);
      expect(ingest.stats.samples).toBe(2000);
      expect(ingest.stats.flushes).toBeGreaterThanOrEqual(2);
      expect(ingest.stats.flushes).toBeLessThanOrEqual(4);
      await ingest.close();
    });

    it('writes what is queued when it closes, then refuses new writes (503)', async () => {
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 3_600_000, maxBatch: 1_000_000 });
      const ref = seriesRef('yw_test_close', {}) as SeriesRef;
      let committed = false;
      const pending = ingest.write([sample(ref, Date.now() - 5000, 1)]).then(() => (committed = true));
      await new Promise((r) => setTimeout(r, 50));
      expect(committed).toBe(false);
      await ingest.close();
      await pending;
      expect(committed).toBe(true);
      expect(await t.ctx.db.selectFrom('metric_series').select('id').where('metric', '=', 'yw_test_close').executeTakeFirst()).toBeDefined();
      await expect(ingest.write([sample(ref, Date.now(), 2)])).rejects.toMatchObject({ code: 'YW_MONITORING_BUSY', status: 503 });
    });

    it('tells writers to retry later (503) when too much is queued, and refuses a write that could never fit (413)', async () => {
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 100, maxPending: 10 });
      const ref = seriesRef('yw_test_busy', {}) as SeriesRef;
      await expect(ingest.write(Array.from({ length: 11 }, (_, i) => sample(ref, Date.now() - 2000 - i, i)))).rejects.toMatchObject({ code: 'YW_BODY_TOO_LARGE', status: 413 });
      const first = ingest.write(Array.from({ length: 8 }, (_, i) => sample(ref, Date.now() - 1000 - i, i)));
      await expect(ingest.write(Array.from({ length: 5 }, (_, i) => sample(ref, Date.now() - 100 - i, i)))).rejects.toMatchObject({ code: 'YW_MONITORING_BUSY' });
      await first;
      await ingest.close();
    });

    it('maps new series to CIs with the rules in force', async () => {
      const res = await (await t.signIn(t.admin)).request('POST', '/api/monitoring/ci-rules', { label: 'ci', pattern: '(.+)', ciTemplate: '$1', priority: 1 });
      expect(res.status, res.body).toBe(200);
      await push([{ metric: 'yw_test_ci', labels: { ci: 'CI-0001' }, value: 1 }]);
      const row = await t.ctx.db.selectFrom('metric_series').select('ci_id').where('metric', '=', 'yw_test_ci').executeTakeFirstOrThrow();
      expect(row.ci_id).toBe('CI-0001');
      expect(monitoringOf(t.ctx).rules).toHaveLength(1);
    });
  });
});
