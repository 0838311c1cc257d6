import { useRef } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { HomeSummary } from '@yunwei/contracts/home';
import { api } from '../../../app/api-client';
import { useLiveAlerts } from '../../alerting/api/use-alerting';

const SUMMARY_KEY = ['home', 'summary'] as const;

/** The home page's summary, read again every 30 s. */
export function useHomeSummary() {
  return useQuery({
    queryKey: SUMMARY_KEY,
    queryFn: ({ signal }) => api.get<HomeSummary>('/api/home/summary', undefined, signal),
    refetchInterval: 30_000,
  });
}

/**
 * Reads the summary again as soon as an alert changes, on the live alert socket the header's bell keeps
 * open anyway. Only for someone who may read alerts (the socket refuses the others).
 */
export function useSummaryFollowsAlerts(): void {
  const queryClient = useQueryClient();
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  useLiveAlerts(() => {
    // A burst of changes is one refresh.
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void queryClient.invalidateQueries({ queryKey: SUMMARY_KEY }), 300);
  });
}
