/**
 * A list's filters kept in the URL's search params, so a filtered list can be linked and reloaded.
 * Pure functions (no React): `use-url-filters.ts` binds them to react-router.
 */

/** Per filter: the values it may take (a select), or 'text' for free text (a search box). */
export type FilterSpec<K extends string> = Readonly<Record<K, readonly string[] | 'text'>>;

/** Every filter's value; '' means not set. */
export type FilterValues<K extends string> = Record<K, string>;

/** Longer text is cut: a search box, not a place for a pasted document. */
export const MAX_FILTER_TEXT = 200;

/**
 * The filters' values in `params`. A select value it does not know (an old link, a typo) counts as
 * not set, rather than hiding every row behind a filter the page cannot show.
 */
export function readFilters<K extends string>(params: URLSearchParams, spec: FilterSpec<K>): FilterValues<K> {
  const values = {} as FilterValues<K>;
  for (const key of Object.keys(spec) as K[]) {
    const allowed = spec[key];
    const raw = params.get(key) ?? '';
    values[key] = allowed === 'text' ? raw.slice(0, MAX_FILTER_TEXT) : allowed.includes(raw) ? raw : '';
  }
  return values;
}

/** New params with `changes` applied ('' removes a filter); other params (a tab, a page) are kept. */
export function writeFilters<K extends string>(params: URLSearchParams, changes: Partial<FilterValues<K>>): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const [key, value] of Object.entries(changes) as [K, string | undefined][]) {
    if (value) {
      next.set(key, value);
    } else {
      next.delete(key);
    }
  }
  return next;
}

/** Whether any filter is set (text that is only spaces is not). */
export function anyFilterSet<K extends string>(values: FilterValues<K>): boolean {
  return Object.values<string>(values).some((value) => value.trim() !== '');
}

/** Case-insensitive "contains" for a text filter over a row's fields; an empty filter matches all. */
export function matchesText(filter: string, ...fields: (string | null | undefined)[]): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || fields.some((field) => field?.toLowerCase().includes(needle));
}
