import { isWorkday, type CalendarLookup } from '../oncall/rotation.js';
import { addDays, localMoment, zonedEpoch } from '../oncall/zoned-time.js';

/**
 * The SLA clock: how much SLA time has run between two instants, and when a target falls due.
 * Pure (no database, no I/O), to the millisecond.
 *
 * The clock runs on 24×7 time or on business hours (the working days of the business calendar,
 * inside the daily windows, in the calendar's time zone), and never while the incident is paused.
 * Window edges are computed per local date with `zonedEpoch`, so a daylight-saving zone is exact too.
 * The work is done per day and per window, never per minute: a target of months is still a few hundred steps.
 */

export interface SlaWindow {
  /** Minutes since local midnight, 0–1439. */
  start: number;
  /** Minutes since local midnight, start < end ≤ 1440 (1440: up to midnight). */
  end: number;
}

export interface SlaCalendar {
  mode: '24x7' | 'business';
  /** IANA time zone of the windows and of the calendar's dates. */
  timeZone: string;
  /** Business mode only: the day's working windows (08:30–12:00 and 13:30–17:30 leaves lunch out). */
  windows: readonly SlaWindow[];
  /** Business mode only: holidays and 调休 make-up workdays (else Monday to Friday). */
  lookup: CalendarLookup;
}

/** [from, to) in epoch ms; `to: null` is a pause that is still open. */
export interface Interval {
  from: number;
  to: number | null;
}

export interface SlaState {
  /** SLA time run from the start up to `now`, or up to `stoppedAt` when the clock has stopped. */
  elapsedMs: number;
  targetMs: number;
  /** SLA time left before the target, 0 once reached. */
  remainingMs: number;
  /** elapsed / target × 100, to one decimal; not capped (150 once half as much again has run). */
  percent: number;
  /** When the target falls due; null when an open pause stops the clock before it (or the calendar has no working time). */
  dueAt: number | null;
  /** The target was missed: `stoppedAt` (or, while running, `now`) is after the due instant. */
  breached: boolean;
  /** elapsed ≥ warnAt × target and not (yet) breached. */
  warning: boolean;
  /** `now` falls in a pause and the clock has not stopped. */
  paused: boolean;
  /** The clock has stopped (responded / resolved). */
  stopped: boolean;
}

/**
 * A business calendar that has no working day in this many consecutive days is taken to have no
 * working time at all: `dueAt` gives up and returns null instead of looping for ever.
 */
export const SLA_MAX_IDLE_DAYS = 400;

const DAY_MINUTES = 1440;

/** What is wrong with a set of daily windows (for the service to report on the field), or null. */
export function windowsProblem(windows: readonly SlaWindow[]): { index: number; zh: string; en: string } | null {
  for (const [index, w] of windows.entries()) {
    if (!Number.isInteger(w.start) || !Number.isInteger(w.end) || w.start < 0 || w.end > DAY_MINUTES || w.start >= w.end) {
      return { index, zh: '时段须在 00:00–24:00 之内，且开始早于结束', en: 'A window must lie within 00:00–24:00 and start before it ends' };
    }
  }
  const sorted = windows.map((w, index) => ({ ...w, index })).sort((a, b) => a.start - b.start);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i]!.start < sorted[i - 1]!.end) {
      return { index: sorted[i]!.index, zh: '时段相互重叠', en: 'Windows overlap each other' };
    }
  }
  return null;
}

/** Sorted windows, overlapping ones merged; invalid ones are a programming error (validate with `windowsProblem`). */
function normalWindows(windows: readonly SlaWindow[]): SlaWindow[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const merged: SlaWindow[] = [];
  for (const w of sorted) {
    if (!(w.start >= 0 && w.end <= DAY_MINUTES && w.start < w.end)) {
      throw new RangeError(`invalid SLA window ${w.start}–${w.end}`);
    }
    const last = merged.at(-1);
    if (last && w.start <= last.end) {
      last.end = Math.max(last.end, w.end);
    } else {
      merged.push({ ...w });
    }
  }
  return merged;
}

interface Pause {
  from: number;
  /** Infinity while open. */
  to: number;
}

/** Sorted, overlapping or touching pauses merged, empty ones dropped. */
function normalPauses(pauses: readonly Interval[]): Pause[] {
  const sorted = pauses
    .map((p) => ({ from: p.from, to: p.to ?? Infinity }))
    .filter((p) => p.to > p.from)
    .sort((a, b) => a.from - b.from);
  const merged: Pause[] = [];
  for (const p of sorted) {
    const last = merged.at(-1);
    if (last && p.from <= last.to) {
      last.to = Math.max(last.to, p.to);
    } else {
      merged.push({ ...p });
    }
  }
  return merged;
}

/** How a run of the clock ended: `visit` asked to stop, `until` was reached, an open pause stopped it, or no working time was found. */
type Outcome = 'stopped' | 'end' | 'paused' | 'idle';

/** Receives each span [a, b) in which the clock runs, in order; true stops the run. `b` may be Infinity. */
type Visit = (a: number, b: number) => boolean;

/** Visits the parts of [a, b) outside the pauses, starting the pause scan at index `first`. */
function visitUnpaused(a: number, b: number, pauses: readonly Pause[], first: number, visit: Visit): Outcome | null {
  let s = a;
  for (let j = first; j < pauses.length && pauses[j]!.from < b; j++) {
    const p = pauses[j]!;
    if (p.to <= s) {
      continue;
    }
    if (p.from > s && visit(s, p.from)) {
      return 'stopped';
    }
    if (p.to === Infinity) {
      return 'paused';
    }
    s = p.to;
    if (s >= b) {
      return null;
    }
  }
  return s < b && visit(s, b) ? 'stopped' : null;
}

