import { uuidv7 } from 'uuidv7';
import {
  ACCESS_PERMISSIONS,
  ROLE_KIND_DUTIES,
  ROLE_KIND_NAMES,
  ROLE_KINDS,
  type AssignmentView,
  type BuiltinRoleKind,
  type PermissionGroup,
  type PermissionId,
  type Role,
  type RoleAssignment,
  type RoleCreate,
  type RoleKind,
  type RoleUpdate,
} from '@yunwei/contracts/access';
import type { PageOf } from '@yunwei/contracts/common';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import { type Actor, type OrgScope, requirePermission } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { OrgService } from '../org/org.service.js';
import { OrgRepository } from '../org/org.repository.js';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { PolicyService } from '../identity/policy.service.js';
import { AccessRepository, type RoleRow } from './access.repository.js';
import { describeConflict, findConflict, findPermissionConflict, lockGrants, userList, usersInConflict } from './separation-of-duties.js';

export interface Grants {
  roleKinds: Set<RoleKind>;
  permissions: Set<PermissionId>;
  scopes: Map<PermissionId, OrgScope>;
}

/** Roles, permissions, assignments with data scopes, and separation of duties. */
export class AccessService {
  private readonly repo: AccessRepository;
  private readonly org: OrgService;
  private readonly policy: PolicyService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'permissions'>) {
    this.repo = new AccessRepository(ctx.db);
    this.org = new OrgService(ctx);
    this.policy = new PolicyService(ctx);
  }

  catalogue(): PermissionGroup[] {
    return this.ctx.permissions.catalogue();
  }

  async listRoles(query: { offset?: number; limit?: number; q?: string }): Promise<PageOf<Role>> {
    const { rows, total } = await this.repo.listRoles({ offset: query.offset ?? 0, limit: query.limit ?? 50, q: query.q });
    const perms = await this.repo.permissionsOf(rows.map((r) => r.id));
    return { items: rows.map((r) => this.#view(r, perms.get(r.id) ?? [], Number(r.user_count))), total };
  }

  async getRole(id: string): Promise<Role> {
    const row = await this.repo.findRole(id);
    if (!row) {
      throw new AppError('YW_ROLE_NOT_FOUND', { id });
    }
    const perms = await this.repo.permissionsOf([id]);
    return this.#view(row, perms.get(id) ?? [], await this.repo.userCount(id));
  }

  async createRole(actor: Actor, input: RoleCreate): Promise<Role> {
    const permissions = await this.#checkPermissions(input.permissions);
    await this.#refuseConflictingRole(permissions);
    const now = Date.now();
    const row: RoleRow = { id: uuidv7(), name: input.name.trim(), description: input.description ?? '', kind: 'custom', builtin: 0, created_at: now, updated_at: now };
    await this.#uniqueName(() =>
      this.ctx.db.transaction().execute(async (trx) => {
        await this.repo.insertRole(trx, row, permissions);
        await this.ctx.audit.record(trx, { actor, action: 'access.role.create', targetType: 'role', targetId: row.id, after: { name: row.name, description: row.description, permissions } });
      }),
    );
    return this.getRole(row.id);
  }

  async updateRole(actor: Actor, id: string, input: RoleUpdate): Promise<Role> {
    const before = await this.getRole(id);
    if (before.builtin) {
      throw new AppError('YW_ROLE_BUILTIN', { id });
    }
    const permissions = input.permissions ? await this.#checkPermissions(input.permissions) : before.permissions;
    await this.#refuseConflictingRole(permissions);
    const patch = { name: input.name?.trim() ?? before.name, description: input.description ?? before.description, updated_at: Date.now() };
    try {
      await this.#uniqueName(() =>
        this.ctx.db.transaction().execute(async (trx) => {
          await this.repo.updateRole(trx, id, patch);
          await this.repo.setPermissions(trx, id, permissions);
          await this.ctx.audit.record(trx, {
            actor,
            action: 'access.role.update',
            targetType: 'role',
            targetId: id,
            before: { name: before.name, description: before.description, permissions: before.permissions },
            after: { name: patch.name, description: patch.description, permissions },
          });
          // The new permissions reach every holder at once: none may end up auditor and administrator.
          await this.#refuseHoldersInConflict(trx, id);
        }),
      );
    } catch (error) {
      // A separation-of-duties refusal is a security event: record it after the rollback.
      if (error instanceof AppError && error.code === 'YW_SOD_CONFLICT') {
        await this.ctx.audit.recordNow({ actor, action: 'access.role.update', targetType: 'role', targetId: id, outcome: 'failure', after: { name: patch.name, permissions, refused: error.details } });
      }
      throw error;
    }
    return this.getRole(id);
  }

  async deleteRole(actor: Actor, id: string): Promise<void> {
    const before = await this.getRole(id);
    if (before.builtin) {
      throw new AppError('YW_ROLE_BUILTIN', { id });
    }
    if (before.userCount > 0) {
      throw new AppError('YW_ROLE_IN_USE', { id, userCount: before.userCount });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.deleteRole(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'access.role.delete', targetType: 'role', targetId: id, before: { name: before.name, permissions: before.permissions } });
    });
  }

  async assignmentsOf(userIds: string[]): Promise<Map<string, AssignmentView[]>> {
    const out = new Map<string, AssignmentView[]>(userIds.map((id) => [id, []]));
    for (const r of await this.repo.assignmentsOf(userIds)) {
      out.get(r.user_id)?.push({ roleId: r.role_id, roleName: r.name, roleKind: r.kind, orgUnitIds: r.org_scope === null ? null : fromJson<string[]>(r.org_scope) });
    }
    return out;
  }

  /**
   * Replaces a user's roles inside the caller's transaction. Refuses unknown roles and units, and
   * (with separation of duties on) any set of roles whose permissions together make the user
   * auditor and administrator (see separation-of-duties.ts) — naming both roles or both permissions.
   * Every read goes through `trx`: SQLite has one connection, which the transaction holds.
   */
  async setAssignments(trx: Kysely<Database>, actor: Actor, userId: string, assignments: RoleAssignment[], userLabel: string): Promise<AssignmentView[]> {
    requirePermission(actor, ACCESS_PERMISSIONS.assignmentWrite);
    const repo = new AccessRepository(trx);
    const roleIds = assignments.map((a) => a.roleId);
    if (new Set(roleIds).size !== roleIds.length) {
      throw invalidField('body.assignments', { zh: '同一角色重复出现', en: 'a role is listed twice' });
    }
    const roles = await repo.findRoles(roleIds);
    const missing = roleIds.findIndex((id) => !roles.some((r) => r.id === id));
    if (missing >= 0) {
      throw new AppError('YW_ROLE_NOT_FOUND', { field: `body.assignments.${missing}.roleId`, id: roleIds[missing] });
    }
    const units = new OrgRepository(trx);
    for (const [i, a] of assignments.entries()) {
      for (const unitId of a.orgUnitIds ?? []) {
        if (!(await units.find(unitId))) {
          throw new AppError('YW_ORG_NOT_FOUND', { field: `body.assignments.${i}.orgUnitIds`, id: unitId });
        }
      }
    }
    const separation = await this.#separationInForce(trx);
    if (separation) {
      // Two built-in administrator roles: the familiar message naming both roles.
      const conflict = findConflict(roles.map((r) => r.kind));
      if (conflict) {
        const [a, b] = conflict.map((k) => ROLE_KIND_NAMES[k as BuiltinRoleKind]) as [LocalizedText, LocalizedText];
        throw new AppError('YW_SOD_CONFLICT', {
          field: 'body.assignments',
          roles: conflict,
          explanation: { zh: `“${a.zh}”与“${b.zh}”不能由同一人担任`, en: `${a.en} and ${b.en} cannot be held by the same person` },
        });
      }
      // Any other mix, custom roles included: judged on the permissions the roles carry together.
      this.#refuseConflictingSet([...(await repo.permissionsOf(roleIds)).values()].flat(), 'body.assignments');
    }
    const before = (await repo.assignmentsOf([userId])).map((r) => ({ roleId: r.role_id, roleName: r.name, roleKind: r.kind, orgUnitIds: r.org_scope === null ? null : fromJson<string[]>(r.org_scope) }));
    await repo.replaceAssignments(
      trx,
      userId,
      assignments.map((a) => ({ role_id: a.roleId, org_scope: a.orgUnitIds === null ? null : toJson(a.orgUnitIds) })),
    );
    const after = assignments.map((a) => {
      const role = roles.find((r) => r.id === a.roleId)!;
      return { roleId: a.roleId, roleName: role.name, roleKind: role.kind, orgUnitIds: a.orgUnitIds };
    });
    await this.ctx.audit.record(trx, { actor, action: 'access.assignment.set', targetType: 'user', targetId: userId, before: { user: userLabel, roles: before }, after: { user: userLabel, roles: after } });
    if (separation) {
      // Again after the write, under the lock: a role edited meanwhile may have changed what these roles carry.
      const [conflict] = await usersInConflict(trx, this.ctx.permissions, [userId]);
      if (conflict) {
        this.#refuseConflictingSet([conflict.audit, conflict.administrative], 'body.assignments');
      }
    }
    return after;
  }

  /** What a user may do: role kinds, permissions, and per permission the org units it reaches. */
  async resolveGrants(userId: string): Promise<Grants> {
    const rows = await this.repo.grantsOf(userId);
    const roleKinds = new Set<RoleKind>();
    const permissions = new Set<PermissionId>();
    const raw = new Map<PermissionId, 'all' | Set<string>>();
    for (const r of rows) {
      roleKinds.add(r.kind as RoleKind);
      if (!r.permission || !this.ctx.permissions.has(r.permission)) {
        continue;
      }
      const p = r.permission;
      permissions.add(p);
      const current = raw.get(p);
      if (r.org_scope === null) {
        raw.set(p, 'all');
      } else if (current !== 'all') {
        const units = current ?? new Set<string>();
        for (const id of fromJson<string[]>(r.org_scope)) {
          units.add(id);
        }
        raw.set(p, units);
      }
    }
    const scopes = new Map<PermissionId, OrgScope>();
    const limited = [...raw.values()].some((v) => v !== 'all');
    const expanded = new Map<string, Set<string>>();
    for (const [p, v] of raw) {
      if (v === 'all' || !limited) {
        scopes.set(p, 'all');
        continue;
      }
      const key = [...v].sort().join(',');
      if (!expanded.has(key)) {
        expanded.set(key, await this.org.expand(v));
      }
      scopes.set(p, expanded.get(key)!);
    }
    return { roleKinds, permissions, scopes };
  }

  /** Creates or refreshes the built-in role templates from the modules' permission grants. */
  async syncBuiltinRoles(): Promise<void> {
    for (const kind of ROLE_KINDS) {
      const permissions = this.ctx.permissions.grantedTo(kind);
      const existing = await this.repo.findRoleByKind(kind);
      await this.ctx.db.transaction().execute(async (trx) => {
        if (existing) {
          await this.repo.setPermissions(trx, existing.id, permissions);
          await this.repo.updateRole(trx, existing.id, { description: ROLE_KIND_DUTIES[kind].zh });
        } else {
          const now = Date.now();
          const name = ROLE_KIND_NAMES[kind].zh;
          await this.repo.insertRole(trx, { id: uuidv7(), name, description: ROLE_KIND_DUTIES[kind].zh, kind, builtin: 1, created_at: now, updated_at: now }, permissions);
        }
      });
    }
  }

  async builtinRoleId(kind: RoleKind): Promise<string> {
    const role = await this.repo.findRoleByKind(kind);
    if (!role) {
      throw new AppError('YW_ROLE_NOT_FOUND', { kind });
    }
    return role.id;
  }

  /** With separation of duties on, a role that alone would make its holder auditor and administrator is refused. */
  async #refuseConflictingRole(permissions: readonly string[]): Promise<void> {
    if ((await this.policy.get()).separationOfDuties) {
      this.#refuseConflictingSet(permissions, 'body.permissions');
    }
  }

  #refuseConflictingSet(permissions: readonly string[], field: string): void {
    const conflict = findPermissionConflict(this.ctx.permissions, permissions);
    if (conflict) {
      throw new AppError('YW_SOD_CONFLICT', { field, permissions: [conflict.audit, conflict.administrative], explanation: describeConflict(this.ctx.permissions, conflict) });
    }
  }

  /** Locks grants first (see lockGrants), then reads the policy as this transaction sees it. */
  async #separationInForce(trx: Kysely<Database>): Promise<boolean> {
    await lockGrants(trx);
    return (await this.policy.get(trx)).separationOfDuties;
  }

  async #refuseHoldersInConflict(trx: Kysely<Database>, roleId: string): Promise<void> {
    if (!(await this.#separationInForce(trx))) {
      return;
    }
    const holders = await trx.selectFrom('user_role').select('user_id').where('role_id', '=', roleId).execute();
    const users = await usersInConflict(trx, this.ctx.permissions, holders.map((h) => h.user_id));
    if (users.length) {
      const first = describeConflict(this.ctx.permissions, users[0]!);
      throw new AppError('YW_SOD_CONFLICT', {
        field: 'body.permissions',
        users: users.map((u) => ({ id: u.id, username: u.username, displayName: u.displayName, roles: u.roles })),
        explanation: { zh: `${userList(users)} 持有此角色，${first.zh}`, en: `${userList(users)} hold this role; ${first.en}` },
      });
    }
  }

  async #checkPermissions(ids: string[]): Promise<PermissionId[]> {
    const sod = (await this.policy.get()).separationOfDuties;
    for (const [i, id] of ids.entries()) {
      if (!this.ctx.permissions.has(id)) {
        throw new AppError('YW_PERMISSION_UNKNOWN', { field: `body.permissions.${i}`, permission: id });
      }
      if (sod && this.ctx.permissions.isReserved(id)) {
        throw new AppError('YW_SOD_RESERVED_PERMISSION', { field: `body.permissions.${i}`, permission: id });
      }
    }
    return [...ids].sort() as PermissionId[];
  }

  async #uniqueName(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_ROLE_NAME_TAKEN', { field: 'body.name' });
      }
      throw error;
    }
  }

  #view(row: RoleRow, permissions: string[], userCount: number): Role {
    return {
      id: row.id,
      name: row.name,
      description: row.description,
      kind: row.kind,
      builtin: row.builtin === 1,
      permissions,
      userCount,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    };
  }
}
