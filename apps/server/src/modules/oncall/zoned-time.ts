/**
 * Local dates and times in an IANA time zone, with `Intl` only (no time-zone library). Dates are
 * `YYYY-MM-DD` strings; times of day are minutes since local midnight. Pure functions.
 */

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** An instant as seen on a wall clock of the zone. */
export interface LocalMoment {
  date: string;
  /** Minutes since local midnight, 0–1439. */
  minute: number;
}

function wallClock(at: number, timeZone: string): { y: number; mo: number; d: number; h: number; mi: number; s: number } {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(at))) {
    if (p.type !== 'literal') {
      parts[p.type] = Number(p.value);
    }
  }
  return { y: parts.year!, mo: parts.month!, d: parts.day!, h: parts.hour!, mi: parts.minute!, s: parts.second! };
}

export function localMoment(at: number, timeZone: string): LocalMoment {
  const w = wallClock(at, timeZone);
  return { date: `${w.y}-${pad(w.mo)}-${pad(w.d)}`, minute: w.h * 60 + w.mi };
}

/** Local wall-clock time minus UTC at `at`, in ms (+8 h for Asia/Shanghai). */
function offsetAt(at: number, timeZone: string): number {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - (at - (((at % 1000) + 1000) % 1000));
}

/**
 * The instant a wall clock of the zone shows `date` at `minute`. Two passes settle the offset
 * around a daylight-saving change; a local time skipped by one resolves to just after it.
 */
export function zonedEpoch(date: string, minute: number, timeZone: string): number {
  const wall = dayNumber(date) * DAY_MS + minute * 60_000;
  const first = wall - offsetAt(wall, timeZone);
  return wall - offsetAt(first, timeZone);
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** Days since 1970-01-01 of a `YYYY-MM-DD` date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y!, m! - 1, d!) / DAY_MS;
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return dateOfDay(dayNumber(date) + days);
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(date: string): number {
  return new Date(dayNumber(date) * DAY_MS).getUTCDay();
}

/** True for a `YYYY-MM-DD` string naming a day that exists (not 2026-02-30). */
export function isDate(date: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) && dateOfDay(dayNumber(date)) === date;
}

/** `HH:mm` → minutes since midnight. */
export function minuteOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}
