import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Check, CheckCreate, CheckList, CheckListQuery, CheckResult, CheckResultList, CheckUpdate } from '@yunwei/contracts/checks';
import { api } from '../../../app/api-client';

const CHECKS_KEY = ['checks'] as const;

/**
 * Checks with their latest status; re-read every 15 s so statuses follow the scheduler, every 2 s while
 * an enabled check has no result yet (it is probed as it is saved: its first result shows within seconds).
 */
export function useChecks(query: CheckListQuery) {
  return useQuery({
    queryKey: [...CHECKS_KEY, 'list', query],
    queryFn: ({ signal }) => api.get<CheckList>('/api/checks', { ...query }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((c) => c.enabled && c.lastCheckedAt === null) ? 2_000 : 15_000),
  });
}

/** Result history of one check (oldest first), for its latency chart and table. */
export function useCheckResults(id: string | null, hours = 24) {
  return useQuery({
    queryKey: [...CHECKS_KEY, 'results', id, hours],
    queryFn: ({ signal }) => api.get<CheckResultList>(`/api/checks/${id}/results`, { from: Date.now() - hours * 3_600_000, limit: 1000 }, signal),
    select: (data) => data.items,
    enabled: id !== null,
    refetchInterval: 15_000,
  });
}

export function useCreateCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: CheckCreate) => api.post<Check>('/api/checks', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CHECKS_KEY }),
  });
}

export function useUpdateCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: CheckUpdate }) => api.patch<Check>(`/api/checks/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CHECKS_KEY }),
  });
}

export function useDeleteCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/checks/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CHECKS_KEY }),
  });
}

export function useRunCheck() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<CheckResult>(`/api/checks/${id}/run`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CHECKS_KEY }),
  });
}
