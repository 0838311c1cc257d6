import type { Locale } from '@yunwei/contracts/i18n';
import type { PermissionId, RoleKind } from '@yunwei/contracts/access';
import { AppError } from './errors.js';

/** Organisation units a permission reaches: every unit, or these (descendants included). */
export type OrgScope = 'all' | ReadonlySet<string>;

/**
 * Who is doing something, resolved once per request (or built for the CLI and jobs).
 * Services take an actor and ask it; they never look at the HTTP request.
 */
export interface Actor {
  kind: 'user' | 'token' | 'system';
  userId: string | null;
  username: string;
  ip: string;
  locale: Locale;
  roleKinds: ReadonlySet<RoleKind>;
  permissions: ReadonlySet<PermissionId>;
  /** Per permission, the org units it reaches. A permission absent here is not held. */
  scopes: ReadonlyMap<PermissionId, OrgScope>;
  sessionId?: string;
  tokenId?: string;
}

/** The system actor (CLI on the server machine, jobs) is trusted; people and tokens hold permissions. */
export function can(actor: Actor, permission: PermissionId): boolean {
  return actor.kind === 'system' || actor.permissions.has(permission);
}

export function requirePermission(actor: Actor, permission: PermissionId): void {
  if (!can(actor, permission)) {
    throw new AppError('YW_FORBIDDEN', { permission });
  }
}

/** True when `orgUnitId` (null = no unit) lies inside the actor's scope for `permission`. */
export function inScope(actor: Actor, permission: PermissionId, orgUnitId: string | null): boolean {
  if (actor.kind === 'system') {
    return true;
  }
  const scope = actor.scopes.get(permission);
  if (!scope) {
    return false;
  }
  return scope === 'all' || (orgUnitId !== null && scope.has(orgUnitId));
}

export function requireScope(actor: Actor, permission: PermissionId, orgUnitId: string | null): void {
  if (!inScope(actor, permission, orgUnitId)) {
    throw new AppError('YW_OUT_OF_SCOPE', { permission });
  }
}

/** The actor of start-up tasks, jobs and CLI commands run on the server machine itself. */
export function systemActor(name = 'system'): Actor {
  return {
    kind: 'system',
    userId: null,
    username: name,
    ip: '127.0.0.1',
    locale: 'zh-CN',
    roleKinds: new Set(),
    permissions: new Set(),
    scopes: new Map(),
  };
}
