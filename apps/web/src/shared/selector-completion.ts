/**
 * Where the caret is in a series selector (`metric{label="value",…}`) and what to complete there, and
 * how a chosen completion is written back. Pure text work for the selector input; the grammar is the
 * server's (`apps/server/src/modules/monitoring/selector.ts`).
 */
export type CompletionContext =
  /** The metric name before any `{`. */
  | { kind: 'metric'; prefix: string; from: number; to: number }
  /** A label name inside `{…}`; `used`: names already matched there. */
  | { kind: 'label'; metric: string | null; prefix: string; from: number; to: number; used: string[] }
  /** A quoted value of `label` (after `=`, `!=`, `=~` or `!~`); `to` is where its closing quote is (or the end). */
  | { kind: 'value'; metric: string | null; label: string; op: string; prefix: string; from: number; to: number; quote: string; closed: boolean };

const NAME_CHAR = /[a-zA-Z0-9_:]/;
const LABEL_CHAR = /[a-zA-Z0-9_]/;

function extend(text: string, at: number, char: RegExp): number {
  let i = at;
  while (i < text.length && char.test(text[i]!)) {
    i++;
  }
  return i;
}

/** The completion context at `caret`, or null where nothing is completed (after an operator, past `}`). */
export function completionContext(text: string, caret: number): CompletionContext | null {
  let i = 0;
  while (i < text.length && /\s/.test(text[i]!)) {
    i++;
  }
  const nameStart = i;
  const nameEnd = extend(text, i, NAME_CHAR);
  const metric = nameEnd > nameStart ? text.slice(nameStart, nameEnd) : null;
  if (caret < nameStart) {
    return null;
  }
  if (caret <= nameEnd) {
    return { kind: 'metric', prefix: text.slice(nameStart, Math.min(caret, nameEnd)), from: nameStart, to: nameEnd };
  }
  i = nameEnd;
  while (i < text.length && /\s/.test(text[i]!)) {
    i++;
  }
  if (text[i] !== '{' || caret <= i) {
    return null;
  }
  i++;
  const used: string[] = [];
  for (;;) {
    while (i < text.length && /\s/.test(text[i]!)) {
      i++;
    }
    const labelStart = i;
    const labelEnd = extend(text, i, LABEL_CHAR);
    if (caret >= labelStart && caret <= labelEnd) {
      return { kind: 'label', metric, prefix: text.slice(labelStart, caret), from: labelStart, to: labelEnd, used };
    }
    if (labelEnd === labelStart) {
      return null;
    }
    const label = text.slice(labelStart, labelEnd);
    used.push(label);
    i = labelEnd;
    while (i < text.length && /\s/.test(text[i]!)) {
      i++;
    }
    const op = ['=~', '!~', '!=', '='].find((o) => text.startsWith(o, i));
    if (!op || caret < i + op.length) {
      return null;
    }
    i += op.length;
    while (i < text.length && /\s/.test(text[i]!)) {
      i++;
    }
    const quote = text[i];
    if (quote !== '"' && quote !== "'" && quote !== '`') {
      return null;
    }
    const valueStart = i + 1;
    let j = valueStart;
    while (j < text.length && text[j] !== quote) {
      j += text[j] === '\\' && quote !== '`' ? 2 : 1;
    }
    const closed = j < text.length;
    if (caret >= valueStart && caret <= j) {
      return { kind: 'value', metric, label, op, prefix: text.slice(valueStart, caret), from: valueStart, to: Math.min(j, text.length), quote, closed };
    }
    if (!closed) {
      return null;
    }
    i = j + 1;
    while (i < text.length && /\s/.test(text[i]!)) {
      i++;
    }
    if (text[i] === ',') {
      i++;
      continue;
    }
    return null;
  }
}

/** A label value written between `quote`s. */
export function quoteValue(value: string, quote: string): string {
  if (quote === '`') {
    return value;
  }
  return value.replace(/\\/g, '\\\\').replace(quote === '"' ? /"/g : /'/g, `\\${quote}`).replace(/\n/g, '\\n');
}

/** The value of a regular-expression matcher that matches `value` literally. */
export function escapeRegex(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The text once `choice` is taken at `ctx`, and where the caret goes. */
export function applyCompletion(text: string, ctx: CompletionContext, choice: string): { text: string; caret: number } {
  const before = text.slice(0, ctx.from);
  const after = text.slice(ctx.to);
  switch (ctx.kind) {
    case 'metric':
      return { text: before + choice + after, caret: ctx.from + choice.length };
    case 'label': {
      // A new label gets `=""` and the caret between the quotes; a label being renamed keeps its operator.
      if (/^\s*(=|!=|=~|!~)/.test(after)) {
        return { text: before + choice + after, caret: ctx.from + choice.length };
      }
      const rest = after.trim() === '' ? '}' : after;
      return { text: `${before}${choice}=""${rest}`, caret: ctx.from + choice.length + 2 };
    }
    case 'value': {
      const written = quoteValue(ctx.op === '=~' || ctx.op === '!~' ? escapeRegex(choice) : choice, ctx.quote);
      const tail = ctx.closed ? text.slice(ctx.to + 1) : '';
      const rest = ctx.closed ? tail : '}';
      return { text: `${before}${written}${ctx.quote}${rest}`, caret: ctx.from + written.length + 1 };
    }
  }
}

/** The selector of exactly one series: its metric and every label, matched exactly. */
export function seriesSelector(metric: string, labels: Readonly<Record<string, string>>): string {
  const matchers = Object.keys(labels)
    .sort()
    .map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return matchers.length ? `${metric}{${matchers.join(',')}}` : metric;
}
