import { useState } from 'react';
import type { FilterValues } from './url-filters';

/**
 * The page of a list the server pages, back to the first whenever its filters change (page 3 of the
 * old filter may not exist under the new one). Pair it with `useUrlFilters`:
 *
 * ```ts
 * const filters = useUrlFilters({ kind: RULE_KINDS, q: 'text' });
 * const [page, setPage] = useFilteredPage(filters.values);
 * const rules = useRules({ ...query(filters.values), offset: (page - 1) * PAGE_SIZE, limit: PAGE_SIZE });
 * <ListTable pagination={{ current: page, pageSize: PAGE_SIZE, total: rules.data?.total, onChange: setPage }} … />
 * ```
 */
export function useFilteredPage<K extends string>(values: FilterValues<K>): [number, (page: number) => void] {
  const key = JSON.stringify(values);
  const [paging, setPaging] = useState({ key, page: 1 });
  return [paging.key === key ? paging.page : 1, (page) => setPaging({ key, page })];
}
