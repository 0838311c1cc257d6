import { useMutation, useQuery } from '@tanstack/react-query';
import type { LoginBody, MfaEnrolment, MfaEnrolStart, PasswordChange, SessionState } from '@yunwei/contracts/identity';
import { api } from '../../../app/api-client';
import { useAuth } from '../../../app/auth-context';

/** POST /api/auth/login; errors are shown inline on the form, not as a toast. */
export function useLogin() {
  const { setSession } = useAuth();
  return useMutation({
    mutationFn: (body: LoginBody) => api.post<SessionState>('/api/auth/login', body),
    onSuccess: setSession,
    meta: { silent: true },
  });
}

export function useVerifyMfa() {
  const { setSession } = useAuth();
  return useMutation({
    mutationFn: (code: string) => api.post<SessionState>('/api/auth/mfa', { code }),
    onSuccess: setSession,
    meta: { silent: true },
  });
}

export function useChangePassword() {
  const { setSession } = useAuth();
  return useMutation({
    mutationFn: (body: PasswordChange) => api.post<SessionState>('/api/auth/password', body),
    onSuccess: setSession,
  });
}

/** Starts a first enrolment (new secret) once per mount of the enrolment panel; off when `enabled` is false. */
export function useMfaEnrolment(userId: string, enabled = true) {
  return useQuery({
    queryKey: ['auth', 'mfa-enrolment', userId],
    queryFn: () => api.post<MfaEnrolment>('/api/auth/mfa/enrol'),
    staleTime: Infinity,
    gcTime: 0,
    retry: false,
    enabled,
  });
}

/** Replacing an enrolled authenticator: the server wants the password and a current code first. */
export function useStartMfaReEnrolment() {
  return useMutation({
    mutationFn: (proof: Required<MfaEnrolStart>) => api.post<MfaEnrolment>('/api/auth/mfa/enrol', proof),
    meta: { silent: true },
  });
}

export function useConfirmMfa() {
  const { setSession } = useAuth();
  return useMutation({
    mutationFn: (code: string) => api.post<SessionState>('/api/auth/mfa/confirm', { code }),
    onSuccess: setSession,
  });
}
