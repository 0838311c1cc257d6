import type { Matcher } from '@yunwei/contracts/alert-routing';
import { invalidField } from '../../platform/errors.js';

export type Labels = Readonly<Record<string, string>>;

/** A matcher ready to test labels: regexes compiled once, anchored as in Prometheus. */
export interface CompiledMatcher {
  name: string;
  test: (value: string) => boolean;
}

function anchored(source: string): RegExp {
  return new RegExp(`^(?:${source})$`, 'u');
}

/**
 * Compiles matchers; a regex that does not compile is refused naming `<field>.<i>.value`.
 * A label an alert does not have counts as the empty string (`env!=""` means "has env").
 */
export function compileMatchers(matchers: readonly Matcher[], field = 'body.matchers'): CompiledMatcher[] {
  return matchers.map((m, i) => {
    switch (m.op) {
      case '=':
        return { name: m.name, test: (v) => v === m.value };
      case '!=':
        return { name: m.name, test: (v) => v !== m.value };
      case '=~':
      case '!~': {
        let re: RegExp;
        try {
          re = anchored(m.value);
        } catch (error) {
          throw invalidField(`${field}.${i}.value`, { zh: `不是有效的正则表达式：${(error as Error).message}`, en: `not a valid regular expression: ${(error as Error).message}` });
        }
        return m.op === '=~' ? { name: m.name, test: (v) => re.test(v) } : { name: m.name, test: (v) => !re.test(v) };
      }
    }
  });
}

/** True when every matcher holds (no matchers: everything matches). */
export function matchesAll(matchers: readonly CompiledMatcher[], labels: Labels): boolean {
  return matchers.every((m) => m.test(labels[m.name] ?? ''));
}

/** Matchers as one line for messages and audit (`alertname="HostDown", ci=~"web.*"`). */
export function describeMatchers(matchers: readonly Matcher[]): string {
  return matchers.map((m) => `${m.name}${m.op}${JSON.stringify(m.value)}`).join(', ');
}
