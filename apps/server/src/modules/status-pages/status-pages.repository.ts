import { sql, type Kysely } from 'kysely';
import { BUSINESS_SYSTEM_CLASS } from '@yunwei/contracts/cmdb';
import type { Database } from '../../db/schema.js';
import type { StatusPageComponentTable, StatusPageNoticeTable, StatusPageTable } from './status-pages.tables.js';
import { statusOf } from '../checks/check-view.js';

/** A page with its business system's name and current org unit (null name: the CI was deleted). */
export type PageRow = StatusPageTable & { business_name: string | null; unit_id: string | null };
export type PageListRow = PageRow & { component_count: number | string; active_notices: number | string };

export interface RefRow {
  id: string;
  name: string;
  /** The org unit it belongs to: a CI's own; a check's CI's, or its own without a CI. */
  unit_id: string | null;
}

const IN_CHUNK = 500;

/** Kysely queries of the status pages; writers take the executor (a transaction). */
export class StatusPagesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #pages(db: Kysely<Database>) {
    return db.selectFrom('status_page as p').leftJoin('cmdb_ci as b', 'b.id', 'p.business_ci_id').selectAll('p').select(['b.name as business_name', 'b.org_unit_id as unit_id']);
  }

  /**
   * Pages whose business system lies in `units` (null: every page). As in the CMDB, a business system of
   * the whole organisation (no unit) — or one deleted since — is listed to unrestricted readers only.
   */
  async list(units: ReadonlySet<string> | null, now: number): Promise<PageListRow[]> {
    let q = this.#pages(this.db)
      .select((eb) => [
        eb.selectFrom('status_page_component as c').whereRef('c.page_id', '=', 'p.id').select((e) => e.fn.countAll<number>().as('n')).as('component_count'),
        eb
          .selectFrom('status_page_notice as n')
          .whereRef('n.page_id', '=', 'p.id')
          .where('n.starts_at', '<=', now)
          .where((e) => e.or([e('n.ends_at', 'is', null), e('n.ends_at', '>', now)]))
          .select((e) => e.fn.countAll<number>().as('n'))
          .as('active_notices'),
      ])
      .orderBy('p.slug');
    if (units) {
      q = units.size ? q.where('b.org_unit_id', 'in', [...units]) : q.where(sql<boolean>`1 = 0`);
    }
    return (await q.execute()) as PageListRow[];
  }

  async find(id: string, db: Kysely<Database> = this.db): Promise<PageRow | undefined> {
    return this.#pages(db).where('p.id', '=', id).executeTakeFirst() as Promise<PageRow | undefined>;
  }

  async findPublished(slug: string): Promise<PageRow | undefined> {
    return this.#pages(this.db).where('p.slug', '=', slug).where('p.published', '=', 1).executeTakeFirst() as Promise<PageRow | undefined>;
  }

  async slugTaken(db: Kysely<Database>, slug: string, exceptId: string | null): Promise<boolean> {
    let q = db.selectFrom('status_page').select('id').where('slug', '=', slug);
    if (exceptId) {
      q = q.where('id', '!=', exceptId);
    }
    return (await q.executeTakeFirst()) !== undefined;
  }

  async components(pageId: string, db: Kysely<Database> = this.db): Promise<StatusPageComponentTable[]> {
    return db.selectFrom('status_page_component').selectAll().where('page_id', '=', pageId).orderBy('position').execute();
  }

  async notices(pageId: string, db: Kysely<Database> = this.db): Promise<StatusPageNoticeTable[]> {
    return db.selectFrom('status_page_notice').selectAll().where('page_id', '=', pageId).orderBy('starts_at', 'desc').orderBy('id', 'desc').execute();
  }

  async notice(pageId: string, id: string, db: Kysely<Database> = this.db): Promise<StatusPageNoticeTable | undefined> {
    return db.selectFrom('status_page_notice').selectAll().where('page_id', '=', pageId).where('id', '=', id).executeTakeFirst();
  }

  /** A business system CI (undefined: no such CI, or one of another class). */
  async businessSystem(id: string, db: Kysely<Database> = this.db): Promise<RefRow | undefined> {
    return db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['c.id', 'c.name', 'c.org_unit_id as unit_id'])
      .where('c.id', '=', id)
      .where('k.code', '=', BUSINESS_SYSTEM_CLASS)
      .executeTakeFirst();
  }

  async cis(ids: readonly string[], db: Kysely<Database> = this.db): Promise<(RefRow & { created_at: number })[]> {
    const out: (RefRow & { created_at: number })[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      out.push(...(await db.selectFrom('cmdb_ci').select(['id', 'name', 'org_unit_id as unit_id', 'created_at']).where('id', 'in', ids.slice(i, i + IN_CHUNK)).execute()));
    }
    return out.map((r) => ({ ...r, created_at: Number(r.created_at) }));
  }

  /** Checks with their org unit (the checks module's rule), their CI and their latest result. */
  async checks(ids: readonly string[], db: Kysely<Database> = this.db): Promise<(RefRow & { ci_id: string | null; enabled: number; up: number | null })[]> {
    const out: (RefRow & { ci_id: string | null; enabled: number; up: number | null })[] = [];
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await db
        .selectFrom('check_definition as d')
        .leftJoin('cmdb_ci as c', 'c.id', 'd.ci_id')
        .leftJoin('check_state as s', 's.check_id', 'd.id')
        .select(['d.id', 'd.name', 'd.ci_id', 'd.enabled', 'd.retries', 's.up', 's.fail_streak', sql<string | null>`case when d.ci_id is null then d.org_unit_id else c.org_unit_id end`.as('unit_id')])
        .where('d.id', 'in', ids.slice(i, i + IN_CHUNK))
        .execute();
      // A check failing within its retries is not down yet (it has not alerted either): it reads as up.
      out.push(...rows.map(({ retries, fail_streak, ...r }) => ({ ...r, up: r.up === null ? null : statusOf(Number(r.up), Number(fail_streak ?? 0), Number(retries)) === 'down' ? 0 : 1 })));
    }
    return out;
  }

  /** Per check: results and UP results since `since` (the result history, kept 7 days). */
  async resultCounts(ids: readonly string[], since: number): Promise<Map<string, { up: number; total: number }>> {
    const out = new Map<string, { up: number; total: number }>();
    for (let i = 0; i < ids.length; i += IN_CHUNK) {
      const rows = await this.db
        .selectFrom('check_result')
        .select(['check_id', (eb) => eb.fn.countAll<number | string>().as('total'), (eb) => eb.fn.sum<number | string>('up').as('up')])
        .where('check_id', 'in', ids.slice(i, i + IN_CHUNK))
        .where('at', '>', since)
        .groupBy('check_id')
        .execute();
      rows.forEach((r) => out.set(r.check_id, { up: Number(r.up ?? 0), total: Number(r.total) }));
    }
    return out;
  }

  /** Alerts on these CIs that fired and were still open at or after `since` (pending ones never fired). */
  async firedAlerts(ciIds: readonly string[], since: number): Promise<{ ci_id: string; severity: string; state: string; firing_at: number; resolved_at: number | null }[]> {
    const out: { ci_id: string; severity: string; state: string; firing_at: number; resolved_at: number | null }[] = [];
    for (let i = 0; i < ciIds.length; i += IN_CHUNK) {
      const rows = await this.db
        .selectFrom('alert')
        .select(['ci_id', 'severity', 'state', 'firing_at', 'resolved_at'])
        .where('ci_id', 'in', ciIds.slice(i, i + IN_CHUNK))
        .where('firing_at', 'is not', null)
        .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since)]))
        .execute();
      out.push(...rows.map((r) => ({ ci_id: r.ci_id!, severity: r.severity, state: r.state, firing_at: Number(r.firing_at), resolved_at: r.resolved_at === null ? null : Number(r.resolved_at) })));
    }
    return out;
  }

  async insertPage(trx: Kysely<Database>, row: StatusPageTable): Promise<void> {
    await trx.insertInto('status_page').values(row).execute();
  }

  async updatePage(trx: Kysely<Database>, id: string, patch: Partial<StatusPageTable>): Promise<void> {
    await trx.updateTable('status_page').set(patch).where('id', '=', id).execute();
  }

  async deletePage(trx: Kysely<Database>, id: string): Promise<void> {
    // Children first: PostgreSQL cascades, but SQLite only does with foreign keys on (they are; kept explicit).
    await trx.deleteFrom('status_page_notice').where('page_id', '=', id).execute();
    await trx.deleteFrom('status_page_component').where('page_id', '=', id).execute();
    await trx.deleteFrom('status_page').where('id', '=', id).execute();
  }

  async replaceComponents(trx: Kysely<Database>, pageId: string, rows: readonly StatusPageComponentTable[]): Promise<void> {
    await trx.deleteFrom('status_page_component').where('page_id', '=', pageId).execute();
    if (rows.length) {
      await trx.insertInto('status_page_component').values([...rows]).execute();
    }
  }

  async insertNotice(trx: Kysely<Database>, row: StatusPageNoticeTable): Promise<void> {
    await trx.insertInto('status_page_notice').values(row).execute();
  }

  async updateNotice(trx: Kysely<Database>, id: string, patch: Partial<StatusPageNoticeTable>): Promise<void> {
    await trx.updateTable('status_page_notice').set(patch).where('id', '=', id).execute();
  }

  async deleteNotice(trx: Kysely<Database>, id: string): Promise<void> {
    await trx.deleteFrom('status_page_notice').where('id', '=', id).execute();
  }

  async touch(trx: Kysely<Database>, id: string, at: number): Promise<void> {
    await trx.updateTable('status_page').set({ updated_at: at }).where('id', '=', id).execute();
  }
}
