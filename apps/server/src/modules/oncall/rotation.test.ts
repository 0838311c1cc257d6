import { describe, expect, it } from 'vitest';
import type { CalendarDayKind } from '@yunwei/contracts/oncall';
import { seedDays } from './calendar-seed.js';
import { coveredDay, isWorkday, timeline, whoIsOnCall, type RotationRule, type ScheduleRules } from './rotation.js';
import { isDate, localMoment, weekday, zonedEpoch } from './zoned-time.js';

const seeded = new Map<string, CalendarDayKind>(seedDays().map((d) => [d.date, d.kind]));
const calendar = (date: string) => seeded.get(date);
/** An instant given as Shanghai wall-clock time. */
const cst = (local: string) => Date.parse(`${local}+08:00`);

const rotation = (over: Partial<RotationRule>): RotationRule => ({
  id: 'r',
  members: ['alice'],
  unit: 'days',
  length: 1,
  handoverTime: '09:00',
  startDate: '2026-01-05',
  applies: 'all',
  windowStart: null,
  windowEnd: null,
  ...over,
});

const rules = (rotations: RotationRule[], over: Partial<ScheduleRules> = {}): ScheduleRules => ({ timeZone: 'Asia/Shanghai', rotations, overrides: [], calendar, ...over });

describe('business calendar', () => {
  it('seeds only real dates; every make-up workday falls on a weekend and every seeded holiday period is named', () => {
    const days = seedDays();
    expect(days.length).toBeGreaterThan(50);
    for (const d of days) {
      expect(isDate(d.date), d.date).toBe(true);
      expect(d.name.zh.length, d.date).toBeGreaterThan(0);
      if (d.kind === 'workday') {
        expect([0, 6], d.date).toContain(weekday(d.date));
      }
    }
    expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
  });

  it('decides workdays: 调休 Saturday works, a statutory holiday weekday does not, else Monday to Friday', () => {
    expect(isWorkday('2026-02-14', calendar)).toBe(true); // Saturday, Spring Festival make-up day
    expect(isWorkday('2026-10-01', calendar)).toBe(false); // Thursday, National Day
    expect(isWorkday('2026-11-27', calendar)).toBe(true); // plain Friday
    expect(isWorkday('2026-11-28', calendar)).toBe(false); // plain Saturday
    expect(isWorkday('2025-01-26', calendar)).toBe(true); // Sunday, 2025 Spring Festival make-up day
  });
});

