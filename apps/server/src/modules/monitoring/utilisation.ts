/**
 * Resource-utilisation analysis (L3-2.1.2): pure computations over the points of a group of series.
 * A point is one bucket of samples (a raw sample is a bucket of one): its average is what p95 and the
 * trend look at, while the overall average and maximum use every sample (sum / count, max of maxima).
 */
export interface Bucket {
  ts: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

export interface UtilisationStats {
  points: number;
  avg: number | null;
  p95: number | null;
  max: number | null;
  min: number | null;
  /** Least-squares slope of the bucket averages, per day. */
  trendPerDay: number | null;
  /** threshold − p95. */
  headroom: number | null;
  /** When the fitted trend line reaches the threshold, if it is rising towards it (epoch ms). */
  thresholdEta: number | null;
}

const DAY_MS = 86_400_000;

/** The q-quantile (0..1) with linear interpolation between closest ranks (NumPy's default, R type 7). */
export function quantile(values: readonly number[], q: number): number | null {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  const h = (sorted.length - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}

/** The shortest history a trend is fitted to: one daily cycle. */
export const MIN_TREND_SPAN_MS = DAY_MS;

/** Least-squares line through (ts, value): slope per day and the value at `origin`. */
export function linearFit(points: readonly { ts: number; value: number }[]): { slopePerDay: number; intercept: number; origin: number } | null {
  if (points.length < 2) {
    return null;
  }
  const origin = points[0]!.ts;
  let sx = 0;
  let sy = 0;
  for (const p of points) {
    sx += (p.ts - origin) / DAY_MS;
    sy += p.value;
  }
  const n = points.length;
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  for (const p of points) {
    const dx = (p.ts - origin) / DAY_MS - mx;
    sxx += dx * dx;
    sxy += dx * (p.value - my);
  }
  if (sxx === 0) {
    return null;
  }
  const slopePerDay = sxy / sxx;
  return { slopePerDay, intercept: my - slopePerDay * mx, origin };
}

export function summarise(buckets: readonly Bucket[], threshold: number | null = null): UtilisationStats {
  const usable = buckets.filter((b) => b.count > 0);
  if (usable.length === 0) {
    return { points: 0, avg: null, p95: null, max: null, min: null, trendPerDay: null, headroom: null, thresholdEta: null };
  }
  let sum = 0;
  let count = 0;
  let max = -Infinity;
  let min = Infinity;
  const averages: { ts: number; value: number }[] = [];
  for (const b of usable) {
    sum += b.sum;
    count += b.count;
    max = Math.max(max, b.max);
    min = Math.min(min, b.min);
    averages.push({ ts: b.ts, value: b.sum / b.count });
  }
  averages.sort((a, b) => a.ts - b.ts);
  const p95 = quantile(
    averages.map((a) => a.value),
    0.95,
  );
  // A slope fitted to a few hours is mostly the daily cycle, and extrapolated per day it misleads
  // (an hour's dip reads as "−1250 %/day"): no trend, hence no forecast, until a day of data is there.
  const span = averages[averages.length - 1]!.ts - averages[0]!.ts;
  const fit = span >= MIN_TREND_SPAN_MS ? linearFit(averages) : null;
  let thresholdEta: number | null = null;
  if (fit && threshold !== null && fit.slopePerDay > 0) {
    const crossDays = (threshold - fit.intercept) / fit.slopePerDay;
    const eta = fit.origin + crossDays * DAY_MS;
    const last = averages[averages.length - 1]!.ts;
    thresholdEta = eta > last ? Math.round(eta) : null;
  }
  return {
    points: usable.length,
    avg: sum / count,
    p95,
    max,
    min,
    trendPerDay: fit ? fit.slopePerDay : null,
    headroom: threshold !== null && p95 !== null ? threshold - p95 : null,
    thresholdEta,
  };
}

/** Adds bucket `b` into the map's bucket at the same time (min, max, sum, count combined). */
export function addBucket(byTs: Map<number, Bucket>, b: Bucket): void {
  const at = byTs.get(b.ts);
  if (at) {
    at.min = Math.min(at.min, b.min);
    at.max = Math.max(at.max, b.max);
    at.sum += b.sum;
    at.count += b.count;
  } else {
    byTs.set(b.ts, { ...b });
  }
}

/** Merges the buckets of several series of one group: buckets at the same time are combined. */
export function mergeBuckets(lists: Iterable<readonly Bucket[]>): Bucket[] {
  const byTs = new Map<number, Bucket>();
  for (const list of lists) {
    for (const b of list) {
      addBucket(byTs, b);
    }
  }
  return [...byTs.values()].sort((a, b) => a.ts - b.ts);
}

/** The k groups ranking highest by `rank` (groups without data last, never in the top). */
export function busiest<T extends Pick<UtilisationStats, 'avg' | 'p95' | 'max'>>(groups: readonly T[], k: number, rank: 'p95' | 'avg' | 'max'): T[] {
  return groups
    .filter((g) => g[rank] !== null)
    .sort((a, b) => b[rank]! - a[rank]!)
    .slice(0, k);
}
