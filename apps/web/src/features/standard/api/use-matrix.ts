import { useQuery } from '@tanstack/react-query';
import type { CapabilityMatrix } from '@yunwei/contracts/standard';
import { api } from '../../../app/api-client';

export function useCapabilityMatrix() {
  return useQuery({
    queryKey: ['standard', 'matrix'],
    queryFn: ({ signal }) => api.get<CapabilityMatrix>('/api/standard/matrix', undefined, signal),
    staleTime: 60_000,
  });
}
