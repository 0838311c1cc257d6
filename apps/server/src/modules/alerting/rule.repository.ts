import type { Kysely } from 'kysely';
import type { RuleListQuery } from '@yunwei/contracts/alerting';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { AlertRuleTable } from './alerts.tables.js';

export type RuleRow = AlertRuleTable & { open_alerts: number };

/** Alert rules and the lookups their validation needs. */
export class RuleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #withOpen() {
    return this.db
      .selectFrom('alert_rule as r')
      .selectAll('r')
      .select((eb) => eb.selectFrom('alert as a').select((x) => x.fn.countAll<number>().as('n')).whereRef('a.rule_id', '=', 'r.id').where('a.state', '<>', 'resolved').as('open_alerts'));
  }

  async list(q: RuleListQuery): Promise<{ rows: RuleRow[]; total: number }> {
    let query = this.db.selectFrom('alert_rule as r');
    if (q.kind) {
      query = query.where('r.kind', '=', q.kind);
    }
    if (q.enabled !== undefined) {
      query = query.where('r.enabled', '=', q.enabled ? 1 : 0);
    }
    if (q.q) {
      query = query.where(containsText(this.db, 'r.name', q.q));
    }
    const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const ids = (await query.select('r.id').orderBy('r.name').orderBy('r.id').offset(q.offset ?? 0).limit(q.limit ?? 100).execute()).map((r) => r.id);
    const rows = ids.length ? await this.#withOpen().where('r.id', 'in', ids).orderBy('r.name').orderBy('r.id').execute() : [];
    return { rows: rows.map(num), total };
  }

  async find(id: string): Promise<RuleRow | undefined> {
    const row = await this.#withOpen().where('r.id', '=', id).executeTakeFirst();
    return row && num(row);
  }

  enabled(): Promise<AlertRuleTable[]> {
    return this.db.selectFrom('alert_rule').selectAll().where('enabled', '=', 1).execute();
  }

  async packCounts(): Promise<Map<string, number>> {
    const rows = await this.db.selectFrom('alert_rule').select(['pack']).select((eb) => eb.fn.countAll<number>().as('n')).where('pack', 'is not', null).groupBy('pack').execute();
    return new Map(rows.map((r) => [r.pack!, Number(r.n)]));
  }

  async namesOfPack(pack: string): Promise<Set<string>> {
    return new Set((await this.db.selectFrom('alert_rule').select('name').where('pack', '=', pack).execute()).map((r) => r.name));
  }

  async ci(id: string): Promise<{ id: string; class_code: string; org_unit_id: string | null } | undefined> {
    return this.db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['c.id', 'k.code as class_code', 'c.org_unit_id'])
      .where('c.id', '=', id)
      .executeTakeFirst();
  }

  async classExists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('cmdb_class').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async classIdsByCode(codes: readonly string[]): Promise<Map<string, string>> {
    const rows = codes.length ? await this.db.selectFrom('cmdb_class').select(['id', 'code']).where('code', 'in', codes).execute() : [];
    return new Map(rows.map((r) => [r.code, r.id]));
  }

  async missingChecks(ids: readonly string[]): Promise<string[]> {
    const found = new Set((await this.db.selectFrom('check_definition').select('id').where('id', 'in', ids).execute()).map((r) => r.id));
    return ids.filter((id) => !found.has(id));
  }

  async agentExists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('agent').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async metricKnown(metric: string): Promise<boolean> {
    return (await this.db.selectFrom('metric_series').select('id').where('metric', '=', metric).limit(1).executeTakeFirst()) !== undefined;
  }
}

function num(row: AlertRuleTable & { open_alerts: number | string | null }): RuleRow {
  return { ...row, open_alerts: Number(row.open_alerts ?? 0) };
}
