import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router';
import type { CiQuery, CiStatus } from '@yunwei/contracts/cmdb';
import { anyFilterSet, type FilterValues } from '../../../shared/url-filters';
import type { UrlFilters } from '../../../shared/use-url-filters';
import { CI_STATUSES } from '../cmdb-meta';

export type CiSortField = NonNullable<CiQuery['sort']>;
export const CI_SORT_FIELDS: readonly CiSortField[] = ['name', 'status', 'ip', 'createdAt', 'updatedAt'];
const TEXT_FILTERS = ['q', 'classId', 'subtype', 'orgUnitId', 'ownerId', 'businessSystemId'] as const;
export const CI_FILTER_KEYS = [...TEXT_FILTERS, 'status'] as const;
export type CiFilterKey = (typeof CI_FILTER_KEYS)[number];
const DEFAULT_LIMIT = 20;

/**
 * The CI list's filters, sort and page live in the URL: a filtered list can be bookmarked or sent
 * to a colleague, and "back" from a CI's page returns to the same view.
 */
export function useCiQuery(): [CiQuery, (patch: Partial<CiQuery>, keepPage?: boolean) => void] {
  const [params, setParams] = useSearchParams();
  const query = useMemo<CiQuery>(() => {
    const q: CiQuery = {};
    for (const key of TEXT_FILTERS) {
      const value = params.get(key);
      if (value) {
        q[key] = value;
      }
    }
    const status = params.get('status');
    if (CI_STATUSES.includes(status as CiStatus)) {
      q.status = status as CiStatus;
    }
    const sort = params.get('sort');
    if (CI_SORT_FIELDS.includes(sort as CiSortField)) {
      q.sort = sort as CiSortField;
      q.order = params.get('order') === 'desc' ? 'desc' : 'asc';
    }
    q.offset = Math.max(0, Number(params.get('offset')) || 0);
    q.limit = Math.min(500, Math.max(1, Number(params.get('limit')) || DEFAULT_LIMIT));
    return q;
  }, [params]);

  const patch = useCallback(
    (change: Partial<CiQuery>, keepPage = false) => {
      const next: Record<string, unknown> = { ...query, ...(keepPage ? {} : { offset: 0 }), ...change };
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(next)) {
        if (value !== undefined && value !== null && value !== '' && !(key === 'offset' && value === 0) && !(key === 'limit' && value === DEFAULT_LIMIT)) {
          search.set(key, String(value));
        }
      }
      setParams(search, { replace: true });
    },
    [query, setParams],
  );
  return [query, patch];
}

/**
 * The query's filters as the list's filter bar wants them (`UrlFilters`). Changing one goes back to
 * the first page; choosing another class clears the subtype.
 */
export function ciFilters(query: CiQuery, patch: (change: Partial<CiQuery>) => void): UrlFilters<CiFilterKey> {
  const values = Object.fromEntries(CI_FILTER_KEYS.map((key) => [key, query[key] ?? ''])) as FilterValues<CiFilterKey>;
  const set = (changes: Partial<FilterValues<CiFilterKey>>) => {
    const change: Record<string, string | undefined> = 'classId' in changes ? { subtype: undefined } : {};
    for (const [key, value] of Object.entries(changes)) {
      change[key] = value || undefined;
    }
    patch(change as Partial<CiQuery>);
  };
  return {
    values,
    active: anyFilterSet(values),
    set,
    clear: () => set(Object.fromEntries(CI_FILTER_KEYS.map((key) => [key, ''])) as FilterValues<CiFilterKey>),
  };
}
