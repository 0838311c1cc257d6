import { describe, expect, it } from 'vitest';
import type { CalendarDayKind } from '@yunwei/contracts/oncall';
import { seedDays } from '../oncall/calendar-seed.js';
import type { CalendarLookup } from '../oncall/rotation.js';
import { calendarRange, dueAt, elapsedMs, slaState, windowsProblem, type Interval, type SlaCalendar, type SlaWindow } from './sla-clock.js';

const MIN = 60_000;
const H = 60 * MIN;

/** An instant given as Shanghai wall-clock time, `YYYY-MM-DD HH:mm`. */
const at = (local: string) => Date.parse(`${local.replace(' ', 'T')}+08:00`);
/** An instant as Shanghai wall-clock time, for readable failures. */
const show = (epoch: number | null) => (epoch === null ? null : new Date(epoch + 8 * H).toISOString().slice(0, 16).replace('T', ' '));

/** Around 国庆 2026, as `calendar-seed.ts` has it (checked against the seed below). */
const AUTUMN_2026: Record<string, CalendarDayKind> = {
  '2026-09-20': 'workday', // Sunday, 国庆 make-up workday
  '2026-09-25': 'holiday', // Friday, 中秋节
  '2026-09-26': 'holiday',
  '2026-09-27': 'holiday',
  '2026-10-01': 'holiday', // Thursday
  '2026-10-02': 'holiday',
  '2026-10-03': 'holiday',
  '2026-10-04': 'holiday',
  '2026-10-05': 'holiday',
  '2026-10-06': 'holiday',
  '2026-10-07': 'holiday',
  '2026-10-10': 'workday', // Saturday, 国庆 make-up workday
};
const lookup: CalendarLookup = (date) => AUTUMN_2026[date];

const w = (start: string, end: string): SlaWindow => {
  const m = (t: string) => Number(t.slice(0, 2)) * 60 + Number(t.slice(3));
  return { start: m(start), end: m(end) };
};
const office: SlaCalendar = { mode: 'business', timeZone: 'Asia/Shanghai', windows: [w('09:00', '18:00')], lookup };
const lunch: SlaCalendar = { ...office, windows: [w('13:30', '17:30'), w('08:30', '12:00')] };
const always: SlaCalendar = { mode: '24x7', timeZone: 'Asia/Shanghai', windows: [], lookup };

const due = (from: string, targetMs: number, cal = office, pauses: Interval[] = []) => show(dueAt(at(from), targetMs, cal, pauses));

