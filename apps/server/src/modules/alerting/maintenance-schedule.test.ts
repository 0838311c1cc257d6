import { describe, expect, it } from 'vitest';
import { activeAt, occurrenceAt, validateSchedule } from './maintenance-schedule.js';

/** Asia/Shanghai is UTC+8 all year. */
const shanghai = (iso: string) => Date.parse(`${iso}+08:00`);

describe('maintenance schedules', () => {
  it('one-off: in effect from start to end', () => {
    const s = { kind: 'once' as const, startsAt: 1000, endsAt: 2000 };
    expect([activeAt(s, 999), activeAt(s, 1000), activeAt(s, 1999), activeAt(s, 2000)]).toEqual([false, true, true, false]);
    expect(occurrenceAt(s, 2000)).toBeNull();
  });

  it('weekly: days and time in Asia/Shanghai by default, for the duration', () => {
    // Saturdays 02:00–04:00 Shanghai. 2026-11-28 is a Saturday.
    const s = { kind: 'weekly' as const, days: [6], time: '02:00', durationMinutes: 120 };
    expect(activeAt(s, shanghai('2026-11-28T01:59:00'))).toBe(false);
    expect(activeAt(s, shanghai('2026-11-28T02:00:00'))).toBe(true);
    expect(activeAt(s, shanghai('2026-11-28T03:59:59'))).toBe(true);
    expect(activeAt(s, shanghai('2026-11-28T04:00:00'))).toBe(false);
    expect(occurrenceAt(s, shanghai('2026-11-28T05:00:00'))).toEqual({ startsAt: shanghai('2026-12-05T02:00:00'), endsAt: shanghai('2026-12-05T04:00:00') });
  });

  it('cron: an occurrence may span midnight; other time zones are honoured', () => {
    const s = { kind: 'cron' as const, cron: '30 23 * * 5', durationMinutes: 60 }; // Fridays 23:30 for an hour
    expect(activeAt(s, shanghai('2026-11-28T00:15:00'))).toBe(true);
    expect(activeAt(s, shanghai('2026-11-28T00:31:00'))).toBe(false);
    const utc = { ...s, timezone: 'UTC' };
    expect(activeAt(utc, Date.parse('2026-11-27T23:45:00Z'))).toBe(true);
  });

  it('refuses bad patterns and zones naming the field', () => {
    const field = (f: () => void) => {
      try {
        f();
      } catch (error) {
        return (error as { details: { field: string } }).details.field;
      }
      return null;
    };
    expect(field(() => validateSchedule({ kind: 'cron', cron: 'every day', durationMinutes: 5 }))).toBe('body.schedule.cron');
    expect(field(() => validateSchedule({ kind: 'weekly', days: [1], time: '02:00', durationMinutes: 5, timezone: 'Nowhere/City' }))).toBe('body.schedule.timezone');
    expect(field(() => validateSchedule({ kind: 'once', startsAt: 5, endsAt: 5 }))).toBe('body.schedule.endsAt');
    expect(field(() => validateSchedule({ kind: 'weekly', days: [1, 3], time: '02:00', durationMinutes: 5 }))).toBeNull();
  });
});
