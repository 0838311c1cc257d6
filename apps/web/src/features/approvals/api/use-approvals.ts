import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  ApprovalAddSigner,
  ApprovalApprove,
  ApprovalBox,
  ApprovalCount,
  ApprovalFlow,
  ApprovalFlowCreate,
  ApprovalFlowUpdate,
  ApprovalInbox,
  ApprovalPerson,
  ApprovalReject,
  ApprovalRequestDetail,
  ApprovalTransfer,
} from '@yunwei/contracts/approvals';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';

export const APPROVALS_KEY = ['approvals'] as const;
export const TASK_USE = 'approvals.task.use';
export const FLOW_MANAGE = 'approvals.flow.manage';

/** One page of 我的待办 / 我发起的 / 我已处理. */
export function useInbox(box: ApprovalBox, page: { offset: number; limit: number; q?: string }) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'inbox', box, page],
    queryFn: ({ signal }) => api.get<ApprovalInbox>('/api/approvals/inbox', { box, ...page }, signal),
    placeholderData: keepPreviousData,
  });
}

/** How many tasks wait for me: the header badge, re-read every 30 s and after every decision. */
export function useApprovalCount() {
  const { can } = useAuth();
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'count'],
    queryFn: ({ signal }) => api.get<ApprovalCount>('/api/approvals/count', undefined, signal),
    refetchInterval: 30_000,
    enabled: can(TASK_USE),
  });
}

export function useApprovalRequest(id: string) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'request', id],
    queryFn: ({ signal }) => api.get<ApprovalRequestDetail>(`/api/approvals/requests/${id}`, undefined, signal),
  });
}

/** Active people by name (the pickers of 转办 / 加签 and of flow approvers). */
export function usePeople(q: string) {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'people', q],
    queryFn: ({ signal }) => api.get<ApprovalPerson[]>('/api/approvals/people', { q: q || undefined, limit: 20 }, signal),
    placeholderData: keepPreviousData,
  });
}

/** After any change: the boxes, the badge and the request are read again. */
function useApprovalMutation<TVariables, TResult>(fn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSettled: () => queryClient.invalidateQueries({ queryKey: APPROVALS_KEY }),
  });
}

export type TaskAction =
  | { verb: 'approve'; taskId: string; body: ApprovalApprove }
  | { verb: 'reject'; taskId: string; body: ApprovalReject }
  | { verb: 'transfer'; taskId: string; body: ApprovalTransfer }
  | { verb: 'add-signer'; taskId: string; body: ApprovalAddSigner };

export const useTaskAction = () => useApprovalMutation(({ verb, taskId, body }: TaskAction) => api.post<ApprovalRequestDetail>(`/api/approvals/tasks/${taskId}/${verb}`, body));

export const useWithdraw = () => useApprovalMutation(({ id, comment }: { id: string; comment?: string }) => api.post<ApprovalRequestDetail>(`/api/approvals/requests/${id}/withdraw`, comment ? { comment } : {}));

export const useComment = () => useApprovalMutation(({ id, comment }: { id: string; comment: string }) => api.post<{ ok: true }>(`/api/approvals/requests/${id}/comment`, { comment }));

export function useFlows() {
  return useQuery({
    queryKey: [...APPROVALS_KEY, 'flows'],
    queryFn: ({ signal }) => api.get<ApprovalFlow[]>('/api/approvals/flows', undefined, signal),
  });
}

export const useCreateFlow = () => useApprovalMutation((body: ApprovalFlowCreate) => api.post<ApprovalFlow>('/api/approvals/flows', body));
export const useUpdateFlow = () => useApprovalMutation(({ id, body }: { id: string; body: ApprovalFlowUpdate }) => api.patch<ApprovalFlow>(`/api/approvals/flows/${id}`, body));
export const useDeleteFlow = () => useApprovalMutation((id: string) => api.delete<{ ok: true }>(`/api/approvals/flows/${id}`));
