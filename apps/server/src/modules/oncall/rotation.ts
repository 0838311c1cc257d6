import type { CalendarDayKind, OnCallSource, RotationApplies, RotationUnit } from '@yunwei/contracts/oncall';
import { addDays, dayNumber, localMoment, minuteOf, weekday, zonedEpoch, type LocalMoment } from './zoned-time.js';

/**
 * Who is on call: pure rules over a schedule's rotations, its overrides and the business calendar.
 * Every local date and time is in the schedule's time zone.
 */

export interface RotationRule {
  id: string;
  members: readonly string[];
  unit: RotationUnit;
  length: number;
  /** `HH:mm`, local. */
  handoverTime: string;
  /** `YYYY-MM-DD`, local: the first member's turn starts there at the hand-over time. */
  startDate: string;
  applies: RotationApplies;
  windowStart: string | null;
  windowEnd: string | null;
}

export interface OverrideRule {
  id: string;
  userId: string;
  start: number;
  end: number;
  createdAt: number;
}

/** The business calendar's entry for a date, when it has one. */
export type CalendarLookup = (date: string) => CalendarDayKind | undefined;

export interface ScheduleRules {
  timeZone: string;
  /** Lowest layer first: a later rotation wins where it applies. */
  rotations: readonly RotationRule[];
  overrides: readonly OverrideRule[];
  calendar: CalendarLookup;
  /** False for people who cannot be on call (disabled accounts): their turns and overrides are skipped. */
  available?: (userId: string) => boolean;
}

export interface OnCall {
  userIds: string[];
  source: OnCallSource;
  rotationId?: string;
}

export interface Segment extends OnCall {
  start: number;
  end: number;
}

/** An explicit `workday` entry (调休) → true, a `holiday` entry → false, else Monday to Friday. */
export function isWorkday(date: string, calendar: CalendarLookup): boolean {
  const kind = calendar(date);
  if (kind) {
    return kind === 'workday';
  }
  const d = weekday(date);
  return d >= 1 && d <= 5;
}

/**
 * The local date whose kind (workday or not) decides whether the rotation covers this moment, or null
 * outside its daily window. Without a window a day runs midnight to midnight; a window whose end is
 * before its start spans midnight and belongs to the day it starts on (18:00–09:00 on workdays: the
 * nights after workdays).
 */
export function coveredDay(rotation: Pick<RotationRule, 'windowStart' | 'windowEnd'>, at: LocalMoment): string | null {
  if (rotation.windowStart === null || rotation.windowEnd === null) {
    return at.date;
  }
  const start = minuteOf(rotation.windowStart);
  const end = minuteOf(rotation.windowEnd);
  if (start < end) {
    return at.minute >= start && at.minute < end ? at.date : null;
  }
  if (at.minute >= start) {
    return at.date;
  }
  return at.minute < end ? addDays(at.date, -1) : null;
}

/** The member whose turn it is (turns change at the hand-over time), or null before the first turn. */
export function memberOnTurn(rotation: RotationRule, at: LocalMoment): string | null {
  const turnDate = at.minute >= minuteOf(rotation.handoverTime) ? at.date : addDays(at.date, -1);
  const day = dayNumber(turnDate) - dayNumber(rotation.startDate);
  if (day < 0 || rotation.members.length === 0) {
    return null;
  }
  const turnDays = rotation.unit === 'weeks' ? rotation.length * 7 : rotation.length;
  return rotation.members[Math.floor(day / turnDays) % rotation.members.length] ?? null;
}

/** The rotation's member on call at this moment, or null when the rotation does not cover it. */
export function rotationOnCall(rotation: RotationRule, at: LocalMoment, calendar: CalendarLookup): string | null {
  const day = coveredDay(rotation, at);
  if (day === null) {
    return null;
  }
  if (rotation.applies !== 'all' && isWorkday(day, calendar) !== (rotation.applies === 'workdays')) {
    return null;
  }
  return memberOnTurn(rotation, at);
}

/** The override in force at `at`: the latest created of those covering it ([start, end)). */
export function overrideAt(overrides: readonly OverrideRule[], at: number): OverrideRule | undefined {
  let winner: OverrideRule | undefined;
  for (const o of overrides) {
    if (o.start <= at && at < o.end && (!winner || o.createdAt > winner.createdAt || (o.createdAt === winner.createdAt && o.id > winner.id))) {
      winner = o;
    }
  }
  return winner;
}

/**
 * Overrides win over everything; then the highest rotation that covers the moment. Someone who is not
 * available (a disabled account) is passed over, so the next layer down answers instead of nobody.
 */
export function whoIsOnCall(rules: ScheduleRules, at: number): OnCall {
  const available = rules.available ?? (() => true);
  const override = overrideAt(rules.overrides.filter((o) => available(o.userId)), at);
  if (override) {
    return { userIds: [override.userId], source: 'override' };
  }
  const local = localMoment(at, rules.timeZone);
  for (let i = rules.rotations.length - 1; i >= 0; i--) {
    const rotation = rules.rotations[i]!;
    const member = rotationOnCall(rotation, local, rules.calendar);
    if (member !== null && available(member)) {
      return { userIds: [member], source: 'rotation', rotationId: rotation.id };
    }
  }
  return { userIds: [], source: 'none' };
}

/**
 * Every instant in (from, to) where the answer may change: local midnights, hand-over times and
 * window edges of each day, and override edges. Between two of them the answer is constant.
 */
export function changePoints(rules: ScheduleRules, from: number, to: number): number[] {
  const minutes = new Set<number>([0]);
  for (const r of rules.rotations) {
    minutes.add(minuteOf(r.handoverTime));
    if (r.windowStart !== null && r.windowEnd !== null) {
      minutes.add(minuteOf(r.windowStart));
      minutes.add(minuteOf(r.windowEnd));
    }
  }
  const points = new Set<number>();
  const last = localMoment(to, rules.timeZone).date;
  for (let date = addDays(localMoment(from, rules.timeZone).date, -1); date <= last; date = addDays(date, 1)) {
    for (const m of minutes) {
      points.add(zonedEpoch(date, m, rules.timeZone));
    }
  }
  for (const o of rules.overrides) {
    points.add(o.start);
    points.add(o.end);
  }
  return [...points].filter((p) => p > from && p < to).sort((a, b) => a - b);
}

/** Who is on call over [from, to), as consecutive segments with the same answer. */
export function timeline(rules: ScheduleRules, from: number, to: number): Segment[] {
  const starts = [from, ...changePoints(rules, from, to)];
  const segments: Segment[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? to;
    const who = whoIsOnCall(rules, start);
    const previous = segments.at(-1);
    if (previous && previous.source === who.source && previous.rotationId === who.rotationId && previous.userIds.join() === who.userIds.join()) {
      previous.end = end;
    } else {
      segments.push({ start, end, ...who });
    }
  });
  return segments;
}
