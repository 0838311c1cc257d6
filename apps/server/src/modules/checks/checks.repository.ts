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
  message_code: string | null;
  message_params: string | null;
  fail_streak: number | null;
  values: string | null;
  /** Its own alert rule and notification policy as they are now (an administrator may have changed them). */
  rule_name: string | null;
  rule_name_en: string | null;
  rule_spec: string | null;
  rule_enabled: number | null;
  policy_name: string | null;
  policy_name_en: string | null;
  /** JSON steps of the escalation policy the notification policy uses now. */
  policy_steps: string | null;
};

/** A result as the heartbeat bar shows it. */
export type BeatRow = Pick<CheckResultTable, 'check_id' | 'at' | 'up' | 'latency_ms' | 'message' | 'message_code' | 'message_params'> & { fail_streak: number };

/** UP and all results of a check over the day and the month (by whole hours). */
export interface UptimeCounts {
  dayUp: number;
  dayTotal: number;
  monthUp: number;
  monthTotal: number;
}

const HOUR_MS = 3_600_000;

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
      .leftJoin('alert_rule as r', 'r.id', 'd.alert_rule_id')
      .leftJoin('alert_notification_policy as p', 'p.id', 'd.notify_policy_id')
      .leftJoin('alert_escalation_policy as e', 'e.id', 'p.escalation_policy_id')
      .selectAll('d')
      .select([
        'c.name as ci_name',
        unitOf.as('unit_id'),
        'o.name as unit_name',
        's.up',
        's.checked_at',
        's.latency_ms',
        's.message',
        's.message_code',
        's.message_params',
        's.fail_streak',
        's.values',
        'r.name as rule_name',
        'r.name_en as rule_name_en',
        'r.spec as rule_spec',
        'r.enabled as rule_enabled',
        'p.name as policy_name',
        'p.name_en as policy_name_en',
        'e.steps as policy_steps',
      ]);
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
    // Pending: failing, but not yet more times in a row than its retries (a streak of 0 on a failed state is older than the count: down).
    if (query.status === 'unknown') {
      q = q.where('s.up', 'is', null);
    } else if (query.status === 'up') {
      q = q.where('s.up', '=', 1);
    } else if (query.status === 'pending') {
      q = q.where('s.up', '=', 0).where('s.fail_streak', '>=', 1).where(sql<boolean>`s.fail_streak <= d.retries`);
    } else if (query.status === 'down') {
      q = q.where('s.up', '=', 0).where((eb) => eb.or([eb('s.fail_streak', '=', 0), sql<boolean>`s.fail_streak > d.retries`]));
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

  /**
   * The latest results of these checks for their heartbeat bars: at most `size` each, from the last 50
   * intervals (an index range per check: one statement however many checks).
   */
  async heartbeats(ids: readonly string[], size: number, now: number): Promise<Map<string, BeatRow[]>> {
    const out = new Map<string, BeatRow[]>();
    for (let i = 0; i < ids.length; i += 500) {
      const chunk = ids.slice(i, i + 500);
      const rows = await sql<BeatRow>`
        select check_id, at, up, latency_ms, message, message_code, message_params, fail_streak from (
          select r.check_id, r.at, r.up, r.latency_ms, r.message, r.message_code, r.message_params, r.fail_streak,
                 row_number() over (partition by r.check_id order by r.at desc) as n
          from check_definition d
          join check_result r on r.check_id = d.id and r.at >= ${now} - cast(d.interval_s as bigint) * 50000
          where d.id in (${sql.join(chunk)})
        ) t where n <= ${size} order by check_id, at`.execute(this.db);
      for (const row of rows.rows) {
        const list = out.get(row.check_id) ?? [];
        list.push({ ...row, at: Number(row.at), up: Number(row.up), fail_streak: Number(row.fail_streak) });
        out.set(row.check_id, list);
      }
    }
    return out;
  }

  /** Names of notification channels (organisation-wide; a check's policy notifies them). */
  async channelNames(ids: readonly string[]): Promise<Map<string, string>> {
    const rows = ids.length ? await this.db.selectFrom('notify_channel').select(['id', 'name']).where('id', 'in', [...ids]).execute() : [];
    return new Map(rows.map((c) => [c.id, c.name]));
  }

  /** UP and all results per check over the current hour and the 23 (day) or 719 (month) before it: a sum over hourly counts. */
  async uptime(ids: readonly string[], now: number): Promise<Map<string, UptimeCounts>> {
    const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
    const dayFrom = hour - 23 * HOUR_MS;
    const out = new Map<string, UptimeCounts>();
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await this.db
        .selectFrom('check_uptime_hour')
        .select((eb) => [
          'check_id',
          eb.fn.sum<string | number>(sql`case when hour_start >= ${dayFrom} then up else 0 end`).as('day_up'),
          eb.fn.sum<string | number>(sql`case when hour_start >= ${dayFrom} then total else 0 end`).as('day_total'),
          eb.fn.sum<string | number>('up').as('month_up'),
          eb.fn.sum<string | number>('total').as('month_total'),
        ])
        .where('check_id', 'in', ids.slice(i, i + 500))
        .where('hour_start', '>=', hour - 719 * HOUR_MS)
        .groupBy('check_id')
        .execute();
      for (const r of rows) {
        out.set(r.check_id, { dayUp: Number(r.day_up), dayTotal: Number(r.day_total), monthUp: Number(r.month_up), monthTotal: Number(r.month_total) });
      }
    }
    return out;
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

  /** History older than `before` goes (hourly uptime counts older than `uptimeBefore`), and states of checks that are gone. */
  async purge(before: number, uptimeBefore: number): Promise<number> {
    const deleted = await this.db.deleteFrom('check_result').where('at', '<', before).executeTakeFirst();
    await this.db.deleteFrom('check_uptime_hour').where('hour_start', '<', uptimeBefore).execute();
    await this.db
      .deleteFrom('check_state')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('check_definition').select('id').whereRef('check_definition.id', '=', 'check_state.check_id'))))
      .execute();
    return Number(deleted.numDeletedRows);
  }
}
