import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@yunwei/contracts/common';
import type {
  Ci,
  CiClass,
  CiListItem,
  CiClassCreate,
  CiClassUpdate,
  CiCreate,
  CiDetail,
  CiQuery,
  CiRelations,
  CiUpdate,
  DependencyResult,
  GroupCreate,
  GroupUpdate,
  ImpactResult,
  RedundancyGroup,
  Relation,
  RelationCreate,
  RelationUpdate,
} from '@yunwei/contracts/cmdb';
import { api } from '../../../app/api-client';

/** Everything CMDB lives under one key: a write refreshes lists, details, relations and graphs alike. */
export const CMDB_KEY = ['cmdb'] as const;

export function useCiClasses() {
  return useQuery({
    queryKey: [...CMDB_KEY, 'classes'],
    queryFn: ({ signal }) => api.get<CiClass[]>('/api/cmdb/classes', undefined, signal),
    staleTime: 60_000,
  });
}

export function useCis(query: CiQuery, enabled = true) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'cis', query],
    queryFn: ({ signal }) => api.get<PageOf<CiListItem>>('/api/cmdb/cis', { ...query }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCi(id: string | undefined) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'ci', id],
    queryFn: ({ signal }) => api.get<CiDetail>(`/api/cmdb/cis/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useCiRelations(id: string) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'relations', id],
    queryFn: ({ signal }) => api.get<CiRelations>(`/api/cmdb/cis/${id}/relations`, undefined, signal),
  });
}

export function useGroup(id: string) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'group', id],
    queryFn: ({ signal }) => api.get<RedundancyGroup>(`/api/cmdb/groups/${id}`, undefined, signal),
  });
}

export function useGroups(q: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'groups', q],
    queryFn: ({ signal }) => api.get<PageOf<RedundancyGroup>>('/api/cmdb/groups', { q, limit: 50 }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useImpact(id: string, failed: readonly string[], enabled: boolean) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'impact', id, failed],
    queryFn: ({ signal }) => api.get<ImpactResult>(`/api/cmdb/cis/${id}/impact`, { failed: failed.join(',') || undefined }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDependencies(id: string, all: boolean, enabled: boolean) {
  return useQuery({
    queryKey: [...CMDB_KEY, 'dependencies', id, all],
    queryFn: ({ signal }) => api.get<DependencyResult>(`/api/cmdb/cis/${id}/dependencies`, { all: all || undefined }, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

function useCmdbMutation<TVariables, TResult>(fn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: CMDB_KEY }),
  });
}

export const useCreateCi = () => useCmdbMutation((body: CiCreate) => api.post<Ci>('/api/cmdb/cis', body));
export const useUpdateCi = () => useCmdbMutation(({ id, body }: { id: string; body: CiUpdate }) => api.patch<Ci>(`/api/cmdb/cis/${id}`, body));
export const useDeleteCi = () => useCmdbMutation((id: string) => api.delete<{ ok: true }>(`/api/cmdb/cis/${id}`));

export const useCreateRelation = () => useCmdbMutation((body: RelationCreate) => api.post<Relation>('/api/cmdb/relations', body));
export const useUpdateRelation = () =>
  useCmdbMutation(({ id, body }: { id: string; body: RelationUpdate }) => api.patch<Relation>(`/api/cmdb/relations/${id}`, body));
export const useDeleteRelation = () => useCmdbMutation((id: string) => api.delete<{ ok: true }>(`/api/cmdb/relations/${id}`));

export const useCreateGroup = () => useCmdbMutation((body: GroupCreate) => api.post<RedundancyGroup>('/api/cmdb/groups', body));
export const useUpdateGroup = () =>
  useCmdbMutation(({ id, body }: { id: string; body: GroupUpdate }) => api.patch<RedundancyGroup>(`/api/cmdb/groups/${id}`, body));
export const useDeleteGroup = () => useCmdbMutation((id: string) => api.delete<{ ok: true }>(`/api/cmdb/groups/${id}`));

export const useCreateClass = () => useCmdbMutation((body: CiClassCreate) => api.post<CiClass>('/api/cmdb/classes', body));
export const useUpdateClass = () =>
  useCmdbMutation(({ id, body }: { id: string; body: CiClassUpdate }) => api.patch<CiClass>(`/api/cmdb/classes/${id}`, body));
export const useDeleteClass = () => useCmdbMutation((id: string) => api.delete<{ ok: true }>(`/api/cmdb/classes/${id}`));
