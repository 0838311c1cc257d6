import type { Resolution } from '@yunwei/contracts/monitoring';

/**
 * Which store answers a query (raw samples, 5-minute or 1-hour rollups) and how the time range is
 * split between them. Rollups lag behind the raw samples (the rollup job runs every few minutes), so
 * the newest part of a rollup-resolution query is read from the finer stores: no gap at "now".
 */
export const BUCKET_MS: Record<Exclude<Resolution, 'raw'>, number> = { '5m': 300_000, '1h': 3_600_000 };
export const DAY_MS = 86_400_000;
/** Prometheus' limit of points per series in a range query. */
export const MAX_POINTS = 11_000;

export interface RetentionDays {
  raw: number;
  rollup5m: number;
  rollup1h: number;
}

export interface PlanInput {
  start: number;
  end: number;
  /** Step of a range query in ms; null for whole-range analyses (top-N, utilisation). */
  step: number | null;
  now: number;
  retention: RetentionDays;
}

/**
 * Raw while the range is short and raw samples still exist; 5-minute rollups beyond a day or beyond
 * raw retention; 1-hour rollups beyond 15 days or beyond 5-minute retention. A range query's step
 * must be a multiple of the rollup bucket to use it (so buckets nest in steps).
 */
export function chooseResolution({ start, end, step, now, retention }: PlanInput): Resolution {
  const range = end - start;
  const fits = (bucket: number) => step === null || (step >= bucket && step % bucket === 0);
  if (fits(BUCKET_MS['1h']) && (range > 15 * DAY_MS || start < now - retention.rollup5m * DAY_MS)) {
    return '1h';
  }
  if (fits(BUCKET_MS['5m']) && (range > DAY_MS || start < now - retention.raw * DAY_MS)) {
    return '5m';
  }
  return 'raw';
}

/** Where the grid of a query starts: `start`, aligned down to the rollup bucket for rollups. */
export function gridStart(start: number, resolution: Resolution): number {
  return resolution === 'raw' ? start : Math.floor(start / BUCKET_MS[resolution]) * BUCKET_MS[resolution];
}

export interface Tier {
  source: Resolution;
  /** Half-open [from, to) on sample time (rollups: on bucket start). */
  from: number;
  to: number;
}

/**
 * Splits [grid, end] between the stores. `watermarks`: per rollup level, the time before which its
 * buckets are complete and current (null: none yet).
 */
export function planTiers(resolution: Resolution, grid: number, end: number, watermarks: { '5m': number | null; '1h': number | null }): Tier[] {
  const stop = end + 1;
  const floorTo = (t: number, bucket: number) => Math.floor(t / bucket) * bucket;
  const tiers: Tier[] = [];
  let at = grid;
  const levels: Exclude<Resolution, 'raw'>[] = resolution === '1h' ? ['1h', '5m'] : resolution === '5m' ? ['5m'] : [];
  for (const level of levels) {
    // A rollup bucket is used only when complete, and only when it ends by `end`.
    const to = Math.min(watermarks[level] ?? at, floorTo(stop, BUCKET_MS[level]));
    if (to > at) {
      tiers.push({ source: level, from: at, to });
      at = to;
    }
  }
  if (stop > at) {
    tiers.push({ source: 'raw', from: at, to: stop });
  }
  return tiers;
}
