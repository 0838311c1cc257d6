import { useEffect, useRef, useState } from 'react';
import { keepPreviousData, useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type {
  Alert,
  AlertDetail,
  AlertList,
  AlertListQuery,
  Rule,
  RuleCreate,
  RuleList,
  RuleListQuery,
  RulePack,
  RulePreview,
  RuleStats,
  RuleUpdate,
} from '@yunwei/contracts/alerting';
import { api } from '../../../app/api-client';
import { listenToLiveAlerts, liveAlertStatus, type LiveAlertStatus } from './live-alerts-connection';

const ALERTS_KEY = ['alerting', 'alerts'] as const;
const RULES_KEY = ['alerting', 'rules'] as const;

export function useAlerts(query: AlertListQuery) {
  return useQuery({
    queryKey: [...ALERTS_KEY, 'list', query],
    queryFn: ({ signal }) => api.get<AlertList>('/api/alerting/alerts', { ...query }, signal),
    placeholderData: keepPreviousData,
    // The live socket refreshes on every change of an alert; suppressions (silences, maintenance,
    // inhibition) are kept by the routing half without changing the alert row, so poll for those.
    refetchInterval: 10_000,
  });
}

export function useAlert(id: string | null) {
  return useQuery({
    queryKey: [...ALERTS_KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<AlertDetail>(`/api/alerting/alerts/${id}`, undefined, signal),
    enabled: id !== null,
    // As the list: a silence or maintenance window changes what suppresses it without a live event.
    refetchInterval: 10_000,
  });
}

export function useAckAlerts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ ids, note }: { ids: string[]; note?: string }) => api.post<{ acknowledged: number; skipped: number }>('/api/alerting/alerts/ack', { ids, ...(note ? { note } : {}) }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ALERTS_KEY }),
  });
}

export type { LiveAlertStatus };

/** One refresh of the alert queries per burst of changes, however many components listen. */
let refreshTimer: ReturnType<typeof setTimeout> | undefined;
function refreshAlertsSoon(queryClient: QueryClient): void {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void queryClient.invalidateQueries({ queryKey: ALERTS_KEY }), 200);
}

/**
 * Listens to the live alert socket (one per tab, shared: `live-alerts-connection.ts`) and, on every
 * alert change, refreshes the alert queries (the list keeps its filters and paging on the server).
 */
export function useLiveAlerts(onAlert?: (alert: Alert) => void): LiveAlertStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveAlertStatus>(liveAlertStatus);
  const handler = useRef(onAlert);
  handler.current = onAlert;
  useEffect(() => {
    const stop = listenToLiveAlerts({
      alert: (alert) => {
        handler.current?.(alert);
        refreshAlertsSoon(queryClient);
      },
      status: (next) => {
        setStatus(next);
        // Changes missed while disconnected: read the lists again.
        if (next === 'open') {
          refreshAlertsSoon(queryClient);
        }
      },
    });
    setStatus(liveAlertStatus());
    return stop;
  }, [queryClient]);
  return status;
}

/** One rule (a link to it from elsewhere, e.g. a check's own rule). */
export function useRule(id: string | null) {
  return useQuery({
    queryKey: [...RULES_KEY, 'one', id],
    queryFn: ({ signal }) => api.get<Rule>(`/api/alerting/rules/${id}`, {}, signal),
    enabled: id !== null,
  });
}

export function useRules(query: RuleListQuery) {
  return useQuery({
    queryKey: [...RULES_KEY, 'list', query],
    queryFn: ({ signal }) => api.get<RuleList>('/api/alerting/rules', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useSaveRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: RuleCreate | RuleUpdate }) => (id ? api.patch<Rule>(`/api/alerting/rules/${id}`, body) : api.post<Rule>('/api/alerting/rules', body)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: RULES_KEY }),
  });
}

export function useDeleteRule() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/alerting/rules/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['alerting'] }),
  });
}

export function usePreviewRule() {
  return useMutation({ mutationFn: (body: RuleCreate) => api.post<RulePreview>('/api/alerting/rules/preview', body) });
}

export function useRuleStats(days: number) {
  return useQuery({
    queryKey: [...RULES_KEY, 'stats', days],
    queryFn: ({ signal }) => api.get<RuleStats>('/api/alerting/stats/rules', { from: Date.now() - days * 86_400_000 }, signal),
  });
}

export function useRulePacks() {
  return useQuery({
    queryKey: [...RULES_KEY, 'packs'],
    queryFn: ({ signal }) => api.get<{ items: RulePack[] }>('/api/alerting/rule-packs', undefined, signal),
    select: (data) => data.items,
  });
}

export function useInstallPack() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<{ created: number; skipped: number }>(`/api/alerting/rule-packs/${id}/install`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: RULES_KEY }),
  });
}
