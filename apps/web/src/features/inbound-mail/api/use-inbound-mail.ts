import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InboundMailDetail, InboundMailList, InboundMailProcess, InboundMailQuery, InboundMailSenderList, InboundMailSettings } from '@yunwei/contracts/inbound-mail';
import { api } from '../../../app/api-client';

const KEY = ['inbound-mail'] as const;

/** Received mail, newest first; re-read every 15 s so new mail and processing outcomes show. */
export function useInboundMailList(query: InboundMailQuery) {
  return useQuery({
    queryKey: [...KEY, 'list', query],
    queryFn: ({ signal }) => api.get<InboundMailList>('/api/inbound-mail', { ...query }, signal),
    placeholderData: keepPreviousData,
    refetchInterval: 15_000,
  });
}

export function useInboundMail(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'detail', id],
    queryFn: ({ signal }) => api.get<InboundMailDetail>(`/api/inbound-mail/${id}`, undefined, signal),
    enabled: id !== null,
  });
}

/** Whether the receiver is on, where it listens and which domains it accepts. */
export function useInboundMailSettings() {
  return useQuery({
    queryKey: [...KEY, 'settings'],
    queryFn: ({ signal }) => api.get<InboundMailSettings>('/api/inbound-mail/settings', undefined, signal),
  });
}

/** Active users to assign as the sender, searched by name, user name or e-mail. */
export function useInboundMailSenders(q: string, enabled: boolean) {
  return useQuery({
    queryKey: [...KEY, 'senders', q],
    queryFn: ({ signal }) => api.get<InboundMailSenderList>('/api/inbound-mail/senders', { q: q || undefined }, signal),
    select: (data) => data.items,
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useProcessInboundMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: InboundMailProcess }) => api.post<InboundMailDetail>(`/api/inbound-mail/${id}/process`, body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDiscardInboundMail() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<InboundMailDetail>(`/api/inbound-mail/${id}/discard`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }),
  });
}