describe('SLA clock on business hours (09:00–18:00, Asia/Shanghai)', () => {
  it('uses the seeded 2026 holidays and make-up workdays', () => {
    const seeded = new Map(seedDays().map((d) => [d.date, d.kind]));
    for (const [date, kind] of Object.entries(AUTUMN_2026)) {
      expect(seeded.get(date), date).toBe(kind);
    }
    for (const date of ['2026-09-21', '2026-09-28', '2026-10-08', '2026-10-09', '2026-10-11']) {
      expect(seeded.get(date), date).toBeUndefined();
    }
  });

  it('counts within one day', () => {
    expect(due('2026-10-13 10:00', 3 * H)).toBe('2026-10-13 13:00');
    expect(elapsedMs(at('2026-10-13 10:00'), at('2026-10-13 13:00'), office, [])).toBe(3 * H);
    // Due at the very end of the day, not at the next opening.
    expect(due('2026-10-13 17:00', 1 * H)).toBe('2026-10-13 18:00');
  });

  it('crosses a night: 17:00 + 2 h is 10:00 the next day', () => {
    expect(due('2026-10-13 17:00', 2 * H)).toBe('2026-10-14 10:00');
    expect(elapsedMs(at('2026-10-13 17:00'), at('2026-10-14 10:00'), office, [])).toBe(2 * H);
    expect(elapsedMs(at('2026-10-13 17:00'), at('2026-10-14 08:59'), office, [])).toBe(1 * H);
  });

  it('starts at night or before opening: the clock waits for the window', () => {
    expect(due('2026-10-13 22:00', 2 * H)).toBe('2026-10-14 11:00');
    expect(due('2026-10-14 07:30', 1 * H)).toBe('2026-10-14 10:00');
    expect(due('2026-10-14 00:00', 30 * MIN)).toBe('2026-10-14 09:30');
    expect(elapsedMs(at('2026-10-13 19:00'), at('2026-10-14 08:00'), office, [])).toBe(0);
  });

  it('starts on a Saturday and skips the weekend', () => {
    expect(due('2026-10-17 10:00', 2 * H)).toBe('2026-10-19 11:00'); // Saturday → Monday
    expect(due('2026-10-16 17:00', 2 * H)).toBe('2026-10-19 10:00'); // Friday evening → Monday
    expect(elapsedMs(at('2026-10-16 17:00'), at('2026-10-19 09:30'), office, [])).toBe(90 * MIN);
  });

  it('skips the 国庆 holiday week 2026-10-01..07', () => {
    expect(due('2026-09-30 17:00', 2 * H)).toBe('2026-10-08 10:00');
    expect(due('2026-09-30 09:00', 27 * H)).toBe('2026-10-09 18:00'); // 30 Sep, 8 Oct, 9 Oct
    expect(elapsedMs(at('2026-09-30 12:00'), at('2026-10-08 12:00'), office, [])).toBe(9 * H);
    expect(elapsedMs(at('2026-10-01 00:00'), at('2026-10-08 00:00'), office, [])).toBe(0);
  });

  it('works the 调休 make-up Saturday 2026-10-10 and Sunday 2026-09-20', () => {
    expect(due('2026-10-09 17:00', 10 * H)).toBe('2026-10-10 18:00');
    expect(due('2026-10-09 17:00', 11 * H)).toBe('2026-10-12 10:00'); // the Sunday after is off
    expect(due('2026-09-18 17:00', 2 * H)).toBe('2026-09-20 10:00'); // Saturday off, Sunday works
    expect(elapsedMs(at('2026-10-10 00:00'), at('2026-10-11 00:00'), office, [])).toBe(9 * H);
  });

  it('skips a holiday that falls on a weekday (中秋节, Friday 2026-09-25)', () => {
    expect(due('2026-09-24 17:00', 2 * H)).toBe('2026-09-28 10:00');
    expect(elapsedMs(at('2026-09-25 00:00'), at('2026-09-26 00:00'), office, [])).toBe(0);
    // The Friday before, with no holiday, counts.
    expect(elapsedMs(at('2026-09-18 00:00'), at('2026-09-19 00:00'), office, [])).toBe(9 * H);
  });

  it('leaves the lunch break out (08:30–12:00 and 13:30–17:30)', () => {
    expect(due('2026-10-13 11:00', 2 * H, lunch)).toBe('2026-10-13 14:30');
    expect(due('2026-10-13 12:30', 30 * MIN, lunch)).toBe('2026-10-13 14:00');
    expect(due('2026-10-13 17:00', 1 * H, lunch)).toBe('2026-10-14 09:00');
    expect(due('2026-10-13 11:00', 1 * H, lunch)).toBe('2026-10-13 12:00');
    expect(elapsedMs(at('2026-10-13 11:00'), at('2026-10-13 14:00'), lunch, [])).toBe(90 * MIN);
    expect(elapsedMs(at('2026-10-13 00:00'), at('2026-10-14 00:00'), lunch, [])).toBe(7.5 * H);
  });
});

