import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { LatestList } from '@yunwei/contracts/monitoring';
import { api } from '../../../app/api-client';

/** 最新数据: a page of the series matching `search`, refreshed every 15 s (agents push every 15 s). */
export function useLatestData(params: { search: string; offset: number; limit: number }) {
  return useQuery({
    queryKey: ['monitoring', 'latest-data', params],
    queryFn: ({ signal }) => api.get<LatestList>('/api/monitoring/latest', { search: params.search || undefined, offset: params.offset, limit: params.limit }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}
