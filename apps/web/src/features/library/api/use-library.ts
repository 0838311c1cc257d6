import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { ApprovalFlow } from '@yunwei/contracts/approvals';
import { DOCX_TYPE, type DocumentFormat } from '@yunwei/contracts/documents';
import type {
  LibraryDiff,
  LibraryDocumentCreate,
  LibraryDocumentDetail,
  LibraryDocumentList,
  LibraryDocumentQuery,
  LibraryDocumentUpdate,
  LibraryImportResult,
  LibraryLink,
  LibraryLinkCreate,
  LibraryNewVersion,
  LibraryType,
  LibraryTypeCreate,
  LibraryTypeList,
  LibraryTypeUpdate,
  LibraryVersionDetail,
} from '@yunwei/contracts/library';
import { api, ApiError, downloadFile } from '../../../app/api-client';
import { currentLanguage } from '../../../app/i18n';

const KEY = ['library'] as const;
const TYPES = [...KEY, 'types'] as const;
const DOCUMENTS = [...KEY, 'documents'] as const;
const documentKey = (id: string) => [...DOCUMENTS, 'one', id] as const;

export function useLibraryTypes() {
  return useQuery({ queryKey: [...TYPES, currentLanguage()], queryFn: ({ signal }) => api.get<LibraryTypeList>('/api/library/types', undefined, signal), staleTime: 60_000 });
}

export function useSaveLibraryType() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ code, body }: { code?: string; body: LibraryTypeCreate | LibraryTypeUpdate }) =>
      code ? api.patch<LibraryType>(`/api/library/types/${code}`, body) : api.post<LibraryType>('/api/library/types', body),
    onSuccess: () => qc.invalidateQueries({ queryKey: KEY }),
  });
}

export function useDeleteLibraryType() {
  const qc = useQueryClient();
  return useMutation({ mutationFn: (code: string) => api.delete(`/api/library/types/${code}`), onSuccess: () => qc.invalidateQueries({ queryKey: TYPES }) });
}

/** The approval flows a type may name (flow managers only: the type page is for administrators). */
export function useApprovalFlows(enabled: boolean) {
  return useQuery({ queryKey: ['approvals', 'flows'], queryFn: ({ signal }) => api.get<ApprovalFlow[]>('/api/approvals/flows', undefined, signal), enabled });
}

export function useLibraryDocuments(query: LibraryDocumentQuery) {
  return useQuery({
    queryKey: [...DOCUMENTS, 'list', query, currentLanguage()],
    queryFn: ({ signal }) => api.get<LibraryDocumentList>('/api/library/documents', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

export function useLibraryDocument(id: string | undefined) {
  return useQuery({
    queryKey: [...documentKey(id ?? ''), currentLanguage()],
    queryFn: ({ signal }) => api.get<LibraryDocumentDetail>(`/api/library/documents/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useLibraryVersion(documentId: string, versionId: string | undefined) {
  return useQuery({
    queryKey: [...documentKey(documentId), 'version', versionId],
    queryFn: ({ signal }) => api.get<LibraryVersionDetail>(`/api/library/documents/${documentId}/versions/${versionId}`, undefined, signal),
    enabled: Boolean(versionId),
  });
}

export function useLibraryDiff(documentId: string, left: string | undefined, right: string | undefined) {
  return useQuery({
    queryKey: [...documentKey(documentId), 'diff', left, right],
    queryFn: ({ signal }) => api.get<LibraryDiff>(`/api/library/documents/${documentId}/diff`, { left, right }, signal),
    enabled: Boolean(left && right && left !== right),
  });
}

/** Every change to a document refreshes its page and the lists (status, version, review date). */
function useDocumentMutation<TVars, TResult>(fn: (vars: TVars) => Promise<TResult>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSuccess: () => qc.invalidateQueries({ queryKey: DOCUMENTS }) });
}

export const useCreateDocument = () => useDocumentMutation((body: LibraryDocumentCreate) => api.post<LibraryDocumentDetail>('/api/library/documents', body));
export const useUpdateDocument = (id: string) => useDocumentMutation((body: LibraryDocumentUpdate) => api.patch<LibraryDocumentDetail>(`/api/library/documents/${id}`, body));
export const useSubmitDocument = (id: string) => useDocumentMutation((comment: string | undefined) => api.post<LibraryDocumentDetail>(`/api/library/documents/${id}/submit`, comment ? { comment } : {}));
export const usePublishDocument = (id: string) => useDocumentMutation((comment: string | undefined) => api.post<LibraryDocumentDetail>(`/api/library/documents/${id}/publish`, comment ? { comment } : {}));
export const useRetireDocument = (id: string) => useDocumentMutation((reason: string | undefined) => api.post<LibraryDocumentDetail>(`/api/library/documents/${id}/retire`, reason ? { reason } : {}));
export const useNewVersion = (id: string) => useDocumentMutation((body: LibraryNewVersion) => api.post<LibraryDocumentDetail>(`/api/library/documents/${id}/versions`, body));
export const useAddLink = (id: string) => useDocumentMutation((body: LibraryLinkCreate) => api.post<LibraryLink>(`/api/library/documents/${id}/links`, body));
export const useRemoveLink = (id: string) => useDocumentMutation((linkId: string) => api.delete(`/api/library/documents/${id}/links/${linkId}`));
/** 撤回: the review is withdrawn through the approval engine; its outcome returns the version to draft. */
export const useWithdrawReview = () => useDocumentMutation((requestId: string) => api.post(`/api/approvals/requests/${requestId}/withdraw`, {}));

export function downloadVersion(documentId: string, versionId: string, format: DocumentFormat): Promise<void> {
  return downloadFile(`/api/library/documents/${documentId}/versions/${versionId}/download`, { format }, `document.${format}`);
}

/** Sends a .docx as the raw body (the server takes the file's bytes, not a multipart form) and returns its HTML. */
export async function importDocx(file: File, csrfToken: string | undefined): Promise<LibraryImportResult> {
  const response = await fetch('/api/library/import', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': DOCX_TYPE, Accept: 'application/json', 'Accept-Language': currentLanguage(), ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body: file,
  });
  const body = (await response.json().catch(() => undefined)) as { code?: string; message?: string } | LibraryImportResult | undefined;
  if (!response.ok) {
    const error = body as { code?: string; message?: string } | undefined;
    throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? String(response.status));
  }
  return body as LibraryImportResult;
}
