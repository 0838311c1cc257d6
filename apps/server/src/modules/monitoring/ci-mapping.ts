/**
 * Series → CMDB configuration item mapping: an ordered list of rules, each "when label L matches the
 * regular expression P (whole value), the CI id is T" with `$1` / `$<name>` in T replaced by P's groups.
 * The first matching rule wins. A series with a `ci` label belongs to that CI whatever the rules say
 * (see CI_LABEL). Example rule:
 *   label instance, pattern (db\d+)\.prod:\d+,    template db-$1
 */
export interface CiRuleDef {
  id: string;
  priority: number;
  label: string;
  pattern: string;
  ciTemplate: string;
  enabled: boolean;
  createdAt: number;
}

export interface CompiledCiRule {
  id: string;
  label: string;
  re: RegExp;
  template: string;
}

const MAX_CI_ID = 128;

/** Compiles a rule's pattern (anchored); throws SyntaxError for an invalid one. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}

export function compileRules(rules: readonly CiRuleDef[]): CompiledCiRule[] {
  const out: CompiledCiRule[] = [];
  const ordered = [...rules].filter((r) => r.enabled).sort((a, b) => a.priority - b.priority || a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  for (const r of ordered) {
    try {
      out.push({ id: r.id, label: r.label, re: compilePattern(r.pattern), template: r.ciTemplate });
    } catch {
      // Stored rules were validated on write; a pattern this engine cannot compile is skipped.
    }
  }
  return out;
}

/**
 * The label that names a series' CI outright. Yunwei's own collectors (agent, checks) set it; it wins
 * over every rule, so their series never depend on how the mapping rules are configured.
 */
export const CI_LABEL = 'ci';

/** The CI id of a series: its `ci` label, else the first matching rule's, else null. */
export function ciIdFor(rules: readonly CompiledCiRule[], metric: string, labels: Readonly<Record<string, string>>): string | null {
  const explicit = labels[CI_LABEL];
  if (explicit !== undefined && explicit !== '') {
    return explicit.slice(0, MAX_CI_ID);
  }
  for (const rule of rules) {
    const value = rule.label === '__name__' ? metric : labels[rule.label];
    if (value === undefined || value === '') {
      continue;
    }
    rule.re.lastIndex = 0;
    if (!rule.re.test(value)) {
      continue;
    }
    const ci = value.replace(rule.re, rule.template).trim();
    if (ci !== '') {
      return ci.slice(0, MAX_CI_ID);
    }
  }
  return null;
}
