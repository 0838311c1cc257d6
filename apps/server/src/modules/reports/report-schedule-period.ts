import type { Locale } from '@yunwei/contracts/i18n';
import type { ReportCadence } from '@yunwei/contracts/report-schedules';
import { addDays, localMoment, weekday, zonedEpoch } from '../oncall/zoned-time.js';

/*
 * When a schedule runs and which period it reports on, in the server's time zone (YUNWEI_TIME_ZONE).
 * A period is the previous full week (Monday–Sunday), month or quarter before the run: local midnight
 * to local midnight. Pure functions.
 */

export interface ScheduleTiming {
  cadence: ReportCadence;
  /** 1 = Monday … 7 = Sunday. */
  dayOfWeek: number;
  /** 1–28. */
  dayOfMonth: number;
  hour: number;
}

export interface ReportPeriod {
  from: number;
  to: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

function ymd(date: string): { y: number; m: number; d: number } {
  const [y, m, d] = date.split('-').map(Number);
  return { y: y!, m: m!, d: d! };
}

/** The first day of the month `months` after (year, month), as `YYYY-MM-01`. */
function monthStart(y: number, m: number, months = 0): string {
  const index = y * 12 + (m - 1) + months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}-01`;
}

/** The next instant after `now` the schedule runs at. */
export function nextRunAt(t: ScheduleTiming, now: number, timeZone: string): number {
  const today = localMoment(now, timeZone).date;
  const minute = t.hour * 60;
  if (t.cadence === 'weekly') {
    for (let i = 0; i <= 7; i++) {
      const date = addDays(today, i);
      const iso = weekday(date) === 0 ? 7 : weekday(date);
      const at = zonedEpoch(date, minute, timeZone);
      if (iso === t.dayOfWeek && at > now) {
        return at;
      }
    }
  }
  const { y, m } = ymd(today);
  for (let i = 0; i <= 12; i++) {
    const first = ymd(monthStart(y, m, i));
    if (t.cadence === 'quarterly' && (first.m - 1) % 3 !== 0) {
      continue;
    }
    const at = zonedEpoch(`${first.y}-${pad(first.m)}-${pad(t.dayOfMonth)}`, minute, timeZone);
    if (at > now) {
      return at;
    }
  }
  throw new Error(`no next run for ${JSON.stringify(t)}`);
}

/** The last full week (Monday–Sunday), month or quarter before `at`, local midnight to local midnight. */
export function periodBefore(cadence: ReportCadence, at: number, timeZone: string): ReportPeriod {
  const today = localMoment(at, timeZone).date;
  if (cadence === 'weekly') {
    const day = weekday(today);
    const monday = addDays(today, -((day + 6) % 7));
    return { from: zonedEpoch(addDays(monday, -7), 0, timeZone), to: zonedEpoch(monday, 0, timeZone) };
  }
  const { y, m } = ymd(today);
  const span = cadence === 'monthly' ? 1 : 3;
  const current = cadence === 'monthly' ? monthStart(y, m) : monthStart(y, m - ((m - 1) % 3));
  const c = ymd(current);
  return { from: zonedEpoch(monthStart(c.y, c.m, -span), 0, timeZone), to: zonedEpoch(current, 0, timeZone) };
}

/** How people name the period: 2026年11月 / November 2026, 2026年第3季度 / Q3 2026, 2026-11-23 至 2026-11-29. */
export function periodLabel(cadence: ReportCadence, p: ReportPeriod, timeZone: string, locale: Locale): string {
  const start = localMoment(p.from, timeZone).date;
  const { y, m } = ymd(start);
  const en = locale === 'en';
  if (cadence === 'monthly') {
    return en ? `${new Date(Date.UTC(y, m - 1, 1)).toLocaleString('en', { month: 'long', timeZone: 'UTC' })} ${y}` : `${y}年${m}月`;
  }
  if (cadence === 'quarterly') {
    const q = Math.floor((m - 1) / 3) + 1;
    return en ? `Q${q} ${y}` : `${y}年第${q}季度`;
  }
  const last = addDays(localMoment(p.to, timeZone).date, -1);
  return en ? `${start} to ${last}` : `${start} 至 ${last}`;
}
