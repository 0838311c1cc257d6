/** A stretch of an on-call timeline: who is on call from `start` to `end` (epoch ms). */
export interface Segment {
  start: number;
  end: number;
  userIds: readonly string[];
}

export interface Shift {
  start: number;
  end: number;
}

/**
 * One person's shifts in a schedule's timeline: the segments naming them, joined where one ends as the
 * next begins (a timeline splits where anyone's turn changes, a person's shift does not). Returns the
 * shift holding `now` and the first one starting after it.
 */
export function shiftsOf(segments: readonly Segment[], userId: string, now: number): { current: Shift | null; next: Shift | null } {
  const shifts: Shift[] = [];
  for (const s of [...segments].sort((a, b) => a.start - b.start)) {
    if (!s.userIds.includes(userId) || s.end <= s.start) {
      continue;
    }
    const last = shifts.at(-1);
    if (last && last.end >= s.start) {
      last.end = Math.max(last.end, s.end);
    } else {
      shifts.push({ start: s.start, end: s.end });
    }
  }
  return {
    current: shifts.find((s) => s.start <= now && now < s.end) ?? null,
    next: shifts.find((s) => s.start > now) ?? null,
  };
}
