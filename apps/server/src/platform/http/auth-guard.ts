import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { AppError } from '../errors.js';
import { can } from '../actor.js';
import type { AuditWriter } from '../audit/audit-writer.js';
import type { PermissionRegistry } from '../permission-registry.js';
import { safeEqual } from '../crypto.js';
import { sendError } from './error-handler.js';
import type { RequestAuth } from './fastify-augment.js';
import { localeFrom } from './locale.js';

/** Resolves a request's credentials (session cookie or API token); null when there are none. */
export interface Authenticator {
  authenticate(request: FastifyRequest): Promise<RequestAuth | null>;
}

export interface GuardedRoute {
  method: string;
  url: string;
  /** The permission it needs; 'public' or 'authenticated' when it needs none; `credential:<name>` when it checks its own. */
  access: string;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const PENDING_ERRORS = {
  mfa: 'YW_AUTH_MFA_REQUIRED',
  password: 'YW_AUTH_PASSWORD_CHANGE_REQUIRED',
  'mfa-enrol': 'YW_AUTH_MFA_ENROLMENT_REQUIRED',
} as const;

/** True for paths the guard protects: the API, the metrics endpoint and the agent's downloads (public, but declared). */
export function isGuardedPath(url: string): boolean {
  return url.startsWith('/api/') || url === '/api' || url === '/metrics' || url.startsWith('/agent/');
}

/**
 * Every API route declares `config.permission` or `config.public`; a route with neither (or with a
 * permission no module registered) stops the app from starting. Returns the list of guarded routes
 * (the authorization-matrix test walks it).
 */
export function enforceRouteDeclarations(app: FastifyInstance, registry: PermissionRegistry, publicPrefixes: readonly string[]): GuardedRoute[] {
  const routes: GuardedRoute[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    if (!isGuardedPath(route.url) || publicPrefixes.some((p) => route.url.startsWith(p))) {
      return;
    }
    const config = (route.config ?? {}) as { permission?: string; public?: boolean; authenticated?: boolean; credential?: string };
    const methods = ([] as string[]).concat(route.method);
    if (!config.public && !config.permission && !config.authenticated && !config.credential) {
      throw new Error(`route ${methods.join(',')} ${route.url} declares neither a permission nor public/authenticated: true`);
    }
    if (config.permission && !registry.has(config.permission)) {
      throw new Error(`route ${methods.join(',')} ${route.url} uses unregistered permission ${config.permission}`);
    }
    for (const method of methods) {
      if (method !== 'HEAD') {
        const access = config.credential ? `credential:${config.credential}` : config.public ? 'public' : (config.permission ?? 'authenticated');
        routes.push({ method, url: route.url, access });
      }
    }
  });
  return routes;
}

/** Authentication, pending-step, CSRF and permission checks, before the body is even read. */
export function installAuthGuard(app: FastifyInstance, authenticator: Authenticator, audit: AuditWriter, publicPrefixes: readonly string[]): void {
  app.decorateRequest('auth', null);
  app.decorateRequest('locale', 'zh-CN');

  app.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
    request.locale = localeFrom(request.headers['accept-language']);
    const url = request.routeOptions.url ?? request.url;
    if (!isGuardedPath(url) || publicPrefixes.some((p) => url.startsWith(p))) {
      return;
    }
    const config = request.routeOptions.config;
    if (config.credential) {
      return; // the route checks its own credential (see FastifyContextConfig.credential)
    }
    let auth: RequestAuth | null;
    try {
      auth = await authenticator.authenticate(request);
    } catch (error) {
      if (config.public && error instanceof AppError) {
        auth = null;
      } else {
        throw error;
      }
    }
    request.auth = auth;
    if (config.public) {
      return;
    }
    if (!auth) {
      return sendError(reply, 'YW_AUTH_REQUIRED');
    }
    if (auth.pending && !config.allowPending) {
      return sendError(reply, PENDING_ERRORS[auth.pending]);
    }
    if (auth.via === 'session' && !SAFE_METHODS.has(request.method)) {
      const header = request.headers['x-csrf-token'];
      if (typeof header !== 'string' || !auth.csrfToken || !safeEqual(header, auth.csrfToken)) {
        return sendError(reply, 'YW_AUTH_CSRF');
      }
    }
    // `authenticated` routes act on the person's own credentials (password, MFA): no token scope can
    // grant them, so they take a signed-in session only.
    const sessionRequired = Boolean(config.authenticated) && auth.via !== 'session';
    if (sessionRequired || (config.permission && !can(auth.actor, config.permission))) {
      const details = sessionRequired ? { sessionRequired: true } : { permission: config.permission };
      await audit.recordNow({
        actor: auth.actor,
        action: 'access.permission.deny',
        targetType: 'route',
        targetId: `${request.method} ${url}`,
        outcome: 'failure',
        after: details,
      });
      return sendError(reply, 'YW_FORBIDDEN', details);
    }
  });
}
