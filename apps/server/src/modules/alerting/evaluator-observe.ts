import type { RuleSpec } from '@yunwei/contracts/alerting';
import type { Observation } from './alert-state.js';
import { deviates, hourOfWeek, type BaselineCell } from './baseline.js';
import { forecast } from './capacity.js';
import type { TrackedSeries } from './evaluator-window.js';
import { breachOf, recovered, reduce } from './reducers.js';
import type { CompiledRule } from './rule-model.js';

/** A (rule, series) pair with the alert identity it maps to, computed once. */
export interface Binding {
  series: TrackedSeries;
  labels: Record<string, string>;
  fingerprint: string;
  /** Check rules: the identity of the flapping alert of the same series. */
  flapping?: { labels: Record<string, string>; fingerprint: string };
}

/** Inputs of rollup-based kinds, refreshed every few minutes rather than every cycle. */
export interface SlowInputs {
  at: number;
  /** Capacity: points per series key (bucket averages). */
  points?: Map<string, { t: number; v: number }[]>;
  /** Baseline: cells per series key and hour of week. */
  baselines?: Map<string, Map<number, BaselineCell>>;
}

const ALL = () => true;
const inTarget = (cis: Set<string> | null, b: Binding) => cis === null || (b.series.ci !== null && cis.has(b.series.ci));

/**
 * What one rule sees now over its bindings: pure CPU over the in-memory samples (and the slow inputs
 * for capacity and baseline rules). Series without data in the window give no observation: their
 * alerts keep their state.
 */
export function observeRule(rule: CompiledRule, bindings: readonly Binding[], cis: Set<string> | null, now: number, slow: SlowInputs | undefined, out: Observation[], tracked: (fingerprint: string) => boolean = ALL): void {
  const spec: RuleSpec = rule.spec;
  // Most series are fine most of the time: an observation is made only when it can change something.
  const everything = spec.kind === 'metric' && spec.nOfM !== undefined;
  const base = (b: Binding) => ({ rule, fingerprint: b.fingerprint, labels: b.labels, ci: b.series.ci });
  switch (spec.kind) {
    case 'metric': {
      const from = now - spec.windowSeconds * 1000;
      for (const b of bindings) {
        if (!inTarget(cis, b)) {
          continue;
        }
        const value = reduce(spec.reducer, b.series.ts, b.series.values, from, now, spec.percentile);
        if (value === null) {
          continue;
        }
        const breach = breachOf(spec, value);
        if (breach || everything || tracked(b.fingerprint)) {
          out.push({ ...base(b), value, breach, clear: recovered(spec, value) });
        }
      }
      return;
    }
    case 'check':
      for (const b of bindings) {
        if (inTarget(cis, b)) {
          observeCheck(rule, spec, b, out);
        }
      }
      return;
    case 'absent':
      for (const b of bindings) {
        if (!inTarget(cis, b) || b.series.lastTs === -Infinity) {
          continue;
        }
        const silentS = Math.max(0, Math.round((now - b.series.lastTs) / 1000));
        const breach = now - b.series.lastTs >= rule.forMs ? { severity: rule.severity, threshold: rule.forMs / 1000 } : null;
        out.push({ ...base(b), value: silentS, breach, clear: breach === null });
      }
      return;
    case 'capacity':
      for (const b of bindings) {
        const points = slow?.points?.get(b.series.key);
        const f = points && inTarget(cis, b) ? forecast(points, spec.op, spec.threshold, now) : null;
        if (!f) {
          continue;
        }
        const soon = f.eta !== null && f.eta - now <= spec.horizonSeconds * 1000;
        out.push({ ...base(b), value: f.value, breach: soon ? { severity: rule.severity, threshold: spec.threshold } : null, clear: !soon, eta: f.eta });
      }
      return;
    case 'baseline': {
      const from = now - (spec.windowSeconds ?? 300) * 1000;
      for (const b of bindings) {
        const cells = slow?.baselines?.get(b.series.key);
        const value = cells && inTarget(cis, b) ? reduce('avg', b.series.ts, b.series.values, from, now) : null;
        const judged = value === null ? null : deviates(cells!.get(hourOfWeek(now)), value, spec.k, spec.minSamples);
        if (value === null || judged === null) {
          continue;
        }
        const threshold = value > judged.high ? judged.high : judged.low;
        out.push({ ...base(b), value, breach: judged.deviates ? { severity: rule.severity, threshold } : null, clear: !judged.deviates });
      }
      return;
    }
  }
}

/** Down for N consecutive results; flapping when the last `window` results change state often. */
function observeCheck(rule: CompiledRule, spec: Extract<RuleSpec, { kind: 'check' }>, b: Binding, out: Observation[]): void {
  const v = b.series.values;
  const n = v.length;
  if (n === 0) {
    return;
  }
  let down = 0;
  while (down < n && v[n - 1 - down] === 0) {
    down++;
  }
  const breach = down >= spec.consecutiveDown ? { severity: rule.severity, threshold: spec.consecutiveDown } : null;
  out.push({ rule, fingerprint: b.fingerprint, labels: b.labels, ci: b.series.ci, value: down, breach, clear: v[n - 1] === 1 });
  if (spec.flapping && b.flapping) {
    const start = Math.max(0, n - spec.flapping.window);
    let changes = 0;
    for (let i = start + 1; i < n; i++) {
      if ((v[i] === 0) !== (v[i - 1] === 0)) {
        changes++;
      }
    }
    const flapping = changes >= spec.flapping.changes;
    out.push({
      rule,
      fingerprint: b.flapping.fingerprint,
      labels: b.flapping.labels,
      ci: b.series.ci,
      value: changes,
      breach: flapping ? { severity: 'warning', threshold: spec.flapping.changes } : null,
      clear: !flapping,
    });
  }
}
