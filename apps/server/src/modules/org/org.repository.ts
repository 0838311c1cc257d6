import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OrgUnitTable } from './org.tables.js';

export type OrgUnitRow = OrgUnitTable;
/** A unit as read: its user count and its leader's display name. */
export type OrgUnitRead = OrgUnitRow & { user_count: number; leader_name: string | null };

export class OrgRepository {
  constructor(private readonly db: Kysely<Database>) {}

  list(): Promise<OrgUnitRead[]> {
    return this.#withUserCount().orderBy('o.sort_order').orderBy('o.name').execute() as Promise<OrgUnitRead[]>;
  }

  find(id: string): Promise<OrgUnitRead | undefined> {
    return this.#withUserCount().where('o.id', '=', id).executeTakeFirst() as Promise<OrgUnitRead | undefined>;
  }

  #withUserCount() {
    return this.db
      .selectFrom('org_unit as o')
      .leftJoin('user as leader', 'leader.id', 'o.leader_id')
      .selectAll('o')
      .select((eb) => eb.fn.coalesce(eb.fn<string | null>('nullif', [eb.ref('leader.display_name'), eb.val('')]), eb.ref('leader.username')).as('leader_name'))
      .select((eb) => eb.selectFrom('user').select(eb.fn.countAll<number>().as('n')).whereRef('user.org_unit_id', '=', 'o.id').as('user_count'));
  }

  /** True when `userId` is an active user (a unit's leader must be one). */
  async isActiveUser(userId: string): Promise<boolean> {
    return (await this.db.selectFrom('user').select('id').where('id', '=', userId).where('status', '=', 'active').executeTakeFirst()) !== undefined;
  }

  /** All (id, parent) pairs: the tree is small enough to walk in memory. */
  edges(): Promise<{ id: string; parent_id: string | null }[]> {
    return this.db.selectFrom('org_unit').select(['id', 'parent_id']).execute();
  }

  siblingNamed(parentId: string | null, name: string, exceptId?: string): Promise<{ id: string } | undefined> {
    let q = this.db.selectFrom('org_unit').select('id').where('name', '=', name);
    q = parentId === null ? q.where('parent_id', 'is', null) : q.where('parent_id', '=', parentId);
    if (exceptId) {
      q = q.where('id', '!=', exceptId);
    }
    return q.executeTakeFirst();
  }

  async insert(db: Kysely<Database>, row: OrgUnitRow): Promise<void> {
    await db.insertInto('org_unit').values(row).execute();
  }

  async update(db: Kysely<Database>, id: string, patch: Partial<OrgUnitRow>): Promise<void> {
    await db.updateTable('org_unit').set(patch).where('id', '=', id).execute();
  }

  async delete(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('org_unit').where('id', '=', id).execute();
  }

  async hasChildrenOrUsers(id: string): Promise<boolean> {
    const child = await this.db.selectFrom('org_unit').select('id').where('parent_id', '=', id).executeTakeFirst();
    const user = await this.db.selectFrom('user').select('id').where('org_unit_id', '=', id).executeTakeFirst();
    return Boolean(child ?? user);
  }
}

/** Each unit with every unit below it (itself included). */
export function descendantsOf(edges: { id: string; parent_id: string | null }[], roots: Iterable<string>): Set<string> {
  const children = new Map<string, string[]>();
  for (const e of edges) {
    if (e.parent_id) {
      children.set(e.parent_id, [...(children.get(e.parent_id) ?? []), e.id]);
    }
  }
  const out = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const id = stack.pop()!;
    if (!out.has(id)) {
      out.add(id);
      stack.push(...(children.get(id) ?? []));
    }
  }
  return out;
}
