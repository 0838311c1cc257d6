import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Agent, AgentList, EnrolmentTokenCreate, EnrolmentTokenCreated, EnrolmentTokenList } from '@yunwei/contracts/agents';
import { api } from '../../../app/api-client';

const AGENTS_KEY = ['agents'] as const;
const TOKENS_KEY = ['agents', 'enrolment-tokens'] as const;

/** Agents with their status; re-read every 10 s so "online" follows last contact. */
export function useAgents() {
  return useQuery({
    queryKey: AGENTS_KEY,
    queryFn: ({ signal }) => api.get<AgentList>('/api/agents', undefined, signal),
    select: (data) => data.items,
    refetchInterval: 10_000,
  });
}

export function useRevokeAgent() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Agent>(`/api/agents/${id}/revoke`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: AGENTS_KEY }),
  });
}

export function useEnrolmentTokens() {
  return useQuery({
    queryKey: TOKENS_KEY,
    queryFn: ({ signal }) => api.get<EnrolmentTokenList>('/api/agents/enrolment-tokens', undefined, signal),
    select: (data) => data.items,
  });
}

export function useCreateEnrolmentToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: EnrolmentTokenCreate) => api.post<EnrolmentTokenCreated>('/api/agents/enrolment-tokens', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}

export function useRevokeEnrolmentToken() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/agents/enrolment-tokens/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: TOKENS_KEY }),
  });
}
