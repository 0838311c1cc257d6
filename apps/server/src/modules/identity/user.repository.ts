import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { containsText } from '../../db/dialect.js';
import type { UserTable } from './identity.tables.js';

export type UserRow = UserTable;

export interface UserListQuery {
  offset: number;
  limit: number;
  q?: string;
  orgUnitId?: string;
  status?: 'active' | 'disabled';
  sort: 'username' | 'displayName' | 'createdAt' | 'lastLoginAt';
  order: 'asc' | 'desc';
  /** null = no restriction; otherwise only users in these units. */
  orgUnits: ReadonlySet<string> | null;
}

const SORT_COLUMNS = { username: 'username', displayName: 'display_name', createdAt: 'created_at', lastLoginAt: 'last_login_at' } as const;

export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(query: UserListQuery): Promise<{ rows: UserRow[]; total: number }> {
    let base = this.db.selectFrom('user');
    if (query.q) {
      base = base.where((eb) => eb.or([containsText(this.db, 'username', query.q!), containsText(this.db, 'display_name', query.q!), containsText(this.db, 'email', query.q!)]));
    }
    if (query.orgUnitId) {
      base = base.where('org_unit_id', '=', query.orgUnitId);
    }
    if (query.status) {
      base = base.where('status', '=', query.status);
    }
    if (query.orgUnits) {
      const units = [...query.orgUnits];
      if (!units.length) {
        return { rows: [], total: 0 };
      }
      base = base.where('org_unit_id', 'in', units);
    }
    const { total } = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy(SORT_COLUMNS[query.sort], query.order)
      .orderBy('id')
      .offset(query.offset)
      .limit(query.limit)
      .execute();
    return { rows, total: Number(total) };
  }

  find(id: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findByUsername(username: string): Promise<UserRow | undefined> {
    return this.db.selectFrom('user').selectAll().where('username', '=', username).executeTakeFirst();
  }

  async insert(db: Kysely<Database>, row: UserRow): Promise<void> {
    await db.insertInto('user').values(row).execute();
  }

  async update(db: Kysely<Database>, id: string, patch: Partial<UserRow>): Promise<void> {
    await db.updateTable('user').set(patch).where('id', '=', id).execute();
  }

  async recentPasswordHashes(userId: string, count: number): Promise<string[]> {
    if (count <= 0) {
      return [];
    }
    const rows = await this.db.selectFrom('password_history').select('password_hash').where('user_id', '=', userId).orderBy('created_at', 'desc').limit(count).execute();
    return rows.map((r) => r.password_hash);
  }

  async addPasswordHistory(db: Kysely<Database>, userId: string, hash: string, keep: number): Promise<void> {
    const now = Date.now();
    await db.insertInto('password_history').values({ user_id: userId, password_hash: hash, created_at: now }).execute();
    const old = await db.selectFrom('password_history').select('created_at').where('user_id', '=', userId).orderBy('created_at', 'desc').offset(Math.max(keep, 1)).limit(1).executeTakeFirst();
    if (old) {
      await db.deleteFrom('password_history').where('user_id', '=', userId).where('created_at', '<=', old.created_at).execute();
    }
  }
}
