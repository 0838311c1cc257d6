import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';

/**
 * On-call schedules (值班排班) and the business calendar (工作日历: China's statutory holidays and the
 * make-up working days, 调休).
 *
 * - A schedule has rotations (layers): members take turns every N days or weeks, handing over at a
 *   local time; a layer may apply on all days, on workdays only or on non-workdays only (by the
 *   business calendar), optionally inside a daily time window. The highest layer that applies wins;
 *   overrides win over every layer (the latest created one when they overlap).
 * - All local dates and times are in the schedule's IANA time zone (default Asia/Shanghai).
 */
export const ONCALL_PERMISSIONS = {
  scheduleRead: 'oncall.schedule.read',
  scheduleWrite: 'oncall.schedule.write',
  calendarWrite: 'oncall.calendar.write',
} as const satisfies Record<string, PermissionId>;

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';
/** The longest timeline one request may ask for. */
export const MAX_TIMELINE_DAYS = 62;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
/** A calendar date, `YYYY-MM-DD` (checked for existence by the server). */
export const LocalDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD' });
/** A local time of day, `HH:mm` (00:00–23:59). */
export const LocalTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:mm' });

// ---------------------------------------------------------------- business calendar

export const CALENDAR_DAY_KINDS = ['holiday', 'workday'] as const;
export type CalendarDayKind = (typeof CALENDAR_DAY_KINDS)[number];
/** seed: shipped with Yunwei (State Council notices); user: entered by an administrator. */
export const CALENDAR_DAY_SOURCES = ['seed', 'user'] as const;
export type CalendarDaySource = (typeof CALENDAR_DAY_SOURCES)[number];

const DayName = Type.Object({ zh: Type.String({ maxLength: 50 }), en: Type.String({ maxLength: 50 }) }, { additionalProperties: false });

export const CalendarDay = Type.Object({
  date: LocalDate,
  kind: Type.Enum(CALENDAR_DAY_KINDS),
  name: DayName,
  source: Type.Enum(CALENDAR_DAY_SOURCES),
});
export type CalendarDay = Static<typeof CalendarDay>;

export const CalendarYear = Type.Object({ year: Type.Integer(), days: Type.Array(CalendarDay) });
export type CalendarYear = Static<typeof CalendarYear>;

export const CalendarYearParams = Type.Object({ year: Type.Integer({ minimum: 2000, maximum: 2100 }) }, { additionalProperties: false });

export const CalendarDayInput = Type.Object(
  { date: LocalDate, kind: Type.Enum(CALENDAR_DAY_KINDS), name: Type.Optional(DayName) },
  { additionalProperties: false },
);
export type CalendarDayInput = Static<typeof CalendarDayInput>;

/**
 * The administrator's entries of one year; they replace that year's previous user entries. A user
 * entry takes the place of the seeded one of the same date (a seeded holiday on a weekday is lifted
 * by a `workday` entry); seeded days come back when no user entry covers them any more.
 */
export const CalendarYearUpdate = Type.Object({ days: Type.Array(CalendarDayInput, { maxItems: 366 }) }, { additionalProperties: false });
export type CalendarYearUpdate = Static<typeof CalendarYearUpdate>;

// ---------------------------------------------------------------- schedules

export const ROTATION_UNITS = ['days', 'weeks'] as const;
export type RotationUnit = (typeof ROTATION_UNITS)[number];
/** Which days a rotation covers, by the business calendar. */
export const ROTATION_APPLIES = ['all', 'workdays', 'non-workdays'] as const;
export type RotationApplies = (typeof ROTATION_APPLIES)[number];

export const RotationInput = Type.Object(
  {
    /** Kept when it is one of the schedule's rotations (so references stay valid across edits). */
    id: Type.Optional(Id),
    name: Name(100),
    /** User ids in turn order; existing, enabled users. */
    members: Type.Array(Id, { minItems: 1, maxItems: 100 }),
    unit: Type.Enum(ROTATION_UNITS),
    length: Type.Integer({ minimum: 1, maximum: 365 }),
    /** Local time of the hand-over. */
    handoverTime: LocalTime,
    /** Local date of the first hand-over (the first member's turn starts then). */
    startDate: LocalDate,
    applies: Type.Enum(ROTATION_APPLIES),
    /** Daily window (local); an end before the start spans midnight and belongs to the start's day. */
    windowStart: Type.Optional(Nullable(LocalTime)),
    windowEnd: Type.Optional(Nullable(LocalTime)),
  },
  { additionalProperties: false },
);
export type RotationInput = Static<typeof RotationInput>;

