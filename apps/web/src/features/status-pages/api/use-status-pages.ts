import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { NoticeCreate, NoticeUpdate, PublicStatusPage, StatusNotice, StatusPage, StatusPageCreate, StatusPageList, StatusPageUpdate } from '@yunwei/contracts/status-pages';
import { api } from '../../../app/api-client';

const KEY = ['status-pages'] as const;

export function useStatusPages() {
  return useQuery({ queryKey: [...KEY, 'list'], queryFn: ({ signal }) => api.get<StatusPageList>('/api/status-pages', undefined, signal) });
}

export function useStatusPage(id: string | null) {
  return useQuery({ queryKey: [...KEY, 'page', id], queryFn: ({ signal }) => api.get<StatusPage>(`/api/status-pages/${id}`, undefined, signal), enabled: id !== null });
}

/** What the public page shows, published or not (administrators only). */
export function useStatusPagePreview(id: string | null) {
  return useQuery({ queryKey: [...KEY, 'preview', id], queryFn: ({ signal }) => api.get<PublicStatusPage>(`/api/status-pages/${id}/preview`, undefined, signal), enabled: id !== null, refetchInterval: 30_000 });
}

/**
 * A published page, for anyone (no sign-in), re-read every 30 s. A 404 is the page's own "not found"
 * screen, not an error toast; unknown and unpublished pages look the same.
 */
export function usePublicStatus(slug: string) {
  return useQuery({
    queryKey: ['public-status', slug],
    queryFn: ({ signal }) => api.get<PublicStatusPage>(`/api/public/status/${encodeURIComponent(slug)}`, undefined, signal),
    refetchInterval: 30_000,
    refetchOnWindowFocus: true,
    meta: { silent: true },
  });
}

function useInvalidating<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => queryClient.invalidateQueries({ queryKey: KEY }) });
}

export const useCreateStatusPage = () => useInvalidating((body: StatusPageCreate) => api.post<StatusPage>('/api/status-pages', body));
export const useUpdateStatusPage = () => useInvalidating(({ id, body }: { id: string; body: StatusPageUpdate }) => api.patch<StatusPage>(`/api/status-pages/${id}`, body));
export const useDeleteStatusPage = () => useInvalidating((id: string) => api.delete<{ ok: true }>(`/api/status-pages/${id}`));
export const useCreateNotice = () => useInvalidating(({ pageId, body }: { pageId: string; body: NoticeCreate }) => api.post<StatusNotice>(`/api/status-pages/${pageId}/notices`, body));
export const useUpdateNotice = () =>
  useInvalidating(({ pageId, id, body }: { pageId: string; id: string; body: NoticeUpdate }) => api.patch<StatusNotice>(`/api/status-pages/${pageId}/notices/${id}`, body));
export const useDeleteNotice = () => useInvalidating(({ pageId, id }: { pageId: string; id: string }) => api.delete<{ ok: true }>(`/api/status-pages/${pageId}/notices/${id}`));
