import { useQuery } from '@tanstack/react-query';
import type { StatusAnalysis } from '@yunwei/contracts/reports';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

/** 运行状态分析 (L3-2.1.2) of every CI and business system over the period, in the UI language. */
export function useStatusAnalysis(span: { start: number; end: number }) {
  return useQuery({
    queryKey: ['monitoring', 'utilisation', 'status', span, currentLanguage()],
    queryFn: ({ signal }) => api.get<StatusAnalysis>('/api/monitoring/utilisation/status', span, signal),
    meta: { silent: true },
  });
}
