import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  AlertGroupList,
  EscalationPolicy,
  EscalationPolicyCreate,
  EscalationPolicyList,
  EscalationPolicyUpdate,
  MaintenanceCreate,
  MaintenanceList,
  MaintenanceUpdate,
  MaintenanceWindow,
  NotificationPolicy,
  NotificationPolicyCreate,
  NotificationPolicyList,
  NotificationPolicyUpdate,
  Silence,
  SilenceCreate,
  SilenceList,
  SilenceState,
} from '@yunwei/contracts/alert-routing';
import { api } from '../../../app/api-client';

const KEY = ['alert-routing'] as const;

/** Every mutation here refreshes all routing data (lists are small and related: policies ↔ escalations). */
function useRoutingMutation<TVariables, TResult>(fn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }) });
}

/** Silences; states change with the clock, so the list is re-read every 30 s. */
export function useSilences(state?: SilenceState) {
  return useQuery({
    queryKey: [...KEY, 'silences', state ?? 'all'],
    queryFn: ({ signal }) => api.get<SilenceList>('/api/alerting/silences', { state }, signal),
    select: (data) => data.items,
    refetchInterval: 30_000,
  });
}

export const useCreateSilence = () => useRoutingMutation((body: SilenceCreate) => api.post<Silence>('/api/alerting/silences', body));
export const useExpireSilence = () => useRoutingMutation((id: string) => api.post<Silence>(`/api/alerting/silences/${id}/expire`));

export function useMaintenanceWindows() {
  return useQuery({
    queryKey: [...KEY, 'maintenance'],
    queryFn: ({ signal }) => api.get<MaintenanceList>('/api/alerting/maintenance', undefined, signal),
    select: (data) => data.items,
    refetchInterval: 60_000,
  });
}

export const useCreateMaintenance = () => useRoutingMutation((body: MaintenanceCreate) => api.post<MaintenanceWindow>('/api/alerting/maintenance', body));
export const useUpdateMaintenance = () => useRoutingMutation(({ id, body }: { id: string; body: MaintenanceUpdate }) => api.patch<MaintenanceWindow>(`/api/alerting/maintenance/${id}`, body));
export const useDeleteMaintenance = () => useRoutingMutation((id: string) => api.delete<{ ok: true }>(`/api/alerting/maintenance/${id}`));

export function useNotificationPolicies() {
  return useQuery({
    queryKey: [...KEY, 'policies'],
    queryFn: ({ signal }) => api.get<NotificationPolicyList>('/api/alerting/policies', undefined, signal),
    select: (data) => data.items,
  });
}

export const useCreatePolicy = () => useRoutingMutation((body: NotificationPolicyCreate) => api.post<NotificationPolicy>('/api/alerting/policies', body));
export const useUpdatePolicy = () => useRoutingMutation(({ id, body }: { id: string; body: NotificationPolicyUpdate }) => api.patch<NotificationPolicy>(`/api/alerting/policies/${id}`, body));
export const useDeletePolicy = () => useRoutingMutation((id: string) => api.delete<{ ok: true }>(`/api/alerting/policies/${id}`));
export const useReorderPolicies = () => useRoutingMutation((ids: string[]) => api.put<NotificationPolicyList>('/api/alerting/policies/order', { ids }));

export function useEscalationPolicies() {
  return useQuery({
    queryKey: [...KEY, 'escalations'],
    queryFn: ({ signal }) => api.get<EscalationPolicyList>('/api/alerting/escalations', undefined, signal),
    select: (data) => data.items,
  });
}

export const useCreateEscalation = () => useRoutingMutation((body: EscalationPolicyCreate) => api.post<EscalationPolicy>('/api/alerting/escalations', body));
export const useUpdateEscalation = () => useRoutingMutation(({ id, body }: { id: string; body: EscalationPolicyUpdate }) => api.patch<EscalationPolicy>(`/api/alerting/escalations/${id}`, body));
export const useDeleteEscalation = () => useRoutingMutation((id: string) => api.delete<{ ok: true }>(`/api/alerting/escalations/${id}`));

/** The dispatcher's groups with an episode running; re-read every 10 s (timers move). */
export function useAlertGroups() {
  return useQuery({
    queryKey: [...KEY, 'groups'],
    queryFn: ({ signal }) => api.get<AlertGroupList>('/api/alerting/groups', undefined, signal),
    select: (data) => data.items,
    refetchInterval: 10_000,
  });
}
