import { describe, expect, it } from 'vitest';
import { breachOf, recovered, reduce, thresholdProblem } from './reducers.js';

const ts = [1000, 2000, 3000, 4000, 5000];
const values = [10, 20, 30, 5, 15];

describe('metric rule reducers', () => {
  it('[L3-2.1.3] reduces the window (from, to] with last, avg, min, max, sum and percentile', () => {
    expect(reduce('last', ts, values, 0, 5000)).toBe(15);
    expect(reduce('avg', ts, values, 1000, 5000)).toBe(17.5);
    expect(reduce('min', ts, values, 0, 3000)).toBe(10);
    expect(reduce('max', ts, values, 2000, 5000)).toBe(30);
    expect(reduce('sum', ts, values, 0, 5000)).toBe(80);
    expect(reduce('percentile', ts, values, 0, 5000, 50)).toBe(15);
    expect(reduce('percentile', ts, values, 0, 5000, 90)).toBeCloseTo(26, 10);
    expect(reduce('last', ts, values, 5000, 9000)).toBeNull();
  });

  it('computes rate per second across a counter reset', () => {
    // 100 → 160 (+60), reset to 20 (+20), → 50 (+30): 110 over 3 s.
    expect(reduce('rate', [0, 1000, 2000, 3000], [100, 160, 20, 50], -1, 3000)).toBeCloseTo(110 / 3, 10);
    expect(reduce('rate', [0], [1], -1, 0)).toBeNull();
  });

  it('picks the highest breached severity and applies hysteresis on recovery', () => {
    const spec = { op: '>' as const, thresholds: { warning: 80, critical: 90 }, recovery: 70 };
    expect(breachOf(spec, 95)).toEqual({ severity: 'critical', threshold: 90 });
    expect(breachOf(spec, 85)).toEqual({ severity: 'warning', threshold: 80 });
    expect(breachOf(spec, 75)).toBeNull();
    expect(recovered(spec, 75)).toBe(false);
    expect(recovered(spec, 70)).toBe(true);
    expect(recovered({ op: '<', thresholds: { critical: 10 } }, 10)).toBe(true);
    expect(recovered({ op: '<', thresholds: { critical: 10 } }, 9)).toBe(false);
  });

  it('names impossible thresholds', () => {
    expect(thresholdProblem({ op: '>', thresholds: { warning: 90, critical: 80 } })?.[0]).toBe('thresholds.critical');
    expect(thresholdProblem({ op: '<', thresholds: { warning: 10, critical: 20 } })?.[0]).toBe('thresholds.critical');
    expect(thresholdProblem({ op: '>', thresholds: { warning: 80 }, recovery: 85 })?.[0]).toBe('recovery');
    expect(thresholdProblem({ op: '>', thresholds: {} })?.[0]).toBe('thresholds');
    expect(thresholdProblem({ op: '>=', thresholds: { warning: 80, critical: 90 }, recovery: 75 })).toBeNull();
  });
});
