import type { KnownErrorMatch } from '@yunwei/contracts/incident-problems';

/** What of an incident a known error is matched against. */
export interface IncidentFacts {
  title: string;
  /** The incident's type and its ancestors (nearest first). */
  typeLineage: readonly string[];
  ciIds: readonly string[];
  ciClasses: readonly string[];
}

export interface MatchResult {
  score: number;
  reasons: ('type' | 'typeExact' | 'ci' | 'ciClass' | 'keyword')[];
  keywords: string[];
}

/** True when the criteria name nothing (such a problem is never shown as a known error). */
export function emptyMatch(m: KnownErrorMatch): boolean {
  return !m.typeId && !m.ciClasses?.length && !m.ciIds?.length && !m.keywords?.length;
}

/**
 * Whether a known error's criteria match an incident, and how well. Every criterion given must match (the CIs
 * and the CI classes count as one criterion: either matches); the score ranks matches, best first:
 * the exact fault type 4, an ancestor type 3, the same CI 3, a CI of the class 2, each keyword found 1.
 */
export function matchKnownError(m: KnownErrorMatch, inc: IncidentFacts): MatchResult | null {
  if (emptyMatch(m)) {
    return null;
  }
  let score = 0;
  const reasons: MatchResult['reasons'] = [];
  if (m.typeId) {
    const at = inc.typeLineage.indexOf(m.typeId);
    if (at < 0) {
      return null;
    }
    score += at === 0 ? 4 : 3;
    reasons.push(at === 0 ? 'typeExact' : 'type');
  }
  if (m.ciIds?.length || m.ciClasses?.length) {
    const sameCi = (m.ciIds ?? []).some((id) => inc.ciIds.includes(id));
    const sameClass = (m.ciClasses ?? []).some((c) => inc.ciClasses.includes(c));
    if (!sameCi && !sameClass) {
      return null;
    }
    score += sameCi ? 3 : 2;
    reasons.push(sameCi ? 'ci' : 'ciClass');
  }
  const keywords: string[] = [];
  if (m.keywords?.length) {
    const title = inc.title.toLowerCase();
    keywords.push(...m.keywords.filter((k) => title.includes(k.trim().toLowerCase())));
    if (!keywords.length) {
      return null;
    }
    score += keywords.length;
    reasons.push('keyword');
  }
  return { score, reasons, keywords };
}
