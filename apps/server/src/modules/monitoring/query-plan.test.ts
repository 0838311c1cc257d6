import { describe, expect, it } from 'vitest';
import { chooseResolution, gridStart, planTiers } from './query-plan.js';

const M = 60_000;
const H = 3_600_000;
const D = 86_400_000;
const now = Date.UTC(2026, 0, 15, 12, 0, 0);
const retention = { raw: 15, rollup5m: 90, rollup1h: 730 };

describe('query plans', () => {
  it('reads raw samples for short ranges, 5-minute rollups beyond a day, 1-hour rollups beyond 15 days', () => {
    expect(chooseResolution({ start: now - 6 * H, end: now, step: 60_000, now, retention })).toBe('raw');
    expect(chooseResolution({ start: now - 2 * D, end: now, step: 5 * M, now, retention })).toBe('5m');
    expect(chooseResolution({ start: now - 2 * D, end: now, step: null, now, retention })).toBe('5m');
    expect(chooseResolution({ start: now - 30 * D, end: now, step: H, now, retention })).toBe('1h');
    expect(chooseResolution({ start: now - 30 * D, end: now, step: null, now, retention })).toBe('1h');
  });

  it('uses a rollup only when the step is a multiple of its bucket', () => {
    expect(chooseResolution({ start: now - 2 * D, end: now, step: 60_000, now, retention })).toBe('raw');
    expect(chooseResolution({ start: now - 2 * D, end: now, step: 7 * M, now, retention })).toBe('raw');
    expect(chooseResolution({ start: now - 30 * D, end: now, step: 10 * M, now, retention })).toBe('5m');
  });

  it('falls back to rollups when raw samples (or 5-minute rollups) are past their retention', () => {
    expect(chooseResolution({ start: now - 20 * D, end: now - 20 * D + H, step: 5 * M, now, retention })).toBe('5m');
    expect(chooseResolution({ start: now - 200 * D, end: now - 200 * D + H, step: H, now, retention })).toBe('1h');
  });

  it('aligns rollup queries down to the bucket', () => {
    expect(gridStart(now + 7 * M + 5, 'raw')).toBe(now + 7 * M + 5);
    expect(gridStart(now + 7 * M + 5, '5m')).toBe(now + 5 * M);
    expect(gridStart(now + 7 * M + 5, '1h')).toBe(now);
  });

  it('splits the range between rollups up to their watermark and raw samples after it', () => {
    const grid = now - 2 * D;
    expect(planTiers('raw', grid, now, { '5m': now, '1h': now })).toEqual([{ source: 'raw', from: grid, to: now + 1 }]);
    expect(planTiers('5m', grid, now, { '5m': now - 10 * M, '1h': null })).toEqual([
      { source: '5m', from: grid, to: now - 10 * M },
      { source: 'raw', from: now - 10 * M, to: now + 1 },
    ]);
    // Nothing rolled up yet: all raw.
    expect(planTiers('5m', grid, now, { '5m': null, '1h': null })).toEqual([{ source: 'raw', from: grid, to: now + 1 }]);
    // 1 h up to its watermark, then 5 min, then raw.
    expect(planTiers('1h', grid, now, { '5m': now - 10 * M, '1h': now - 2 * H })).toEqual([
      { source: '1h', from: grid, to: now - 2 * H },
      { source: '5m', from: now - 2 * H, to: now - 10 * M },
      { source: 'raw', from: now - 10 * M, to: now + 1 },
    ]);
    // A rollup bucket that would end after `end` is read from raw samples instead.
    const end = now - 10 * M + 7 * M;
    expect(planTiers('5m', grid, end, { '5m': now, '1h': null })).toEqual([
      { source: '5m', from: grid, to: now - 5 * M },
      { source: 'raw', from: now - 5 * M, to: end + 1 },
    ]);
  });
});
