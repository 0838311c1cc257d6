import { describe, expect, it } from 'vitest';
import { daysBetween, dayOf, partitionName } from './partitions.js';

const D = 86_400_000;

describe('day partitions of metric_sample', () => {
  it('names a partition by its UTC day and aligns times down to the day', () => {
    expect(partitionName(Date.UTC(2026, 10, 27))).toBe('metric_sample_p20261127');
    expect(dayOf(Date.UTC(2026, 10, 27, 23, 59, 59, 999))).toBe(Date.UTC(2026, 10, 27));
    expect(dayOf(Date.UTC(2026, 10, 28))).toBe(Date.UTC(2026, 10, 28));
  });

  it('lists the days that [from, to) touches, the first one aligned down', () => {
    const day = Date.UTC(2026, 10, 27);
    expect(daysBetween(day + 5 * 3_600_000, day + 2 * D + 1)).toEqual([day, day + D, day + 2 * D]);
    expect(daysBetween(day, day + 2 * D)).toEqual([day, day + D]);
    expect(daysBetween(day + D, day)).toEqual([]);
  });
});
