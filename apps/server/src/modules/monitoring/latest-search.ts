/**
 * The search of 最新数据 (latest data): words that must all match a series. A plain word is looked for,
 * ignoring case, in the metric name, the label values and the name of the series' CI; `label=text`
 * only in that label's value (`__name__=` the metric name, `ci=` also the CI name); `label=` alone means
 * "has that label". Quotes around the text are dropped (`mount="/data"`).
 */
export interface SearchWord {
  /** null: any of the metric name, label values, CI name. */
  label: string | null;
  /** Lower case. */
  text: string;
}

const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export function parseSearch(search: string): SearchWord[] {
  const words: SearchWord[] = [];
  for (const raw of search.trim().split(/\s+/).filter(Boolean)) {
    const eq = raw.indexOf('=');
    const label = eq > 0 ? raw.slice(0, eq) : '';
    if (LABEL.test(label)) {
      words.push({ label, text: unquote(raw.slice(eq + 1)).toLowerCase() });
    } else {
      words.push({ label: null, text: raw.toLowerCase() });
    }
  }
  return words;
}

function unquote(text: string): string {
  return text.length >= 2 && /^(["'`]).*\1$/.test(text) ? text.slice(1, -1) : text;
}

export interface Searchable {
  metric: string;
  labels: Readonly<Record<string, string>>;
  ciId: string | null;
}

/**
 * True when every word matches the series. `ciNamed(text)` answers the CIs whose name contains
 * `text` (ignoring case).
 */
export function searchMatches(words: readonly SearchWord[], s: Searchable, ciNamed: (text: string) => ReadonlySet<string>): boolean {
  const byCiName = (text: string) => s.ciId !== null && ciNamed(text).has(s.ciId);
  return words.every((w) => {
    if (w.label === null) {
      return s.metric.toLowerCase().includes(w.text) || Object.values(s.labels).some((v) => v.toLowerCase().includes(w.text)) || byCiName(w.text);
    }
    if (w.label === '__name__') {
      return s.metric.toLowerCase().includes(w.text);
    }
    const value = s.labels[w.label];
    if (w.label === 'ci') {
      // A series mapped by a rule has a CI without a `ci` label.
      return w.text === '' ? s.ciId !== null || value !== undefined : (value?.toLowerCase().includes(w.text) ?? false) || byCiName(w.text);
    }
    return value !== undefined && value.toLowerCase().includes(w.text);
  });
}

/**
 * Whether a case-insensitive `LIKE '%text%'` can only widen what `searchMatches` finds: SQLite's LIKE
 * (and lower()) fold ASCII only, and labels are stored as JSON text, where `"` and `\` are escaped.
 * Other words are matched in JS only.
 */
export function likeSafe(text: string): boolean {
  return [...text].every((c) => c !== '"' && c !== '\\' && c >= ' ' && (c < '\u0080' || c.toLowerCase() === c.toUpperCase()));
}
