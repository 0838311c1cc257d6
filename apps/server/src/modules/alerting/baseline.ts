const HOUR_MS = 3_600_000;
const WEEK_HOURS = 168;

/**
 * Hour of the week (0 = Monday 00:00) in China Standard Time (UTC+8, no daylight saving): the rhythm
 * of the people and systems being watched, whatever the server's own time zone is.
 */
export function hourOfWeek(ts: number): number {
  const hours = Math.floor((ts + 8 * HOUR_MS) / HOUR_MS);
  // 1970-01-01 was a Thursday: hour 0 of the epoch is hour 72 of its week.
  return (hours + 72) % WEEK_HOURS;
}

export interface BaselineCell {
  n: number;
  mean: number;
  sd: number;
}

/** Mean and standard deviation of hourly averages per hour of the week (Welford, population σ). */
export function buildBaseline(hourly: readonly { t: number; v: number }[]): Map<number, BaselineCell> {
  const acc = new Map<number, { n: number; mean: number; m2: number }>();
  for (const { t, v } of hourly) {
    const h = hourOfWeek(t);
    const a = acc.get(h) ?? { n: 0, mean: 0, m2: 0 };
    a.n++;
    const d = v - a.mean;
    a.mean += d / a.n;
    a.m2 += d * (v - a.mean);
    acc.set(h, a);
  }
  return new Map([...acc].map(([h, a]) => [h, { n: a.n, mean: a.mean, sd: Math.sqrt(a.m2 / a.n) }]));
}

/**
 * True when `value` lies outside mean ± k·σ of its hour of the week; null when that hour has fewer
 * than `minSamples` values (no judgement yet). A σ of 0 (a constant history) counts as any deviation.
 */
export function deviates(cell: BaselineCell | undefined, value: number, k: number, minSamples: number): { deviates: boolean; low: number; high: number } | null {
  if (!cell || cell.n < minSamples) {
    return null;
  }
  const low = cell.mean - k * cell.sd;
  const high = cell.mean + k * cell.sd;
  return { deviates: value < low || value > high, low, high };
}
