import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NotifyChannel, NotifyChannelCreate, NotifyChannelList, NotifyChannelUpdate, NotifyDelivery, NotifyDeliveryList, NotifyDeliveryListQuery, NotifySettings, NotifyTestResult } from '@yunwei/contracts/notify';
import { api } from '../../../app/api-client';

const NOTIFY_KEY = ['notify'] as const;

export function useChannels() {
  return useQuery({
    queryKey: [...NOTIFY_KEY, 'channels'],
    queryFn: ({ signal }) => api.get<NotifyChannelList>('/api/notify/channels', { limit: 500 }, signal),
    select: (data) => data.items,
  });
}

/** How messages are made (public URL of their links, time zone): start-up settings, read once. */
export function useNotifySettings(enabled = true) {
  return useQuery({
    queryKey: [...NOTIFY_KEY, 'settings'],
    queryFn: ({ signal }) => api.get<NotifySettings>('/api/notify/settings', {}, signal),
    staleTime: Infinity,
    enabled,
  });
}

/** The delivery log, newest first; re-read every 5 s so retries and outcomes show up. */
export function useDeliveries(query: NotifyDeliveryListQuery) {
  return useQuery({
    queryKey: [...NOTIFY_KEY, 'deliveries', query],
    queryFn: ({ signal }) => api.get<NotifyDeliveryList>('/api/notify/deliveries', { ...query }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 5_000,
  });
}

export function useCreateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: NotifyChannelCreate) => api.post<NotifyChannel>('/api/notify/channels', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFY_KEY }),
  });
}

export function useUpdateChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: NotifyChannelUpdate }) => api.patch<NotifyChannel>(`/api/notify/channels/${id}`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFY_KEY }),
  });
}

export function useDeleteChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/notify/channels/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: NOTIFY_KEY }),
  });
}

export function useTestChannel() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<NotifyTestResult>(`/api/notify/channels/${id}/test`),
    onSettled: () => queryClient.invalidateQueries({ queryKey: [...NOTIFY_KEY, 'deliveries'] }),
  });
}

export function useRetryDelivery() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<NotifyDelivery>(`/api/notify/deliveries/${id}/retry`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: [...NOTIFY_KEY, 'deliveries'] }),
  });
}
