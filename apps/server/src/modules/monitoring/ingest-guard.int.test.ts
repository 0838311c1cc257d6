import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { buildApp, type Yunwei } from '../../app.js';
import { bearer, remoteWriteBody, type WriteSeries } from './monitoring.testing.js';
import { MAX_SAMPLES } from './remote-write.js';
import { snappyCompress } from './snappy.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy' };

/** A token of `user` holding `scopes` (it reaches no further than its owner's grants). */
async function tokenOf(t: TestApp, session: TestSession, scopes: string[]): Promise<string> {
  const res = await session.request('POST', '/api/tokens', { name: 'ingest guard test', scopes, expiresInDays: 1 });
  expect(res.status, res.body).toBe(200);
  return res.json.secret as string;
}

/**
 * Writes checked before they are queued: the writer's data scope over the CIs its series name (#10.6),
 * the new-series budget per credential, the sample cap while decoding and dropped samples by reason
 * in `/metrics` (#10.12).
 */
describe.skipIf(!databaseAvailable())('monitoring: what a writer may store', () => {
  let t: TestApp;
  let admin: TestSession;
  let w: ScopedWorld;
  /** An operator whose metric write grant reaches 甲 only, signed in, and an API token of theirs. */
  let scoped: TestSession;
  let scopedToken: string;
  let everywhere: string;
  const now = () => Date.now() - 1_000;

  const storedOf = async (metric: string) => {
    const rows = await t.ctx.db.selectFrom('metric_series').select('labels').where('metric', '=', metric).execute();
    return rows.length;
  };
  const scrapeMetrics = async () => {
    const res = await admin.request('GET', '/metrics');
    expect(res.status).toBe(200);
    return res.body;
  };
  /** The value of one counter line of `/metrics` (0 when absent). */
  const counter = (text: string, name: string, labels: Record<string, string>) => {
    const want = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
    const line = text.split('\n').find((l) => l.startsWith(`${name}{`) && want.every((p) => l.includes(p)));
    return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
  };
  const remoteWrite = (token: string, body: Buffer) =>
    t.app.inject({ method: 'POST', url: '/api/v1/write', headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...PROTOBUF }, payload: body });

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    w = await scopedWorld(t, admin, 'ingest');
    scoped = await w.scopedToA(['monitoring.metric.write', 'identity.token.use']);
    scopedToken = await tokenOf(t, scoped, ['monitoring.metric.write']);
    everywhere = await tokenOf(t, admin, ['monitoring.metric.write']);
  });
  afterAll(() => t?.close());

  describe('#10.6 data scope of writes', () => {
    it("#10.6 a unit-scoped operator cannot push samples for another unit's CI: 403 naming the CI, nothing of the batch stored", async () => {
      const res = await scoped.request('POST', '/api/v1/metrics', {
        samples: [
          { metric: 'yw_guard_up', labels: { ci: w.ciA }, value: 1 },
          { metric: 'check_up', labels: { ci: w.ciB, check: 'forged' }, value: 1 },
        ],
      });
      expect(res.status, res.body).toBe(403);
      expect(res.json).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { permission: 'monitoring.metric.write', ciId: w.ciB, ci: 'host-b-ingest', metric: 'check_up' } });
      expect(res.json.message).toContain('host-b-ingest');
      expect(await storedOf('check_up')).toBe(0);
      expect(await storedOf('yw_guard_up')).toBe(0);
    });

    it('#10.6 it may write series of CIs in its units (and their sub-units) and series of no CI', async () => {
      const res = await scoped.request('POST', '/api/v1/metrics', {
        samples: [
          { metric: 'yw_guard_up', labels: { ci: w.ciA }, value: 1 },
          { metric: 'yw_guard_free', labels: { host: 'anywhere' }, value: 2 },
        ],
      });
      expect(res.status, res.body).toBe(200);
      expect(await storedOf('yw_guard_up')).toBe(1);
      expect(await storedOf('yw_guard_free')).toBe(1);
    });

    it('#10.6 a CI reached through a mapping rule, or an id naming no CI, is refused too', async () => {
      const rule = await admin.request('POST', '/api/monitoring/ci-rules', { label: 'instance', pattern: 'guard-b-host', ciTemplate: w.ciB, priority: 1 });
      expect(rule.status, rule.body).toBe(200);
      const ruled = await scoped.request('POST', '/api/v1/metrics', { samples: [{ metric: 'yw_guard_ruled', labels: { instance: 'guard-b-host' }, value: 1 }] });
      expect(ruled.status, ruled.body).toBe(403);
      expect(ruled.json.message).toContain('mapping rule');
      const ghost = await scoped.request('POST', '/api/v1/metrics', { samples: [{ metric: 'yw_guard_ghost', labels: { ci: 'no-such-ci' }, value: 1 }] });
      expect(ghost.status, ghost.body).toBe(403);
      expect(ghost.json.details).toMatchObject({ ciId: 'no-such-ci' });
      expect(await storedOf('yw_guard_ruled')).toBe(0);
      expect(await storedOf('yw_guard_ghost')).toBe(0);
    });

    it("#10.6 remote-write with the operator's API token is held to the same scope", async () => {
      const ts = now();
      const forged = await remoteWrite(scopedToken, remoteWriteBody([{ labels: { __name__: 'check_up', ci: w.ciB, check: 'rw-forged' }, samples: [{ ts, value: 1 }] }]));
      expect(forged.statusCode, forged.body).toBe(403);
      expect(forged.json()).toMatchObject({ code: 'YW_OUT_OF_SCOPE', details: { ciId: w.ciB } });
      expect(await storedOf('check_up')).toBe(0);
      const own = await remoteWrite(scopedToken, remoteWriteBody([{ labels: { __name__: 'yw_guard_rw', ci: w.ciA }, samples: [{ ts, value: 1 }] }]));
      expect(own.statusCode, own.body).toBe(204);
      expect(await storedOf('yw_guard_rw')).toBe(1);
    });

    it('#10.6 a CI created in its unit a moment ago may be written at once; a writer without unit restriction writes anywhere', async () => {
      const created = await admin.request('POST', '/api/cmdb/cis', { classId: w.serverClassId, name: 'host-a-new-ingest', orgUnitId: w.unitA });
      expect(created.status, created.body).toBe(200);
      const fresh = await scoped.request('POST', '/api/v1/metrics', { samples: [{ metric: 'yw_guard_new', labels: { ci: created.json.id }, value: 1 }] });
      expect(fresh.status, fresh.body).toBe(200);
      const all = await bearer(t, everywhere, 'POST', '/api/v1/metrics', { samples: [{ metric: 'check_up', labels: { ci: w.ciB, check: 'real' }, value: 1 }] });
      expect(all.status, all.body).toBe(200);
      expect(await storedOf('check_up')).toBe(1);
    });
  });

  describe('#10.12 remote-write limits and counters', () => {
    it('#10.12 samples dropped for being invalid, too old or too far in the future are counted in /metrics by reason', async () => {
      const before = await scrapeMetrics();
      const ts = now();
      const series: WriteSeries[] = [
        { labels: { __name__: 'yw_guard_drop', k: 'ok' }, samples: [{ ts, value: 1 }, { ts: ts - 1, value: NaN }] },
        { labels: { __name__: 'yw_guard_drop', k: 'old' }, samples: [{ ts: Math.floor(ts / 1000), value: 1 }, { ts: Math.floor(ts / 1000) + 1, value: 1 }] },
        { labels: { __name__: 'yw_guard_drop', k: 'future' }, samples: [{ ts: ts + 3_600_000, value: 1 }] },
        { labels: { __name__: 'yw_guard_drop', 'bad-label': 'x' }, samples: [{ ts, value: 1 }] },
      ];
      const res = await remoteWrite(everywhere, remoteWriteBody(series));
      expect(res.statusCode, res.body).toBe(204);
      const after = await scrapeMetrics();
      const delta = (reason: string) => counter(after, 'yunwei_samples_dropped_total', { source: 'remote_write', reason }) - counter(before, 'yunwei_samples_dropped_total', { source: 'remote_write', reason });
      expect({ invalid_value: delta('invalid_value'), too_old: delta('too_old'), too_far_in_future: delta('too_far_in_future'), invalid_labels: delta('invalid_labels') }).toEqual({
        invalid_value: 1,
        too_old: 2,
        too_far_in_future: 1,
        invalid_labels: 1,
      });
      expect(await storedOf('yw_guard_drop')).toBe(1);
    });

    it('#10.12 a body over the sample cap is refused with 413 and nothing of it is stored', async () => {
      // One series of MAX_SAMPLES + 1 samples, built directly (the test encoder is not made for this size).
      const label = (name: string, value: string) => {
        const pair = Buffer.concat([Buffer.from([0x0a, name.length]), Buffer.from(name), Buffer.from([0x12, value.length]), Buffer.from(value)]);
        return Buffer.concat([Buffer.from([0x0a, pair.length]), pair]);
      };
      const sample = Buffer.alloc(2 + 11);
      sample[0] = 0x12; // TimeSeries.samples
      sample[1] = 11;
      sample[2] = 0x09; // Sample.value
      sample.writeDoubleLE(1, 3);
      sample[11] = 0x10; // Sample.timestamp: 1 (dropped as too old if it were ever stored)
      sample[12] = 1;
      const series = Buffer.concat([label('__name__', 'yw_guard_cap'), Buffer.alloc(sample.length * (MAX_SAMPLES + 1)).fill(sample)]);
      const varint = (n: number) => {
        const out: number[] = [];
        while (n >= 0x80) {
          out.push((n % 128) | 0x80);
          n = Math.floor(n / 128);
        }
        return Buffer.from([...out, n]);
      };
      const request = Buffer.concat([Buffer.from([0x0a]), varint(series.length), series]);
      const res = await remoteWrite(everywhere, Buffer.from(snappyCompress(request)));
      expect(res.statusCode, res.body).toBe(413);
      expect(res.json()).toMatchObject({ code: 'YW_BODY_TOO_LARGE', details: { max: { samples: MAX_SAMPLES } } });
      expect(await storedOf('yw_guard_cap')).toBe(0);
    });

    it('#10.12 each credential may create only newSeriesPerMinute new series: 429 with Retry-After, counted in /metrics; known series cost nothing', async () => {
      const set = await admin.request('PATCH', '/api/monitoring/settings', { newSeriesPerMinute: 10 });
      expect(set.status, set.body).toBe(200);
      expect(set.json.newSeriesPerMinute).toBe(10);
      try {
        const minter = await tokenOf(t, admin, ['monitoring.metric.write']);
        const other = await tokenOf(t, admin, ['monitoring.metric.write']);
        const samples = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ metric: 'yw_guard_budget', labels: { id: String(from + i) }, value: i }));
        const before = await scrapeMetrics();

        expect((await bearer(t, minter, 'POST', '/api/v1/metrics', { samples: samples(0, 8) })).status).toBe(200);
        const over = await bearer(t, minter, 'POST', '/api/v1/metrics', { samples: samples(8, 5) });
        expect(over.status, over.body).toBe(429);
        expect(over.json).toMatchObject({ code: 'YW_MONITORING_SERIES_BUDGET', details: { limit: 10, newSeries: 5, available: 2 } });
        expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
        expect(over.json.message).toContain('newSeriesPerMinute');
        // Nothing of the refused batch; the series already stored may still be written.
        expect(await storedOf('yw_guard_budget')).toBe(8);
        expect((await bearer(t, minter, 'POST', '/api/v1/metrics', { samples: samples(0, 8) })).status).toBe(200);
        // Remote-write spends the same budget, and answers the same refusal.
        const rw = await remoteWrite(minter, remoteWriteBody([{ labels: { __name__: 'yw_guard_budget', id: 'rw-1' }, samples: [{ ts: now(), value: 1 }] }, { labels: { __name__: 'yw_guard_budget', id: 'rw-2' }, samples: [{ ts: now(), value: 1 }] }, { labels: { __name__: 'yw_guard_budget', id: 'rw-3' }, samples: [{ ts: now(), value: 1 }] }]));
        expect(rw.statusCode, rw.body).toBe(429);
        // Another credential has a budget of its own.
        expect((await bearer(t, other, 'POST', '/api/v1/metrics', { samples: samples(100, 10) })).status).toBe(200);

        const after = await scrapeMetrics();
        const refusals = (source: string) => counter(after, 'yunwei_series_budget_refusals_total', { source }) - counter(before, 'yunwei_series_budget_refusals_total', { source });
        expect([refusals('push'), refusals('remote_write')]).toEqual([1, 1]);
      } finally {
        await admin.request('PATCH', '/api/monitoring/settings', { newSeriesPerMinute: 100_000 });
      }
    });

    it('#10.12 the nodes of a cluster share each credential\'s budget: spending it on two nodes at once takes it once', async () => {
      const set = await admin.request('PATCH', '/api/monitoring/settings', { newSeriesPerMinute: 10 });
      expect(set.status, set.body).toBe(200);
      const pgSchema = t.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s : undefined;
      const other = await buildApp({ config: t.ctx.config, announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
      try {
        const minter = await tokenOf(t, admin, ['monitoring.metric.write']);
        const push = (app: Yunwei['app'], from: number) =>
          app.inject({ method: 'POST', url: '/api/v1/metrics', headers: { authorization: `Bearer ${minter}` }, payload: { samples: Array.from({ length: 6 }, (_, i) => ({ metric: 'yw_guard_shared', labels: { id: String(from + i) }, ts: now(), value: i })) } });
        // Six new series on each node at the same moment: ten fit in the one budget, so one of the two is refused whole.
        const answers = await Promise.all([push(t.app, 0), push(other.app, 100)]);
        expect(answers.map((a) => a.statusCode).sort()).toEqual([200, 429]);
        expect(answers.find((a) => a.statusCode === 429)!.json()).toMatchObject({ code: 'YW_MONITORING_SERIES_BUDGET', details: { limit: 10, newSeries: 6, available: 4 } });
        expect(await storedOf('yw_guard_shared')).toBe(6);
      } finally {
        await other.close();
        await admin.request('PATCH', '/api/monitoring/settings', { newSeriesPerMinute: 100_000 });
      }
    });

    it('#10.12 the budget setting is bounded and its change audited', async () => {
      const low = await admin.request('PATCH', '/api/monitoring/settings', { newSeriesPerMinute: 0 });
      expect(low.status).toBe(400);
      expect(low.json.message).toContain('newSeriesPerMinute');
      const audit = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'monitoring.settings.update').execute();
      expect(audit.some((a) => String(a.after).includes('"newSeriesPerMinute":10'))).toBe(true);
    });
  });
});
