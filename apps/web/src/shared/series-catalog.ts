import { useEffect, useState } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { CiNames, LatestList } from '@yunwei/contracts/monitoring';
import { api } from '../app/api-client';

/**
 * What the metrics store holds, for completion and previews: metric names, label names and values
 * (the Prometheus-compatible routes, `monitoring.metric.read`, filtered by the reader's data scope on
 * the server), CI names of `ci` values, and the series a selector matches (`/api/monitoring/latest`).
 * All silent: a reader without the permission simply gets no suggestions.
 */
interface StringList {
  data: string[];
}

/** Values fetched per list: completion filters them in the browser (a few thousand at most in practice). */
const LIST_LIMIT = 10_000;
const STALE_MS = 60_000;

export function useMetricNames(enabled = true) {
  return useQuery({
    queryKey: ['catalog', 'metrics'],
    enabled,
    queryFn: async ({ signal }) => (await api.get<StringList>('/api/v1/label/__name__/values', { limit: LIST_LIMIT }, signal)).data,
    staleTime: STALE_MS,
    meta: { silent: true },
  });
}

export function useLabelNames(metric: string | null, enabled = true) {
  return useQuery({
    queryKey: ['catalog', 'labels', metric],
    enabled,
    queryFn: async ({ signal }) => (await api.get<StringList>('/api/v1/labels', { 'match[]': metric ?? undefined, limit: LIST_LIMIT }, signal)).data.filter((l) => l !== '__name__'),
    staleTime: STALE_MS,
    meta: { silent: true },
  });
}

export function useLabelValues(label: string | null, metric: string | null) {
  return useQuery({
    queryKey: ['catalog', 'values', label, metric],
    enabled: label !== null,
    queryFn: async ({ signal }) => (await api.get<StringList>(`/api/v1/label/${encodeURIComponent(label!)}/values`, { 'match[]': metric ?? undefined, limit: LIST_LIMIT }, signal)).data,
    staleTime: STALE_MS,
    meta: { silent: true },
  });
}

/** Names of CIs (ids of `ci` label values), as far as the reader may see their series. */
export function useCiNames(ids: readonly string[]) {
  const key = [...new Set(ids)].sort().slice(0, 100);
  return useQuery({
    queryKey: ['catalog', 'ci-names', key],
    enabled: key.length > 0,
    queryFn: async ({ signal }) => new Map((await api.get<CiNames>('/api/monitoring/ci-names', { ids: key.join(',') }, signal)).items.map((c) => [c.id, c.name])),
    staleTime: STALE_MS,
    meta: { silent: true },
  });
}

/** CIs whose name (or IP, host name) contains `text` (the CMDB search; empty without cmdb.ci.read). */
export function useCisNamed(text: string) {
  return useQuery({
    queryKey: ['catalog', 'cis-named', text],
    enabled: text.length > 0,
    queryFn: async ({ signal }) => (await api.get<{ items: { id: string; name: string }[] }>('/api/cmdb/cis', { q: text, limit: 50 }, signal)).items,
    staleTime: STALE_MS,
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}

export function useDebounced<T>(value: T, ms: number): T {
  const [current, setCurrent] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setCurrent(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return current;
}

/** How many series a selector matches and the first few, with their CI names and newest values. */
export function useSeriesPreview(selector: string, limit = 5) {
  const match = useDebounced(selector.trim(), 400);
  return useQuery({
    queryKey: ['catalog', 'preview', match, limit],
    enabled: match.length > 0,
    queryFn: ({ signal }) => api.get<LatestList>('/api/monitoring/latest', { match, limit }, signal),
    placeholderData: keepPreviousData,
    retry: false,
    meta: { silent: true },
  });
}
