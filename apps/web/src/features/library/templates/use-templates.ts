import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LibraryDocumentDetail } from '@yunwei/contracts/library';
import type { LibraryProviderList, LibraryTemplate, LibraryTemplateCreate, LibraryTemplateGenerate, LibraryTemplateList, LibraryTemplateUpdate } from '@yunwei/contracts/library-templates';
import { api } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

const KEY = ['library', 'templates'] as const;

/** The data providers and their fields, for the 插入数据 menu. */
export function useLibraryProviders() {
  return useQuery({ queryKey: ['library', 'providers', currentLanguage()], queryFn: ({ signal }) => api.get<LibraryProviderList>('/api/library/providers', undefined, signal), staleTime: 5 * 60_000 });
}

export function useLibraryTemplates(type: string | undefined) {
  return useQuery({ queryKey: [...KEY, 'list', type ?? '', currentLanguage()], queryFn: ({ signal }) => api.get<LibraryTemplateList>('/api/library/templates', type ? { type } : undefined, signal) });
}

export function useLibraryTemplate(id: string | undefined) {
  return useQuery({ queryKey: [...KEY, 'one', id ?? '', currentLanguage()], queryFn: ({ signal }) => api.get<LibraryTemplate>(`/api/library/templates/${id}`, undefined, signal), enabled: Boolean(id) });
}

export function useSaveTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id?: string; body: LibraryTemplateCreate | LibraryTemplateUpdate }) => (id ? api.patch<LibraryTemplate>(`/api/library/templates/${id}`, body) : api.post<LibraryTemplate>('/api/library/templates', body)),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteTemplate() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (id: string) => api.delete(`/api/library/templates/${id}`), onSuccess: () => qc.invalidateQueries({ queryKey: KEY }) });
}

/** Generates a document from a template; the lists of documents refresh. */
export function useGenerateFromTemplate() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: LibraryTemplateGenerate }) => api.post<LibraryDocumentDetail>(`/api/library/templates/${id}/generate`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: ['library', 'documents'] }),
  });
}
