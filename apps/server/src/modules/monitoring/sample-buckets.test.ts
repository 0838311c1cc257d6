import { describe, expect, it } from 'vitest';
import { bucketSamples } from './sample-buckets.js';

describe('bucketSamples', () => {
  it('aggregates ordered samples into grid-aligned buckets (only non-empty ones)', () => {
    const grid = 1_000;
    expect(bucketSamples([1_000, 1_015, 1_059, 1_060, 1_200], [1, 5, 3, 2, 7], grid, 60)).toEqual([
      { ts: 1_000, min: 1, max: 5, sum: 9, count: 3 },
      { ts: 1_060, min: 2, max: 2, sum: 2, count: 1 },
      { ts: 1_180, min: 7, max: 7, sum: 7, count: 1 },
    ]);
    expect(bucketSamples([], [], grid, 60)).toEqual([]);
  });

  it('sorts out-of-order samples first', () => {
    expect(bucketSamples([1_070, 1_000, 1_010], [4, 1, 2], 1_000, 60)).toEqual([
      { ts: 1_000, min: 1, max: 2, sum: 3, count: 2 },
      { ts: 1_060, min: 4, max: 4, sum: 4, count: 1 },
    ]);
  });

  it('sums with compensation, like SQLite (0.1 + 0.2 + 0.3 is 0.6, not 0.6000000000000001)', () => {
    expect(bucketSamples([0, 1, 2], [0.1, 0.2, 0.3], 0, 60)[0]!.sum).toBe(0.6);
    expect(bucketSamples([0, 1, 2], [1e100, 1, -1e100], 0, 60)[0]!.sum).toBe(1);
  });

  it('keeps infinities (the correction overflows and is dropped, as in SQLite)', () => {
    expect(bucketSamples([0, 1], [Infinity, 1], 0, 60)[0]).toEqual({ ts: 0, min: 1, max: Infinity, sum: Infinity, count: 2 });
  });
});
