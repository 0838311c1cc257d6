import type { Comparison, MetricRuleSpec, Reducer, Severity } from '@yunwei/contracts/alerting';
import type { RuleProblem } from '../../platform/typed-settings.js';

/**
 * Reduces the samples of one series with timestamps in (from, to] to one value; null when there is
 * none (or, for `rate`, fewer than two). `ts` is sorted ascending. `rate` is per second and treats a
 * decrease as a counter reset (as Prometheus' rate does).
 */
export function reduce(reducer: Reducer, ts: ArrayLike<number>, values: ArrayLike<number>, from: number, to: number, percentile = 95): number | null {
  let lo = lowerBound(ts, from);
  while (lo < ts.length && ts[lo]! <= from) {
    lo++;
  }
  let hi = lo;
  while (hi < ts.length && ts[hi]! <= to) {
    hi++;
  }
  const n = hi - lo;
  if (n === 0) {
    return null;
  }
  switch (reducer) {
    case 'last':
      return values[hi - 1]!;
    case 'avg':
    case 'sum': {
      let sum = 0;
      for (let i = lo; i < hi; i++) {
        sum += values[i]!;
      }
      return reducer === 'sum' ? sum : sum / n;
    }
    case 'min':
    case 'max': {
      let best = values[lo]!;
      for (let i = lo + 1; i < hi; i++) {
        const v = values[i]!;
        if (reducer === 'min' ? v < best : v > best) {
          best = v;
        }
      }
      return best;
    }
    case 'rate': {
      if (n < 2) {
        return null;
      }
      let increase = 0;
      for (let i = lo + 1; i < hi; i++) {
        const d = values[i]! - values[i - 1]!;
        increase += d >= 0 ? d : values[i]!;
      }
      const seconds = (ts[hi - 1]! - ts[lo]!) / 1000;
      return seconds > 0 ? increase / seconds : null;
    }
    case 'percentile': {
      const sorted = Array.prototype.slice.call(values, lo, hi) as number[];
      sorted.sort((a, b) => a - b);
      // Linear interpolation between closest ranks.
      const rank = (percentile / 100) * (n - 1);
      const below = Math.floor(rank);
      const frac = rank - below;
      return below + 1 < n ? sorted[below]! + frac * (sorted[below + 1]! - sorted[below]!) : sorted[below]!;
    }
  }
}

/** Index of the first element ≥ x (binary search). */
export function lowerBound(sorted: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return lo;
}

export function compare(op: Comparison, value: number, threshold: number): boolean {
  switch (op) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}

const rising = (op: Comparison) => op === '>' || op === '>=';

/** The highest severity whose threshold the value breaches, with that threshold; null when none does. */
export function breachOf(spec: Pick<MetricRuleSpec, 'op' | 'thresholds'>, value: number): { severity: Severity; threshold: number } | null {
  const { critical, warning } = spec.thresholds;
  if (critical !== undefined && compare(spec.op, value, critical)) {
    return { severity: 'critical', threshold: critical };
  }
  if (warning !== undefined && compare(spec.op, value, warning)) {
    return { severity: 'warning', threshold: warning };
  }
  return null;
}

/** The threshold nearest to normal: what "recovered" means when the rule sets no recovery value. */
export function lowestThreshold(spec: Pick<MetricRuleSpec, 'op' | 'thresholds'>): number {
  const all = [spec.thresholds.warning, spec.thresholds.critical].filter((t): t is number => t !== undefined);
  return rising(spec.op) ? Math.min(...all) : Math.max(...all);
}

/**
 * Hysteresis: a firing alert resolves only when the value has crossed the recovery value back
 * (for `>`: value ≤ recovery; for `<`: value ≥ recovery). Without one, when no threshold is breached.
 */
export function recovered(spec: Pick<MetricRuleSpec, 'op' | 'thresholds' | 'recovery'>, value: number): boolean {
  if (spec.recovery === undefined) {
    return breachOf(spec, value) === null;
  }
  return rising(spec.op) ? value <= spec.recovery : value >= spec.recovery;
}

/** Why a metric rule's thresholds cannot work, as [field under spec, message]; null when they can. */
export function thresholdProblem(spec: Pick<MetricRuleSpec, 'op' | 'thresholds' | 'recovery'>): RuleProblem | null {
  const { warning, critical } = spec.thresholds;
  if (warning === undefined && critical === undefined) {
    return ['thresholds', { zh: '请设置警告阈值或严重阈值（或两者）', en: 'set a warning or a critical threshold (or both)' }];
  }
  if (warning !== undefined && critical !== undefined && (rising(spec.op) ? critical < warning : critical > warning)) {
    return [
      'thresholds.critical',
      {
        zh: `阈值不可能达到：比较方式为“${spec.op}”时，严重阈值须${rising(spec.op) ? '≥' : '≤'}警告阈值`,
        en: `impossible threshold: with "${spec.op}" the critical threshold must be ${rising(spec.op) ? '≥' : '≤'} the warning one`,
      },
    ];
  }
  if (spec.recovery !== undefined) {
    const lowest = lowestThreshold(spec);
    if (rising(spec.op) ? spec.recovery > lowest : spec.recovery < lowest) {
      return [
        'recovery',
        {
          zh: `阈值不可能达到：比较方式为“${spec.op}”时，恢复值须${rising(spec.op) ? '≤' : '≥'} ${lowest}（最低的阈值）`,
          en: `impossible threshold: with "${spec.op}" the recovery value must be ${rising(spec.op) ? '≤' : '≥'} ${lowest} (the lowest threshold)`,
        },
      ];
    }
  }
  return null;
}
