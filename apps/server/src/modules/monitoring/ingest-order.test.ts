import { describe, expect, it } from 'vitest';
import { sortOrder } from './sort-order.mjs';

/** The reference order: by series, then ts, then arrival. */
function reference(sid: Float64Array, ts: Float64Array): number[] {
  return Array.from({ length: sid.length }, (_, k) => k).sort((a, b) => sid[a]! - sid[b]! || ts[a]! - ts[b]! || a - b);
}

function random(n: number, series: number, span: number, seed: number): { sid: Float64Array; ts: Float64Array } {
  let x = seed;
  const next = () => ((x = (x * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const sid = new Float64Array(n);
  const ts = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    sid[i] = 1 + Math.floor(next() * series);
    ts[i] = 1_795_000_000_000 + Math.floor(next() * span);
  }
  return { sid, ts };
}

describe('ingest batch order', () => {
  it('orders samples by series, ts and arrival with the composite-key sort (duplicates keep arrival order)', () => {
    for (const [n, series, span] of [
      [5_000, 50, 20],
      [20_000, 10_000, 60_000],
      [1, 1, 1],
    ] as const) {
      const { sid, ts } = random(n, series, span, n);
      expect(Array.from(sortOrder(sid, ts))).toEqual(reference(sid, ts));
    }
  });

  it('falls back to a comparator sort when the keys would not be exact doubles (years of time, many series)', () => {
    const { sid, ts } = random(3_000, 900_000, 5 * 365 * 86_400_000, 7);
    const order = sortOrder(sid, ts);
    expect(Array.isArray(order)).toBe(true);
    expect(Array.from(order)).toEqual(reference(sid, ts));
  });
});
