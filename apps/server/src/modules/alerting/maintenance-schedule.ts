import { Cron } from 'croner';
import { ROUTING_DEFAULTS, type MaintenanceSchedule } from '@yunwei/contracts/alert-routing';
import { invalidField } from '../../platform/errors.js';

export interface Occurrence {
  startsAt: number;
  endsAt: number;
}

const MINUTE = 60_000;

/** A recurring schedule as a cron pattern in its time zone (weekly days + time become one). */
function cronOf(schedule: Exclude<MaintenanceSchedule, { kind: 'once' }>): Cron {
  const timezone = schedule.timezone ?? ROUTING_DEFAULTS.timezone;
  const pattern = schedule.kind === 'cron' ? schedule.cron : `${Number(schedule.time.slice(3))} ${Number(schedule.time.slice(0, 2))} * * ${[...schedule.days].sort().join(',')}`;
  return new Cron(pattern, { paused: true, timezone });
}

/** Refuses what TypeBox cannot check: end before start, a bad cron pattern, an unknown time zone. */
export function validateSchedule(schedule: MaintenanceSchedule, field = 'body.schedule'): void {
  if (schedule.kind === 'once') {
    if (schedule.endsAt <= schedule.startsAt) {
      throw invalidField(`${field}.endsAt`, { zh: '必须晚于开始时间', en: 'must be after startsAt' });
    }
    return;
  }
  if (schedule.timezone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: schedule.timezone });
    } catch {
      throw invalidField(`${field}.timezone`, { zh: '未知的时区（请用 IANA 时区名，如 Asia/Shanghai）', en: 'unknown time zone (use an IANA name such as Asia/Shanghai)' });
    }
  }
  try {
    const cron = cronOf(schedule);
    if (!cron.nextRun()) {
      throw new Error('it never runs');
    }
  } catch (error) {
    throw invalidField(`${field}.${schedule.kind === 'cron' ? 'cron' : 'days'}`, { zh: `不是有效的时间安排：${(error as Error).message}`, en: `not a valid schedule: ${(error as Error).message}` });
  }
}

/**
 * The occurrence in effect at `at`, or else the next one (null when there is none left).
 * A recurring occurrence starts at each run of its pattern and lasts `durationMinutes`.
 */
export function occurrenceAt(schedule: MaintenanceSchedule, at: number): Occurrence | null {
  if (schedule.kind === 'once') {
    return at < schedule.endsAt ? { startsAt: schedule.startsAt, endsAt: schedule.endsAt } : null;
  }
  const duration = schedule.durationMinutes * MINUTE;
  const cron = cronOf(schedule);
  // The earliest run in (at − duration, at] is still in effect; otherwise the next run after `at`.
  const current = cron.nextRun(new Date(at - duration));
  const start = current && current.getTime() <= at ? current : cron.nextRun(new Date(at));
  return start ? { startsAt: start.getTime(), endsAt: start.getTime() + duration } : null;
}

export function activeAt(schedule: MaintenanceSchedule, at: number): boolean {
  const o = occurrenceAt(schedule, at);
  return o !== null && o.startsAt <= at && at < o.endsAt;
}
