import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  IncidentTask,
  IncidentTaskCreate,
  IncidentTaskList,
  Runbook,
  RunbookCreate,
  RunbookDraft,
  RunbookList,
  RunbookRun,
  RunbookRunList,
  RunbookStepActionInput,
  RunbookStepLive,
  RunbookSuggestionList,
  RunbookUpdate,
} from '@yunwei/contracts/incident-runbooks';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

/** Runbooks live under their own key; runs and tasks under the incident's (any incident change refreshes them). */
const RUNBOOKS = ['incidents', 'runbooks'] as const;
const one = (id: string) => ['incidents', 'one', id] as const;

export function useRunbooks() {
  return useQuery({ queryKey: [...RUNBOOKS, 'list', currentLanguage()], queryFn: ({ signal }) => api.get<RunbookList>('/api/incidents/runbooks', undefined, signal) });
}

export function useRunbook(id: string | undefined) {
  return useQuery({ queryKey: [...RUNBOOKS, 'one', id, currentLanguage()], queryFn: ({ signal }) => api.get<Runbook>(`/api/incidents/runbooks/${id}`, undefined, signal), enabled: Boolean(id) });
}

function useRunbookChange<V>(fn: (v: V) => Promise<Runbook>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }) });
}

export const useCreateRunbook = () => useRunbookChange((body: RunbookCreate) => api.post<Runbook>('/api/incidents/runbooks', body));
export const useUpdateRunbook = () => useRunbookChange(({ id, body }: { id: string; body: RunbookUpdate }) => api.put<Runbook>(`/api/incidents/runbooks/${id}`, body));
export const useSaveRunbookDraft = () => useRunbookChange(({ id, body }: { id: string; body: RunbookDraft }) => api.put<Runbook>(`/api/incidents/runbooks/${id}/draft`, body));
export const useSubmitRunbook = () => useRunbookChange(({ id, comment }: { id: string; comment?: string }) => api.post<Runbook>(`/api/incidents/runbooks/${id}/submit`, comment ? { comment } : {}));

export function useRunbookSuggestions(incidentId: string) {
  return useQuery({ queryKey: [...one(incidentId), 'runbooks', currentLanguage()], queryFn: ({ signal }) => api.get<RunbookSuggestionList>(`/api/incidents/${incidentId}/runbooks`, undefined, signal) });
}

export function useRunbookRuns(incidentId: string, live: boolean) {
  return useQuery({
    queryKey: [...one(incidentId), 'runbook-runs', currentLanguage()],
    queryFn: ({ signal }) => api.get<RunbookRunList>(`/api/incidents/${incidentId}/runbook-runs`, undefined, signal),
    refetchInterval: live ? 3_000 : false,
  });
}

export function useStartRunbookRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ incidentId, runbookId }: { incidentId: string; runbookId: string }) => api.post<RunbookRun>(`/api/incidents/${incidentId}/runbook-runs`, { runbookId }),
    onSuccess: (_r, v) => qc.invalidateQueries({ queryKey: one(v.incidentId) }),
  });
}

export function useRunbookStepAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ incidentId, runId, index, body }: { incidentId: string; runId: string; index: number; body: RunbookStepActionInput }) => api.post<RunbookRun>(`/api/incidents/${incidentId}/runbook-runs/${runId}/steps/${index}`, body),
    onSuccess: (_r, v) => qc.invalidateQueries({ queryKey: one(v.incidentId) }),
  });
}

export function useAbandonRunbookRun() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ incidentId, runId, note }: { incidentId: string; runId: string; note: string }) => api.post<RunbookRun>(`/api/incidents/${incidentId}/runbook-runs/${runId}/abandon`, { note }),
    onSuccess: (_r, v) => qc.invalidateQueries({ queryKey: one(v.incidentId) }),
  });
}

/** One poll of a step's live output from `offset`. */
export const fetchStepLive = (incidentId: string, runId: string, index: number, offset: number, signal?: AbortSignal) =>
  api.get<RunbookStepLive>(`/api/incidents/${incidentId}/runbook-runs/${runId}/steps/${index}`, { offset }, signal);

export function useIncidentTasks(incidentId: string) {
  return useQuery({ queryKey: [...one(incidentId), 'tasks', currentLanguage()], queryFn: ({ signal }) => api.get<IncidentTaskList>(`/api/incidents/${incidentId}/tasks`, undefined, signal) });
}

export function useMyIncidentTasks() {
  return useQuery({ queryKey: ['incidents', 'my-tasks', currentLanguage()], queryFn: ({ signal }) => api.get<IncidentTaskList>('/api/incidents/tasks', { mine: '1' }, signal) });
}

export function useCreateIncidentTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ incidentId, body }: { incidentId: string; body: IncidentTaskCreate }) => api.post<IncidentTask>(`/api/incidents/${incidentId}/tasks`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
}

export function useCompleteIncidentTask() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ taskId, note }: { taskId: string; note?: string }) => api.post<IncidentTask>(`/api/incidents/tasks/${taskId}/complete`, note ? { note } : {}),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['incidents'] }),
  });
}
