import type { DayState, NoticePhase, NoticeSeverity, PublicDay, PublicState } from '@yunwei/contracts/status-pages';
import { addDays, localMoment, zonedEpoch } from '../oncall/zoned-time.js';

/**
 * The rules of a public status page, pure: what state a component is in, what the page says overall,
 * and uptime per day and over 24 h / 30 days. The service gathers the facts; nothing here reads.
 *
 * - A check component is `outage` while its latest result is DOWN, `operational` while UP, `unknown`
 *   before its first result or while disabled. Its uptime is the share of its runs that were UP.
 * - A CI component is `outage` while an alert of severity critical is open (firing or acknowledged) on
 *   it, `degraded` while only warnings are. Its uptime is the share of time without a critical alert
 *   firing on it, counted from when the CI was created (alert history is kept; pending alerts that never
 *   fired do not count).
 * - Any component covered by an active maintenance window (its CI, or the page's business system with
 *   what it relies on) is `maintenance`, whatever its checks say: planned work is not an outage.
 */

export const DAY_MS = 86_400_000;
/** Days of uptime bars (today included). */
export const BAR_DAYS = 30;
/** A day at least this share up (but not all) is `degraded`; below it, `outage`. */
export const DEGRADED_FLOOR = 0.95;

const RANK: Record<Exclude<PublicState, 'unknown'>, number> = { operational: 0, maintenance: 1, degraded: 2, outage: 3 };

export interface CheckNow {
  /** Latest result: true UP, false DOWN, null none yet (or the check is disabled or gone). */
  up: boolean | null;
  inMaintenance: boolean;
}

export interface CiNow {
  /** Worst severity among the open alerts on the CI (null: none). */
  worstOpen: 'warning' | 'critical' | null;
  inMaintenance: boolean;
}

export function checkState(c: CheckNow): PublicState {
  if (c.inMaintenance) {
    return 'maintenance';
  }
  return c.up === null ? 'unknown' : c.up ? 'operational' : 'outage';
}

export function ciState(c: CiNow): PublicState {
  if (c.inMaintenance) {
    return 'maintenance';
  }
  return c.worstOpen === 'critical' ? 'outage' : c.worstOpen === 'warning' ? 'degraded' : 'operational';
}

/** What an active notice says about the page (null: nothing). */
export function noticeState(kind: 'incident' | 'maintenance', severity: NoticeSeverity): PublicState | null {
  if (kind === 'maintenance') {
    return 'maintenance';
  }
  return severity === 'critical' ? 'outage' : severity === 'major' || severity === 'minor' ? 'degraded' : null;
}

/**
 * The page's state. From the components: `outage` when every component not under maintenance is
 * down, `degraded` when some are down or degraded, `maintenance` when some are under maintenance and
 * none is in trouble, else `operational`; `unknown` when none has reported. Active notices raise it
 * (an administrator knows of an incident a check cannot see); the worse of the two wins.
 */
export function overallState(components: readonly PublicState[], notices: readonly (PublicState | null)[]): PublicState {
  const known = components.filter((s): s is Exclude<PublicState, 'unknown'> => s !== 'unknown');
  let state: PublicState = 'unknown';
  if (known.length) {
    const live = known.filter((s) => s !== 'maintenance');
    if (live.some((s) => s === 'outage' || s === 'degraded')) {
      state = live.every((s) => s === 'outage') ? 'outage' : 'degraded';
    } else {
      state = known.some((s) => s === 'maintenance') ? 'maintenance' : 'operational';
    }
  }
  for (const n of notices) {
    if (n !== null && n !== 'unknown' && (state === 'unknown' || RANK[n] > RANK[state])) {
      state = n;
    }
  }
  return state;
}

export function noticePhase(startsAt: number, endsAt: number | null, now: number): NoticePhase {
  if (startsAt > now) {
    return 'scheduled';
  }
  return endsAt !== null && endsAt <= now ? 'ended' : 'active';
}

