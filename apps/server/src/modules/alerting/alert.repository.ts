import { sql, type Kysely, type SelectQueryBuilder } from 'kysely';
import type { AlertListQuery, RuleStatsQuery } from '@yunwei/contracts/alerting';
import { pickText, type Locale, type LocalizedText } from '@yunwei/contracts/i18n';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { normalise } from './alert-state.js';
import type { AlertEventTable, AlertTable } from './alerts.tables.js';

/** A stored suppression reason in `locale`: JSON `{ zh, en }`, or a plain text written before there were two. */
function reasonIn(stored: string, locale: Locale): string {
  if (stored.startsWith('{')) {
    try {
      return pickText(JSON.parse(stored) as LocalizedText, locale);
    } catch {
      // not JSON after all: shown as written
    }
  }
  return stored;
}

export type AlertRow = AlertTable;
const OPEN_STATES = ['pending', 'firing', 'acknowledged'];

/** For the routing half (B): the open alerts plus those resolved since `since`. */
export async function listAlertsForDispatch(db: Kysely<Database>, { since }: { since: number }): Promise<AlertRow[]> {
  const rows = await db
    .selectFrom('alert')
    .selectAll()
    .where((eb) => eb.or([eb('state', '<>', 'resolved'), eb('resolved_at', '>=', since)]))
    .orderBy('started_at')
    .execute();
  return rows.map(normalise);
}

/** Alerts a reader limited to `units` sees (null: all). Alerts without a CI are seen by every reader (as series without a CI in monitoring). */
function withinUnits<Q extends SelectQueryBuilder<Database, 'alert', object>>(query: Q, units: ReadonlySet<string> | null): Q {
  if (!units) {
    return query;
  }
  const reach = [...units];
  return (
    reach.length
      ? query.where((eb) => eb.or([eb('alert.ci_id', 'is', null), eb('alert.ci_id', 'in', eb.selectFrom('cmdb_ci').select('cmdb_ci.id').where('cmdb_ci.org_unit_id', 'in', reach))]))
      : query.where('alert.ci_id', 'is', null)
  ) as Q;
}

export class AlertRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** `units`: the org units the reader reaches (null = all; alerts without a CI belong to the whole organisation). */
  async list(q: AlertListQuery, units: ReadonlySet<string> | null): Promise<{ rows: AlertRow[]; total: number }> {
    const states = q.state ? q.state.split(',') : OPEN_STATES;
    let query = withinUnits(this.db.selectFrom('alert').where('state', 'in', states), units);
    if (q.severity) {
      query = query.where('severity', '=', q.severity);
    }
    if (q.ruleId) {
      query = query.where('rule_id', '=', q.ruleId);
    }
    if (q.ciId) {
      query = query.where('ci_id', '=', q.ciId);
    }
    if (q.from !== undefined) {
      query = query.where('started_at', '>=', q.from);
    }
    if (q.to !== undefined) {
      query = query.where('started_at', '<', q.to);
    }
    if (q.q) {
      const text = q.q;
      query = query.where((eb) => eb.or([containsText(this.db, 'rule_name', text), containsText(this.db, 'rule_name_en', text), containsText(this.db, 'labels', text), containsText(this.db, 'annotations', text)]));
    }
    const total = Number((await query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const rows = await query
      .selectAll()
      // Critical first, then the newest.
      .orderBy(sql`case when severity = 'critical' then 0 else 1 end`)
      .orderBy('updated_at', 'desc')
      .orderBy('id')
      .offset(q.offset ?? 0)
      .limit(q.limit ?? 50)
      .execute();
    return { rows: rows.map(normalise), total };
  }

  async find(db: Kysely<Database>, id: string): Promise<AlertRow | undefined> {
    const row = await db.selectFrom('alert').selectAll().where('id', '=', id).executeTakeFirst();
    return row && normalise(row);
  }

  /** The org unit an alert belongs to: its CI's (null: no CI, or a CI of the whole organisation). */
  async unitOf(ciId: string | null): Promise<string | null> {
    if (ciId === null) {
      return null;
    }
    return (await this.db.selectFrom('cmdb_ci').select('org_unit_id').where('id', '=', ciId).executeTakeFirst())?.org_unit_id ?? null;
  }

  async events(alertId: string): Promise<Omit<AlertEventTable, 'id'>[]> {
    return this.db.selectFrom('alert_event').select(['alert_id', 'at', 'from_state', 'to_state', 'actor_id', 'note']).where('alert_id', '=', alertId).orderBy('id').execute();
  }

  /** Suppressions the routing half keeps current (its table; empty when it has none yet), reasons in `locale`. */
  async suppressions(ids: readonly string[], locale: Locale): Promise<Map<string, { kind: string; refId: string; reason: string }[]>> {
    const out = new Map<string, { kind: string; refId: string; reason: string }[]>();
    if (ids.length === 0) {
      return out;
    }
    const db = this.db as unknown as Kysely<{ alert_suppression: { alert_id: string; kind: string; ref_id: string; reason: string } }>;
    let rows: { alert_id: string; kind: string; ref_id: string; reason: string }[] = [];
    try {
      rows = await db.selectFrom('alert_suppression').select(['alert_id', 'kind', 'ref_id', 'reason']).where('alert_id', 'in', [...ids]).execute();
    } catch {
      // The routing half's migration is not there (it always is once both halves have landed).
      return out;
    }
    for (const r of rows) {
      out.set(r.alert_id, [...(out.get(r.alert_id) ?? []), { kind: r.kind, refId: r.ref_id, reason: reasonIn(r.reason, locale) }]);
    }
    return out;
  }

  async openOfRule(db: Kysely<Database>, ruleId: string): Promise<AlertRow[]> {
    return (await db.selectFrom('alert').selectAll().where('rule_id', '=', ruleId).where('state', '<>', 'resolved').execute()).map(normalise);
  }

  /** Per rule, alerts that fired in [from, to): how many, and mean times to acknowledge and to resolve. */
  async stats(q: Required<RuleStatsQuery>, units: ReadonlySet<string> | null): Promise<{ rule_id: string; rule_name: string; rule_name_en: string | null; fired: number; mtta: number | null; mttr: number | null }[]> {
    const rows = await withinUnits(this.db.selectFrom('alert'), units)
      .select(['rule_id'])
      .select((eb) => [
        eb.fn.max('rule_name').as('rule_name'),
        eb.fn.max('rule_name_en').as('rule_name_en'),
        eb.fn.countAll<number>().as('fired'),
        sql<number | null>`avg(case when acked_at is not null then acked_at - firing_at end)`.as('mtta'),
        sql<number | null>`avg(case when resolved_at is not null then resolved_at - firing_at end)`.as('mttr'),
      ])
      .where('firing_at', 'is not', null)
      .where('firing_at', '>=', q.from)
      .where('firing_at', '<', q.to)
      .groupBy('rule_id')
      .orderBy('fired', 'desc')
      .execute();
    const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
    return rows.map((r) => ({ rule_id: r.rule_id, rule_name: String(r.rule_name), rule_name_en: r.rule_name_en === null || r.rule_name_en === undefined ? null : String(r.rule_name_en), fired: Number(r.fired), mtta: n(r.mtta), mttr: n(r.mttr) }));
  }
}
