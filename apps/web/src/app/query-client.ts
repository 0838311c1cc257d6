import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { ApiError, SESSION_REDIRECT_CODES } from './api-client';
import i18n from './i18n';
import { showError } from '../shared/feedback';

declare module '@tanstack/react-query' {
  interface Register {
    queryMeta: { silent?: boolean };
    mutationMeta: { silent?: boolean };
  }
}

/** Errors already shown: a mutation's failure reaches the cache's handler and then its caller's catch. */
const reported = new WeakSet<object>();

/**
 * Every failed request shows the server's (localized) message, except session redirects; once per
 * error object, so a caller may report what it catches without a second toast.
 */
export function reportError(error: unknown): void {
  if (error instanceof DOMException && error.name === 'AbortError') {
    return;
  }
  if (typeof error === 'object' && error !== null) {
    if (reported.has(error)) {
      return;
    }
    reported.add(error);
  }
  if (error instanceof ApiError) {
    if (SESSION_REDIRECT_CODES.has(error.code)) {
      return;
    }
    const permission = error.details?.permission;
    if (error.code === 'YW_FORBIDDEN' && typeof permission === 'string') {
      showError(i18n.t('error.forbiddenWithPermission', { message: error.message, permission }));
      return;
    }
    showError(error.message);
    return;
  }
  showError(error instanceof Error ? error.message : String(error));
}

function shouldRetry(failureCount: number, error: unknown): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) {
    return false;
  }
  return failureCount < 2;
}

export function createQueryClient(): QueryClient {
  const client = new QueryClient({
    queryCache: new QueryCache({
      onError: (error, query) => {
        if (!query.meta?.silent) {
          reportError(error);
        }
      },
    }),
    mutationCache: new MutationCache({
      onError: (error, _variables, _context, mutation) => {
        if (!mutation.meta?.silent) {
          reportError(error);
        }
      },
    }),
    defaultOptions: {
      queries: { retry: shouldRetry, refetchOnWindowFocus: false, staleTime: 15_000 },
      mutations: { retry: false },
    },
  });
  // Texts the server words (reasons, details, delivery errors) come in the language of the request:
  // after a switch, what is on screen is fetched again in the new one.
  i18n.on('languageChanged', () => void client.invalidateQueries());
  return client;
}
