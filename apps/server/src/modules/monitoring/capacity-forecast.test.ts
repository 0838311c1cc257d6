import { describe, expect, it } from 'vitest';
import { dailyPeaks, forecast } from './capacity-forecast.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 10, 1);

describe('the capacity forecast', () => {
  it('[L2-2.2.3] equals a hand-computed least-squares fit of the daily peaks: days to the threshold and to 100 % from the end of the period', () => {
    // Peaks 52, 55, 61, 62, 70 on days 0…4. By hand: x̄ = 2, ȳ = 60, Σ(x−x̄)(y−ȳ) = (−2)(−8) + (−1)(−5) + 0 + (1)(2) + (2)(10) = 43,
    // Σ(x−x̄)² = 10 → slope 4.3 a day, intercept 60 − 4.3·2 = 51.4. The period ends on day 5.
    // 80 %: x = (80 − 51.4) / 4.3 = 6.651… → 1.651… days after the end → 1.7; 100 %: x = 11.302… → 6.3.
    const peaks = [52, 55, 61, 62, 70].map((value, i) => ({ ts: T0 + i * DAY, value }));
    expect(forecast(peaks, T0 + 5 * DAY, 80)).toEqual({ slopePerDay: 4.3, growth: true, daysToThreshold: 1.7, daysToFull: 6.3 });
    // Already over the threshold at the end of the period: 0 days.
    expect(forecast(peaks, T0 + 5 * DAY, 60).daysToThreshold).toBe(0);
  });

  it('[L2-2.2.3] says "no growth" (no date) when the slope is not positive, and nothing with fewer than two days', () => {
    const falling = [70, 66, 65, 60].map((value, i) => ({ ts: T0 + i * DAY, value }));
    expect(forecast(falling, T0 + 4 * DAY, 80)).toEqual({ slopePerDay: -3.1, growth: false, daysToThreshold: null, daysToFull: null });
    const flat = [50, 50, 50].map((value, i) => ({ ts: T0 + i * DAY, value }));
    expect(forecast(flat, T0 + 3 * DAY, 80)).toMatchObject({ growth: false, daysToThreshold: null });
    expect(forecast([{ ts: T0, value: 99 }], T0 + DAY, 80)).toEqual({ slopePerDay: null, growth: false, daysToThreshold: null, daysToFull: null });
  });

  it('takes the highest point of each day window from the start of the period', () => {
    const points = [
      { ts: T0 + 1_000, value: 10 },
      { ts: T0 + 5 * 3_600_000, value: 30 },
      { ts: T0 + DAY, value: 20 },
      { ts: T0 + DAY + 1, value: 15 },
    ];
    expect(dailyPeaks(points, T0)).toEqual([
      { ts: T0, value: 30 },
      { ts: T0 + DAY, value: 20 },
    ]);
  });
});