describe('SLA clock pauses (挂起)', () => {
  const pause = (from: string, to: string | null): Interval => ({ from: at(from), to: to === null ? null : at(to) });

  it('stops during a pause inside working time', () => {
    const pauses = [pause('2026-10-13 10:00', '2026-10-13 11:00')];
    expect(due('2026-10-13 09:00', 4 * H, office, pauses)).toBe('2026-10-13 14:00');
    expect(elapsedMs(at('2026-10-13 09:00'), at('2026-10-13 14:00'), office, pauses)).toBe(4 * H);
    expect(elapsedMs(at('2026-10-13 10:15'), at('2026-10-13 10:45'), office, pauses)).toBe(0);
  });

  it('stops during a pause spanning a night, and only working time of it counts as lost', () => {
    const pauses = [pause('2026-10-13 17:00', '2026-10-14 10:00')];
    expect(due('2026-10-13 16:00', 4 * H)).toBe('2026-10-14 11:00');
    expect(due('2026-10-13 16:00', 4 * H, office, pauses)).toBe('2026-10-14 13:00');
  });

  it('merges overlapping and touching pauses instead of counting them twice', () => {
    const pauses = [pause('2026-10-13 10:30', '2026-10-13 11:30'), pause('2026-10-13 10:00', '2026-10-13 11:00'), pause('2026-10-13 11:30', '2026-10-13 12:00')];
    expect(due('2026-10-13 09:00', 3 * H, office, pauses)).toBe('2026-10-13 14:00');
    expect(elapsedMs(at('2026-10-13 09:00'), at('2026-10-13 14:00'), office, pauses)).toBe(3 * H);
  });

  it('ignores what a pause covered before the start', () => {
    expect(due('2026-10-13 09:30', 1 * H, office, [pause('2026-10-13 08:00', '2026-10-13 10:00')])).toBe('2026-10-13 11:00');
    expect(due('2026-10-13 09:30', 1 * H, office, [pause('2026-10-12 08:00', '2026-10-12 10:00')])).toBe('2026-10-13 10:30');
    // A pause at night takes nothing away.
    expect(due('2026-10-13 17:00', 2 * H, office, [pause('2026-10-13 19:00', '2026-10-14 08:00')])).toBe('2026-10-14 10:00');
  });

  it('jumps over a pause of many months without losing exactness', () => {
    const pauses = [pause('2026-10-13 12:00', '2027-03-02 15:00')]; // Tuesday → Tuesday
    // 3 h before the pause, 3 h on the afternoon it ends, 1 h the next morning.
    expect(due('2026-10-13 09:00', 7 * H, office, pauses)).toBe('2027-03-03 10:00');
  });

  it('is not due while an open pause holds the clock, but keeps a due instant reached before it', () => {
    const pauses = [pause('2026-10-13 11:00', null)];
    expect(due('2026-10-13 09:00', 4 * H, office, pauses)).toBeNull();
    expect(due('2026-10-13 09:00', 1 * H, office, pauses)).toBe('2026-10-13 10:00');
    expect(elapsedMs(at('2026-10-13 09:00'), at('2026-10-20 09:00'), office, pauses)).toBe(2 * H);
    const state = slaState({ from: at('2026-10-13 09:00'), now: at('2026-10-13 12:00'), targetMs: 4 * H, cal: office, pauses });
    expect(state).toMatchObject({ paused: true, dueAt: null, elapsedMs: 2 * H, breached: false, warning: false, percent: 50 });
    // Resumed at 14:00: due again, two hours later than without the pause.
    const resumed = [pause('2026-10-13 11:00', '2026-10-13 14:00')];
    expect(slaState({ from: at('2026-10-13 09:00'), now: at('2026-10-13 15:00'), targetMs: 4 * H, cal: office, pauses: resumed })).toMatchObject({ paused: false, dueAt: at('2026-10-13 16:00'), elapsedMs: 3 * H });
  });
});

describe('SLA clock on 24×7 time', () => {
  it('counts nights, weekends and holidays, but not pauses', () => {
    expect(due('2026-10-01 10:00', 8 * H, always)).toBe('2026-10-01 18:00');
    expect(due('2026-10-01 10:00', 8 * H, always, [{ from: at('2026-10-01 12:00'), to: at('2026-10-01 14:00') }])).toBe('2026-10-01 20:00');
    expect(due('2026-10-01 10:00', 30 * 24 * H, always)).toBe('2026-10-31 10:00');
    expect(elapsedMs(at('2026-10-01 00:00'), at('2026-10-08 00:00'), always, [{ from: at('2026-10-02 00:00'), to: at('2026-10-03 00:00') }])).toBe(6 * 24 * H);
    expect(due('2026-10-01 10:00', 8 * H, always, [{ from: at('2026-10-01 12:00'), to: null }])).toBeNull();
  });
});

