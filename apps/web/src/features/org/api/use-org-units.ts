import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { OrgUnit, OrgUnitCreate, OrgUnitUpdate } from '@yunwei/contracts/org';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';

export const ORG_UNITS_KEY = ['org-units'] as const;

/** All units (flat). Only fetched when the user may read them. */
export function useOrgUnits() {
  const { can } = useAuth();
  return useQuery({
    queryKey: ORG_UNITS_KEY,
    queryFn: ({ signal }) => api.get<OrgUnit[]>('/api/org-units', undefined, signal),
    enabled: can('org.unit.read'),
  });
}

export function useSaveOrgUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, values }: { id?: string; values: OrgUnitCreate | OrgUnitUpdate }) =>
      id ? api.patch<OrgUnit>(`/api/org-units/${id}`, values) : api.post<OrgUnit>('/api/org-units', values),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ORG_UNITS_KEY }),
  });
}

export function useDeleteOrgUnit() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/org-units/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ORG_UNITS_KEY }),
  });
}
