import type { Kysely } from 'kysely';
import { BUSINESS_SYSTEM_CLASS } from '@yunwei/contracts/cmdb';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { CmdbCiTable, CmdbClassTable, CmdbGroupTable, CmdbRelationTable } from './cmdb.tables.js';

export type ClassRow = CmdbClassTable;
export type GroupRow = CmdbGroupTable;
export type RelationRow = CmdbRelationTable;
export type CiRow = CmdbCiTable & {
  class_code: string;
  class_name_zh: string;
  class_name_en: string;
  owner_name: string | null;
  owner_username: string | null;
  org_unit_name: string | null;
};
export type RelationViewRow = RelationRow & { source_name: string; target_ci_name: string | null; target_group_name: string | null; source_org_unit_id: string | null; target_org_unit_id: string | null };

export interface CiFilter {
  q?: string;
  classId?: string;
  subtype?: string;
  status?: string;
  orgUnitId?: string;
  ownerId?: string;
  /** null = no restriction; otherwise only CIs in these units. */
  orgUnits: ReadonlySet<string> | null;
  /** null = no restriction; otherwise only these CIs. */
  ids: readonly string[] | null;
}

const SORT_COLUMNS = { name: 'c.name', status: 'c.status', ip: 'c.ip', createdAt: 'c.created_at', updatedAt: 'c.updated_at' } as const;
export type CiSort = keyof typeof SORT_COLUMNS;

/** Chunks for `in (…)` lists: well under SQLite's and PostgreSQL's parameter limits. */
function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    out.push(items.slice(i, i + size));
  }
  return out;
}

function filtered(db: Kysely<Database>, f: CiFilter) {
  let base = db.selectFrom('cmdb_ci as c');
  if (f.q) {
    const q = f.q;
    base = base.where((eb) => eb.or([containsText(db, 'c.name', q), containsText(db, 'c.ip', q), containsText(db, 'c.hostname', q), containsText(db, 'c.description', q)]));
  }
  if (f.classId) {
    base = base.where('c.class_id', '=', f.classId);
  }
  if (f.subtype) {
    base = base.where('c.subtype', '=', f.subtype);
  }
  if (f.status) {
    base = base.where('c.status', '=', f.status as CmdbCiTable['status']);
  }
  if (f.orgUnitId) {
    base = base.where('c.org_unit_id', '=', f.orgUnitId);
  }
  if (f.ownerId) {
    base = base.where('c.owner_id', '=', f.ownerId);
  }
  if (f.orgUnits) {
    base = base.where('c.org_unit_id', 'in', f.orgUnits.size ? [...f.orgUnits] : ['']);
  }
  if (f.ids) {
    base = base.where('c.id', 'in', f.ids.length ? [...f.ids] : ['']);
  }
  return base;
}

function joined(base: ReturnType<typeof filtered>) {
  return base
    .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
    .leftJoin('user as u', 'u.id', 'c.owner_id')
    .leftJoin('org_unit as o', 'o.id', 'c.org_unit_id')
    .selectAll('c')
    .select(['k.code as class_code', 'k.name_zh as class_name_zh', 'k.name_en as class_name_en', 'u.display_name as owner_name', 'u.username as owner_username', 'o.name as org_unit_name']);
}

const NO_FILTER: CiFilter = { orgUnits: null, ids: null };

