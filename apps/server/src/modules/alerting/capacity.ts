/** Least-squares line through (t, v) points: v = slope·t + intercept. Null with fewer than 2 distinct times. */
export function linearFit(points: readonly { t: number; v: number }[]): { slope: number; intercept: number } | null {
  const n = points.length;
  if (n < 2) {
    return null;
  }
  // Centre the times: epoch ms squared loses precision in doubles.
  const t0 = points[0]!.t;
  let st = 0;
  let sv = 0;
  for (const p of points) {
    st += p.t - t0;
    sv += p.v;
  }
  const mt = st / n;
  const mv = sv / n;
  let num = 0;
  let den = 0;
  for (const p of points) {
    const dt = p.t - t0 - mt;
    num += dt * (p.v - mv);
    den += dt * dt;
  }
  if (den === 0) {
    return null;
  }
  const slope = num / den;
  return { slope, intercept: mv - slope * (mt + t0) };
}

export interface CapacityForecast {
  /** The trend's value now. */
  value: number;
  /** When the trend reaches the threshold (epoch ms): `now` if already there, null if never (or not within a year). */
  eta: number | null;
}

/**
 * Where the linear trend of `points` stands now and when it crosses `threshold` going the way `op`
 * says (`>`: upwards). A flat or receding trend never crosses.
 */
export function forecast(points: readonly { t: number; v: number }[], op: '>' | '<', threshold: number, now: number): CapacityForecast | null {
  const fit = linearFit(points);
  if (!fit) {
    return null;
  }
  const value = fit.slope * now + fit.intercept;
  const reached = op === '>' ? value >= threshold : value <= threshold;
  if (reached) {
    return { value, eta: now };
  }
  const towards = op === '>' ? fit.slope > 0 : fit.slope < 0;
  return { value, eta: towards ? (threshold - fit.intercept) / fit.slope : null };
}
