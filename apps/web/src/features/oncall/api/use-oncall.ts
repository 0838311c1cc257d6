import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CalendarDayInput, CalendarYear, OnCallCandidates, Override, OverrideInput, OverrideList, Schedule, ScheduleInput, ScheduleList, Timeline } from '@yunwei/contracts/oncall';
import { api, ApiError } from '../../../app/api-client';
import i18n, { currentLanguage } from '../../../app/i18n';

const ONCALL_KEY = ['oncall'] as const;

/** Schedules with who is on call now; re-read every minute so the "now" tags follow hand-overs. */
export function useSchedules() {
  return useQuery({
    queryKey: [...ONCALL_KEY, 'schedules'],
    queryFn: ({ signal }) => api.get<ScheduleList>('/api/oncall/schedules', undefined, signal),
    refetchInterval: 60_000,
  });
}

/** Who is on call over `days` local days from `date` (in the schedule's time zone). */
export function useTimeline(id: string | null, date: string, days = 14) {
  return useQuery({
    queryKey: [...ONCALL_KEY, 'timeline', id, date, days],
    queryFn: ({ signal }) => api.get<Timeline>(`/api/oncall/schedules/${id}/timeline`, { date, days }, signal),
    enabled: id !== null,
  });
}

export function useOverrides(id: string | null, from: number, to: number) {
  return useQuery({
    queryKey: [...ONCALL_KEY, 'overrides', id, from, to],
    queryFn: ({ signal }) => api.get<OverrideList>(`/api/oncall/schedules/${id}/overrides`, { from, to }, signal),
    select: (data) => data.items,
    enabled: id !== null,
  });
}

/** Enabled users who may be put on call (needs oncall.schedule.write). */
export function useCandidates(enabled = true) {
  return useQuery({
    queryKey: [...ONCALL_KEY, 'candidates'],
    queryFn: ({ signal }) => api.get<OnCallCandidates>('/api/oncall/candidates', undefined, signal),
    select: (data) => data.items,
    enabled,
    staleTime: 60_000,
  });
}

function useOncallMutation<TVars, TResult>(mutationFn: (vars: TVars) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn, onSuccess: () => queryClient.invalidateQueries({ queryKey: ONCALL_KEY }) });
}

export const useCreateSchedule = () => useOncallMutation((body: ScheduleInput) => api.post<Schedule>('/api/oncall/schedules', body));
export const useUpdateSchedule = () => useOncallMutation(({ id, body }: { id: string; body: ScheduleInput }) => api.put<Schedule>(`/api/oncall/schedules/${id}`, body));
export const useDeleteSchedule = () => useOncallMutation((id: string) => api.delete<{ ok: true }>(`/api/oncall/schedules/${id}`));
export const useAddOverride = () => useOncallMutation(({ id, body }: { id: string; body: OverrideInput }) => api.post<Override>(`/api/oncall/schedules/${id}/overrides`, body));
export const useDeleteOverride = () => useOncallMutation(({ id, overrideId }: { id: string; overrideId: string }) => api.delete<{ ok: true }>(`/api/oncall/schedules/${id}/overrides/${overrideId}`));

export function useCalendarYear(year: number) {
  return useQuery({
    queryKey: [...ONCALL_KEY, 'calendar', year],
    queryFn: ({ signal }) => api.get<CalendarYear>(`/api/oncall/calendar/${year}`, undefined, signal),
  });
}

export const useSaveCalendarYear = () => useOncallMutation(({ year, days }: { year: number; days: CalendarDayInput[] }) => api.put<CalendarYear>(`/api/oncall/calendar/${year}`, { days }));

const SHEET_TYPES: Record<string, string> = { xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', csv: 'text/csv' };

/** Sends the sheet as the raw request body (the server reads XLSX or CSV bytes, not a multipart form). */
async function uploadCalendar(year: number, file: File, csrfToken: string | undefined): Promise<CalendarYear> {
  let response: Response;
  try {
    response = await fetch(`/api/oncall/calendar/${year}/import`, {
      method: 'POST',
      headers: { 'Content-Type': SHEET_TYPES[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream', Accept: 'application/json', 'Accept-Language': currentLanguage(), ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
      body: file,
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'YW_NETWORK', i18n.t('error.network'));
  }
  const body = (await response.json().catch(() => undefined)) as { code?: string; message?: string; details?: ApiError['details'] } | undefined;
  if (!response.ok) {
    throw body?.code && body.message ? new ApiError(response.status, body.code, body.message, body.details) : new ApiError(response.status, `HTTP_${response.status}`, i18n.t('error.http', { status: response.status }));
  }
  return body as CalendarYear;
}

/** Replaces the year's administrator entries with an XLSX/CSV sheet; errors name the sheet row (shown by the caller). */
export function useImportCalendar(csrfToken: string | undefined) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ year, file }: { year: number; file: File }) => uploadCalendar(year, file, csrfToken),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ONCALL_KEY }),
    meta: { silent: true },
  });
}
