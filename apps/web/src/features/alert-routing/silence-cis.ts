import type { Matcher } from '@yunwei/contracts/alert-routing';

/** A CI id as `ci=~"<id>|<id>"` may list it (the server's `pinnedBy` accepts exactly these). */
const LITERAL = /^[A-Za-z0-9_-]+$/;

/** The matcher that limits a silence to the picked CIs (null when none is picked). */
export function ciMatcherOf(ciIds: readonly string[]): Matcher | null {
  if (ciIds.length === 0) {
    return null;
  }
  return ciIds.length === 1 ? { name: 'ci', op: '=', value: ciIds[0]! } : { name: 'ci', op: '=~', value: ciIds.join('|') };
}

/** The CI ids a `ci` matcher names (`=` one id, `=~` a list of plain ids), else null. */
export function idsNamedBy(m: Matcher): string[] | null {
  if (m.name !== 'ci') {
    return null;
  }
  if (m.op === '=' || m.op === '!=') {
    return m.value ? [m.value] : null;
  }
  const parts = m.value.split('|');
  return parts.every((p) => LITERAL.test(p)) ? parts : null;
}

/**
 * Splits pre-filled matchers (e.g. an alert's labels) into the CIs the picker shows and the other
 * matchers the editor shows: the first `ci="<id>"` or `ci=~"<id>|…"` goes to the picker.
 */
export function splitCiMatchers(matchers: readonly Matcher[]): { ciIds: string[]; rest: Matcher[] } {
  const at = matchers.findIndex((m) => (m.op === '=' || m.op === '=~') && idsNamedBy(m) !== null);
  if (at < 0) {
    return { ciIds: [], rest: [...matchers] };
  }
  return { ciIds: idsNamedBy(matchers[at]!)!, rest: matchers.filter((_, i) => i !== at) };
}
