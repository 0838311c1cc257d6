import { sql, type Kysely, type Selectable } from 'kysely';
import type { CheckListQuery, CheckResultsQuery } from '@yunwei/contracts/checks';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { CheckDefinitionTable, CheckResultTable, CheckStateTable } from './checks.tables.js';

export type CheckRow = CheckDefinitionTable & {
  ci_name: string | null;
  /** The unit the check belongs to: its CI's, or its own when it has no CI. */
  unit_id: string | null;
  unit_name: string | null;
  up: CheckStateTable['up'] | null;
  checked_at: number | null;
  latency_ms: number | null;
  message: string | null;
  values: string | null;
};

/** A check's org unit: its CI's when it has one (a deleted CI leaves it to unrestricted readers), else its own. */
const unitOf = sql<string | null>`case when d.ci_id is null then d.org_unit_id else c.org_unit_id end`;

/** Kysely queries of the checks module; writers take the executor (a transaction). */
export class ChecksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #withState(db: Kysely<Database>) {
    return db
      .selectFrom('check_definition as d')
      .leftJoin('check_state as s', 's.check_id', 'd.id')
      .leftJoin('cmdb_ci as c', 'c.id', 'd.ci_id')
      .leftJoin('org_unit as o', (join) => join.on(sql<boolean>`o.id = ${unitOf}`))
      .selectAll('d')
      .select(['c.name as ci_name', unitOf.as('unit_id'), 'o.name as unit_name', 's.up', 's.checked_at', 's.latency_ms', 's.message', 's.values']);
  }

  async find(id: string, db: Kysely<Database> = this.db): Promise<CheckRow | undefined> {
    return this.#withState(db).where('d.id', '=', id).executeTakeFirst() as Promise<CheckRow | undefined>;
  }

  async definition(id: string, db: Kysely<Database> = this.db): Promise<CheckDefinitionTable | undefined> {
    return db.selectFrom('check_definition').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** `units`: the org units the reader reaches (null = all; checks of the whole organisation need all). */
  async list(query: CheckListQuery, units: ReadonlySet<string> | null): Promise<{ rows: CheckRow[]; total: number }> {
    let q = this.#withState(this.db);
    if (units) {
      q = units.size ? q.where(unitOf, 'in', [...units]) : q.where(sql<boolean>`1 = 0`);
    }
    if (query.ciId) {
      q = q.where('d.ci_id', '=', query.ciId);
    }
    if (query.type) {
      q = q.where('d.type', '=', query.type);
    }
    if (query.enabled !== undefined) {
      q = q.where('d.enabled', '=', query.enabled ? 1 : 0);
    }
    if (query.status === 'unknown') {
      q = q.where('s.up', 'is', null);
    } else if (query.status) {
      q = q.where('s.up', '=', query.status === 'up' ? 1 : 0);
    }
    if (query.q?.trim()) {
      const text = query.q.trim();
      q = q.where((eb) => eb.or([containsText(this.db, 'd.name', text), containsText(this.db, 'd.target', text)]));
    }
    const { n } = await q.clearSelect().select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    const rows = (await q
      .orderBy('d.name')
      .orderBy('d.id')
      .offset(query.offset ?? 0)
      .limit(query.limit ?? 500)
      .execute()) as CheckRow[];
    return { rows, total: Number(n) };
  }

  async enabled(): Promise<CheckDefinitionTable[]> {
    return this.db.selectFrom('check_definition').selectAll().where('enabled', '=', 1).execute();
  }

  /** A CI's org unit, or undefined when there is no such CI. */
  async ciUnit(id: string, db: Kysely<Database> = this.db): Promise<{ org_unit_id: string | null } | undefined> {
    return db.selectFrom('cmdb_ci').select('org_unit_id').where('id', '=', id).executeTakeFirst();
  }

  async orgUnitExists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('org_unit').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async results(checkId: string, query: CheckResultsQuery, now: number): Promise<Selectable<CheckResultTable>[]> {
    const to = query.to ?? now;
    const from = query.from ?? to - 86_400_000;
    // The newest `limit` of the range, returned oldest first (for charts).
    const rows = await this.db
      .selectFrom('check_result')
      .selectAll()
      .where('check_id', '=', checkId)
      .where('at', '>=', from)
      .where('at', '<=', to)
      .orderBy('at', 'desc')
      .limit(query.limit ?? 500)
      .execute();
    return rows.reverse();
  }

  /** History older than `before` goes, and states of checks that are gone. */
  async purge(before: number): Promise<number> {
    const deleted = await this.db.deleteFrom('check_result').where('at', '<', before).executeTakeFirst();
    await this.db
      .deleteFrom('check_state')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('check_definition').select('id').whereRef('check_definition.id', '=', 'check_state.check_id'))))
      .execute();
    return Number(deleted.numDeletedRows);
  }
}
