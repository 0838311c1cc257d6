import { useQuery } from '@tanstack/react-query';
import type { Ci, CiClass } from '@yunwei/contracts/cmdb';
import type { PageOf } from '@yunwei/contracts/common';
import type { TabularFormat } from '@yunwei/contracts/documents';
import type { Report, ReportEdit, ReportKind, ReportQuery } from '@yunwei/contracts/reports';
import { api, downloadFile } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

/** A report for `params` (null: not asked for yet), in the UI language. */
export function useReport(kind: ReportKind, params: ReportQuery | null) {
  return useQuery({
    queryKey: ['reports', kind, params, currentLanguage()],
    queryFn: ({ signal }) => api.get<Report>(`/api/reports/${kind}`, { ...params }, signal),
    enabled: params !== null,
  });
}

export function downloadReport(kind: ReportKind, params: ReportQuery, format: TabularFormat): Promise<void> {
  return downloadFile(`/api/reports/${kind}.${format}`, { ...params }, `${kind}-report.${format}`);
}

/**
 * The report with the author's 结论与建议 (too long for a query string, so a POST): the file is saved
 * like any download. `csrf` is the session's token.
 */
export async function downloadEditedReport(kind: ReportKind, body: ReportEdit, format: TabularFormat, csrf: string): Promise<void> {
  const response = await fetch(`/api/reports/${kind}.${format}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: '*/*', 'Accept-Language': currentLanguage(), 'x-csrf-token': csrf },
    body: JSON.stringify(body),
    credentials: 'same-origin',
  });
  if (!response.ok) {
    const error = (await response.json().catch(() => null)) as { message?: string } | null;
    throw new Error(error?.message ?? `HTTP ${response.status}`);
  }
  const disposition = response.headers.get('Content-Disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = star?.[1] ? decodeURIComponent(star[1]) : `${kind}-report.${format}`;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export interface ScopeChoices {
  businessSystems: { id: string; name: string }[];
  classes: CiClass[];
}

/** What a report may be about, by name: business systems and CI classes. */
export function useScopeChoices() {
  return useQuery({
    queryKey: ['reports', 'scopes'],
    meta: { silent: true },
    queryFn: async ({ signal }): Promise<ScopeChoices> => {
      const classes = await api.get<CiClass[]>('/api/cmdb/classes', undefined, signal);
      const bs = classes.find((c) => c.code === 'business_system');
      const systems = bs ? await api.get<PageOf<Ci>>('/api/cmdb/cis', { classId: bs.id, limit: 200 }, signal) : { items: [] };
      return { businessSystems: systems.items.map((c) => ({ id: c.id, name: c.name })), classes };
    },
  });
}
