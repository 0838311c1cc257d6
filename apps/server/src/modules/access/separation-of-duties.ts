import type { Kysely } from 'kysely';
import type { PermissionId, RoleKind } from '@yunwei/contracts/access';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { Database } from '../../db/schema.js';
import { lockChain } from '../../db/dialect.js';
import { AppError } from '../../platform/errors.js';
import type { PermissionRegistry } from '../../platform/permission-registry.js';

/**
 * 三员分立 (等保 2.0 level 3): the audit administrator checks the other two, so nobody may be an
 * auditor and also a system or security administrator.
 *
 * The rule is applied to a person's *effective* permissions (the union over all their roles, built-in
 * or custom), not to role names: while separation of duties is on, nobody holds an audit-duty
 * permission (`PermissionRegistry.dutyOf`) together with an administrative one
 * (`PermissionRegistry.isAdministrative`). Read access (what the viewer or auditor templates hold) is
 * compatible with the audit duty. The built-in roles satisfy the rule by construction: audit-duty
 * permissions are those granted to the audit administrator alone, and that template holds nothing
 * administrative. This pair list only gives the familiar message for two built-in roles.
 */
export const INCOMPATIBLE_ROLES: readonly (readonly [RoleKind, RoleKind])[] = [
  ['system_admin', 'audit_admin'],
  ['security_admin', 'audit_admin'],
];

/** Serialises the checks below with the writes they judge (PostgreSQL; SQLite has one connection). */
const ACCESS_GRANTS_LOCK_KEY = 7_202_613;

/**
 * Takes the grants lock for the rest of `trx` (re-entrant). A write that grants permissions takes it
 * before it reads whether separation of duties is on, and the policy switch takes it before it looks
 * for conflicts: whichever commits second sees the other's change.
 */
export function lockGrants(trx: Kysely<Database>): Promise<void> {
  return lockChain(trx, ACCESS_GRANTS_LOCK_KEY);
}

/** The first incompatible pair among `kinds`, if any. */
export function findConflict(kinds: Iterable<RoleKind>): readonly [RoleKind, RoleKind] | undefined {
  const held = new Set(kinds);
  return INCOMPATIBLE_ROLES.find(([a, b]) => held.has(a) && held.has(b));
}

export interface PermissionConflict {
  audit: PermissionId;
  administrative: PermissionId;
}

/** The first audit-duty permission and the first administrative one among `permissions`, if both are there. */
export function findPermissionConflict(registry: PermissionRegistry, permissions: Iterable<string>): PermissionConflict | undefined {
  const sorted = [...new Set(permissions)].sort();
  const audit = sorted.find((p) => registry.dutyOf(p) === 'audit');
  const administrative = sorted.find((p) => registry.isAdministrative(p));
  return audit && administrative ? { audit: audit as PermissionId, administrative: administrative as PermissionId } : undefined;
}

/** "“Read the audit trail” (audit.log.read) and “Manage users” (identity.user.write)". */
export function describeConflict(registry: PermissionRegistry, c: PermissionConflict): LocalizedText {
  const name = (id: string) => registry.get(id)?.name ?? { zh: id, en: id };
  const [a, b] = [name(c.audit), name(c.administrative)];
  return {
    zh: `审计权限“${a.zh}”（${c.audit}）与管理权限“${b.zh}”（${c.administrative}）不能由同一人持有`,
    en: `the audit permission “${a.en}” (${c.audit}) and the administrative permission “${b.en}” (${c.administrative}) cannot be held by the same person`,
  };
}

export interface UserInConflict extends PermissionConflict {
  id: string;
  username: string;
  displayName: string;
  /** Names of the user's roles that carry an audit-duty or an administrative permission. */
  roles: string[];
}

/** `username (display name), …` for messages naming people; with `withRoles`, the roles in conflict too. */
export function userList(users: readonly { username: string; displayName: string; roles?: readonly string[] }[], withRoles = false): string {
  return users
    .map((u) => {
      const who = u.displayName && u.displayName !== u.username ? `${u.username} (${u.displayName})` : u.username;
      return withRoles && u.roles?.length ? `${who} [${u.roles.join(' + ')}]` : who;
    })
    .join(', ');
}

