import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { HostInventory } from '@yunwei/contracts/agents';
import type { CiDetail, CiRelations } from '@yunwei/contracts/cmdb';
import type { MonitoringOverview } from '@yunwei/contracts/dashboards';
import type { Aggregation, MatrixResult, UtilisationResult } from '@yunwei/contracts/monitoring';
import { api, ApiError } from '../../../app/api-client';
import type { TimeWindow } from '../time-range';

export function useOverview() {
  return useQuery({
    queryKey: ['monitoring', 'overview'],
    queryFn: ({ signal }) => api.get<MonitoringOverview>('/api/monitoring/overview', undefined, signal),
    refetchInterval: 30_000,
  });
}

/** One chart's data: points in epoch ms per series (keyed by its labels). */
export interface ChartSeries {
  key: string;
  labels: Record<string, string>;
  points: [number, number][];
}

/** A stable key of a label set (with __name__), equal for query_range and live messages. */
export function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.keys(labels).sort().map((k) => [k, labels[k]]));
}

export function matrixToSeries(result: MatrixResult): ChartSeries[] {
  return result.data.result.map((r) => ({
    key: labelsKey(r.metric),
    labels: r.metric,
    points: r.values.map(([ts, v]) => [Math.round(ts * 1000), Number(v)] as [number, number]),
  }));
}

export interface RangeOptions {
  agg?: Aggregation;
  step?: string;
}

/** GET /api/v1/query_range for a window (Prometheus units: seconds). */
export function useQueryRange(selector: string | null, window: TimeWindow, options: RangeOptions = {}, refetchMs?: number | false) {
  return useQuery({
    queryKey: ['monitoring', 'range', selector, window.key, window.start, window.end, options.agg, options.step],
    enabled: Boolean(selector),
    queryFn: async ({ signal }) => {
      const { start, end } = window.resolve();
      const result = await api.get<MatrixResult>('/api/v1/query_range', { query: selector!, start: start / 1000, end: end / 1000, agg: options.agg, step: options.step }, signal);
      return matrixToSeries(result);
    },
    placeholderData: keepPreviousData,
    refetchInterval: refetchMs,
    meta: { silent: true },
  });
}

export function useUtilisation(params: { query: string; start: number; end: number; threshold?: number; by?: string; k?: number; rank?: 'p95' | 'avg' | 'max' } | null) {
  return useQuery({
    queryKey: ['monitoring', 'utilisation', params],
    enabled: params !== null,
    queryFn: ({ signal }) => api.get<UtilisationResult>('/api/monitoring/utilisation', { ...params! }, signal),
    placeholderData: keepPreviousData,
    meta: { silent: true },
  });
}

/** null when the resource is not there (404) or the other module is not installed: pages show an empty state. */
async function optional<T>(fetcher: () => Promise<T>): Promise<T | null> {
  try {
    return await fetcher();
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.code === 'YW_ROUTE_NOT_FOUND')) {
      return null;
    }
    throw error;
  }
}

export function useHostCi(ciId: string) {
  return useQuery({ queryKey: ['cmdb', 'ci', ciId], queryFn: ({ signal }) => api.get<CiDetail>(`/api/cmdb/cis/${ciId}`, undefined, signal) });
}

export function useHostRelations(ciId: string) {
  return useQuery({ queryKey: ['cmdb', 'relations', ciId], queryFn: ({ signal }) => api.get<CiRelations>(`/api/cmdb/cis/${ciId}/relations`, undefined, signal) });
}

export function useInventory(ciId: string) {
  return useQuery({
    queryKey: ['agents', 'inventory', ciId],
    queryFn: ({ signal }) => optional(() => api.get<HostInventory>(`/api/agents/inventory/${ciId}`, undefined, signal)),
    meta: { silent: true },
  });
}

/** A check as GET /api/checks lists it (the checks module's contract). */
export interface CheckItem {
  id: string;
  name: string;
  type: string;
  ciId: string | null;
  intervalSeconds: number;
  enabled: boolean;
  status: 'up' | 'down' | 'unknown';
  lastCheckedAt: number | null;
  latencyMs: number | null;
  message: string | null;
}

export function useChecksOf(ciId: string) {
  return useQuery({
    queryKey: ['checks', 'of', ciId],
    queryFn: ({ signal }) => optional(() => api.get<{ items: CheckItem[] }>('/api/checks', { ciId }, signal)),
    refetchInterval: 30_000,
    meta: { silent: true },
  });
}

/** The newest value of every series a selector matches (last 15 minutes), refreshed every 30 s. */
export function useLatest(selector: string) {
  return useQuery({
    queryKey: ['monitoring', 'latest', selector],
    queryFn: async ({ signal }) => {
      const end = Date.now();
      const result = await api.get<MatrixResult>('/api/v1/query_range', { query: selector, start: (end - 15 * 60_000) / 1000, end: end / 1000, step: '60s', agg: 'max' }, signal);
      return matrixToSeries(result).map((s) => ({ labels: s.labels, value: s.points.at(-1)?.[1] ?? null, ts: s.points.at(-1)?.[0] ?? null }));
    },
    refetchInterval: 30_000,
    meta: { silent: true },
  });
}
