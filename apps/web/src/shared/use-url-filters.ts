import { useSearchParams } from 'react-router';
import { anyFilterSet, readFilters, writeFilters, type FilterSpec, type FilterValues } from './url-filters';

export interface UrlFilters<K extends string> {
  values: FilterValues<K>;
  /** Some filter is set: an empty table means "nothing matches", not "nothing exists". */
  active: boolean;
  set(changes: Partial<FilterValues<K>>): void;
  clear(): void;
}

/**
 * A list's filters, read from and written to the URL (`?status=offline&q=web`). Changes replace the
 * history entry: typing in a search box should not fill the back button. Keys are URL params: two
 * lists on one page need distinct keys, and none may be a param the page itself uses (e.g. `tab`).
 *
 * ```ts
 * const filters = useUrlFilters({ status: AGENT_STATUSES, q: 'text' });
 * const rows = agents.filter((a) => (!filters.values.status || a.status === filters.values.status) && matchesText(filters.values.q, a.hostname));
 * ```
 */
export function useUrlFilters<K extends string>(spec: FilterSpec<K>): UrlFilters<K> {
  const [params, setParams] = useSearchParams();
  const values = readFilters(params, spec);
  const set = (changes: Partial<FilterValues<K>>) => setParams((current) => writeFilters(current, changes), { replace: true });
  return {
    values,
    active: anyFilterSet(values),
    set,
    clear: () => set(Object.fromEntries(Object.keys(spec).map((key) => [key, ''])) as Partial<FilterValues<K>>),
  };
}
