import { useQuery } from '@tanstack/react-query';
import type { DocumentFormat } from '@yunwei/contracts/documents';
import type { UtilisationReport, UtilisationReportQuery } from '@yunwei/contracts/monitoring';
import { api, downloadFile } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

/** The written utilisation analysis for `params` (null: not asked for yet); in the UI language. */
export function useUtilisationReport(params: UtilisationReportQuery | null) {
  return useQuery({
    queryKey: ['monitoring', 'utilisation-report', params, currentLanguage()],
    queryFn: ({ signal }) => api.get<UtilisationReport>('/api/monitoring/utilisation/report', { ...params }, signal),
    enabled: params !== null,
  });
}

export function downloadUtilisationReport(params: UtilisationReportQuery, format: DocumentFormat): Promise<void> {
  return downloadFile(`/api/monitoring/utilisation/report.${format}`, { ...params }, `utilisation-report.${format}`);
}
