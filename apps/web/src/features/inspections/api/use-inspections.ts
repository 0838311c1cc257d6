import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  Coverage,
  InspectionRecord,
  InspectionRecordList,
  InspectionResult,
  InspectionResultFill,
  InspectionSchedule,
  InspectionScheduleCreate,
  InspectionScheduleList,
  InspectionTemplate,
  InspectionTemplateCreate,
  InspectionTemplateList,
  InspectionVerify,
  MonitoringPolicy,
  MonitoringPolicyCreate,
  MonitoringPolicyList,
} from '@yunwei/contracts/inspections';
import { api, ApiError } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

const KEY = ['inspections'] as const;
const TEMPLATES = [...KEY, 'templates'] as const;
const SCHEDULES = [...KEY, 'schedules'] as const;
const RECORDS = [...KEY, 'records'] as const;
const POLICIES = [...KEY, 'policies'] as const;
const COVERAGE = [...KEY, 'coverage'] as const;

export function useTemplates() {
  return useQuery({ queryKey: TEMPLATES, queryFn: ({ signal }) => api.get<InspectionTemplateList>('/api/inspections/templates', undefined, signal), select: (d) => d.items });
}

export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: InspectionTemplateCreate }) =>
      id ? api.patch<InspectionTemplate>(`/api/inspections/templates/${id}`, body) : api.post<InspectionTemplate>('/api/inspections/templates', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: TEMPLATES }),
  });
}

export function useDeleteTemplate() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/inspections/templates/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: TEMPLATES }) });
}

export function useSchedules() {
  return useQuery({ queryKey: SCHEDULES, queryFn: ({ signal }) => api.get<InspectionScheduleList>('/api/inspections/schedules', undefined, signal), select: (d) => d.items });
}

export function useSaveSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: InspectionScheduleCreate }) =>
      id ? api.patch<InspectionSchedule>(`/api/inspections/schedules/${id}`, body) : api.post<InspectionSchedule>('/api/inspections/schedules', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: SCHEDULES }),
  });
}

export function useDeleteSchedule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/inspections/schedules/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: SCHEDULES }) });
}

export function useRunSchedule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.post<InspectionRecord>(`/api/inspections/schedules/${id}/run`), onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

export function useRecords(query: { templateId?: string; status?: string; offset: number; limit: number }) {
  return useQuery({ queryKey: [...RECORDS, query], queryFn: ({ signal }) => api.get<InspectionRecordList>('/api/inspections/records', query, signal) });
}

export function useRecord(id: string | undefined) {
  return useQuery({ queryKey: [...RECORDS, 'one', id], queryFn: ({ signal }) => api.get<InspectionRecord>(`/api/inspections/records/${id}`, undefined, signal), enabled: Boolean(id) });
}

export function useRunTemplate() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (templateId: string) => api.post<InspectionRecord>('/api/inspections/records', { templateId }), onSuccess: () => qc.invalidateQueries({ queryKey: RECORDS }) });
}

export function useFillResult(recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ resultId, body }: { resultId: string; body: InspectionResultFill }) => api.patch<InspectionResult>(`/api/inspections/records/${recordId}/results/${resultId}`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...RECORDS, 'one', recordId] }),
  });
}

export function useSignRecord(recordId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { password: string; conclusion?: string }) => api.post<InspectionRecord>(`/api/inspections/records/${recordId}/sign`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: RECORDS }),
  });
}

export function useVerifyRecord(recordId: string) {
  return useMutation({ mutationFn: () => api.get<InspectionVerify>(`/api/inspections/records/${recordId}/verify`) });
}

/** Uploads a photo as the raw body (the server takes image bytes, not a multipart form). */
export async function uploadPhoto(recordId: string, resultId: string, file: File, csrfToken: string | undefined): Promise<InspectionResult> {
  const response = await fetch(`/api/inspections/records/${recordId}/results/${resultId}/photo`, {
    method: 'PUT',
    credentials: 'same-origin',
    headers: { 'Content-Type': file.type || 'application/octet-stream', Accept: 'application/json', 'Accept-Language': currentLanguage(), ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body: file,
  });
  const body = (await response.json().catch(() => undefined)) as { code?: string; message?: string } | InspectionResult | undefined;
  if (!response.ok) {
    const error = body as { code?: string; message?: string } | undefined;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? String(response.status));
  }
  return body as InspectionResult;
}

export function usePolicies() {
  return useQuery({ queryKey: POLICIES, queryFn: ({ signal }) => api.get<MonitoringPolicyList>('/api/inspections/policies', undefined, signal), select: (d) => d.items });
}

export function useSavePolicy() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: MonitoringPolicyCreate }) =>
      id ? api.patch<MonitoringPolicy>(`/api/inspections/policies/${id}`, body) : api.post<MonitoringPolicy>('/api/inspections/policies', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: [...POLICIES] }).then(() => qc.invalidateQueries({ queryKey: COVERAGE })),
  });
}

export function useDeletePolicy() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/inspections/policies/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

export function useCoverage(uncoveredOnly: boolean) {
  return useQuery({ queryKey: [...COVERAGE, uncoveredOnly], queryFn: ({ signal }) => api.get<Coverage>('/api/inspections/coverage', { uncoveredOnly }, signal) });
}
