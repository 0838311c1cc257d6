import { useQuery } from '@tanstack/react-query';
import type { DocumentFormat } from '@yunwei/contracts/documents';
import type { MonitoringRegime } from '@yunwei/contracts/inspections';
import { api, downloadFile } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

/** The monitoring regime written from the enabled policies (or one), in the UI language; read while `enabled`. */
export function useRegime(policyId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: ['inspections', 'regime', policyId ?? null, currentLanguage()],
    queryFn: ({ signal }) => api.get<MonitoringRegime>('/api/inspections/regime', { policyId }, signal),
    enabled,
  });
}

export function downloadRegime(policyId: string | undefined, format: DocumentFormat): Promise<void> {
  return downloadFile(`/api/inspections/regime.${format}`, { policyId }, `monitoring-regime.${format}`);
}
