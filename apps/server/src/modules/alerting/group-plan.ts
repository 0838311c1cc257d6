import type { EscalationStep } from '@yunwei/contracts/alert-routing';

/** A group's timers as stored (epoch ms) and the alerts notified last time. */
export interface GroupTimers {
  firstSeenAt: number | null;
  lastNotifiedAt: number | null;
  notified: readonly string[];
}

export interface GroupTiming {
  waitMs: number;
  intervalMs: number;
  repeatMs: number;
}

export type FlushKind = 'firing' | 'update' | 'repeat' | 'resolved';

export interface GroupPlan {
  /** What to send now (null: nothing yet). */
  send: FlushKind | null;
  /** The episode starts now (first alert of an idle group). */
  starts: boolean;
  /** The episode ends now (everything resolved: with a resolved message, or silently before the first one). */
  ends: boolean;
  /** When something is due next, if anything. */
  nextFlushAt: number | null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  const s = new Set(a);
  return b.every((x) => s.has(x));
}

/**
 * Alertmanager's timing, level-triggered on stored timers (so a restart neither repeats nor loses
 * anything): the first notification `wait` after the first alert; a change of the alert set (an
 * alert came, or went) `interval` after the last notification; the same set again after `repeat`
 * (not while every alert is acknowledged). When the set empties, the resolved message ends the
 * episode. Pure.
 */
export function planGroup(t: GroupTimers, open: readonly string[], allAcknowledged: boolean, timing: GroupTiming, now: number): GroupPlan {
  const none = (nextFlushAt: number | null): GroupPlan => ({ send: null, starts: false, ends: false, nextFlushAt });
  if (t.firstSeenAt === null) {
    if (!open.length) {
      return none(null);
    }
    const due = now + timing.waitMs;
    return due <= now ? { send: 'firing', starts: true, ends: false, nextFlushAt: null } : { send: null, starts: true, ends: false, nextFlushAt: due };
  }
  if (t.lastNotifiedAt === null) {
    const due = t.firstSeenAt + timing.waitMs;
    if (!open.length) {
      return { send: null, starts: false, ends: true, nextFlushAt: null };
    }
    return now >= due ? { send: 'firing', starts: false, ends: false, nextFlushAt: null } : none(due);
  }
  if (!sameSet(open, t.notified)) {
    const due = t.lastNotifiedAt + timing.intervalMs;
    if (now < due) {
      return none(due);
    }
    return open.length ? { send: 'update', starts: false, ends: false, nextFlushAt: null } : { send: 'resolved', starts: false, ends: true, nextFlushAt: null };
  }
  if (!open.length || allAcknowledged) {
    return none(null);
  }
  const due = t.lastNotifiedAt + timing.repeatMs;
  return now >= due ? { send: 'repeat', starts: false, ends: false, nextFlushAt: null } : none(due);
}

/**
 * When step number `k` (counted over all cycles) of an escalation runs, or null when there is no
 * such step. A cycle lasts the last step's `afterMinutes`; `repeat` cycles follow the first.
 */
export function escalationStepAt(steps: readonly EscalationStep[], repeat: number, startedAt: number, k: number): number | null {
  if (!steps.length || k >= steps.length * (1 + repeat)) {
    return null;
  }
  const cycle = Math.floor(k / steps.length);
  const cycleMs = steps[steps.length - 1]!.afterMinutes * 60_000;
  return startedAt + cycle * cycleMs + steps[k % steps.length]!.afterMinutes * 60_000;
}