/** Queries of the CMDB. Methods that write take the executor (the transaction). */
export class CmdbRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ---------------------------------------------------------------- classes

  async listClasses(): Promise<(ClassRow & { ci_count: number })[]> {
    const rows = await this.db
      .selectFrom('cmdb_class as k')
      .selectAll('k')
      .select((eb) => eb.selectFrom('cmdb_ci').select(eb.fn.countAll<number>().as('n')).whereRef('cmdb_ci.class_id', '=', 'k.id').as('ci_count'))
      .orderBy('k.builtin', 'desc')
      .orderBy('k.created_at')
      .orderBy('k.code')
      .execute();
    return rows.map((r) => ({ ...r, ci_count: Number(r.ci_count ?? 0) }));
  }

  findClass(id: string): Promise<ClassRow | undefined> {
    return this.db.selectFrom('cmdb_class').selectAll().where('id', '=', id).executeTakeFirst();
  }

  findClassByCode(code: string): Promise<ClassRow | undefined> {
    return this.db.selectFrom('cmdb_class').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async ciCountOfClass(id: string): Promise<number> {
    const { n } = await this.db.selectFrom('cmdb_ci').select((eb) => eb.fn.countAll<number>().as('n')).where('class_id', '=', id).executeTakeFirstOrThrow();
    return Number(n);
  }

  async insertClass(db: Kysely<Database>, row: ClassRow): Promise<void> {
    await db.insertInto('cmdb_class').values(row).execute();
  }

  async updateClass(db: Kysely<Database>, id: string, patch: Partial<ClassRow>): Promise<void> {
    await db.updateTable('cmdb_class').set(patch).where('id', '=', id).execute();
  }

  async deleteClass(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('cmdb_class').where('id', '=', id).execute();
  }

  // ---------------------------------------------------------------- CIs

  async listCis(f: CiFilter, page: { offset: number; limit: number; sort: CiSort; order: 'asc' | 'desc' }): Promise<{ rows: CiRow[]; total: number }> {
    const base = filtered(this.db, f);
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await joined(base).orderBy(SORT_COLUMNS[page.sort], page.order).orderBy('c.id').offset(page.offset).limit(page.limit).execute();
    return { rows: rows as CiRow[], total: Number(n) };
  }

  /** Every matching CI, a page at a time (exports). */
  async *scanCis(f: CiFilter, sort: CiSort = 'name', order: 'asc' | 'desc' = 'asc', pageSize = 500): AsyncGenerator<CiRow[]> {
    for (let offset = 0; ; offset += pageSize) {
      const rows = (await joined(filtered(this.db, f)).orderBy(SORT_COLUMNS[sort], order).orderBy('c.id').offset(offset).limit(pageSize).execute()) as CiRow[];
      if (rows.length) {
        yield rows;
      }
      if (rows.length < pageSize) {
        return;
      }
    }
  }

  async findCi(id: string): Promise<CiRow | undefined> {
    return (await joined(filtered(this.db, NO_FILTER)).where('c.id', '=', id).executeTakeFirst()) as CiRow | undefined;
  }

  async findCis(ids: readonly string[]): Promise<CiRow[]> {
    const out: CiRow[] = [];
    for (const part of chunks([...new Set(ids)])) {
      out.push(...((await joined(filtered(this.db, NO_FILTER)).where('c.id', 'in', part).execute()) as CiRow[]));
    }
    return out;
  }

  ciNamed(classId: string, name: string, exceptId?: string): Promise<{ id: string } | undefined> {
    let q = this.db.selectFrom('cmdb_ci').select('id').where('class_id', '=', classId).where('name', '=', name);
    if (exceptId) {
      q = q.where('id', '!=', exceptId);
    }
    return q.executeTakeFirst();
  }

  async insertCi(db: Kysely<Database>, row: CmdbCiTable): Promise<void> {
    await db.insertInto('cmdb_ci').values(row).execute();
  }

  async updateCi(db: Kysely<Database>, id: string, patch: Partial<CmdbCiTable>): Promise<void> {
    await db.updateTable('cmdb_ci').set(patch).where('id', '=', id).execute();
  }

  /** Deletes a CI with its relations (both ways) and group memberships; returns what went with it. */
  async deleteCi(db: Kysely<Database>, id: string): Promise<{ relations: number; memberships: number }> {
    const relations = await db.deleteFrom('cmdb_relation').where((eb) => eb.or([eb('source_id', '=', id), eb('target_ci_id', '=', id)])).executeTakeFirst();
    const memberships = await db.deleteFrom('cmdb_group_member').where('ci_id', '=', id).executeTakeFirst();
    await db.deleteFrom('cmdb_ci').where('id', '=', id).execute();
    return { relations: Number(relations.numDeletedRows), memberships: Number(memberships.numDeletedRows) };
  }

  async businessSystemIds(): Promise<Set<string>> {
    const rows = await this.db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select('c.id').where('k.code', '=', BUSINESS_SYSTEM_CLASS).execute();
    return new Set(rows.map((r) => r.id));
  }

  // ---------------------------------------------------------------- relations

  #relationViews(db: Kysely<Database> = this.db) {
    return db
      .selectFrom('cmdb_relation as r')
      .innerJoin('cmdb_ci as s', 's.id', 'r.source_id')
      .leftJoin('cmdb_ci as t', 't.id', 'r.target_ci_id')
      .leftJoin('cmdb_group as g', 'g.id', 'r.target_group_id')
      .selectAll('r')
      .select(['s.name as source_name', 't.name as target_ci_name', 'g.name as target_group_name', 's.org_unit_id as source_org_unit_id', 't.org_unit_id as target_org_unit_id']);
  }

  async relationsOf(ciId: string): Promise<{ outgoing: RelationViewRow[]; incoming: RelationViewRow[] }> {
    const outgoing = await this.#relationViews().where('r.source_id', '=', ciId).orderBy('r.type').orderBy('r.created_at').execute();
    const incoming = await this.#relationViews().where('r.target_ci_id', '=', ciId).orderBy('r.type').orderBy('r.created_at').execute();
    return { outgoing, incoming };
  }

  findRelation(id: string): Promise<RelationViewRow | undefined> {
    return this.#relationViews().where('r.id', '=', id).executeTakeFirst();
  }

  findDuplicateRelation(sourceId: string, target: { ci: string } | { group: string }, type: string): Promise<{ id: string } | undefined> {
    let q = this.db.selectFrom('cmdb_relation').select('id').where('source_id', '=', sourceId).where('type', '=', type as RelationRow['type']);
    q = 'ci' in target ? q.where('target_ci_id', '=', target.ci) : q.where('target_group_id', '=', target.group);
    return q.executeTakeFirst();
  }

  async insertRelation(db: Kysely<Database>, row: RelationRow): Promise<void> {
    await db.insertInto('cmdb_relation').values(row).execute();
  }

  async updateRelation(db: Kysely<Database>, id: string, patch: Partial<RelationRow>): Promise<void> {
    await db.updateTable('cmdb_relation').set(patch).where('id', '=', id).execute();
  }

  async deleteRelation(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('cmdb_relation').where('id', '=', id).execute();
  }

  /** Every relation, as graph edges (the graph is walked in memory). */
  allRelations(): Promise<Pick<RelationRow, 'id' | 'source_id' | 'target_ci_id' | 'target_group_id' | 'type' | 'propagates'>[]> {
    return this.db.selectFrom('cmdb_relation').select(['id', 'source_id', 'target_ci_id', 'target_group_id', 'type', 'propagates']).orderBy('id').execute();
  }

  // ---------------------------------------------------------------- redundancy groups

  async listGroups(page: { offset: number; limit: number; q?: string }): Promise<{ rows: GroupRow[]; total: number }> {
    let base = this.db.selectFrom('cmdb_group');
    if (page.q) {
      const q = page.q;
      base = base.where((eb) => eb.or([containsText(this.db, 'name', q), containsText(this.db, 'description', q)]));
    }
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base.selectAll().orderBy('name').orderBy('id').offset(page.offset).limit(page.limit).execute();
    return { rows, total: Number(n) };
  }

  allGroups(): Promise<GroupRow[]> {
    return this.db.selectFrom('cmdb_group').selectAll().execute();
  }

  findGroup(id: string): Promise<GroupRow | undefined> {
    return this.db.selectFrom('cmdb_group').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async findGroups(ids: readonly string[]): Promise<GroupRow[]> {
    const out: GroupRow[] = [];
    for (const part of chunks([...new Set(ids)])) {
      out.push(...(await this.db.selectFrom('cmdb_group').selectAll().where('id', 'in', part).execute()));
    }
    return out;
  }

  groupNamed(name: string, exceptId?: string): Promise<{ id: string } | undefined> {
    let q = this.db.selectFrom('cmdb_group').select('id').where('name', '=', name);
    if (exceptId) {
      q = q.where('id', '!=', exceptId);
    }
    return q.executeTakeFirst();
  }

  /** Members of the given groups (all groups when `groupIds` is null). */
  async members(groupIds: readonly string[] | null): Promise<{ group_id: string; ci_id: string; name: string; status: string; class_code: string; org_unit_id: string | null }[]> {
    const q = this.db
      .selectFrom('cmdb_group_member as m')
      .innerJoin('cmdb_ci as c', 'c.id', 'm.ci_id')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['m.group_id', 'm.ci_id', 'c.name', 'c.status', 'k.code as class_code', 'c.org_unit_id'])
      .orderBy('c.name')
      .orderBy('c.id');
    if (groupIds === null) {
      return q.execute();
    }
    const out = [];
    for (const part of chunks([...new Set(groupIds)])) {
      out.push(...(await q.where('m.group_id', 'in', part).execute()));
    }
    return out;
  }

  groupsOfCi(ciId: string): Promise<{ id: string; name: string }[]> {
    return this.db.selectFrom('cmdb_group_member as m').innerJoin('cmdb_group as g', 'g.id', 'm.group_id').select(['g.id', 'g.name']).where('m.ci_id', '=', ciId).orderBy('g.name').execute();
  }

  async insertGroup(db: Kysely<Database>, row: GroupRow): Promise<void> {
    await db.insertInto('cmdb_group').values(row).execute();
  }

  async updateGroup(db: Kysely<Database>, id: string, patch: Partial<GroupRow>): Promise<void> {
    await db.updateTable('cmdb_group').set(patch).where('id', '=', id).execute();
  }

  async replaceMembers(db: Kysely<Database>, groupId: string, ciIds: readonly string[]): Promise<void> {
    await db.deleteFrom('cmdb_group_member').where('group_id', '=', groupId).execute();
    for (const part of chunks(ciIds)) {
      await db.insertInto('cmdb_group_member').values(part.map((ci_id) => ({ group_id: groupId, ci_id }))).execute();
    }
  }

  /** Deletes a group, its memberships and the relations that target it; returns how many relations went. */
  async deleteGroup(db: Kysely<Database>, id: string): Promise<number> {
    const relations = await db.deleteFrom('cmdb_relation').where('target_group_id', '=', id).executeTakeFirst();
    await db.deleteFrom('cmdb_group_member').where('group_id', '=', id).execute();
    await db.deleteFrom('cmdb_group').where('id', '=', id).execute();
    return Number(relations.numDeletedRows);
  }

  // ---------------------------------------------------------------- people and units (other modules' tables, read only)

  findUser(id: string): Promise<{ id: string; username: string; display_name: string } | undefined> {
    return this.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', '=', id).executeTakeFirst();
  }

  findUserByName(name: string): Promise<{ id: string; username: string; display_name: string }[]> {
    return this.db
      .selectFrom('user')
      .select(['id', 'username', 'display_name'])
      .where((eb) => eb.or([eb('username', '=', name), eb('display_name', '=', name)]))
      .limit(3)
      .execute();
  }

  findOrgUnit(id: string): Promise<{ id: string; name: string } | undefined> {
    return this.db.selectFrom('org_unit').select(['id', 'name']).where('id', '=', id).executeTakeFirst();
  }

  allOrgUnits(): Promise<{ id: string; name: string; code: string }[]> {
    return this.db.selectFrom('org_unit').select(['id', 'name', 'code']).execute();
  }
}
