import { linearFit } from './utilisation.js';

/*
 * The capacity forecast of the performance report (L2-2.2.3): a least-squares line through the daily
 * peaks (the same fit as the utilisation analysis, `linearFit`), extended from the end of the period to
 * the policy threshold and to 100 %. A line that does not rise (slope ≤ 0) is "no growth": no date.
 */

const DAY_MS = 86_400_000;

export interface Forecast {
  /** Points per day, two decimals; null with fewer than two days of peaks. */
  slopePerDay: number | null;
  /** False when the slope is ≤ 0 (or unknown): nothing will fill up at this pace. */
  growth: boolean;
  /** Days from the end of the period until the line reaches the threshold, one decimal; 0 when it already has; null without growth. */
  daysToThreshold: number | null;
  /** … until 100 %. */
  daysToFull: number | null;
}

export function forecast(peaks: readonly { ts: number; value: number }[], end: number, threshold: number, full = 100): Forecast {
  const fit = linearFit([...peaks].sort((a, b) => a.ts - b.ts));
  if (!fit) {
    return { slopePerDay: null, growth: false, daysToThreshold: null, daysToFull: null };
  }
  const slope = Math.round(fit.slopePerDay * 100) / 100;
  if (fit.slopePerDay <= 0) {
    return { slopePerDay: slope, growth: false, daysToThreshold: null, daysToFull: null };
  }
  const daysTo = (limit: number) => {
    const crossing = fit.origin + ((limit - fit.intercept) / fit.slopePerDay) * DAY_MS;
    return Math.round(Math.max(0, (crossing - end) / DAY_MS) * 10) / 10;
  };
  return { slopePerDay: slope, growth: true, daysToThreshold: daysTo(threshold), daysToFull: daysTo(full) };
}

/** The highest value per day window starting at `from` (daily peaks out of finer points). */
export function dailyPeaks(points: readonly { ts: number; value: number }[], from: number): { ts: number; value: number }[] {
  const byDay = new Map<number, number>();
  for (const p of points) {
    const day = from + Math.floor((p.ts - from) / DAY_MS) * DAY_MS;
    byDay.set(day, Math.max(byDay.get(day) ?? -Infinity, p.value));
  }
  return [...byDay.entries()].map(([ts, value]) => ({ ts, value })).sort((a, b) => a.ts - b.ts);
}
