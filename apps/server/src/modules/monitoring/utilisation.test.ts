import { describe, expect, it } from 'vitest';
import { busiest, linearFit, mergeBuckets, quantile, summarise, type Bucket } from './utilisation.js';

const DAY = 86_400_000;
const point = (ts: number, value: number): Bucket => ({ ts, min: value, max: value, sum: value, count: 1 });

describe('utilisation computations', () => {
  it('computes quantiles with linear interpolation between closest ranks', () => {
    expect(quantile([], 0.95)).toBeNull();
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.95)).toBeCloseTo(9.55, 10);
    expect(quantile([10, 1, 5], 0.5)).toBe(5);
    const hundred = Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(quantile(hundred, 0.95)).toBe(95);
  });

  it('fits a least-squares line, slope per day', () => {
    const fit = linearFit(Array.from({ length: 10 }, (_, i) => ({ ts: 1_700_000_000_000 + i * DAY, value: 3 + 2 * i })));
    expect(fit!.slopePerDay).toBeCloseTo(2, 10);
    expect(fit!.intercept).toBeCloseTo(3, 10);
    expect(linearFit([{ ts: 1, value: 1 }])).toBeNull();
    expect(linearFit([{ ts: 1, value: 1 }, { ts: 1, value: 2 }])).toBeNull();
  });

  it('summarises a rising series: avg, p95, max, min, trend, headroom and when the threshold is reached', () => {
    const t0 = 1_700_000_000_000;
    // 10 + 5/day over 4 days, hourly.
    const buckets = Array.from({ length: 97 }, (_, i) => point(t0 + i * 3_600_000, 10 + (5 * i) / 24));
    const s = summarise(buckets, 80);
    expect(s.points).toBe(97);
    expect(s.avg).toBeCloseTo(20, 10);
    expect(s.max).toBeCloseTo(30, 10);
    expect(s.min).toBe(10);
    expect(s.p95).toBeCloseTo(10 + 5 * 0.95 * 4, 10);
    expect(s.trendPerDay).toBeCloseTo(5, 10);
    expect(s.headroom).toBeCloseTo(80 - s.p95!, 10);
    // 10 + 5/day reaches 80 after 14 days.
    expect(s.thresholdEta).toBe(t0 + 14 * DAY);
    expect(summarise(buckets).headroom).toBeNull();
  });

  it('weights the average by samples while p95 looks at bucket averages; empty input gives nulls', () => {
    const s = summarise([
      { ts: 0, min: 0, max: 10, sum: 30, count: 6 }, // avg 5
      { ts: 300_000, min: 1, max: 99, sum: 100, count: 2 }, // avg 50
    ]);
    expect(s.avg).toBeCloseTo(130 / 8, 10);
    expect(s.max).toBe(99);
    expect(s.min).toBe(0);
    expect(s.p95).toBeCloseTo(5 + 0.95 * 45, 10);
    expect(summarise([])).toMatchObject({ points: 0, avg: null, p95: null, trendPerDay: null });
    // No ETA for a falling trend.
    expect(summarise([point(0, 50), point(DAY, 40)], 80).thresholdEta).toBeNull();
  });

  it('fits no trend (and forecasts nothing) to less than a day of data: an hour’s dip is not a daily trend', () => {
    const hour = DAY / 24;
    const falling = Array.from({ length: 12 }, (_, i) => point(i * 5 * 60_000, 90 - i * 5));
    expect(summarise(falling, 80)).toMatchObject({ trendPerDay: null, thresholdEta: null });
    const rising = [point(0, 10), point(12 * hour, 20), point(DAY, 30)];
    expect(summarise(rising, 80).trendPerDay).toBeCloseTo(20, 10);
  });

  it('merges buckets of several series at the same time (e.g. the cores of one host)', () => {
    const merged = mergeBuckets([
      [point(0, 10), point(60_000, 20)],
      [point(0, 30), point(120_000, 5)],
    ]);
    expect(merged).toEqual([
      { ts: 0, min: 10, max: 30, sum: 40, count: 2 },
      { ts: 60_000, min: 20, max: 20, sum: 20, count: 1 },
      { ts: 120_000, min: 5, max: 5, sum: 5, count: 1 },
    ]);
  });

  it('ranks the busiest groups, leaving groups without data out', () => {
    const groups = [
      { name: 'a', avg: 10, p95: 50, max: 60 },
      { name: 'b', avg: 40, p95: 45, max: 99 },
      { name: 'c', avg: null, p95: null, max: null },
      { name: 'd', avg: 20, p95: 70, max: 75 },
    ];
    expect(busiest(groups, 2, 'p95').map((g) => g.name)).toEqual(['d', 'a']);
    expect(busiest(groups, 5, 'avg').map((g) => g.name)).toEqual(['b', 'd', 'a']);
    expect(busiest(groups, 1, 'max').map((g) => g.name)).toEqual(['b']);
  });
});
