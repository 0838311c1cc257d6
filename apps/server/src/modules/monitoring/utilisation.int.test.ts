import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UtilisationGroup, UtilisationResult } from '@yunwei/contracts/monitoring';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { apiToken, bearer, qs } from './monitoring.testing.js';
import { monitoringOf } from './runtime.js';

const FIVE_MIN = 300_000;
const DAY = 86_400_000;

/** Three hosts with two cores each; CPU % = base + trend·day ± 4 (the cores) + a small deterministic wiggle. */
const HOSTS = [
  { host: 'app-1', base: 20, trend: 1 },
  { host: 'db-1', base: 40, trend: 3 },
  { host: 'web-1', base: 10, trend: -0.5 },
];
const CORE_OFFSET = { '0': 4, '1': -4 } as const;
const wiggle = (k: number) => (((k * 37) % 11) - 5) * 0.3;

// Independent reference computations (textbook formulas, not the module's code).
function p95(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * 0.95;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
}
function slopePerDay(points: { ts: number; v: number }[]): number {
  const n = points.length;
  const xs = points.map((p) => p.ts / DAY);
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = points.reduce((a, p) => a + p.v, 0) / n;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i]! - mx) * (p.v - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den;
}

describe.skipIf(!databaseAvailable())('resource utilisation analysis', () => {
  let t: TestApp;
  let reader: string;
  const end = Math.floor(Date.now() / FIVE_MIN) * FIVE_MIN - FIVE_MIN;
  const start = end - 7 * DAY + FIVE_MIN;
  const steps = 7 * 288; // one sample per core every 5 minutes for a week
  const expected = new Map<string, { avg: number; p95: number; max: number; min: number; trend: number }>();

  beforeAll(async () => {
    t = await createTestApp();
    const writer = await apiToken(t, ['monitoring.metric.write']);
    reader = await apiToken(t, ['monitoring.metric.read']);
    const samples = [];
    for (const h of HOSTS) {
      const hostPoints: { ts: number; v: number }[] = [];
      const all: number[] = [];
      for (let k = 0; k < steps; k++) {
        const ts = start + k * FIVE_MIN;
        const level = h.base + (h.trend * (ts - start)) / DAY + wiggle(k);
        for (const [cpu, offset] of Object.entries(CORE_OFFSET)) {
          samples.push({ metric: 'yw_cpu_usage_percent', labels: { host: h.host, cpu }, ts, value: level + offset });
          all.push(level + offset);
        }
        hostPoints.push({ ts, v: level }); // the cores' mean at this time
      }
      expected.set(h.host, {
        avg: all.reduce((a, b) => a + b, 0) / all.length,
        p95: p95(hostPoints.map((p) => p.v)),
        max: Math.max(...all),
        min: Math.min(...all),
        trend: slopePerDay(hostPoints),
      });
    }
    expect(samples).toHaveLength(12_096);
    const res = await bearer(t, writer, 'POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  });
  afterAll(() => t?.close());

  const analyse = async (params: Record<string, string | number>): Promise<UtilisationResult> => {
    const res = await bearer(t, reader, 'GET', `/api/monitoring/utilisation?${qs({ query: 'yw_cpu_usage_percent', start, end, ...params })}`);
    expect(res.status, res.body).toBe(200);
    return res.json;
  };

  const checkHosts = (result: UtilisationResult) => {
    expect(result.resolution).toBe('5m');
    expect(result.groups.map((g) => g.key)).toEqual(HOSTS.map((h) => ({ host: h.host })));
    for (const g of result.groups) {
      const e = expected.get(g.key.host!)!;
      const h = HOSTS.find((x) => x.host === g.key.host)!;
      expect(g.series, g.key.host).toBe(2);
      expect(g.points, g.key.host).toBe(steps);
      expect(g.avg!, g.key.host).toBeCloseTo(e.avg, 6);
      expect(g.p95!, g.key.host).toBeCloseTo(e.p95, 6);
      expect(g.max!, g.key.host).toBeCloseTo(e.max, 6);
      expect(g.min!, g.key.host).toBeCloseTo(e.min, 6);
      expect(g.trendPerDay!, g.key.host).toBeCloseTo(e.trend, 6);
      // The trend recovered is the one built in (the wiggle barely moves it).
      expect(Math.abs(g.trendPerDay! - h.trend), g.key.host).toBeLessThan(0.05);
      expect(g.headroom!, g.key.host).toBeCloseTo(80 - e.p95, 6);
    }
  };

  it('[L3-2.1.2] analyses utilisation over stored samples', async () => {
    const result = await analyse({ threshold: 80, by: 'host', k: 2 });
    expect(result).toMatchObject({ query: 'yw_cpu_usage_percent', start, end, threshold: 80, by: 'host', rank: 'p95' });
    checkHosts(result);
    // The busiest by p95: db-1 (ends near 61 %), then app-1 (near 27 %).
    expect(result.top.map((g) => g.key.host)).toEqual(['db-1', 'app-1']);
    // db-1 keeps rising 3 %/day towards 80 %: when it gets there.
    const db = result.groups.find((g) => g.key.host === 'db-1')!;
    expect(db.thresholdEta).toBeGreaterThan(end);
    expect(db.thresholdEta! - end).toBeGreaterThan(5 * DAY);
    expect(db.thresholdEta! - end).toBeLessThan(8 * DAY);
    expect(result.groups.find((g) => g.key.host === 'web-1')!.thresholdEta).toBeNull();

    // The same analysis once the rollup job has run (now read from 5-minute rollups) gives the same answer.
    const run = await monitoringOf(t.ctx).rollups.run();
    expect(run.rows5m).toBeGreaterThanOrEqual(6 * (steps - 1));
    const fromRollups = await analyse({ threshold: 80, by: 'host', k: 2 });
    checkHosts(fromRollups);
    expect(fromRollups.top.map((g) => g.key.host)).toEqual(['db-1', 'app-1']);
  });

  it('analyses per series without `by`, ranks by avg or max, and refuses bad parameters', async () => {
    const perSeries = await analyse({ rank: 'max', k: 3 });
    expect(perSeries.groups).toHaveLength(6);
    expect(perSeries.top.map((g: UtilisationGroup) => [g.key.host, g.key.cpu])).toEqual([
      ['db-1', '0'],
      ['db-1', '1'],
      ['app-1', '0'],
    ]);
    expect(perSeries.groups[0]!.key).toMatchObject({ __name__: 'yw_cpu_usage_percent' });
    expect(perSeries.groups.every((g) => g.headroom === null)).toBe(true);
    // One day of raw samples.
    const day = await analyse({ start: end - DAY, by: 'host', rank: 'avg', k: 1 });
    expect(day.resolution).toBe('raw');
    expect(day.top.map((g) => g.key.host)).toEqual(['db-1']);
    expect(day.groups[0]!.points).toBe(289);

    for (const [params, field] of [
      [{ query: 'yw_cpu_usage_percent{', start, end }, 'querystring.query'],
      [{ query: 'yw_cpu_usage_percent', start: end, end: start }, 'querystring.start'],
      [{ query: 'yw_cpu_usage_percent', by: 'bad-label' }, 'querystring.by'],
      [{ query: 'yw_cpu_usage_percent', threshold: 'high' }, 'querystring.threshold'],
    ] as const) {
      const res = await bearer(t, reader, 'GET', `/api/monitoring/utilisation?${qs(params as Record<string, string | number>)}`);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.json.details.field, JSON.stringify(params)).toBe(field);
    }
  });
});
