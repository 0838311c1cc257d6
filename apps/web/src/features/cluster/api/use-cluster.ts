import { useQuery } from '@tanstack/react-query';
import type { ClusterState } from '@yunwei/contracts/cluster';
import { api } from '../../../app/api-client';

/** The nodes on this database and the work each holds; re-read every 5 s so heartbeats and hand-overs show. */
export function useCluster() {
  return useQuery({
    queryKey: ['cluster'],
    queryFn: ({ signal }) => api.get<ClusterState>('/api/cluster', undefined, signal),
    refetchInterval: 5_000,
  });
}