describe('SLA clock in a daylight-saving zone (Europe/Berlin)', () => {
  const berlin = (local: string, offsetHours: number) => Date.parse(`${local.replace(' ', 'T')}+0${offsetHours}:00`);
  const sundaysWork: CalendarLookup = (date) => (date === '2026-03-29' || date === '2026-10-25' ? 'workday' : undefined);
  const night: SlaCalendar = { mode: 'business', timeZone: 'Europe/Berlin', windows: [w('01:00', '05:00')], lookup: sundaysWork };

  it('takes the window edges from each local date: 23 h and 25 h days come out exact', () => {
    // 2026-03-29: 02:00 → 03:00, the 01:00–05:00 window lasts 3 h.
    expect(elapsedMs(berlin('2026-03-29 00:00', 1), berlin('2026-03-30 00:00', 2), night, [])).toBe(3 * H);
    expect(dueAt(berlin('2026-03-29 00:00', 1), 3 * H, night, [])).toBe(berlin('2026-03-29 05:00', 2));
    // 2026-10-25: 03:00 → 02:00, the window lasts 5 h.
    expect(elapsedMs(berlin('2026-10-25 00:00', 2), berlin('2026-10-26 00:00', 1), night, [])).toBe(5 * H);
    // Ordinary office hours either side of the change.
    const office9: SlaCalendar = { ...night, windows: [w('09:00', '18:00')] };
    expect(dueAt(berlin('2026-03-27 17:00', 1), 2 * H, office9, [])).toBe(berlin('2026-03-29 10:00', 2));
    expect(dueAt(berlin('2026-03-27 17:00', 1), 2 * 24 * H, { ...night, mode: '24x7' }, [])).toBe(berlin('2026-03-29 18:00', 2));
  });
});