export const Rotation = Type.Object({
  id: Id,
  name: Type.String(),
  members: Type.Array(Id),
  unit: Type.Enum(ROTATION_UNITS),
  length: Type.Integer(),
  handoverTime: LocalTime,
  startDate: LocalDate,
  applies: Type.Enum(ROTATION_APPLIES),
  windowStart: Nullable(LocalTime),
  windowEnd: Nullable(LocalTime),
});
export type Rotation = Static<typeof Rotation>;

export const ScheduleInput = Type.Object(
  {
    name: Name(100),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    /** IANA time zone; default Asia/Shanghai. */
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    /** Lowest layer first: a later rotation wins where it applies. */
    rotations: Type.Array(RotationInput, { maxItems: 20 }),
  },
  { additionalProperties: false },
);
export type ScheduleInput = Static<typeof ScheduleInput>;

export const OnCallUser = Type.Object({ id: Id, username: Type.String(), displayName: Type.String() });
export type OnCallUser = Static<typeof OnCallUser>;

export const ONCALL_SOURCES = ['override', 'rotation', 'none'] as const;
export type OnCallSource = (typeof ONCALL_SOURCES)[number];

export const OnCallNow = Type.Object({
  at: Epoch,
  userIds: Type.Array(Id),
  users: Type.Array(OnCallUser),
  source: Type.Enum(ONCALL_SOURCES),
  rotationId: Nullable(Id),
});
export type OnCallNow = Static<typeof OnCallNow>;

const scheduleFields = {
  id: Id,
  name: Type.String(),
  description: Type.String(),
  timeZone: Type.String(),
  rotations: Type.Array(Rotation),
  createdAt: Epoch,
  updatedAt: Epoch,
};
export const Schedule = Type.Object(scheduleFields);
export type Schedule = Static<typeof Schedule>;

export const ScheduleList = Type.Object({
  items: Type.Array(Type.Object({ ...scheduleFields, now: OnCallNow })),
  total: Type.Integer(),
});
export type ScheduleList = Static<typeof ScheduleList>;
export type ScheduleListItem = ScheduleList['items'][number];

export const OverrideInput = Type.Object(
  { userId: Id, start: Epoch, end: Epoch, reason: Type.Optional(Type.String({ maxLength: 500 })) },
  { additionalProperties: false },
);
export type OverrideInput = Static<typeof OverrideInput>;

export const Override = Type.Object({
  id: Id,
  scheduleId: Id,
  userId: Id,
  start: Epoch,
  end: Epoch,
  reason: Type.String(),
  createdAt: Epoch,
  createdBy: Nullable(Type.String()),
});
export type Override = Static<typeof Override>;
export const OverrideList = Type.Object({ items: Type.Array(Override), total: Type.Integer() });
export type OverrideList = Static<typeof OverrideList>;

export const OverrideParams = Type.Object({ id: Id, overrideId: Id }, { additionalProperties: false });

/** `from`/`to` epoch ms (default: now → two weeks on), at most MAX_TIMELINE_DAYS apart. */
export const OverrideQuery = Type.Object({ from: Type.Optional(Epoch), to: Type.Optional(Epoch) }, { additionalProperties: false });
export type OverrideQuery = Static<typeof OverrideQuery>;

/**
 * Either `from`/`to` epoch ms, or `date` (local date in the schedule's time zone) and `days` (whole
 * local days from its midnight). Default: now → two weeks on. At most MAX_TIMELINE_DAYS long.
 */
export const TimelineQuery = Type.Object(
  {
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    date: Type.Optional(LocalDate),
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_TIMELINE_DAYS })),
  },
  { additionalProperties: false },
);
export type TimelineQuery = Static<typeof TimelineQuery>;

export const TimelineSegment = Type.Object({
  start: Epoch,
  end: Epoch,
  userIds: Type.Array(Id),
  source: Type.Enum(ONCALL_SOURCES),
  rotationId: Nullable(Id),
});
export type TimelineSegment = Static<typeof TimelineSegment>;

/** A local day of the timeline, with what the business calendar says of it. */
export const TimelineDay = Type.Object({
  date: LocalDate,
  start: Epoch,
  end: Epoch,
  workday: Type.Boolean(),
  /** The calendar entry's kind and name, when the date has one. */
  kind: Nullable(Type.Enum(CALENDAR_DAY_KINDS)),
  name: Nullable(DayName),
});
export type TimelineDay = Static<typeof TimelineDay>;

export const Timeline = Type.Object({
  from: Epoch,
  to: Epoch,
  timeZone: Type.String(),
  segments: Type.Array(TimelineSegment),
  /** The local days [from, to) touches. */
  days: Type.Array(TimelineDay),
  /** The people named in the segments. */
  users: Type.Array(OnCallUser),
});
export type Timeline = Static<typeof Timeline>;

/** Enabled users who may be put on call (for the member pickers). */
export const OnCallCandidates = Type.Object({ items: Type.Array(OnCallUser) });
export type OnCallCandidates = Static<typeof OnCallCandidates>;
