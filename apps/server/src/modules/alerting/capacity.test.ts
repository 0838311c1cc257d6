import { describe, expect, it } from 'vitest';
import { buildBaseline, deviates, hourOfWeek } from './baseline.js';
import { forecast, linearFit } from './capacity.js';

const DAY = 86_400_000;

describe('capacity forecast and baseline', () => {
  it('[L3-2.1.3] predicts when a linearly filling disk reaches the threshold', () => {
    const now = Date.UTC(2026, 10, 27);
    // 50 % a week ago, +2 % a day: 64 % now, 90 % in 13 days.
    const points = Array.from({ length: 8 }, (_, i) => ({ t: now - (7 - i) * DAY, v: 50 + 2 * i }));
    const f = forecast(points, '>', 90, now)!;
    expect(f.value).toBeCloseTo(64, 6);
    expect((f.eta! - now) / DAY).toBeCloseTo(13, 6);
    expect(forecast(points, '<', 10, now)!.eta).toBeNull();
    expect(forecast(points, '>', 60, now)!.eta).toBe(now);
    expect(linearFit([{ t: 1, v: 1 }])).toBeNull();
  });

  it('builds a per-hour-of-week baseline and judges deviations with k·σ', () => {
    expect(hourOfWeek(Date.UTC(2026, 10, 22, 16))).toBe(0); // Sunday 16:00 UTC = Monday 00:00 in Beijing
    const monday9 = Date.UTC(2026, 10, 23, 1); // 09:00 Beijing
    const weeks = [10, 12, 14, 12].map((v, i) => ({ t: monday9 - i * 7 * DAY, v }));
    const cell = buildBaseline(weeks).get(hourOfWeek(monday9))!;
    expect(cell.n).toBe(4);
    expect(cell.mean).toBe(12);
    expect(cell.sd).toBeCloseTo(Math.sqrt(2), 10);
    expect(deviates(cell, 16, 2, 3)!.deviates).toBe(true);
    expect(deviates(cell, 13, 2, 3)!.deviates).toBe(false);
    expect(deviates(cell, 99, 2, 5)).toBeNull();
  });
});