describe('SLA clock properties', () => {
  /** mulberry32: a small seeded PRNG, so failures reproduce. */
  function prng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const calendars: SlaCalendar[] = [office, lunch, always, { ...office, windows: [w('00:00', '24:00')] }, { ...office, windows: [w('20:00', '24:00'), w('00:00', '02:00')] }];

  /** Brute force, minute by minute, on fixed UTC+8 (Shanghai has no DST): an oracle independent of the clock's day walk. */
  function oracle(from: number, to: number, cal: SlaCalendar, pauses: readonly Interval[]): number {
    let total = 0;
    for (let t = from; t < to; t += MIN) {
      if (pauses.some((p) => p.from <= t && (p.to === null || t < p.to))) {
        continue;
      }
      if (cal.mode === 'business') {
        const local = new Date(t + 8 * H);
        const date = local.toISOString().slice(0, 10);
        const kind = cal.lookup(date);
        const workday = kind ? kind === 'workday' : local.getUTCDay() >= 1 && local.getUTCDay() <= 5;
        const minute = local.getUTCHours() * 60 + local.getUTCMinutes();
        if (!workday || !cal.windows.some((win) => win.start <= minute && minute < win.end)) {
          continue;
        }
      }
      total += MIN;
    }
    return total;
  }

  function randomCase(rand: () => number, minuteAligned: boolean) {
    const base = at('2026-09-14 00:00');
    const instant = (spanDays: number) => {
      const t = base + Math.floor(rand() * spanDays * 24 * 60) * MIN;
      return minuteAligned ? t : t + Math.floor(rand() * MIN);
    };
    const cal = calendars[Math.floor(rand() * calendars.length)]!;
    const from = instant(40);
    const pauses: Interval[] = [];
    for (let i = Math.floor(rand() * 4); i > 0; i--) {
      const p = instant(45);
      const open = rand() < 0.1;
      pauses.push({ from: p, to: open ? null : p + (minuteAligned ? Math.floor(rand() * 3000) * MIN : Math.floor(rand() * 3000 * MIN)) });
    }
    return { cal, from, pauses };
  }

  it('reaches exactly the target at the due instant, and not a millisecond earlier (400 seeded cases)', () => {
    const rand = prng(20261009);
    let checked = 0;
    for (let i = 0; i < 400; i++) {
      const { cal, from, pauses } = randomCase(rand, false);
      const target = 1 + Math.floor(rand() * 60 * H);
      const d = dueAt(from, target, cal, pauses);
      if (d === null) {
        // Only an open pause holds the clock: the time it can run is less than the target.
        expect(pauses.some((p) => p.to === null), `case ${i}`).toBe(true);
        expect(elapsedMs(from, from + 400 * 24 * H, cal, pauses), `case ${i}`).toBeLessThan(target);
        continue;
      }
      expect(elapsedMs(from, d, cal, pauses), `case ${i}`).toBe(target);
      expect(elapsedMs(from, d - 1, cal, pauses), `case ${i}`).toBe(target - 1);
      checked++;
    }
    expect(checked).toBeGreaterThan(300);
  });

  it('is monotonic in the end instant and in the target, and additive over adjacent ranges', () => {
    const rand = prng(42);
    for (let i = 0; i < 200; i++) {
      const { cal, from, pauses } = randomCase(rand, false);
      const [t1, t2] = [from + Math.floor(rand() * 20 * 24 * H), from + Math.floor(rand() * 20 * 24 * H)].sort((a, b) => a - b) as [number, number];
      const e1 = elapsedMs(from, t1, cal, pauses);
      const e2 = elapsedMs(from, t2, cal, pauses);
      expect(e1, `case ${i}`).toBeLessThanOrEqual(e2);
      expect(e1 + elapsedMs(t1, t2, cal, pauses), `case ${i}`).toBe(e2);
      expect(e2 - e1, `case ${i}`).toBeLessThanOrEqual(t2 - t1);
      const [g1, g2] = [1 + Math.floor(rand() * 30 * H), 1 + Math.floor(rand() * 30 * H)].sort((a, b) => a - b) as [number, number];
      const d1 = dueAt(from, g1, cal, pauses);
      const d2 = dueAt(from, g2, cal, pauses);
      if (d1 !== null && d2 !== null) {
        expect(d1, `case ${i}`).toBeLessThanOrEqual(d2);
      } else if (d1 === null) {
        expect(d2, `case ${i}`).toBeNull();
      }
    }
  });

  it('agrees with a minute-by-minute brute force (150 seeded cases)', () => {
    const rand = prng(7);
    for (let i = 0; i < 150; i++) {
      const { cal, from, pauses } = randomCase(rand, true);
      const to = from + Math.floor(rand() * 6 * 24 * 60) * MIN;
      expect(elapsedMs(from, to, cal, pauses), `case ${i} ${show(from)}–${show(to)}`).toBe(oracle(from, to, cal, pauses));
    }
  });
});

describe('SLA state', () => {
  const from = at('2026-10-13 09:00'); // Tuesday
  const state = (now: string, extra: Partial<Parameters<typeof slaState>[0]> = {}) => slaState({ from, now: at(now), targetMs: 5 * H, cal: office, pauses: [], ...extra });

  it('warns at 80 % and not before', () => {
    expect(state('2026-10-13 12:59')).toMatchObject({ warning: false, breached: false, percent: 79.7, dueAt: at('2026-10-13 14:00') });
    expect(state('2026-10-13 13:00')).toMatchObject({ warning: true, breached: false, percent: 80, remainingMs: 1 * H, elapsedMs: 4 * H });
    expect(state('2026-10-13 12:00', { warnAt: 0.5 })).toMatchObject({ warning: true });
  });

  it('is breached after the due instant, also at night when the elapsed time stands at the target', () => {
    expect(state('2026-10-13 14:00')).toMatchObject({ breached: false, warning: true, percent: 100, remainingMs: 0 });
    expect(state('2026-10-13 14:01')).toMatchObject({ breached: true, warning: false });
    const evening = slaState({ from: at('2026-10-13 14:00'), now: at('2026-10-13 20:00'), targetMs: 4 * H, cal: office, pauses: [] });
    expect(evening).toMatchObject({ elapsedMs: 4 * H, dueAt: at('2026-10-13 18:00'), breached: true, percent: 100 });
    expect(state('2026-10-14 09:00')).toMatchObject({ elapsedMs: 9 * H, percent: 180, breached: true });
  });

  it('measures a stopped clock up to the stop: met before due, breached after', () => {
    const met = state('2026-10-20 09:00', { stoppedAt: at('2026-10-13 11:00') });
    expect(met).toMatchObject({ stopped: true, breached: false, elapsedMs: 2 * H, percent: 40, paused: false });
    expect(state('2026-10-20 09:00', { stoppedAt: at('2026-10-13 14:00') })).toMatchObject({ breached: false, percent: 100 });
    expect(state('2026-10-20 09:00', { stoppedAt: at('2026-10-13 15:30') })).toMatchObject({ stopped: true, breached: true, elapsedMs: 6.5 * H });
    // Stopped while paused: not reported as paused.
    expect(state('2026-10-13 12:00', { stoppedAt: at('2026-10-13 10:00'), pauses: [{ from: at('2026-10-13 10:00'), to: null }] })).toMatchObject({ paused: false, stopped: true, elapsedMs: 1 * H });
  });

  it('rejects a target that is not a positive number', () => {
    expect(() => state('2026-10-13 12:00', { targetMs: 0 })).toThrow(RangeError);
  });
});

