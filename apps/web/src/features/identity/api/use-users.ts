import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { PageOf } from '@yunwei/contracts/common';
import type { AssignmentView, RoleAssignment } from '@yunwei/contracts/access';
import type { User, UserCreate, UserQuery, UserUpdate } from '@yunwei/contracts/identity';
import { api } from '../../../app/api-client';

export const USERS_KEY = ['users'] as const;

export function useUsers(query: UserQuery) {
  return useQuery({
    queryKey: [...USERS_KEY, 'list', query],
    queryFn: ({ signal }) => api.get<PageOf<User>>('/api/users', { ...query }, signal),
    placeholderData: keepPreviousData,
  });
}

function useUserMutation<TVariables, TResult>(fn: (variables: TVariables) => Promise<TResult>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: USERS_KEY }),
  });
}

export const useCreateUser = () => useUserMutation((body: UserCreate) => api.post<User>('/api/users', body));

export const useUpdateUser = () =>
  useUserMutation(({ id, body }: { id: string; body: UserUpdate }) => api.patch<User>(`/api/users/${id}`, body));

export const useResetPassword = () =>
  useUserMutation(({ id, password, revokeTokens }: { id: string; password: string; revokeTokens: boolean }) =>
    api.post<{ ok: true }>(`/api/users/${id}/reset-password`, { password, revokeTokens }),
  );

/** An administrator's reset of a user's MFA (lost authenticator). */
export const useResetMfa = () => useUserMutation((id: string) => api.post<{ ok: true }>(`/api/users/${id}/reset-mfa`));

export const useUnlockUser = () => useUserMutation((id: string) => api.post<{ ok: true }>(`/api/users/${id}/unlock`));

export const useAssignRoles = () =>
  useUserMutation(({ id, assignments }: { id: string; assignments: RoleAssignment[] }) =>
    api.put<AssignmentView[]>(`/api/users/${id}/roles`, { assignments }),
  );
