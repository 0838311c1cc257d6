import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { containsText } from '../../db/dialect.js';
import type { RoleKind } from '@yunwei/contracts/access';
import type { RoleTable } from './access.tables.js';

export type RoleRow = RoleTable;

export interface GrantRow {
  role_id: string;
  kind: string;
  permission: string | null;
  org_scope: string | null;
}

export class AccessRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async listRoles(query: { offset: number; limit: number; q?: string }): Promise<{ rows: (RoleRow & { user_count: number })[]; total: number }> {
    let base = this.db.selectFrom('role');
    if (query.q) {
      base = base.where((eb) => eb.or([containsText(this.db, 'name', query.q!), containsText(this.db, 'description', query.q!)]));
    }
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll('role')
      .select((eb) => eb.selectFrom('user_role').select(eb.fn.countAll<number>().as('n')).whereRef('user_role.role_id', '=', 'role.id').as('user_count'))
      .orderBy('builtin', 'desc')
      .orderBy('created_at')
      .offset(query.offset)
      .limit(query.limit)
      .execute();
    return { rows: rows as (RoleRow & { user_count: number })[], total: Number(total) };
  }

  findRole(id: string): Promise<RoleRow | undefined> {
    return this.db.selectFrom('role').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findRoles(ids: string[]): Promise<RoleRow[]> {
    return ids.length ? this.db.selectFrom('role').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]);
  }

  findRoleByKind(kind: RoleKind): Promise<RoleRow | undefined> {
    return this.db.selectFrom('role').selectAll().where('kind', '=', kind).where('builtin', '=', 1).executeTakeFirst();
  }

  findRoleByName(name: string): Promise<RoleRow | undefined> {
    return this.db.selectFrom('role').selectAll().where('name', '=', name).executeTakeFirst();
  }

  async permissionsOf(roleIds: string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(roleIds.map((id) => [id, []]));
    if (roleIds.length) {
      const rows = await this.db.selectFrom('role_permission').selectAll().where('role_id', 'in', roleIds).orderBy('permission').execute();
      for (const r of rows) {
        out.get(r.role_id)?.push(r.permission);
      }
    }
    return out;
  }

  async userCount(roleId: string): Promise<number> {
    const { n } = await this.db.selectFrom('user_role').select((eb) => eb.fn.countAll<number>().as('n')).where('role_id', '=', roleId).executeTakeFirstOrThrow();
    return Number(n);
  }

  async insertRole(db: Kysely<Database>, row: RoleRow, permissions: string[]): Promise<void> {
    await db.insertInto('role').values(row).execute();
    await this.setPermissions(db, row.id, permissions);
  }

  async updateRole(db: Kysely<Database>, id: string, patch: Partial<RoleRow>): Promise<void> {
    await db.updateTable('role').set(patch).where('id', '=', id).execute();
  }

  async setPermissions(db: Kysely<Database>, roleId: string, permissions: string[]): Promise<void> {
    await db.deleteFrom('role_permission').where('role_id', '=', roleId).execute();
    if (permissions.length) {
      await db.insertInto('role_permission').values(permissions.map((permission) => ({ role_id: roleId, permission }))).execute();
    }
  }

  async deleteRole(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('role').where('id', '=', id).execute();
  }

  /** Every (role, permission, scope) a user holds, one row per permission. */
  grantsOf(userId: string): Promise<GrantRow[]> {
    return this.db
      .selectFrom('user_role as ur')
      .innerJoin('role as r', 'r.id', 'ur.role_id')
      .leftJoin('role_permission as rp', 'rp.role_id', 'ur.role_id')
      .select(['ur.role_id', 'r.kind', 'rp.permission', 'ur.org_scope'])
      .where('ur.user_id', '=', userId)
      .execute();
  }

  assignmentsOf(userIds: string[]) {
    if (!userIds.length) {
      return Promise.resolve([]);
    }
    return this.db
      .selectFrom('user_role as ur')
      .innerJoin('role as r', 'r.id', 'ur.role_id')
      .select(['ur.user_id', 'ur.role_id', 'ur.org_scope', 'r.name', 'r.kind'])
      .where('ur.user_id', 'in', userIds)
      .orderBy('r.name')
      .execute();
  }

  async replaceAssignments(db: Kysely<Database>, userId: string, rows: { role_id: string; org_scope: string | null }[]): Promise<void> {
    await db.deleteFrom('user_role').where('user_id', '=', userId).execute();
    if (rows.length) {
      await db.insertInto('user_role').values(rows.map((r) => ({ user_id: userId, ...r }))).execute();
    }
  }
}
