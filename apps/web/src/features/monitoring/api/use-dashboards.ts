import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Dashboard, DashboardCreate, DashboardList, DashboardUpdate } from '@yunwei/contracts/dashboards';
import { api } from '../../../app/api-client';

const KEY = ['dashboards'] as const;

export function useDashboards() {
  return useQuery({ queryKey: [...KEY, 'list'], queryFn: ({ signal }) => api.get<DashboardList>('/api/dashboards', undefined, signal) });
}

export function useDashboard(id: string) {
  return useQuery({ queryKey: [...KEY, id], queryFn: ({ signal }) => api.get<Dashboard>(`/api/dashboards/${id}`, undefined, signal) });
}

export function useCreateDashboard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DashboardCreate) => api.post<Dashboard>('/api/dashboards', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useUpdateDashboard(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DashboardUpdate) => api.patch<Dashboard>(`/api/dashboards/${id}`, body),
    onSuccess: (d) => {
      qc.setQueryData([...KEY, id], d);
      return qc.invalidateQueries({ queryKey: [...KEY, 'list'] });
    },
  });
}

export function useDeleteDashboard() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ ok: true }>(`/api/dashboards/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}