/**
 * People whose effective permissions break the rule, reading through `trx` after the change was
 * written: concurrent role edits and assignments are serialised by a lock taken here, so two changes
 * that are harmless alone cannot together create a conflict. `userIds`: only these people (all when omitted).
 */
export async function usersInConflict(trx: Kysely<Database>, registry: PermissionRegistry, userIds?: readonly string[]): Promise<UserInConflict[]> {
  if (userIds && userIds.length === 0) {
    return [];
  }
  await lockGrants(trx);
  let query = trx
    .selectFrom('user_role as ur')
    .innerJoin('role_permission as rp', 'rp.role_id', 'ur.role_id')
    .innerJoin('role as r', 'r.id', 'ur.role_id')
    .innerJoin('user as u', 'u.id', 'ur.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'r.name as role_name', 'rp.permission']);
  if (userIds) {
    query = query.where('ur.user_id', 'in', [...userIds]);
  }
  const held = new Map<string, { username: string; displayName: string; permissions: Set<string>; conflicting: Set<string> }>();
  for (const r of await query.execute()) {
    const entry = held.get(r.id) ?? { username: r.username, displayName: r.display_name, permissions: new Set<string>(), conflicting: new Set<string>() };
    entry.permissions.add(r.permission);
    if (registry.dutyOf(r.permission) === 'audit' || registry.isAdministrative(r.permission)) {
      entry.conflicting.add(r.role_name);
    }
    held.set(r.id, entry);
  }
  const out: UserInConflict[] = [];
  for (const [id, u] of held) {
    const conflict = findPermissionConflict(registry, u.permissions);
    if (conflict) {
      out.push({ id, username: u.username, displayName: u.displayName, roles: [...u.conflicting].sort(), ...conflict });
    }
  }
  return out.sort((a, b) => a.username.localeCompare(b.username));
}

/** Custom roles holding a permission reserved to the security administrator (possible only while separation was off). */
export async function customRolesWithReserved(trx: Kysely<Database>, registry: PermissionRegistry): Promise<{ id: string; name: string; permissions: string[] }[]> {
  const rows = await trx.selectFrom('role as r').innerJoin('role_permission as rp', 'rp.role_id', 'r.id').select(['r.id', 'r.name', 'rp.permission']).where('r.builtin', '=', 0).execute();
  const out = new Map<string, { id: string; name: string; permissions: string[] }>();
  for (const r of rows.filter((x) => registry.isReserved(x.permission))) {
    const entry = out.get(r.id) ?? { id: r.id, name: r.name, permissions: [] };
    entry.permissions.push(r.permission);
    out.set(r.id, entry);
  }
  return [...out.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Called inside the security-policy update's transaction when separation of duties is being switched
 * back on: refuses (409, naming the people and roles) while anyone would be left in conflict.
 */
export async function assertSeparationCanBeEnabled(trx: Kysely<Database>, registry: PermissionRegistry): Promise<void> {
  const users = await usersInConflict(trx, registry);
  const roles = await customRolesWithReserved(trx, registry);
  if (users.length === 0 && roles.length === 0) {
    return;
  }
  const parts: LocalizedText[] = [];
  if (users.length) {
    parts.push({ zh: `以下用户同时持有审计权限与管理权限：${userList(users, true)}`, en: `these people hold audit and administrative permissions together: ${userList(users, true)}` });
  }
  if (roles.length) {
    const names = roles.map((r) => r.name).join(', ');
    parts.push({ zh: `以下自定义角色持有仅限安全管理员的权限：${names}`, en: `these custom roles hold permissions reserved to the security administrator: ${names}` });
  }
  throw new AppError('YW_SOD_ENABLE_CONFLICT', {
    field: 'body.separationOfDuties',
    users: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles, audit: u.audit, administrative: u.administrative })),
    roles,
    explanation: { zh: parts.map((p) => p.zh).join('；'), en: parts.map((p) => p.en).join('; ') },
  });
}
