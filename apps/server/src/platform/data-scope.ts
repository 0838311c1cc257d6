import type { PermissionId } from '@yunwei/contracts/access';
import { type Actor, inScope } from './actor.js';
import { AppError } from './errors.js';

/**
 * The data scope of one row for a request. Outside every unit the reader reaches with `readPermission`
 * the row does not exist for them (`notFound`, a 404: ids of other units reveal nothing); readable but
 * outside the scope of `permission` (a write, a run) it is a 403 naming the permission.
 * Shared by checks, inspections and agents (the CMDB answers 403 for reads too).
 */
export function requireReach(actor: Actor, unitId: string | null, permission: PermissionId, readPermission: PermissionId, notFound: () => AppError): void {
  if (inScope(actor, permission, unitId)) {
    return;
  }
  if (permission !== readPermission && inScope(actor, readPermission, unitId)) {
    throw new AppError('YW_OUT_OF_SCOPE', { permission });
  }
  throw notFound();
}

/**
 * The org units `permission` reaches for a list: null when it reaches every unit (the system actor, an
 * unrestricted grant), else the units (empty when the permission is not held). Lists filter by it.
 */
export function unitsReached(actor: Actor, permission: PermissionId): ReadonlySet<string> | null {
  if (actor.kind === 'system') {
    return null;
  }
  const scope = actor.scopes.get(permission);
  return scope === 'all' ? null : (scope ?? new Set());
}
