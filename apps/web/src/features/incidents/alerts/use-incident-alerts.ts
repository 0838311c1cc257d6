import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { IncidentAlertList, IncidentClassification, IncidentClassify } from '@yunwei/contracts/incident-alerts';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

/** Under the incidents key: any change of an incident refreshes these too. */
const one = (id: string) => ['incidents', 'one', id] as const;

/** 关联告警: the alerts of the incident's alert group. */
export function useIncidentAlerts(id: string) {
  return useQuery({
    queryKey: [...one(id), 'alerts', currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentAlertList>(`/api/incidents/${id}/alerts`, undefined, signal),
    refetchInterval: 30_000,
  });
}

/** The suggested fault type with its reason, and the current type and nature. */
export function useIncidentClassification(id: string) {
  return useQuery({
    queryKey: [...one(id), 'classification', currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentClassification>(`/api/incidents/${id}/classification`, undefined, signal),
  });
}

export function useClassifyIncident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: IncidentClassify }) => api.post<IncidentClassification>(`/api/incidents/${id}/classify`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
}
