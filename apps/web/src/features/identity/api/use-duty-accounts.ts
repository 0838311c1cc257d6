import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { DutyAccountsCreate, DutyAccountsCreated, DutyAccountsStatus } from '@yunwei/contracts/duty-accounts';
import { api } from '../../../app/api-client';
import { SESSION_KEY, useAuth } from '../../../app/auth-context';
import { DUTY_SETUP_PERMISSION } from '../first-sign-in';
import { USERS_KEY } from './use-users';

export const DUTY_ACCOUNTS_KEY = ['setup', 'duty-accounts'] as const;

/** Who holds the security and audit duties; only asked by those who may set them up. */
export function useDutyAccounts() {
  const { can } = useAuth();
  return useQuery({
    queryKey: DUTY_ACCOUNTS_KEY,
    queryFn: ({ signal }) => api.get<DutyAccountsStatus>('/api/setup/duty-accounts', undefined, signal),
    enabled: can(DUTY_SETUP_PERMISSION),
  });
}

/** Creates the accounts; the caller's own roles may change (the security duty is handed over): the session is re-read. */
export function useCreateDutyAccounts() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: DutyAccountsCreate) => api.post<DutyAccountsCreated>('/api/setup/duty-accounts', body),
    // Not awaited: the wizard shows the one-time passwords at once, whatever the refreshed status says.
    onSuccess: () => {
      for (const queryKey of [DUTY_ACCOUNTS_KEY, USERS_KEY, SESSION_KEY]) {
        void queryClient.invalidateQueries({ queryKey });
      }
    },
  });
}
