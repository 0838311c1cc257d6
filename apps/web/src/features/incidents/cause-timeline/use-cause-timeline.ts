import { useQuery } from '@tanstack/react-query';
import type { CauseTimeline } from '@yunwei/contracts/incident-timeline';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

export interface CauseTimelineParams {
  ciIds: readonly string[];
  /** The incident's start, epoch ms. */
  at: number;
  /** Ms before the start (server default 2 h). */
  before?: number;
  /** Ms after the start (server default 30 min). */
  after?: number;
  depth?: number;
}

/** `ciId` repeats, which the shared query builder does not do: the path carries the whole query. */
export function causeTimelinePath({ ciIds, at, before, after, depth }: CauseTimelineParams): string {
  const params = new URLSearchParams();
  ciIds.forEach((id) => params.append('ciId', id));
  params.set('at', String(at));
  for (const [key, value] of Object.entries({ before, after, depth })) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  return `/api/incidents/timeline?${params.toString()}`;
}

export function useCauseTimeline(params: CauseTimelineParams) {
  const path = causeTimelinePath(params);
  return useQuery({
    queryKey: ['incidents', 'cause-timeline', path, currentLanguage()],
    queryFn: ({ signal }) => api.get<CauseTimeline>(path, undefined, signal),
    enabled: params.ciIds.length > 0,
  });
}
