import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Incident, IncidentHypothesis, IncidentHypothesisDecision, IncidentHypothesisInput, IncidentHypothesisList, IncidentVerificationList, IncidentVerify } from '@yunwei/contracts/incidents';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

export function useVerifications(incidentId: string, enabled = true) {
  return useQuery({
    queryKey: ['incidents', 'verifications', incidentId, currentLanguage()],
    queryFn: ({ signal }) => api.get<IncidentVerificationList>(`/api/incidents/${incidentId}/verifications`, undefined, signal),
    enabled,
    refetchInterval: 30_000,
  });
}

export function useVerifyIncident(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: IncidentVerify) => api.post<Incident>(`/api/incidents/${incidentId}/verify`, body), onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }) });
}

export function useHypotheses(incidentId: string) {
  return useQuery({ queryKey: ['incidents', 'hypotheses', incidentId, currentLanguage()], queryFn: ({ signal }) => api.get<IncidentHypothesisList>(`/api/incidents/${incidentId}/hypotheses`, undefined, signal) });
}

export function useProposeHypothesis(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (body: IncidentHypothesisInput) => api.post<IncidentHypothesis>(`/api/incidents/${incidentId}/hypotheses`, body), onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }) });
}

export function useDecideHypothesis(incidentId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: IncidentHypothesisDecision }) => api.post<IncidentHypothesis>(`/api/incidents/${incidentId}/hypotheses/${id}/decide`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
}
