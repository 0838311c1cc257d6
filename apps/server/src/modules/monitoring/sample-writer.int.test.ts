import SQLite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { sqliteHandleOf } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { IngestService } from './ingest.service.js';
import { MetricsRepository } from './metrics.repository.js';
import { apiToken, bearer, qs, remoteWriteBody, storedSamples } from './monitoring.testing.js';
import { monitoringOf } from './runtime.js';
import { seriesRef, type PreparedSample, type SeriesRef } from './series.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };

describe.skipIf(!databaseAvailable())('sample writer (worker thread on file SQLite)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t?.close());

  const refs = (metric: string, n: number) => Array.from({ length: n }, (_, i) => seriesRef(metric, { n: String(i) }) as SeriesRef);
  const samples = (series: readonly SeriesRef[], ts: number, perSeries = 1): PreparedSample[] =>
    series.flatMap((ref, i) => Array.from({ length: perSeries }, (_, k) => ({ series: ref, ts: ts + k * 1000, value: i + k / 10 })));
  const stored = async (metric: string) =>
    Number(
      (
        await t.ctx.db
          .selectFrom(storedSamples(t.ctx.db).as('m'))
          .innerJoin('metric_series as s', 's.id', 'm.series_id')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('s.metric', '=', metric)
          .executeTakeFirstOrThrow()
      ).n,
    );
  const sqliteOnly = () => t.dialect !== 'sqlite';

  it('writes file SQLite samples on the worker: queryable once write() resolves, and onCommitted fires after the commit', async (ctx) => {
    if (sqliteOnly()) {
      return ctx.skip();
    }
    const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 20 });
    expect(ingest.stats.writer).toBe('worker');
    // A connection of its own reads, inside the listener, what other connections can see: only committed data.
    const reader = new SQLite(sqliteHandleOf(t.ctx.db)!.name, { readonly: true });
    const seenAtNotice: number[] = [];
    ingest.onCommitted((batch) => {
      const row = reader.prepare("select count(*) as n from (select series_id from metric_sample union all select series_id from metric_sample_head) m join metric_series s on s.id = m.series_id where s.metric = 'yw_sw_commit'").get() as { n: number };
      seenAtNotice.push(batch.length, row.n);
    });
    const ts = Date.now() - 60_000;
    await ingest.write(samples(refs('yw_sw_commit', 30), ts, 2));
    expect(seenAtNotice).toEqual([60, 60]);
    expect(await stored('yw_sw_commit')).toBe(60);
    // Last write wins across worker batches too.
    await ingest.write([{ series: refs('yw_sw_commit', 1)[0]!, ts, value: 99.5 }]);
    const row = await t.ctx.db
      .selectFrom(storedSamples(t.ctx.db).as('m'))
      .innerJoin('metric_series as s', 's.id', 'm.series_id')
      .select('m.value')
      .where('s.metric', '=', 'yw_sw_commit')
      .where('s.labels', '=', '{"n":"0"}')
      .where('m.ts', '=', ts)
      .executeTakeFirstOrThrow();
    expect(Number(row.value)).toBe(99.5);
    expect(ingest.stats).toMatchObject({ samples: 61, seriesCreated: 30 });
    reader.close();
    await ingest.close();
  });

  it('keeps :memory: and PostgreSQL on the app connection; the app itself uses the worker on file SQLite', async () => {
    expect(monitoringOf(t.ctx).ingest.stats.writer).toBe(t.dialect === 'sqlite' ? 'worker' : 'connection');
    if (t.dialect === 'postgres') {
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => []);
      expect(ingest.stats.writer).toBe('connection');
      await ingest.close();
      return;
    }
    const { openDatabase } = await import('../../db/database.js');
    const memory = openDatabase({ url: 'sqlite::memory:' });
    const ingest = new IngestService(memory.db, t.ctx.log, () => []);
    expect(ingest.stats.writer).toBe('connection');
    await ingest.close();
    await memory.close();
  });

  it('a worker that dies mid-batch: its writers get 503 YW_MONITORING_WRITE_FAILED, nothing of the batch is stored, the next batch is', async (ctx) => {
    if (sqliteOnly()) {
      return ctx.skip();
    }
    const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 10, worker: { exitAfterRows: 25 } });
    const series = refs('yw_sw_crash', 50);
    const ts = Date.now() - 30_000;
    await expect(ingest.write(samples(series, ts))).rejects.toMatchObject({ code: 'YW_MONITORING_WRITE_FAILED', status: 503 });
    // The 25 rows written before the thread died were never committed.
    expect(await stored('yw_sw_crash')).toBe(0);
    // A new worker takes the next batch (the series, committed before the samples, are reused).
    await ingest.write(samples(series, ts));
    expect(await stored('yw_sw_crash')).toBe(50);
    expect(ingest.stats.seriesCreated).toBe(50);
    await ingest.close();
  });

  it('remote-write senders get a retryable 503 with the code when the worker dies, and the retried request is stored', async (ctx) => {
    if (sqliteOnly()) {
      return ctx.skip();
    }
    const token = await apiToken(t, ['monitoring.metric.write', 'monitoring.metric.read']);
    const runtime = monitoringOf(t.ctx) as unknown as { ingest: IngestService };
    const original = runtime.ingest;
    runtime.ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 10, worker: { exitAfterRows: 1 } });
    try {
      const ts = Date.now() - 20_000;
      const body = remoteWriteBody([{ labels: { __name__: 'yw_sw_rw', job: 'node' }, samples: [{ ts, value: 1 }, { ts: ts + 1000, value: 2 }] }]);
      const send = () => t.app.inject({ method: 'POST', url: '/api/v1/write', headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...PROTOBUF }, payload: body });
      const failed = await send();
      expect(failed.statusCode, failed.body).toBe(503); // Prometheus retries 5xx with the same body
      expect(failed.json()).toMatchObject({ code: 'YW_MONITORING_WRITE_FAILED' });
      expect(failed.json().details.reason).toMatch(/exited/);
      const retried = await send();
      expect(retried.statusCode, retried.body).toBe(204);
      const q = await bearer(t, token, 'GET', `/api/v1/query_range?${qs({ query: 'yw_sw_rw', start: ts / 1000, end: (ts + 1000) / 1000, step: '1s' })}`);
      expect(q.json.data.result[0].values).toEqual([
        [ts / 1000, '1'],
        [(ts + 1000) / 1000, '2'],
      ]);
    } finally {
      await runtime.ingest.close();
      runtime.ingest = original;
    }
  });

  it('close() writes what is queued through the worker, then refuses new writes', async () => {
    const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 3_600_000, maxBatch: 1_000_000 });
    let committed = false;
    const pending = ingest.write(samples(refs('yw_sw_close', 40), Date.now() - 10_000, 3)).then(() => (committed = true));
    await new Promise((r) => setTimeout(r, 30));
    expect(committed).toBe(false);
    await ingest.close();
    await pending;
    expect(committed).toBe(true);
    expect(await stored('yw_sw_close')).toBe(120);
    await expect(ingest.write(samples(refs('yw_sw_close', 1), Date.now(), 1))).rejects.toMatchObject({ code: 'YW_MONITORING_BUSY' });
  });

  it('audited writes on the app connection succeed while a large ingest commits (no SQLITE_BUSY)', async () => {
    const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, maxBatch: 2_000 });
    const series = refs('yw_sw_busy', 2_000);
    const base = Date.now() - 300_000;
    // 40 writers × 2,000 samples: the worker commits batch after batch while the app connection writes.
    const ingesting = Promise.all(Array.from({ length: 40 }, (_, w) => ingest.write(samples(series, base + w * 1000))));
    const audited: Promise<void>[] = [];
    for (let i = 0; i < 20; i++) {
      // Reads the chain head, then writes: a deferred transaction would fail with SQLITE_BUSY (snapshot) here.
      audited.push(t.ctx.audit.recordNow({ actor: systemActor('test'), action: 'monitoring.test.concurrent', targetType: 'test', targetId: String(i) }));
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all([ingesting, ...audited]);
    expect(await stored('yw_sw_busy')).toBe(80_000);
    const rows = await t.ctx.db.selectFrom('audit_log').select('target_id').where('action', '=', 'monitoring.test.concurrent').execute();
    expect(rows).toHaveLength(20);
    await ingest.close();
  });

  describe('staging of fresh samples (metric_sample_head)', () => {
    const repo = () => new MetricsRepository(t.ctx.db);
    const headRows = async (ids: readonly number[]) =>
      Number((await t.ctx.db.selectFrom('metric_sample_head').select((eb) => eb.fn.countAll<number>().as('n')).where('series_id', 'in', ids).executeTakeFirstOrThrow()).n);
    const mainRows = async (ids: readonly number[]) =>
      Number((await t.ctx.db.selectFrom('metric_sample').select((eb) => eb.fn.countAll<number>().as('n')).where('series_id', 'in', ids).executeTakeFirstOrThrow()).n);
    const idsOf = async (metric: string) => (await t.ctx.db.selectFrom('metric_series').select('id').where('metric', '=', metric).orderBy('id').execute()).map((r) => Number(r.id));
    /** Every read path, as the query API uses them, for comparing before and after the move. */
    const reads = async (ids: number[], from: number, to: number) => ({
      raw: await repo().rawSamples(ids, from, to),
      packed: [...(await repo().rawBuckets(ids, from, to, from, 60_000))],
      coarse: [...(await repo().rawBuckets(ids, from, to, from, 3_600_000))],
      latest: [...(await repo().latestSamples(ids, from))],
      newest: await repo().newestTs(ids, to),
    });

    it('stages in-order batches, answers reads from both tables, and moves them into metric_sample unchanged', async (ctx) => {
      if (sqliteOnly()) {
        return ctx.skip();
      }
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, worker: { mergeMs: 3_600_000 } });
      const series = refs('yw_sw_stage', 20);
      const base = Date.now() - 600_000;
      for (let k = 0; k < 5; k++) {
        await ingest.write(samples(series, base + k * 15_000, 2));
      }
      const ids = await idsOf('yw_sw_stage');
      expect(await headRows(ids)).toBe(200);
      expect(await mainRows(ids)).toBe(0);
      const before = await reads(ids, base - 1, Date.now());
      expect(before.raw).toHaveLength(200);
      expect(before.raw.slice(0, 3).map((r) => r.ts)).toEqual([base, base + 1000, base + 15_000]);
      expect(before.latest).toHaveLength(20);
      expect(before.newest).toBe(base + 4 * 15_000 + 1000);

      const counts = await ingest.mergeStaged();
      expect(counts).toMatchObject({ merges: 1, merged: 200, direct: 0, staged: 0 });
      expect(await headRows(ids)).toBe(0);
      expect(await mainRows(ids)).toBe(200);
      expect(await reads(ids, base - 1, Date.now())).toEqual(before);
      await ingest.close();
    });

    it('a point that is not newer than its series (late, replayed, rewritten) moves the staged samples first and is written in place: last write wins, no duplicate', async (ctx) => {
      if (sqliteOnly()) {
        return ctx.skip();
      }
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, worker: { mergeMs: 3_600_000 } });
      const [a, b] = refs('yw_sw_rewrite', 2) as [SeriesRef, SeriesRef];
      const ts = Date.now() - 120_000;
      await ingest.write([{ series: a, ts, value: 1 }, { series: b, ts, value: 1 }]);
      await ingest.write([{ series: a, ts: ts + 15_000, value: 2 }]);
      const ids = await idsOf('yw_sw_rewrite');
      expect(await headRows(ids)).toBe(3);
      // Rewrites a's staged point and adds an older one to b: neither may be staged.
      await ingest.write([
        { series: a, ts: ts + 15_000, value: 20 },
        { series: b, ts: ts - 15_000, value: 0.5 },
      ]);
      expect(await headRows(ids)).toBe(0);
      const raw = await repo().rawSamples(ids, ts - 60_000, ts + 60_000);
      expect(raw.map((r) => [r.series_id, r.ts, r.value])).toEqual([
        [ids[0], ts, 1],
        [ids[0], ts + 15_000, 20],
        [ids[1], ts - 15_000, 0.5],
        [ids[1], ts, 1],
      ]);
      // Newer points are staged again afterwards.
      await ingest.write([{ series: a, ts: ts + 30_000, value: 3 }]);
      expect(await headRows(ids)).toBe(1);
      expect(await ingest.mergeStaged()).toMatchObject({ direct: 2, staged: 0 });
      expect((await repo().rawSamples(ids, ts - 60_000, ts + 60_000)).length).toBe(5);
      await ingest.close();
    });

    it('moves staged samples on its own after mergeMs, and at once past mergeRows', async (ctx) => {
      if (sqliteOnly()) {
        return ctx.skip();
      }
      const byTime = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, worker: { mergeMs: 150 } });
      await byTime.write(samples(refs('yw_sw_mergems', 10), Date.now() - 60_000));
      const timed = await idsOf('yw_sw_mergems');
      expect(await headRows(timed)).toBe(10);
      await waitFor(async () => (await headRows(timed)) === 0, 'the staged samples to move', 5_000, 50);
      expect(await mainRows(timed)).toBe(10);
      await byTime.close();

      const byRows = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, worker: { mergeMs: 3_600_000, mergeRows: 100 } });
      const series = refs('yw_sw_mergerows', 60);
      await byRows.write(samples(series, Date.now() - 60_000));
      const counted = await idsOf('yw_sw_mergerows');
      expect(await headRows(counted)).toBe(60);
      await byRows.write(samples(series, Date.now() - 45_000));
      // The move runs right after the answer: the next message (merge) sees it done.
      expect(await byRows.mergeStaged()).toMatchObject({ merges: 1, merged: 120 });
      expect(await mainRows(counted)).toBe(120);
      await byRows.close();
    });

    it('staged samples a dead worker left behind are moved by the next worker; close() leaves nothing staged', async (ctx) => {
      if (sqliteOnly()) {
        return ctx.skip();
      }
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, worker: { mergeMs: 3_600_000, exitAfterRows: 100 } });
      const series = refs('yw_sw_recover', 50);
      const ts = Date.now() - 60_000;
      await ingest.write(samples(series, ts)); // 50 rows: staged, committed
      const ids = await idsOf('yw_sw_recover');
      expect(await headRows(ids)).toBe(50);
      // 200 rows: the worker dies at row 100, inside the transaction; its staged batch stays on disk.
      await expect(ingest.write(samples(series, ts + 15_000, 4))).rejects.toMatchObject({ code: 'YW_MONITORING_WRITE_FAILED' });
      expect(await headRows(ids)).toBe(50);
      expect((await repo().rawSamples(ids, ts, ts + 60_000)).length).toBe(50);
      // The sender retries: a new worker first moves what the dead one staged, then stages the batch.
      await ingest.write(samples(series, ts + 15_000, 4));
      expect(await mainRows(ids)).toBe(50);
      expect(await headRows(ids)).toBe(200);
      const raw = await repo().rawSamples(ids, ts, ts + 60_000);
      expect(raw).toHaveLength(250);
      expect(new Set(raw.map((r) => `${r.series_id}/${r.ts}`)).size).toBe(250);
      await ingest.close();
      expect(await headRows(ids)).toBe(0);
      expect(await mainRows(ids)).toBe(250);
    });

    it('5-minute rollups include staged samples', async (ctx) => {
      if (sqliteOnly()) {
        return ctx.skip();
      }
      const ingest = new IngestService(t.ctx.db, t.ctx.log, () => [], { flushMs: 5, worker: { mergeMs: 3_600_000 } });
      const bucket = Math.floor((Date.now() - 3_600_000) / 300_000) * 300_000;
      const series = refs('yw_sw_rollup', 3);
      await ingest.write(samples(series, bucket + 1000, 4));
      const ids = await idsOf('yw_sw_rollup');
      expect(await headRows(ids)).toBe(12);
      await t.ctx.db.transaction().execute((trx) => repo().rollupRaw(trx, bucket, bucket + 300_000, 0, { from: ids[0]!, to: ids[2]! }));
      const rows = await t.ctx.db.selectFrom('metric_rollup_5m').selectAll().where('series_id', 'in', ids).orderBy('series_id').execute();
      expect(rows.map((r) => [Number(r.bucket_ts), Number(r.count), Number(r.min), Number(r.max)]).sort((x, y) => x[2]! - y[2]!)).toEqual([
        [bucket, 4, 0, 0.3],
        [bucket, 4, 1, 1.3],
        [bucket, 4, 2, 2.3],
      ]);
      await ingest.close();
    });
  });
});
