import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DocumentFormat } from '@yunwei/contracts/documents';
import type { IncidentAnalysis, IncidentAnalysisInput, IncidentFiled, IncidentStats, IncidentStatsQuery } from '@yunwei/contracts/incident-reports';
import { api, downloadFile } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

const analysisKey = (id: string) => ['incidents', 'analysis', id] as const;

/** 经验教训 and 后续措施 of an incident's 故障分析报告, and the library document it is filed as. */
export function useIncidentAnalysis(id: string) {
  return useQuery({ queryKey: [...analysisKey(id), currentLanguage()], queryFn: ({ signal }) => api.get<IncidentAnalysis>(`/api/incidents/${id}/analysis`, undefined, signal) });
}

export function useSaveIncidentAnalysis(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: IncidentAnalysisInput) => api.put<IncidentAnalysis>(`/api/incidents/${id}/analysis`, body),
    onSuccess: () => client.invalidateQueries({ queryKey: analysisKey(id) }),
  });
}

export function useFileIncidentAnalysis(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<IncidentFiled>(`/api/incidents/${id}/analysis-report/file`),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: analysisKey(id) });
      await client.invalidateQueries({ queryKey: ['incidents', 'one', id] });
    },
  });
}

export function downloadAnalysisReport(id: string, number: string, format: DocumentFormat): Promise<void> {
  return downloadFile(`/api/incidents/${id}/analysis-report.${format}`, {}, `fault-analysis-${number}.${format}`);
}

export function downloadProcedure(format: DocumentFormat): Promise<void> {
  return downloadFile(`/api/incidents/procedure.${format}`, {}, `fault-procedure.${format}`);
}

export function useFileProcedure() {
  return useMutation({ mutationFn: () => api.post<IncidentFiled>('/api/incidents/procedure/file') });
}

/** Incident statistics over a period (null: not asked for yet). */
export function useIncidentStats(query: IncidentStatsQuery | null) {
  return useQuery({
    queryKey: ['incidents', 'stats', query, currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentStats>('/api/incidents/stats', { ...query }, signal),
    enabled: query !== null,
  });
}

export function downloadIncidentStats(query: IncidentStatsQuery): Promise<void> {
  return downloadFile('/api/incidents/stats.xlsx', { ...query }, 'incident-stats.xlsx');
}
