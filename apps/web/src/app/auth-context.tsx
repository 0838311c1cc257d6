import { createContext, useCallback, useContext, useEffect, useMemo, type ReactNode } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import type { SessionProbe, SessionState } from '@yunwei/contracts/identity';
import { api, onSessionEvent, setCsrfToken } from './api-client';
import { showWarning } from '../shared/feedback';

export const SESSION_KEY = ['auth', 'session'] as const;

/** The probe answers 200 when nobody is signed in (a 401 would be logged as an error on the sign-in page). */
async function fetchSession(): Promise<SessionState | null> {
  const probe = await api.get<SessionProbe>('/api/auth/probe');
  setCsrfToken(probe.session?.csrfToken ?? null);
  return probe.session ?? null;
}

export interface AuthContextValue {
  /** undefined while loading (or when the session could not be read). */
  session: SessionState | null | undefined;
  status: 'loading' | 'error' | 'ready';
  /** Whether the signed-in user holds the permission. */
  can: (permission: string) => boolean;
  /** Store a SessionState answered by login / MFA / password change. */
  setSession: (session: SessionState | null) => void;
  refresh: () => Promise<unknown>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthContextValue | null>(null);

export function AuthProvider({ children }: { children: ReactNode }) {
  const queryClient = useQueryClient();
  const { data: session, isPending, isError, refetch } = useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchSession,
    staleTime: Infinity,
    meta: { silent: true },
  });

  const setSession = useCallback(
    (session: SessionState | null) => {
      setCsrfToken(session?.csrfToken ?? null);
      if (!session || session.pending) {
        // Forget data fetched under another identity or before the session was complete.
        queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== 'auth' });
      }
      queryClient.setQueryData(SESSION_KEY, session);
    },
    [queryClient],
  );

  useEffect(() => {
    onSessionEvent((error) => {
      if (error.code === 'YW_AUTH_REQUIRED' || error.code === 'YW_AUTH_SESSION_EXPIRED') {
        const hadSession = Boolean(queryClient.getQueryData(SESSION_KEY));
        setSession(null);
        if (hadSession || error.code === 'YW_AUTH_SESSION_EXPIRED') {
          showWarning(error.message);
        }
      } else {
        // Password change or MFA enrolment required: re-read the session, the guards redirect.
        showWarning(error.message);
        void queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      }
    });
    return () => onSessionEvent(null);
  }, [queryClient, setSession]);

  const value = useMemo<AuthContextValue>(() => {
    const permissions = new Set(session?.permissions ?? []);
    return {
      session,
      status: isPending ? 'loading' : isError && session === undefined ? 'error' : 'ready',
      can: (permission) => permissions.has(permission),
      setSession,
      refresh: () => refetch(),
      logout: async () => {
        try {
          await api.post('/api/auth/logout');
        } finally {
          setSession(null);
        }
      },
    };
  }, [session, isPending, isError, refetch, setSession]);

  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>;
}

export function useAuth(): AuthContextValue {
  const context = useContext(AuthContext);
  if (!context) {
    throw new Error('useAuth must be used inside <AuthProvider>');
  }
  return context;
}
