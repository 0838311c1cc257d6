import { INCIDENT_ACTIONS, INCIDENT_TIME_FIELDS, INCIDENT_TRANSITIONS, type IncidentAction, type IncidentPriority, type IncidentStatus, type IncidentTimeField, type PriorityMatrix } from '@yunwei/contracts/incidents';
import type { LocalizedText } from '@yunwei/contracts/i18n';

/** The priority the matrix gives for impact × urgency (1 高 … 3 低). */
export function priorityOf(matrix: PriorityMatrix, impact: number, urgency: number): IncidentPriority {
  return matrix[impact - 1]![urgency - 1]!;
}

export type IncidentTimes = Partial<Record<IncidentTimeField, number | null>>;

/**
 * The first time that goes back (is before an earlier one in the order detected ≤ acknowledged ≤ mitigated ≤
 * resolved), or one in the future beyond `now` + a minute of clock skew; null when the order holds.
 */
export function timeOrderProblem(times: IncidentTimes, now: number): { field: IncidentTimeField; message: LocalizedText } | null {
  let previous: { field: IncidentTimeField; at: number } | null = null;
  for (const field of INCIDENT_TIME_FIELDS) {
    const at = times[field];
    if (at === null || at === undefined) {
      continue;
    }
    if (at > now + 60_000) {
      return { field, message: { zh: '时间不能晚于现在', en: 'the time cannot be in the future' } };
    }
    if (previous && at < previous.at) {
      return { field, message: { zh: `不能早于${TIME_NAMES[previous.field].zh}`, en: `cannot be before the ${TIME_NAMES[previous.field].en} time` } };
    }
    previous = { field, at };
  }
  return null;
}

export const TIME_NAMES: Record<IncidentTimeField, LocalizedText> = {
  detectedAt: { zh: '发现时间', en: 'detected' },
  acknowledgedAt: { zh: '响应时间', en: 'acknowledged' },
  mitigatedAt: { zh: '缓解时间', en: 'mitigated' },
  resolvedAt: { zh: '解决时间', en: 'resolved' },
};

export interface TransitionContext {
  status: IncidentStatus;
  /** When it was resolved (reopen is allowed within `reopenDays` of it). */
  resolvedAt: number | null;
  reopenDays: number;
  now: number;
}

/** Whether `action` may be taken now: the life cycle, and reopen only within the window. */
export function canTake(action: IncidentAction, c: TransitionContext): boolean {
  if (!INCIDENT_TRANSITIONS[action].from.includes(c.status)) {
    return false;
  }
  if (action === 'reopen') {
    return c.resolvedAt !== null && c.now - c.resolvedAt <= c.reopenDays * 86_400_000;
  }
  return true;
}

export function actionsFor(c: TransitionContext): IncidentAction[] {
  return INCIDENT_ACTIONS.filter((a) => canTake(a, c));
}