/** Runs the clock from `from` to `until` (Infinity: until `visit` stops it). */
function runClock(from: number, until: number, cal: SlaCalendar, intervals: readonly Interval[], visit: Visit, maxIdleDays: number): Outcome {
  const pauses = normalPauses(intervals);
  if (cal.mode === '24x7') {
    return visitUnpaused(from, until, pauses, 0, visit) ?? 'end';
  }
  const windows = normalWindows(cal.windows);
  if (windows.length === 0) {
    return 'idle';
  }
  const { timeZone } = cal;
  let date = localMoment(from, timeZone).date;
  let cursor = from;
  let pi = 0;
  let idleDays = 0;
  for (;;) {
    while (pi < pauses.length && pauses[pi]!.to <= cursor) {
      pi++;
    }
    const pause = pauses[pi];
    if (pause && pause.from <= cursor) {
      // A pause covers the cursor: jump to its end rather than walking the days it covers.
      if (pause.to === Infinity) {
        return 'paused';
      }
      cursor = pause.to;
      const resumed = localMoment(cursor, timeZone).date;
      if (resumed > date) {
        date = resumed;
        idleDays = 0;
      }
      continue;
    }
    if (cursor >= until) {
      return 'end';
    }
    if (isWorkday(date, cal.lookup)) {
      idleDays = 0;
      for (const w of windows) {
        const a = Math.max(zonedEpoch(date, w.start, timeZone), cursor);
        const b = Math.min(zonedEpoch(date, w.end, timeZone), until);
        if (a < b) {
          const outcome = visitUnpaused(a, b, pauses, pi, visit);
          if (outcome) {
            return outcome;
          }
        }
      }
    } else if (++idleDays >= maxIdleDays) {
      return 'idle';
    }
    date = addDays(date, 1);
    cursor = Math.max(cursor, zonedEpoch(date, 0, timeZone));
  }
}

/** SLA time (business or 24×7 ms) in [from, to), pauses left out. 0 when to ≤ from. */
export function elapsedMs(from: number, to: number, cal: SlaCalendar, pauses: readonly Interval[]): number {
  if (!(to > from)) {
    return 0;
  }
  let total = 0;
  runClock(
    from,
    to,
    cal,
    pauses,
    (a, b) => {
      total += b - a;
      return false;
    },
    Infinity,
  );
  return total;
}

/**
 * The first instant at which the clock, started at `from`, has run `targetMs`: `elapsedMs(from, dueAt) === targetMs`.
 * It always lies inside or at the end of working time (17:00 + 1 h on a 09:00–18:00 day is 18:00, not 09:00 the next day).
 * Null when a pause that is still open stops the clock before the target (not due while paused — when the target
 * was reached before that pause began, the answer is that earlier instant), or when the calendar has no working
 * day in `SLA_MAX_IDLE_DAYS` consecutive days (or no windows). A target ≤ 0 is due at `from`.
 */
export function dueAt(from: number, targetMs: number, cal: SlaCalendar, pauses: readonly Interval[]): number | null {
  if (!(targetMs > 0)) {
    return from;
  }
  let need = targetMs;
  let due: number | null = null;
  runClock(
    from,
    Infinity,
    cal,
    pauses,
    (a, b) => {
      if (b - a >= need) {
        due = a + need;
        return true;
      }
      need -= b - a;
      return false;
    },
    SLA_MAX_IDLE_DAYS,
  );
  return due;
}

/**
 * The clock at `now`. With `stoppedAt` (responded / resolved) it is measured up to that instant and is
 * breached when that came after the due instant; otherwise it is breached once `now` is after it — also
 * outside working hours, when the elapsed time has stopped at exactly the target. `warnAt` is a fraction (default 0.8).
 */
export function slaState(input: {
  from: number;
  now: number;
  stoppedAt?: number | null;
  targetMs: number;
  cal: SlaCalendar;
  pauses: readonly Interval[];
  warnAt?: number;
}): SlaState {
  const { from, now, targetMs, cal, pauses } = input;
  if (!(targetMs > 0) || !Number.isFinite(targetMs)) {
    throw new RangeError(`SLA target must be a positive number of ms, not ${targetMs}`);
  }
  const stopped = input.stoppedAt !== undefined && input.stoppedAt !== null;
  const end = stopped ? input.stoppedAt! : now;
  const elapsed = elapsedMs(from, end, cal, pauses);
  const due = dueAt(from, targetMs, cal, pauses);
  const breached = due !== null && end > due;
  const paused = !stopped && pauses.some((p) => p.from <= now && (p.to === null || now < p.to));
  return {
    elapsedMs: elapsed,
    targetMs,
    remainingMs: Math.max(0, targetMs - elapsed),
    percent: Math.round((elapsed / targetMs) * 1000) / 10,
    dueAt: due,
    breached,
    warning: !breached && elapsed >= (input.warnAt ?? 0.8) * targetMs,
    paused,
    stopped,
  };
}

/**
 * The local dates [from, to] a calendar lookup must cover for the clock started at `from` to see
 * `horizonDays` days ahead, so the service loads the calendar once. Dates beyond the range read as
 * plain Monday–Friday. For a running clock pass the days already gone plus the target's reach
 * (e.g. days since `from` + `SLA_MAX_IDLE_DAYS`: a year of calendar rows is a few dozen).
 */
export function calendarRange(from: number, horizonDays: number, timeZone: string): { from: string; to: string } {
  const start = localMoment(from, timeZone).date;
  return { from: start, to: addDays(start, Math.max(0, Math.ceil(horizonDays))) };
}
