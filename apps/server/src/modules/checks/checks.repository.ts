import type { Kysely, Selectable } from 'kysely';
import type { CheckListQuery, CheckResultsQuery } from '@yunwei/contracts/checks';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { CheckDefinitionTable, CheckResultTable, CheckStateTable } from './checks.tables.js';

export type CheckRow = CheckDefinitionTable & {
  ci_name: string | null;
  up: CheckStateTable['up'] | null;
  checked_at: number | null;
  latency_ms: number | null;
  message: string | null;
  values: string | null;
};

/** Kysely queries of the checks module; writers take the executor (a transaction). */
export class ChecksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #withState(db: Kysely<Database>) {
    return db
      .selectFrom('check_definition as d')
      .leftJoin('check_state as s', 's.check_id', 'd.id')
      .leftJoin('cmdb_ci as c', 'c.id', 'd.ci_id')
      .selectAll('d')
      .select(['c.name as ci_name', 's.up', 's.checked_at', 's.latency_ms', 's.message', 's.values']);
  }

  async find(id: string, db: Kysely<Database> = this.db): Promise<CheckRow | undefined> {
    return this.#withState(db).where('d.id', '=', id).executeTakeFirst() as Promise<CheckRow | undefined>;
  }

  async definition(id: string, db: Kysely<Database> = this.db): Promise<CheckDefinitionTable | undefined> {
    return db.selectFrom('check_definition').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async list(query: CheckListQuery): Promise<{ rows: CheckRow[]; total: number }> {
    let q = this.#withState(this.db);
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

  async ciExists(id: string, db: Kysely<Database> = this.db): Promise<boolean> {
    return (await db.selectFrom('cmdb_ci').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
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