describe('SLA clock limits', () => {
  it('walks days, not minutes: 40 business hours across a month of holidays, and 30 × 24 business hours', () => {
    let calls = 0;
    const holidayOctober: CalendarLookup = (date) => {
      calls++;
      return date.startsWith('2026-10') ? 'holiday' : undefined;
    };
    const cal: SlaCalendar = { ...office, lookup: holidayOctober };
    // 1 h on Wednesday 30 Sep, nothing in October, 36 h on Monday–Thursday 2–5 Nov, 3 h on Friday 6 Nov.
    expect(show(dueAt(at('2026-09-30 17:00'), 40 * H, cal, []))).toBe('2026-11-06 12:00');
    expect(calls).toBeLessThan(60);
    calls = 0;
    const started = performance.now();
    const d = dueAt(at('2026-09-01 09:00'), 30 * 24 * H, cal, []);
    expect(elapsedMs(at('2026-09-01 09:00'), d!, cal, [])).toBe(30 * 24 * H);
    expect(calls).toBeLessThan(2 * 250);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('gives up (null) on a calendar with no working time instead of looping for ever', () => {
    const never: SlaCalendar = { ...office, lookup: () => 'holiday' };
    expect(dueAt(at('2026-10-13 09:00'), 1 * H, never, [])).toBeNull();
    expect(dueAt(at('2026-10-13 09:00'), 1 * H, { ...office, windows: [] }, [])).toBeNull();
    expect(elapsedMs(at('2026-10-13 09:00'), at('2026-12-13 09:00'), never, [])).toBe(0);
    expect(slaState({ from: at('2026-10-13 09:00'), now: at('2026-12-13 09:00'), targetMs: H, cal: never, pauses: [] })).toMatchObject({ dueAt: null, breached: false, elapsedMs: 0 });
  });

  it('names the local dates a calendar lookup must cover', () => {
    // 23:30 in Shanghai is still 15:30 UTC of the same day; 00:30 is the day before in UTC.
    expect(calendarRange(at('2026-10-09 23:30'), 30, 'Asia/Shanghai')).toEqual({ from: '2026-10-09', to: '2026-11-08' });
    expect(calendarRange(at('2026-10-09 00:30'), 400, 'Asia/Shanghai')).toEqual({ from: '2026-10-09', to: '2027-11-13' });
  });

  it('reports bad windows with their index', () => {
    expect(windowsProblem([w('09:00', '18:00')])).toBeNull();
    expect(windowsProblem([w('13:30', '17:30'), w('08:30', '12:00')])).toBeNull();
    expect(windowsProblem([w('09:00', '18:00'), w('18:00', '09:00')])?.index).toBe(1);
    expect(windowsProblem([w('09:00', '12:00'), w('11:00', '14:00')])?.index).toBe(1);
    expect(windowsProblem([{ start: 0, end: 1441 }])?.index).toBe(0);
    expect(() => dueAt(0, H, { ...office, windows: [{ start: 600, end: 500 }] }, [])).toThrow(RangeError);
  });
});
