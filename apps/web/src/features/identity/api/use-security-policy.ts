import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { SecurityPolicy, SecurityPolicyUpdate } from '@yunwei/contracts/identity';
import { api } from '../../../app/api-client';

const POLICY_KEY = ['security-policy'] as const;

export function useSecurityPolicy() {
  return useQuery({
    queryKey: POLICY_KEY,
    queryFn: ({ signal }) => api.get<SecurityPolicy>('/api/security-policy', undefined, signal),
  });
}

export function useUpdateSecurityPolicy() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: SecurityPolicyUpdate) => api.patch<SecurityPolicy>('/api/security-policy', body),
    onSuccess: (policy) => queryClient.setQueryData(POLICY_KEY, policy),
  });
}
