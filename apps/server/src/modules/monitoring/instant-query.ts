/**
 * The expressions `GET /api/v1/query` evaluates (a small PromQL subset — what Grafana's data-source
 * check, stat panels and variable queries need most):
 *
 *   1, 1+1, 2*3.5                                   a number, or two combined by + - * /   → scalar
 *   node_load1{instance="db-1:9100"}                a series selector                       → vector
 *   sum|avg|min|max|count [by|without (l1, l2)] (selector) [by|without (l1, l2)]           → vector
 */
export type AggregateOp = 'sum' | 'avg' | 'min' | 'max' | 'count';

export type InstantExpr =
  | { kind: 'scalar'; value: number }
  | { kind: 'selector'; selector: string }
  | { kind: 'aggregate'; op: AggregateOp; grouping: { mode: 'by' | 'without'; labels: string[] } | null; selector: string };

export class InstantQueryError extends Error {}

const NUMBER = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?`;
const ARITHMETIC = new RegExp(String.raw`^\s*(${NUMBER})\s*(?:([-+*/])\s*(${NUMBER})\s*)?$`);
const AGGREGATE = /^\s*(sum|avg|min|max|count)\b\s*/;
const GROUPING = /^(by|without)\s*\(([^)]*)\)\s*/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function grouping(mode: string, list: string): { mode: 'by' | 'without'; labels: string[] } {
  const labels = list
    .split(',')
    .map((l) => l.trim())
    .filter(Boolean);
  for (const l of labels) {
    if (!LABEL.test(l)) {
      throw new InstantQueryError(`"${l}" is not a label name`);
    }
  }
  return { mode: mode as 'by' | 'without', labels };
}

/** The index of the ")" closing the "(" at `open`, skipping quoted strings; -1 if none. */
function closing(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"' || c === "'" || c === '`') {
      for (i++; i < text.length && text[i] !== c; i++) {
        if (text[i] === '\\' && c !== '`') {
          i++;
        }
      }
    } else if (c === '(') {
      depth++;
    } else if (c === ')' && --depth === 0) {
      return i;
    }
  }
  return -1;
}

export function parseInstantQuery(text: string): InstantExpr {
  const arithmetic = ARITHMETIC.exec(text);
  if (arithmetic) {
    const a = Number(arithmetic[1]);
    const b = Number(arithmetic[3]);
    const op = arithmetic[2];
    const value = op === undefined ? a : op === '+' ? a + b : op === '-' ? a - b : op === '*' ? a * b : a / b;
    return { kind: 'scalar', value };
  }
  const agg = AGGREGATE.exec(text);
  if (agg) {
    let rest = text.slice(agg[0].length);
    let group: ReturnType<typeof grouping> | null = null;
    const before = GROUPING.exec(rest);
    if (before) {
      group = grouping(before[1]!, before[2]!);
      rest = rest.slice(before[0].length);
    }
    if (rest[0] !== '(') {
      throw new InstantQueryError(`expected "(" after ${agg[1]}`);
    }
    const close = closing(rest, 0);
    if (close < 0) {
      throw new InstantQueryError('unclosed "("');
    }
    const selector = rest.slice(1, close).trim();
    rest = rest.slice(close + 1).trim();
    if (rest) {
      const after = GROUPING.exec(rest);
      if (!after || group || after[0].length !== rest.length) {
        throw new InstantQueryError(`unexpected "${rest}" after ${agg[1]}(…)`);
      }
      group = grouping(after[1]!, after[2]!);
    }
    if (!selector) {
      throw new InstantQueryError(`${agg[1]}() needs a series selector`);
    }
    return { kind: 'aggregate', op: agg[1] as AggregateOp, grouping: group, selector };
  }
  // A selector: outside quoted values, only names, braces, matchers and commas.
  if (/^\s*[a-zA-Z_:{]/.test(text) && /^[a-zA-Z0-9_:\s{}=!~,"]*$/.test(text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""'))) {
    return { kind: 'selector', selector: text.trim() };
  }
  throw new InstantQueryError('only a series selector, a number (or two combined by + - * /) and sum|avg|min|max|count [by|without (labels)] (selector) are supported');
}

/** The labels identifying a series' group under `grouping` (no grouping: one group, no labels). */
export function groupKey(metric: Readonly<Record<string, string>>, grouping: { mode: 'by' | 'without'; labels: string[] } | null): Record<string, string> {
  const out: Record<string, string> = {};
  if (grouping?.mode === 'by') {
    for (const l of grouping.labels) {
      if (metric[l] !== undefined && metric[l] !== '') {
        out[l] = metric[l];
      }
    }
  } else if (grouping?.mode === 'without') {
    for (const [k, v] of Object.entries(metric)) {
      if (k !== '__name__' && !grouping.labels.includes(k)) {
        out[k] = v;
      }
    }
  }
  return out;
}

/** Applies an aggregation over the values of one group. */
export function aggregateValues(op: AggregateOp, values: readonly number[]): number {
  switch (op) {
    case 'sum':
      return values.reduce((a, b) => a + b, 0);
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'count':
      return values.length;
  }
}