/** A ratio as a percentage with two decimals, rounded down (99.999% is not 100.00%). */
export function percent(ratio: number | null): number | null {
  return ratio === null ? null : Math.floor(ratio * 10_000) / 100;
}

export interface LocalDay {
  date: string;
  from: number;
  /** Exclusive; today's ends at `now`. */
  to: number;
}

/** The last `count` local days of `timeZone`, oldest first, today (up to `now`) last. */
export function lastDays(now: number, timeZone: string, count = BAR_DAYS): LocalDay[] {
  const today = localMoment(now, timeZone).date;
  const out: LocalDay[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const date = addDays(today, -i);
    out.push({ date, from: zonedEpoch(date, 0, timeZone), to: i === 0 ? now : zonedEpoch(addDays(date, 1), 0, timeZone) });
  }
  return out;
}

function dayState(ratio: number | null, degradedMs = 0): DayState {
  if (ratio === null) {
    return 'nodata';
  }
  if (ratio >= 1) {
    return degradedMs > 0 ? 'degraded' : 'operational';
  }
  return ratio >= DEGRADED_FLOOR ? 'degraded' : 'outage';
}

/** Sums of `check_up` samples (1 UP, 0 DOWN) in buckets starting at `ts`. */
export interface UpBucket {
  ts: number;
  sum: number;
  count: number;
}

function ratioOf(buckets: readonly UpBucket[], from: number, to: number): number | null {
  let sum = 0;
  let count = 0;
  for (const b of buckets) {
    if (b.ts >= from && b.ts < to) {
      sum += b.sum;
      count += b.count;
    }
  }
  return count ? sum / count : null;
}

/** A check's days: the share of its runs that were UP, per day (a bucket counts on the day it starts). */
export function checkDays(buckets: readonly UpBucket[], days: readonly LocalDay[]): PublicDay[] {
  return days.map((d) => {
    const ratio = ratioOf(buckets, d.from, d.to);
    return { date: d.date, uptime: percent(ratio), state: dayState(ratio) };
  });
}

/** A check's uptime over [from, to) from its buckets. */
export function checkUptime(buckets: readonly UpBucket[], from: number, to: number): number | null {
  return percent(ratioOf(buckets, from, to));
}

/** A span during which an alert was firing on the CI (`to`: when it resolved, or now). */
export interface FiringSpan {
  from: number;
  to: number;
  severity: 'warning' | 'critical';
}

/** Length of the union of the spans of `severity` clipped to [from, to). */
function coveredMs(spans: readonly FiringSpan[], severity: FiringSpan['severity'], from: number, to: number): number {
  const clipped = spans
    .filter((s) => s.severity === severity && s.to > from && s.from < to)
    .map((s) => [Math.max(s.from, from), Math.min(s.to, to)] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [a, b] of clipped) {
    const start = Math.max(a, end);
    if (b > start) {
      total += b - start;
    }
    end = Math.max(end, b);
  }
  return total;
}

/** The share of [from, to) without a critical alert firing, counted from `since` (the CI's creation). */
function ciRatio(spans: readonly FiringSpan[], since: number, from: number, to: number): number | null {
  const start = Math.max(from, since);
  if (to <= start) {
    return null;
  }
  return 1 - coveredMs(spans, 'critical', start, to) / (to - start);
}

export function ciUptime(spans: readonly FiringSpan[], since: number, from: number, to: number): number | null {
  return percent(ciRatio(spans, since, from, to));
}

/** A CI's days: time without a critical alert; a day with warnings only is `degraded`. */
export function ciDays(spans: readonly FiringSpan[], since: number, days: readonly LocalDay[]): PublicDay[] {
  return days.map((d) => {
    const ratio = ciRatio(spans, since, d.from, d.to);
    const warned = ratio === null ? 0 : coveredMs(spans, 'warning', Math.max(d.from, since), d.to);
    return { date: d.date, uptime: percent(ratio), state: dayState(ratio, warned) };
  });
}
