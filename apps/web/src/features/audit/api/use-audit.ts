import { keepPreviousData, useMutation, useQuery } from '@tanstack/react-query';
import type { PageOf } from '@yunwei/contracts/common';
import type { AuditEntry, AuditQuery, AuditVerifyResult } from '@yunwei/contracts/audit';
import { api, downloadFile } from '../../../app/api-client';

export type AuditFilters = Omit<AuditQuery, 'offset' | 'limit'>;

export function useAuditEntries(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit', 'list', query],
    queryFn: ({ signal }) => api.get<PageOf<AuditEntry>>('/api/audit', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useVerifyAudit() {
  return useMutation({
    mutationFn: () => api.post<AuditVerifyResult>('/api/audit/verify'),
  });
}

export function useExportAudit() {
  return useMutation({
    mutationFn: ({ format, filters }: { format: 'csv' | 'xlsx'; filters: AuditFilters }) =>
      downloadFile('/api/audit/export', { ...filters, format }, `audit.${format}`),
  });
}
