import { describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import { presetPeriod } from './period';

describe('report periods', () => {
  it('last week, month and quarter are whole calendar periods before today', () => {
    const now = dayjs('2026-12-09T15:30:00');
    const text = (p: { from: number; to: number }) => [dayjs(p.from).format('YYYY-MM-DD'), dayjs(p.to).format('YYYY-MM-DD')];
    expect(text(presetPeriod('lastWeek', now))).toEqual(['2026-11-30', '2026-12-07']);
    expect(text(presetPeriod('lastMonth', now))).toEqual(['2026-11-01', '2026-12-01']);
    expect(text(presetPeriod('lastQuarter', now))).toEqual(['2026-07-01', '2026-10-01']);
    expect(text(presetPeriod('lastWeek', dayjs('2026-12-06T10:00:00')))).toEqual(['2026-11-23', '2026-11-30']);
  });
});