describe('who is on call', () => {
  const weekdays = rotation({ id: 'day', members: ['wang'], applies: 'workdays' });
  const weekends = rotation({ id: 'off', members: ['li'], applies: 'non-workdays' });

  it('[L3-2.1.3] on a 调休 working Saturday (2026-02-14) the workdays rotation is on call, not the non-workdays one', () => {
    const r = rules([weekdays, weekends]);
    expect(whoIsOnCall(r, cst('2026-02-14T10:00'))).toEqual({ userIds: ['wang'], source: 'rotation', rotationId: 'day' });
    // The Saturday after is an ordinary weekend day.
    expect(whoIsOnCall(r, cst('2026-02-21T10:00'))).toEqual({ userIds: ['li'], source: 'rotation', rotationId: 'off' });
    // The same layers in the other order: only the covering one answers either way.
    expect(whoIsOnCall(rules([weekends, weekdays]), cst('2026-02-14T10:00')).rotationId).toBe('day');
  });

  it('on a statutory holiday weekday (2026-10-01) the non-workdays rotation is on call', () => {
    expect(whoIsOnCall(rules([weekdays, weekends]), cst('2026-10-01T15:00'))).toEqual({ userIds: ['li'], source: 'rotation', rotationId: 'off' });
    expect(whoIsOnCall(rules([weekdays, weekends]), cst('2026-10-09T15:00')).userIds).toEqual(['wang']);
  });

  it('hands over at the hand-over time: one minute before is the previous member, one minute after the next', () => {
    const r = rules([rotation({ members: ['a', 'b', 'c'], startDate: '2026-11-02', handoverTime: '09:30' })]);
    expect(whoIsOnCall(r, cst('2026-11-02T09:29')).source).toBe('none'); // before the first turn
    expect(whoIsOnCall(r, cst('2026-11-02T09:30')).userIds).toEqual(['a']);
    expect(whoIsOnCall(r, cst('2026-11-03T09:29')).userIds).toEqual(['a']);
    expect(whoIsOnCall(r, cst('2026-11-03T09:31')).userIds).toEqual(['b']);
    expect(whoIsOnCall(r, cst('2026-11-05T09:31')).userIds).toEqual(['a']); // round again
  });

  it('rotates weekly in member order across weeks', () => {
    const r = rules([rotation({ members: ['a', 'b', 'c'], unit: 'weeks', length: 1, startDate: '2026-11-02', handoverTime: '10:00' })]);
    const week = (n: number, at = '12:00') => whoIsOnCall(r, cst(`2026-11-${String(2 + 7 * n).padStart(2, '0')}T${at}`)).userIds[0];
    expect([week(0), week(1), week(2), week(3)]).toEqual(['a', 'b', 'c', 'a']);
    expect(whoIsOnCall(r, cst('2026-11-08T23:59')).userIds).toEqual(['a']); // Sunday: still week 0
    expect(whoIsOnCall(r, cst('2026-11-09T09:59')).userIds).toEqual(['a']);
    expect(whoIsOnCall(r, cst('2026-11-09T10:00')).userIds).toEqual(['b']);
    const fortnight = rules([rotation({ members: ['a', 'b'], unit: 'weeks', length: 2, startDate: '2026-11-02' })]);
    expect(['2026-11-03', '2026-11-10', '2026-11-17', '2026-11-24'].map((d) => whoIsOnCall(fortnight, cst(`${d}T12:00`)).userIds[0])).toEqual(['a', 'a', 'b', 'b']);
  });

  it('lets higher layers win inside their daily window, the lower layer outside it', () => {
    const base = rotation({ id: 'base', members: ['night'] });
    const office = rotation({ id: 'office', members: ['day'], applies: 'workdays', windowStart: '09:00', windowEnd: '18:00' });
    const r = rules([base, office]);
    expect(whoIsOnCall(r, cst('2026-11-27T08:59')).userIds).toEqual(['night']);
    expect(whoIsOnCall(r, cst('2026-11-27T09:00')).userIds).toEqual(['day']);
    expect(whoIsOnCall(r, cst('2026-11-27T18:00')).userIds).toEqual(['night']);
    expect(whoIsOnCall(r, cst('2026-11-28T10:00')).userIds).toEqual(['night']); // Saturday
  });

  it('gives an overnight window to the day it starts on', () => {
    const nights = rotation({ applies: 'workdays', windowStart: '18:00', windowEnd: '09:00' });
    expect(coveredDay(nights, { date: '2026-11-28', minute: 8 * 60 })).toBe('2026-11-27');
    expect(coveredDay(nights, { date: '2026-11-28', minute: 12 * 60 })).toBeNull();
    const r = rules([nights]);
    expect(whoIsOnCall(r, cst('2026-11-28T02:00')).source).toBe('rotation'); // Friday night
    expect(whoIsOnCall(r, cst('2026-11-29T02:00')).source).toBe('none'); // Saturday night
  });

  it('lets an override win over every layer, the latest created when overrides overlap', () => {
    const r = rules([rotation({ members: ['a'] })], {
      overrides: [
        { id: 'o1', userId: 'x', start: cst('2026-11-27T00:00'), end: cst('2026-11-28T00:00'), createdAt: 1 },
        { id: 'o2', userId: 'y', start: cst('2026-11-27T12:00'), end: cst('2026-11-27T14:00'), createdAt: 2 },
      ],
    });
    expect(whoIsOnCall(r, cst('2026-11-27T11:59'))).toEqual({ userIds: ['x'], source: 'override' });
    expect(whoIsOnCall(r, cst('2026-11-27T12:00')).userIds).toEqual(['y']);
    expect(whoIsOnCall(r, cst('2026-11-27T14:00')).userIds).toEqual(['x']);
    expect(whoIsOnCall(r, cst('2026-11-28T00:00')).userIds).toEqual(['a']); // end is exclusive
  });

  it('passes over people who cannot be on call (disabled): the layer below answers, an override of theirs is ignored', () => {
    const r = rules([rotation({ id: 'base', members: ['a'] }), rotation({ id: 'top', members: ['gone'] })], {
      overrides: [{ id: 'o', userId: 'gone', start: cst('2026-11-27T00:00'), end: cst('2026-11-28T00:00'), createdAt: 1 }],
    });
    expect(whoIsOnCall(r, cst('2026-11-27T12:00'))).toEqual({ userIds: ['gone'], source: 'override' });
    expect(whoIsOnCall({ ...r, available: (u) => u !== 'gone' }, cst('2026-11-27T12:00'))).toEqual({ userIds: ['a'], source: 'rotation', rotationId: 'base' });
  });

  it('reads dates and hand-over times in the schedule time zone (Asia/Shanghai vs UTC)', () => {
    const at = Date.parse('2026-10-07T17:00:00Z'); // Shanghai: Thursday 2026-10-08 01:00, a workday; UTC: 10-07, a holiday
    expect(localMoment(at, 'Asia/Shanghai')).toEqual({ date: '2026-10-08', minute: 60 });
    expect(localMoment(at, 'UTC')).toEqual({ date: '2026-10-07', minute: 17 * 60 });
    const layers = [rotation({ id: 'day', members: ['wang'], applies: 'workdays' }), rotation({ id: 'off', members: ['li'], applies: 'non-workdays' })];
    expect(whoIsOnCall(rules(layers), at).userIds).toEqual(['wang']);
    expect(whoIsOnCall(rules(layers, { timeZone: 'UTC' }), at).userIds).toEqual(['li']);
    // Hand-over at 09:00 local: 01:00 UTC in Shanghai, 09:00 UTC in UTC.
    expect(zonedEpoch('2026-11-27', 9 * 60, 'Asia/Shanghai')).toBe(Date.parse('2026-11-27T01:00:00Z'));
    expect(zonedEpoch('2026-11-27', 9 * 60, 'UTC')).toBe(Date.parse('2026-11-27T09:00:00Z'));
    expect(zonedEpoch('2026-07-01', 9 * 60, 'Europe/Berlin')).toBe(Date.parse('2026-07-01T07:00:00Z')); // summer time
  });

  it('cuts a timeline at hand-overs, window edges and overrides, merging equal neighbours', () => {
    const r = rules([rotation({ id: 'base', members: ['a', 'b'], handoverTime: '09:00', startDate: '2026-11-23' }), rotation({ id: 'off', members: ['w'], applies: 'non-workdays' })], {
      overrides: [{ id: 'o', userId: 'x', start: cst('2026-11-25T12:00'), end: cst('2026-11-25T13:00'), createdAt: 1 }],
    });
    const segments = timeline(r, cst('2026-11-25T00:00'), cst('2026-11-29T00:00'));
    const view = segments.map((s) => `${new Date(s.start + 8 * 3_600_000).toISOString().slice(5, 16)} ${s.userIds.join()} ${s.source}`);
    expect(view).toEqual([
      '11-25T00:00 b rotation', // Tuesday 09:00 → Wednesday 09:00 is b's turn
      '11-25T09:00 a rotation',
      '11-25T12:00 x override',
      '11-25T13:00 a rotation',
      '11-26T09:00 b rotation',
      '11-27T09:00 a rotation',
      '11-28T00:00 w rotation', // Saturday
    ]);
    expect(segments.at(-1)!.end).toBe(cst('2026-11-29T00:00'));
    for (let i = 1; i < segments.length; i++) {
      expect(segments[i]!.start).toBe(segments[i - 1]!.end);
    }
  });
});
