import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  KnownErrorMatches,
  PreventionPlanFiled,
  Problem,
  ProblemCreate,
  ProblemLink,
  ProblemList,
  ProblemListQuery,
  ProblemTransition,
  ProblemUpdate,
  Risk,
  RiskCollectResult,
  RiskCreate,
  RiskList,
  RiskListQuery,
  RiskTransition,
  RiskUpdate,
} from '@yunwei/contracts/incident-problems';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

const PROBLEMS = ['problems'] as const;
const RISKS = ['risks'] as const;

export function useProblems(query: ProblemListQuery) {
  return useQuery({
    queryKey: [...PROBLEMS, 'list', query, currentLanguage()],
    queryFn: ({ signal }) => api.get<ProblemList>('/api/problems', query as Record<string, string | number | boolean>, signal),
    placeholderData: keepPreviousData,
  });
}

export function useProblem(id: string | undefined) {
  return useQuery({
    queryKey: [...PROBLEMS, 'one', id ?? '', currentLanguage()],
    queryFn: ({ signal }) => api.get<Problem>(`/api/problems/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** Known errors matching an incident (its detail page shows them to the handlers). */
export function useKnownErrors(incidentId: string | undefined, enabled = true) {
  return useQuery({
    queryKey: [...PROBLEMS, 'known-errors', incidentId ?? '', currentLanguage()],
    queryFn: ({ signal }) => api.get<KnownErrorMatches>(`/api/incidents/${incidentId}/known-errors`, undefined, signal),
    enabled: Boolean(incidentId) && enabled,
  });
}

function useInvalidate(...keys: (readonly string[])[]) {
  const qc = useQueryClient();
  return () => Promise.all([...keys, ['incidents']].map((queryKey) => qc.invalidateQueries({ queryKey })));
}

export function useCreateProblem() {
  const invalidate = useInvalidate(PROBLEMS);
  return useMutation({ mutationFn: (body: ProblemCreate) => api.post<Problem>('/api/problems', body), onSuccess: invalidate });
}

export function useUpdateProblem() {
  const invalidate = useInvalidate(PROBLEMS);
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: ProblemUpdate }) => api.put<Problem>(`/api/problems/${id}`, body), onSuccess: invalidate });
}

export function useTransitionProblem() {
  const invalidate = useInvalidate(PROBLEMS);
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: ProblemTransition }) => api.post<Problem>(`/api/problems/${id}/transition`, body), onSuccess: invalidate });
}

export function useLinkIncidents() {
  const invalidate = useInvalidate(PROBLEMS);
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: ProblemLink }) => api.post<Problem>(`/api/problems/${id}/incidents`, body), onSuccess: invalidate });
}

export function useUnlinkIncident() {
  const invalidate = useInvalidate(PROBLEMS);
  return useMutation({ mutationFn: ({ id, incidentId, version }: { id: string; incidentId: string; version: number }) => api.delete<Problem>(`/api/problems/${id}/incidents/${incidentId}?version=${version}`), onSuccess: invalidate });
}

// ---------------------------------------------------------------- 隐患

export function useRisks(query: RiskListQuery) {
  return useQuery({
    queryKey: [...RISKS, 'list', query, currentLanguage()],
    queryFn: ({ signal }) => api.get<RiskList>('/api/risks', query as Record<string, string | number | boolean>, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCreateRisk() {
  const invalidate = useInvalidate(RISKS);
  return useMutation({ mutationFn: (body: RiskCreate) => api.post<Risk>('/api/risks', body), onSuccess: invalidate });
}

export function useUpdateRisk() {
  const invalidate = useInvalidate(RISKS);
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: RiskUpdate }) => api.put<Risk>(`/api/risks/${id}`, body), onSuccess: invalidate });
}

export function useTransitionRisk() {
  const invalidate = useInvalidate(RISKS);
  return useMutation({ mutationFn: ({ id, body }: { id: string; body: RiskTransition }) => api.post<Risk>(`/api/risks/${id}/transition`, body), onSuccess: invalidate });
}

export function useCollectRisks() {
  const invalidate = useInvalidate(RISKS);
  return useMutation({ mutationFn: () => api.post<RiskCollectResult>('/api/risks/collect', {}), onSuccess: invalidate });
}

export function useFilePreventionPlan() {
  return useMutation({ mutationFn: () => api.post<PreventionPlanFiled>('/api/risks/prevention-plan/file', {}) });
}
