import type { LocalizedText } from '@yunwei/contracts/i18n';
/**
 * The PromQL subset Yunwei answers: a series selector
 *
 *   metric{label="v", l2=~"re", l3!="x", l4!~"y"}     {__name__=~"node_.*", job="node"}
 *
 * with Prometheus' semantics: a missing label has the value "", regular expressions match the whole
 * value (RE2 syntax mostly shared with JavaScript), and at least one matcher must not match "".
 * Also durations (`5m`, `1h30m`, `90`) and times (Unix seconds or RFC 3339) of the HTTP API.
 */
export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface Matcher {
  label: string;
  op: MatchOp;
  value: string;
  /** Compiled for =~ and !~ (anchored). */
  re?: RegExp;
}

/** A selector that does not parse: where, and what is wrong in both languages (`text`, for people). */
export class SelectorError extends Error {
  readonly text: LocalizedText;

  constructor(
    problem: LocalizedText,
    readonly position: number,
  ) {
    super(`${problem.en} at position ${position + 1}`);
    this.name = 'SelectorError';
    this.text = { zh: `第 ${position + 1} 个字符处${problem.zh}`, en: this.message };
  }
}

const NAME_START = /[a-zA-Z_:]/;
const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_START = /[a-zA-Z_]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

export function parseSelector(input: string): Matcher[] {
  let i = 0;
  const matchers: Matcher[] = [];
  const skip = () => {
    while (i < input.length && /\s/.test(input[i]!)) {
      i++;
    }
  };
  skip();
  if (i < input.length && NAME_START.test(input[i]!)) {
    const s = i;
    while (i < input.length && NAME_CHAR.test(input[i]!)) {
      i++;
    }
    matchers.push({ label: '__name__', op: '=', value: input.slice(s, i) });
    skip();
  }
  if (input[i] === '{') {
    i++;
    for (;;) {
      skip();
      if (input[i] === '}') {
        i++;
        break;
      }
      if (i >= input.length) {
        throw new SelectorError({ zh: '缺少与 { 配对的 }', en: 'unclosed {' }, i);
      }
      if (!LABEL_START.test(input[i]!)) {
        throw new SelectorError({ zh: `应为标签名，实际是“${input[i]}”`, en: `expected a label name, found "${input[i]}"` }, i);
      }
      const s = i;
      while (i < input.length && LABEL_CHAR.test(input[i]!)) {
        i++;
      }
      const label = input.slice(s, i);
      skip();
      const op = (['=~', '!~', '!=', '='] as const).find((o) => input.startsWith(o, i));
      if (!op) {
        throw new SelectorError({ zh: `${label} 之后应为 =、!=、=~ 或 !~`, en: `expected =, !=, =~ or !~ after ${label}` }, i);
      }
      i += op.length;
      skip();
      const [value, next] = readString(input, i);
      i = next;
      matchers.push(compile({ label, op, value }, s));
      skip();
      if (input[i] === ',') {
        i++;
      } else if (input[i] !== '}') {
        throw new SelectorError({ zh: '应为 , 或 }', en: 'expected , or }' }, i);
      }
    }
    skip();
  }
  if (i < input.length) {
    throw new SelectorError({ zh: `出现了多余的“${input.slice(i, i + 10)}”（只支持序列选择器，不支持 PromQL 函数）`, en: `unexpected "${input.slice(i, i + 10)}" (only series selectors are supported, not PromQL functions)` }, i);
  }
  if (matchers.length === 0) {
    throw new SelectorError({ zh: '应以指标名或 { 开头', en: 'expected a metric name or {' }, 0);
  }
  if (matchers.every((m) => matches(m, ''))) {
    throw new SelectorError({ zh: '至少要有一个条件不匹配空字符串（请写明指标名）', en: 'at least one matcher must not match the empty string (name a metric)' }, 0);
  }
  return matchers;
}

function compile(m: Matcher, position: number): Matcher {
  if (m.op === '=~' || m.op === '!~') {
    try {
      return { ...m, re: new RegExp(`^(?:${m.value})$`) };
    } catch (error) {
      throw new SelectorError({ zh: `${m.label} 的正则表达式无效：${(error as Error).message}`, en: `invalid regular expression for ${m.label}: ${(error as Error).message}` }, position);
    }
  }
  return m;
}

/** A quoted string: "…" or '…' with Go escapes, or `…` raw. Returns the value and the position after it. */
function readString(input: string, start: number): [string, number] {
  const quote = input[start];
  if (quote !== '"' && quote !== "'" && quote !== '`') {
    throw new SelectorError({ zh: '应为带引号的字符串', en: 'expected a quoted string' }, start);
  }
  let i = start + 1;
  let out = '';
  for (;;) {
    if (i >= input.length) {
      throw new SelectorError({ zh: '字符串缺少结束引号', en: 'unterminated string' }, start);
    }
    const c = input[i]!;
    if (c === quote) {
      return [out, i + 1];
    }
    if (c === '\\' && quote !== '`') {
      const e = input[i + 1];
      const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'", a: '\u0007', b: '\b', f: '\f', v: '\v' };
      if (e !== undefined && e in simple) {
        out += simple[e];
        i += 2;
        continue;
      }
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex && /^[0-9a-fA-F]+$/.test(input.slice(i + 2, i + 2 + hex)) && input.slice(i + 2, i + 2 + hex).length === hex) {
        out += String.fromCodePoint(parseInt(input.slice(i + 2, i + 2 + hex), 16));
        i += 2 + hex;
        continue;
      }
      throw new SelectorError({ zh: `未知的转义 \\${e ?? ''}`, en: `unknown escape \\${e ?? ''}` }, i);
    }
    out += c;
    i++;
  }
}

export function matches(m: Matcher, value: string): boolean {
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return m.re!.test(value);
    case '!~':
      return !m.re!.test(value);
  }
}

/** True when a series (metric + labels) satisfies every matcher. */
export function seriesMatches(matchers: readonly Matcher[], metric: string, labels: Readonly<Record<string, string>>): boolean {
  for (const m of matchers) {
    const value = m.label === '__name__' ? metric : (labels[m.label] ?? '');
    if (!matches(m, value)) {
      return false;
    }
  }
  return true;
}

/** The metric name when the selector pins one exactly (lets the store use its index). */
export function exactMetric(matchers: readonly Matcher[]): string | null {
  return matchers.find((m) => m.label === '__name__' && m.op === '=')?.value ?? null;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };

/** `1h30m`, `5m`, `15s`, `1d` or plain (fractional) seconds → milliseconds; null if not a duration. */
export function parseDuration(text: string): number | null {
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  const re = /(\d+)(ms|s|m|h|d|w|y)/gy;
  let total = 0;
  let pos = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = re.lastIndex;
  }
  return pos === text.length && pos > 0 ? total : null;
}

/** Unix seconds (may be fractional) or RFC 3339 → epoch ms; null if neither. */
export function parsePromTime(text: string): number | null {
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    const ms = Date.parse(text);
    return Number.isNaN(ms) ? null : ms;
  }
  return null;
}
