import type { IncidentTypeRule } from '@yunwei/contracts/incidents';

/** A fault type as the suggestion reads it: its depth in the tree (0: first level) and its rules. */
export interface ClassifiableType {
  id: string;
  depth: number;
  /** Tie-break among equally good matches (the tree's own order). */
  sort?: number;
  rules: readonly IncidentTypeRule[];
}

/** What an alert (or an incident's CI) is about. */
export interface ClassifySubject {
  checkType?: string | null;
  metric?: string | null;
  ciClass?: string | null;
}

export interface TypeSuggestion {
  typeId: string;
  /** The rule that matched, and the value it matched (`checkType` `http` → http). */
  rule: IncidentTypeRule;
  value: string;
}

/** The alert's own signal says more than the class of the CI it is on: a check type, then a metric, then the class. */
const KIND_RANK: Record<IncidentTypeRule['kind'], number> = { checkType: 3, metric: 2, ciClass: 1 };

/** `*` matches any run of characters; everything else literally, case-insensitively. */
export function globMatches(pattern: string, value: string): boolean {
  const re = new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
  return re.test(value);
}

/** Characters a pattern fixes (a longer literal part is a more specific pattern: `node_disk_*` over `node_*`). */
const literalLength = (pattern: string) => pattern.replace(/\*/g, '').length;

/**
 * L3-2.3.1: the fault type the rules suggest for what an alert is about. The most specific match wins: the deepest
 * type with a matching rule; among equally deep ones the rule on the alert's own signal (check type, then metric,
 * then the CI's class), then the pattern with the longer literal part, then the tree's order. Null: nothing matches.
 */
export function suggestType(types: readonly ClassifiableType[], subject: ClassifySubject): TypeSuggestion | null {
  let best: { s: TypeSuggestion; key: number[] } | null = null;
  for (const type of types) {
    for (const rule of type.rules) {
      const value = rule.kind === 'checkType' ? subject.checkType : rule.kind === 'metric' ? subject.metric : subject.ciClass;
      if (!value || !globMatches(rule.pattern, value)) {
        continue;
      }
      const key = [type.depth, KIND_RANK[rule.kind], literalLength(rule.pattern), -(type.sort ?? 0)];
      if (!best || greater(key, best.key)) {
        best = { s: { typeId: type.id, rule, value }, key };
      }
    }
  }
  return best?.s ?? null;
}

function greater(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! !== b[i]!) {
      return a[i]! > b[i]!;
    }
  }
  return false;
}
