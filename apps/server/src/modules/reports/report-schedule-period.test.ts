import { describe, expect, it } from 'vitest';
import { nextRunAt, periodBefore, periodLabel } from './report-schedule-period.js';

const TZ = 'Asia/Shanghai';
/** An instant given as Shanghai wall-clock time (UTC+8, no daylight saving). */
const sh = (text: string) => Date.parse(`${text}+08:00`);

describe('report schedule periods (Asia/Shanghai)', () => {
  it('a weekly period is the previous Monday 00:00 to this Monday 00:00, local time', () => {
    // Wednesday 2026-12-09 10:00 in Shanghai (02:00 UTC).
    const p = periodBefore('weekly', sh('2026-12-09T10:00:00'), TZ);
    expect(p).toEqual({ from: sh('2026-11-30T00:00:00'), to: sh('2026-12-07T00:00:00') });
    expect(periodLabel('weekly', p, TZ, 'zh-CN')).toBe('2026-11-30 至 2026-12-06');
    // Monday 00:30 Shanghai is still Sunday in UTC: the local week decides.
    expect(periodBefore('weekly', sh('2026-12-07T00:30:00'), TZ)).toEqual({ from: sh('2026-11-30T00:00:00'), to: sh('2026-12-07T00:00:00') });
    // Sunday 23:59 local belongs to the week that is not yet over.
    expect(periodBefore('weekly', sh('2026-12-06T23:59:00'), TZ)).toEqual({ from: sh('2026-11-23T00:00:00'), to: sh('2026-11-30T00:00:00') });
  });

  it('a monthly period is the previous calendar month, across the year end', () => {
    const p = periodBefore('monthly', sh('2027-01-01T02:00:00'), TZ);
    expect(p).toEqual({ from: sh('2026-12-01T00:00:00'), to: sh('2027-01-01T00:00:00') });
    expect(periodLabel('monthly', p, TZ, 'zh-CN')).toBe('2026年12月');
    expect(periodLabel('monthly', p, TZ, 'en')).toBe('December 2026');
    // 2026-03-01 00:30 in Shanghai is 2026-02-28 in UTC: still February's report.
    expect(periodBefore('monthly', sh('2026-03-01T00:30:00'), TZ)).toEqual({ from: sh('2026-02-01T00:00:00'), to: sh('2026-03-01T00:00:00') });
  });

  it('a quarterly period is the previous calendar quarter', () => {
    const p = periodBefore('quarterly', sh('2026-10-01T06:00:00'), TZ);
    expect(p).toEqual({ from: sh('2026-07-01T00:00:00'), to: sh('2026-10-01T00:00:00') });
    expect(periodLabel('quarterly', p, TZ, 'zh-CN')).toBe('2026年第3季度');
    expect(periodLabel('quarterly', p, TZ, 'en')).toBe('Q3 2026');
    expect(periodBefore('quarterly', sh('2026-02-15T12:00:00'), TZ)).toEqual({ from: sh('2025-10-01T00:00:00'), to: sh('2026-01-01T00:00:00') });
  });

  it('the next run is the next matching local day and hour after now', () => {
    const now = sh('2026-12-09T10:00:00'); // a Wednesday
    expect(nextRunAt({ cadence: 'weekly', dayOfWeek: 1, dayOfMonth: 1, hour: 8 }, now, TZ)).toBe(sh('2026-12-14T08:00:00'));
    expect(nextRunAt({ cadence: 'weekly', dayOfWeek: 3, dayOfMonth: 1, hour: 11 }, now, TZ)).toBe(sh('2026-12-09T11:00:00'));
    expect(nextRunAt({ cadence: 'weekly', dayOfWeek: 3, dayOfMonth: 1, hour: 10 }, now, TZ)).toBe(sh('2026-12-16T10:00:00'));
    expect(nextRunAt({ cadence: 'monthly', dayOfWeek: 1, dayOfMonth: 1, hour: 2 }, now, TZ)).toBe(sh('2027-01-01T02:00:00'));
    expect(nextRunAt({ cadence: 'monthly', dayOfWeek: 1, dayOfMonth: 9, hour: 23 }, now, TZ)).toBe(sh('2026-12-09T23:00:00'));
    expect(nextRunAt({ cadence: 'quarterly', dayOfWeek: 1, dayOfMonth: 5, hour: 0 }, now, TZ)).toBe(sh('2027-01-05T00:00:00'));
    expect(nextRunAt({ cadence: 'quarterly', dayOfWeek: 1, dayOfMonth: 5, hour: 0 }, sh('2026-04-05T00:00:00'), TZ)).toBe(sh('2026-07-05T00:00:00'));
  });
});
