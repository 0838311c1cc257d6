import type { RoleKind } from '@yunwei/contracts/access';

/**
 * 三员分立 (等保 2.0 level 3): the audit administrator checks the other two, so nobody may be an
 * auditor and also a system or security administrator.
 */
export const INCOMPATIBLE_ROLES: readonly (readonly [RoleKind, RoleKind])[] = [
  ['system_admin', 'audit_admin'],
  ['security_admin', 'audit_admin'],
];

/** The first incompatible pair among `kinds`, if any. */
export function findConflict(kinds: Iterable<RoleKind>): readonly [RoleKind, RoleKind] | undefined {
  const held = new Set(kinds);
  return INCOMPATIBLE_ROLES.find(([a, b]) => held.has(a) && held.has(b));
}
