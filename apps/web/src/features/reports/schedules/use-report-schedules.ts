import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { TabularFormat } from '@yunwei/contracts/documents';
import type { ReportSchedule, ReportScheduleInput, ReportScheduleKind, ReportScheduleList, ReportScheduleOptions, ReportScheduleRun, ReportScheduleRunList } from '@yunwei/contracts/report-schedules';
import { api, downloadFile } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

const KEY = ['reports', 'schedules'] as const;

export function useReportSchedules() {
  return useQuery({ queryKey: [...KEY, 'list', currentLanguage()], queryFn: ({ signal }) => api.get<ReportScheduleList>('/api/reports/schedules', undefined, signal) });
}

/** The names the form picks from (managers only). */
export function useScheduleOptions(enabled: boolean) {
  return useQuery({ queryKey: [...KEY, 'options', currentLanguage()], queryFn: ({ signal }) => api.get<ReportScheduleOptions>('/api/reports/schedules/options', undefined, signal), enabled, staleTime: 30_000 });
}

export function useScheduleRuns(id: string | null) {
  return useQuery({
    queryKey: [...KEY, 'runs', id],
    queryFn: ({ signal }) => api.get<ReportScheduleRunList>(`/api/reports/schedules/${id}/runs`, { limit: 50 }, signal),
    enabled: id !== null,
    // A queued e-mail goes out a moment later: follow it while the drawer is open.
    refetchInterval: 5000,
  });
}

export function useSaveSchedule() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: ReportScheduleInput }) => (id ? api.put<ReportSchedule>(`/api/reports/schedules/${id}`, body) : api.post<ReportSchedule>('/api/reports/schedules', body)),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteSchedule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/reports/schedules/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

export function useRunSchedule() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.post<ReportScheduleRun>(`/api/reports/schedules/${id}/run`), onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

export function downloadRunFile(scheduleId: string, runId: string, format: TabularFormat, filename: string): Promise<void> {
  return downloadFile(`/api/reports/schedules/${scheduleId}/runs/${runId}/files/${format}`, {}, filename);
}

/** A schedule's kind as people read it (the two reports keep their names from 运行报告). */
export function useKindLabel(): (kind: ReportScheduleKind) => string {
  const { t } = useTranslation();
  return (kind) => (kind === 'monitoring-regime' ? t('reportSchedules.kindRegime') : t(`reports.kind.${kind}`));
}

/** Message keys of the days of the week, 1 = Monday … 7 = Sunday (index = day − 1). */
export const WEEKDAY_KEYS = ['reportSchedules.weekday.1', 'reportSchedules.weekday.2', 'reportSchedules.weekday.3', 'reportSchedules.weekday.4', 'reportSchedules.weekday.5', 'reportSchedules.weekday.6', 'reportSchedules.weekday.7'] as const;
