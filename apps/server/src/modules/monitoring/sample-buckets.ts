import type { Bucket } from './utilisation.js';

/**
 * Aggregates one series' samples into buckets of `step` ms aligned on `grid` (bucket = grid + k·step,
 * samples at or after `grid`), in one pass, the way SQLite's `group by` computed them: min, max,
 * count, and the sum with SQLite's Kahan–Babuška–Neumaier compensation (its `sum()` since 3.43), so
 * the values are bit-identical to what the SQL aggregation returned. Samples are expected in time
 * order (a primary-key range); out-of-order input is sorted first. Only non-empty buckets, ascending.
 */
export function bucketSamples(ts: readonly number[], values: readonly number[], grid: number, step: number): Bucket[] {
  if (!isAscending(ts)) {
    const order = ts.map((_, i) => i).sort((a, b) => ts[a]! - ts[b]!);
    return bucketSamples(
      order.map((i) => ts[i]!),
      order.map((i) => values[i]!),
      grid,
      step,
    );
  }
  const out: Bucket[] = [];
  let current: Bucket | null = null;
  let err = 0;
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const v = values[i]!;
    const at = t - ((t - grid) % step);
    if (current === null || current.ts !== at) {
      if (current !== null) {
        current.sum = compensated(current.sum, err);
      }
      current = { ts: at, min: v, max: v, sum: v, count: 1 };
      err = 0;
      out.push(current);
      continue;
    }
    // kahanBabuskaNeumaierStep (sqlite/src/func.c).
    const s = current.sum;
    const sum = s + v;
    err += Math.abs(s) > Math.abs(v) ? s - sum + v : v - sum + s;
    current.sum = sum;
    if (v < current.min) {
      current.min = v;
    }
    if (v > current.max) {
      current.max = v;
    }
    current.count++;
  }
  if (current !== null) {
    current.sum = compensated(current.sum, err);
  }
  return out;
}

/** sumFinalize: the correction is added unless it overflowed (±Inf or NaN after an infinite sample). */
function compensated(sum: number, err: number): number {
  return Number.isFinite(err) ? sum + err : sum;
}

function isAscending(ts: readonly number[]): boolean {
  for (let i = 1; i < ts.length; i++) {
    if (ts[i]! < ts[i - 1]!) {
      return false;
    }
  }
  return true;
}
