import type { FastifyRequest } from 'fastify';
import type { PermissionId, RoleKind } from '@yunwei/contracts/access';
import type { SecurityPolicy } from '@yunwei/contracts/identity';
import { fromJson } from '../../db/dialect.js';
import type { Actor, OrgScope } from '../../platform/actor.js';
import { sha256Hex } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { Authenticator } from '../../platform/http/auth-guard.js';
import type { RequestAuth } from '../../platform/http/fastify-augment.js';
import type { ModuleContext } from '../../platform/module.js';
import { AccessService } from '../access/access.service.js';
import { passwordExpired } from './password-rules.js';
import { PolicyService } from './policy.service.js';
import { CredentialRepository, type SessionRow } from './session.repository.js';
import { UserRepository, type UserRow } from './user.repository.js';

export const SESSION_COOKIE = 'yw_session';
export const TOKEN_PREFIX = 'yw_';
// Avoid a write per request: last-seen and last-used times are refreshed at most this often.
const TOUCH_EVERY_MS = 30_000;

/** Resolves the session cookie or the `Authorization: Bearer` API token of a request. */
export class SessionAuthenticator implements Authenticator {
  private readonly creds: CredentialRepository;
  private readonly users: UserRepository;
  private readonly access: AccessService;
  private readonly policy: PolicyService;

  constructor(ctx: Pick<ModuleContext, 'db' | 'audit' | 'permissions'>) {
    this.creds = new CredentialRepository(ctx.db);
    this.users = new UserRepository(ctx.db);
    this.access = new AccessService(ctx);
    this.policy = new PolicyService(ctx);
  }

  async authenticate(request: FastifyRequest): Promise<RequestAuth | null> {
    const header = request.headers.authorization;
    if (header?.startsWith('Bearer ')) {
      return this.#fromToken(header.slice(7).trim(), request);
    }
    const cookie = request.cookies[SESSION_COOKIE];
    return cookie ? this.fromSessionSecret(cookie, request.ip, request.locale) : null;
  }

  async fromSessionSecret(secret: string, ip: string, locale: Actor['locale']): Promise<RequestAuth | null> {
    const session = await this.creds.findSession(sha256Hex(secret));
    if (!session || session.revoked_at !== null) {
      return null;
    }
    const now = Date.now();
    const policy = await this.policy.get();
    if (now > session.expires_at || now - session.last_seen_at > policy.sessionIdleMinutes * 60_000) {
      await this.creds.updateSession(session.id, { revoked_at: now });
      throw new AppError('YW_AUTH_SESSION_EXPIRED');
    }
    const user = await this.users.find(session.user_id);
    if (!user || user.status !== 'active') {
      await this.creds.updateSession(session.id, { revoked_at: now });
      return null;
    }
    if (now - session.last_seen_at > TOUCH_EVERY_MS) {
      await this.creds.updateSession(session.id, { last_seen_at: now });
    }
    if (session.state === 'mfa') {
      return { actor: this.#actor(user, ip, locale, emptyGrants(), session), via: 'session', pending: 'mfa', csrfToken: session.csrf_token };
    }
    const grants = await this.access.resolveGrants(user.id);
    return { actor: this.#actor(user, ip, locale, grants, session), via: 'session', pending: pendingStep(user, grants.roleKinds, policy), csrfToken: session.csrf_token };
  }

  async #fromToken(secret: string, request: FastifyRequest): Promise<RequestAuth> {
    const token = secret.startsWith(TOKEN_PREFIX) ? await this.creds.findTokenByHash(sha256Hex(secret)) : undefined;
    const now = Date.now();
    if (!token || token.revoked_at !== null || token.expires_at <= now) {
      throw new AppError('YW_AUTH_TOKEN_INVALID');
    }
    const user = await this.users.find(token.user_id);
    if (!user || user.status !== 'active' || (user.locked_until ?? 0) > now) {
      throw new AppError('YW_AUTH_TOKEN_INVALID');
    }
    if (token.last_used_at === null || now - token.last_used_at > TOUCH_EVERY_MS) {
      await this.creds.touchToken(token.id, now);
    }
    // A token can do at most what its scopes say and what its owner can still do today.
    const grants = await this.access.resolveGrants(user.id);
    const scopes = new Set(fromJson<string[]>(token.scopes));
    const permissions = new Set([...grants.permissions].filter((p) => scopes.has(p)));
    const scoped = new Map([...grants.scopes].filter(([p]) => permissions.has(p)));
    const actor = { ...this.#actor(user, request.ip, request.locale, { roleKinds: grants.roleKinds, permissions, scopes: scoped }), kind: 'token' as const, tokenId: token.id };
    return { actor, via: 'token', pending: null, csrfToken: null };
  }

  #actor(user: UserRow, ip: string, locale: Actor['locale'], grants: { roleKinds: Set<RoleKind>; permissions: Set<PermissionId>; scopes: Map<PermissionId, OrgScope> }, session?: SessionRow): Actor {
    return {
      kind: 'user',
      userId: user.id,
      username: user.username,
      ip,
      locale,
      roleKinds: grants.roleKinds,
      permissions: grants.permissions,
      scopes: grants.scopes,
      ...(session ? { sessionId: session.id } : {}),
    };
  }
}

function emptyGrants() {
  return { roleKinds: new Set<RoleKind>(), permissions: new Set<PermissionId>(), scopes: new Map<PermissionId, OrgScope>() };
}

/** What the user must do before anything else, in this order: change the password, then enrol MFA. */
export function pendingStep(user: UserRow, roleKinds: ReadonlySet<RoleKind>, policy: SecurityPolicy): RequestAuth['pending'] {
  if (user.must_change_password === 1 || passwordExpired(user.password_changed_at, policy)) {
    return 'password';
  }
  if (user.mfa_secret === null && policy.mfaRequiredRoles.some((k) => roleKinds.has(k as RoleKind))) {
    return 'mfa-enrol';
  }
  return null;
}
