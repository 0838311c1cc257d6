import type { Locale } from '@yunwei/contracts/i18n';
import type { PermissionId } from '@yunwei/contracts/access';
import type { Actor } from '../actor.js';

/** How a request proved who it is. */
export interface RequestAuth {
  actor: Actor;
  via: 'session' | 'token';
  /** Something the user must do before using the product (see SessionState.pending). */
  pending: 'mfa' | 'password' | 'mfa-enrol' | null;
  csrfToken: string | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission a caller needs. Every API route has this or `public: true`. */
    permission?: PermissionId;
    public?: boolean;
    /**
     * Not a person's route: the guard lets the request through without looking for a session or an
     * API token, and the route checks this credential itself (an `onRequest` hook), e.g. `'agent'`
     * for host agents. Such routes are listed with access `credential:<name>`.
     */
    credential?: string;
    /** Any signed-in user (own password, own MFA): no particular permission. */
    authenticated?: boolean;
    /** Reachable while the session still has something pending (password change, MFA). */
    allowPending?: boolean;
  }
  interface FastifyRequest {
    auth: RequestAuth | null;
    locale: Locale;
  }
}
