/** One special day of the business calendar; a date without a row is a workday from Monday to Friday. */
export interface BusinessCalendarDayTable {
  /** `YYYY-MM-DD`. */
  date: string;
  kind: 'holiday' | 'workday';
  name_zh: string;
  name_en: string;
  /** seed: shipped with Yunwei (refreshed at start); user: entered by an administrator (never overwritten). */
  source: 'seed' | 'user';
  updated_at: number;
}

export interface OncallScheduleTable {
  id: string;
  name: string;
  description: string;
  /** IANA time zone of the rotations' dates and times. */
  time_zone: string;
  created_at: number;
  updated_at: number;
}

/** A layer of a schedule; a higher `position` wins where it applies. */
export interface OncallRotationTable {
  id: string;
  schedule_id: string;
  position: number;
  name: string;
  /** JSON array of user ids, in turn order. */
  members: string;
  unit: 'days' | 'weeks';
  length: number;
  handover_time: string;
  start_date: string;
  applies: 'all' | 'workdays' | 'non-workdays';
  window_start: string | null;
  window_end: string | null;
}

export interface OncallOverrideTable {
  id: string;
  schedule_id: string;
  user_id: string;
  start_at: number;
  end_at: number;
  reason: string;
  created_at: number;
  created_by: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    business_calendar_day: BusinessCalendarDayTable;
    oncall_schedule: OncallScheduleTable;
    oncall_rotation: OncallRotationTable;
    oncall_override: OncallOverrideTable;
  }
}
