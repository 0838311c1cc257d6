import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Incident,
  IncidentActivityList,
  IncidentAssign,
  IncidentComment,
  IncidentConfig,
  IncidentConfigInput,
  IncidentCreate,
  IncidentList,
  IncidentListQuery,
  IncidentNature,
  IncidentNatureInput,
  IncidentOptions,
  IncidentSelfReport,
  IncidentTimes,
  IncidentTransition,
  IncidentType,
  IncidentTypeInput,
  IncidentUpdate,
} from '@yunwei/contracts/incidents';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';
import { incidentListPath } from '../incident-meta';

const KEY = ['incidents'] as const;
const LIST = [...KEY, 'list'] as const;
const one = (id: string) => [...KEY, 'one', id] as const;

export function useIncidents(query: IncidentListQuery, options: { refetchInterval?: number } = {}) {
  return useQuery({
    queryKey: [...LIST, query, currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentList>(incidentListPath(query), undefined, signal),
    placeholderData: keepPreviousData,
    refetchInterval: options.refetchInterval ?? 60_000,
  });
}

/** 我的报障: the faults the signed-in person reported (the server answers with their own only). */
export function useMyReports() {
  return useQuery({
    queryKey: [...KEY, 'mine', currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentList>('/api/incidents/reports', { limit: 50, offset: 0 }, signal),
    refetchInterval: 30_000,
  });
}

/** Every fault type, disabled ones too (the configuration page). */
export function useIncidentTypes() {
  return useQuery({ queryKey: [...KEY, 'types', currentLanguage()], queryFn: ({ signal }) => api.get<IncidentType[]>('/api/incidents/types', undefined, signal) });
}

export function useIncidentNatures() {
  return useQuery({ queryKey: [...KEY, 'natures', currentLanguage()], queryFn: ({ signal }) => api.get<IncidentNature[]>('/api/incidents/natures', undefined, signal) });
}

export function useIncident(id: string | undefined) {
  return useQuery({
    queryKey: [...one(id ?? ''), currentLanguage()],
    queryFn: ({ signal }) => api.get<Incident>(`/api/incidents/${id}`, undefined, signal),
    enabled: Boolean(id),
    // The SLA clocks move: the server's view every minute.
    refetchInterval: 60_000,
  });
}

export function useIncidentActivity(id: string | undefined) {
  return useQuery({
    queryKey: [...one(id ?? ''), 'activity', currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentActivityList>(`/api/incidents/${id}/activity`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useIncidentOptions(enabled = true) {
  return useQuery({
    queryKey: [...KEY, 'options', currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentOptions>('/api/incidents/options', undefined, signal),
    enabled,
    staleTime: 30_000,
  });
}

export function useIncidentConfig(enabled = true) {
  return useQuery({
    queryKey: [...KEY, 'config', currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentConfig>('/api/incidents/config', undefined, signal),
    enabled,
  });
}

/** After any change: the incident, its activity and every list. */
function useInvalidate() {
  const qc = useQueryClient();
  return () => qc.invalidateQueries({ queryKey: KEY });
}

export function useCreateIncident() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: IncidentCreate) => api.post<Incident>('/api/incidents', body), onSuccess: invalidate });
}

export function useReportIncident() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: IncidentSelfReport) => api.post<Incident>('/api/incidents/reports', body), onSuccess: invalidate });
}

export function useUpdateIncident() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: IncidentUpdate }) => api.put<Incident>(`/api/incidents/${id}`, body), onSuccess: invalidate });
}

export function useTransitionIncident() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: IncidentTransition }) => api.post<Incident>(`/api/incidents/${id}/transition`, body), onSuccess: invalidate });
}

export function useAssignIncident() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: IncidentAssign }) => api.post<Incident>(`/api/incidents/${id}/assign`, body), onSuccess: invalidate });
}

export function useIncidentTimes() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: IncidentTimes }) => api.put<Incident>(`/api/incidents/${id}/times`, body), onSuccess: invalidate });
}

export function useCommentIncident() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: IncidentComment }) => api.post<Incident>(`/api/incidents/${id}/comments`, body), onSuccess: invalidate });
}

export function useSaveIncidentConfig() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (body: IncidentConfigInput) => api.put<IncidentConfig>('/api/incidents/config', body), onSuccess: invalidate });
}

export function useSaveIncidentType() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: IncidentTypeInput }) => (id ? api.put<IncidentType>(`/api/incidents/types/${id}`, body) : api.post<IncidentType>('/api/incidents/types', body)),
    onSuccess: invalidate,
  });
}

export function useDeleteIncidentType() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/incidents/types/${id}`), onSuccess: invalidate });
}

export function useSaveIncidentNature() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: IncidentNatureInput }) => (id ? api.put<IncidentNature>(`/api/incidents/natures/${id}`, body) : api.post<IncidentNature>('/api/incidents/natures', body)),
    onSuccess: invalidate,
  });
}

export function useDeleteIncidentNature() {
  const invalidate = useInvalidate();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/incidents/natures/${id}`), onSuccess: invalidate });
}
