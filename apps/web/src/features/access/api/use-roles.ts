import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@yunwei/contracts/common';
import type { PermissionGroup, Role, RoleCreate, RoleUpdate } from '@yunwei/contracts/access';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';

export const ROLES_KEY = ['roles'] as const;

export interface RoleListQuery {
  offset: number;
  limit: number;
  q?: string;
}

export function useRoles(query: RoleListQuery) {
  return useQuery({
    queryKey: [...ROLES_KEY, 'list', query],
    queryFn: ({ signal }) => api.get<PageOf<Role>>('/api/roles', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every role (for pickers); only when the user may read roles. */
export function useAllRoles() {
  const { can } = useAuth();
  return useQuery({
    queryKey: [...ROLES_KEY, 'all'],
    queryFn: ({ signal }) => api.get<PageOf<Role>>('/api/roles', { offset: 0, limit: 500 }, signal),
    select: (page) => page.items,
    enabled: can('access.role.read'),
    staleTime: 60_000,
  });
}

export function useSaveRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: RoleCreate | RoleUpdate }) =>
      id ? api.patch<Role>(`/api/roles/${id}`, body) : api.post<Role>('/api/roles', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROLES_KEY }),
  });
}

export function useDeleteRole() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/roles/${id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ROLES_KEY }),
  });
}

/**
 * The permission catalogue, grouped by module. Silent: pages that only use it for nicer labels
 * (API token scopes) fall back to raw ids if the user may not read it.
 */
export function usePermissionCatalogue() {
  return useQuery({
    queryKey: ['permissions'],
    queryFn: ({ signal }) => api.get<PermissionGroup[]>('/api/permissions', undefined, signal),
    staleTime: Infinity,
    meta: { silent: true },
  });
}
