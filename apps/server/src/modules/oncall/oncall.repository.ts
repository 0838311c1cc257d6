import { sql, type Kysely, type SqlBool } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { BusinessCalendarDayTable, OncallOverrideTable, OncallRotationTable, OncallScheduleTable } from './oncall.tables.js';

export interface ScheduleRows {
  schedule: OncallScheduleTable;
  rotations: OncallRotationTable[];
}

/** Kysely queries of the oncall module; methods that write take the executor (a transaction). */
export class OncallRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ------------------------------------------------------------ calendar

  /** Calendar rows with `from <= date <= to` (dates compare as text). */
  async calendarDays(from: string, to: string): Promise<BusinessCalendarDayTable[]> {
    return this.db.selectFrom('business_calendar_day').selectAll().where('date', '>=', from).where('date', '<=', to).orderBy('date').execute();
  }

  async deleteUserDays(trx: Kysely<Database>, from: string, to: string): Promise<void> {
    await trx.deleteFrom('business_calendar_day').where('source', '=', 'user').where('date', '>=', from).where('date', '<=', to).execute();
  }

  /** Writes a row, replacing whatever the date had. */
  async putDay(trx: Kysely<Database>, row: BusinessCalendarDayTable): Promise<void> {
    await trx
      .insertInto('business_calendar_day')
      .values(row)
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind: row.kind, name_zh: row.name_zh, name_en: row.name_en, source: row.source, updated_at: row.updated_at }))
      .execute();
  }

  /** Writes a seeded row unless an administrator's entry holds the date. */
  async putSeedDay(trx: Kysely<Database>, row: BusinessCalendarDayTable): Promise<void> {
    await trx
      .insertInto('business_calendar_day')
      .values(row)
      .onConflict((oc) => oc.column('date').doUpdateSet({ kind: row.kind, name_zh: row.name_zh, name_en: row.name_en, updated_at: row.updated_at }).where('business_calendar_day.source', '=', 'seed'))
      .execute();
  }

  // ------------------------------------------------------------ schedules

  async schedules(): Promise<ScheduleRows[]> {
    const schedules = await this.db.selectFrom('oncall_schedule').selectAll().orderBy('name').execute();
    const rotations = await this.db.selectFrom('oncall_rotation').selectAll().orderBy('schedule_id').orderBy('position').execute();
    return schedules.map((schedule) => ({ schedule, rotations: rotations.filter((r) => r.schedule_id === schedule.id) }));
  }

  async schedule(id: string, db: Kysely<Database> = this.db): Promise<ScheduleRows | undefined> {
    const schedule = await db.selectFrom('oncall_schedule').selectAll().where('id', '=', id).executeTakeFirst();
    if (!schedule) {
      return undefined;
    }
    const rotations = await db.selectFrom('oncall_rotation').selectAll().where('schedule_id', '=', id).orderBy('position').execute();
    return { schedule, rotations };
  }

  async scheduleExists(id: string): Promise<boolean> {
    return (await this.db.selectFrom('oncall_schedule').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  async insertSchedule(trx: Kysely<Database>, row: OncallScheduleTable): Promise<void> {
    await trx.insertInto('oncall_schedule').values(row).execute();
  }

  async updateSchedule(trx: Kysely<Database>, id: string, changes: Partial<OncallScheduleTable>): Promise<void> {
    await trx.updateTable('oncall_schedule').set(changes).where('id', '=', id).execute();
  }

  async deleteSchedule(trx: Kysely<Database>, id: string): Promise<void> {
    // Explicit deletes rather than relying on ON DELETE CASCADE being enabled on every connection.
    await trx.deleteFrom('oncall_override').where('schedule_id', '=', id).execute();
    await trx.deleteFrom('oncall_rotation').where('schedule_id', '=', id).execute();
    await trx.deleteFrom('oncall_schedule').where('id', '=', id).execute();
  }

  async replaceRotations(trx: Kysely<Database>, scheduleId: string, rows: OncallRotationTable[]): Promise<void> {
    await trx.deleteFrom('oncall_rotation').where('schedule_id', '=', scheduleId).execute();
    if (rows.length) {
      await trx.insertInto('oncall_rotation').values(rows).execute();
    }
  }

  // ------------------------------------------------------------ overrides

  /** Overrides of a schedule overlapping [from, to). */
  async overrides(scheduleId: string, from: number, to: number): Promise<OncallOverrideTable[]> {
    return this.db
      .selectFrom('oncall_override')
      .selectAll()
      .where('schedule_id', '=', scheduleId)
      .where('end_at', '>', from)
      .where('start_at', '<', to)
      .orderBy('start_at')
      .orderBy('created_at')
      .execute();
  }

  async override(trx: Kysely<Database>, scheduleId: string, id: string): Promise<OncallOverrideTable | undefined> {
    return trx.selectFrom('oncall_override').selectAll().where('schedule_id', '=', scheduleId).where('id', '=', id).executeTakeFirst();
  }

  async insertOverride(trx: Kysely<Database>, row: OncallOverrideTable): Promise<void> {
    await trx.insertInto('oncall_override').values(row).execute();
  }

  async deleteOverride(trx: Kysely<Database>, id: string): Promise<void> {
    await trx.deleteFrom('oncall_override').where('id', '=', id).execute();
  }

  // ------------------------------------------------------------ people

  /** Users by id (any status), for names and member checks. */
  async users(ids: readonly string[], db: Kysely<Database> = this.db): Promise<{ id: string; username: string; display_name: string; status: string }[]> {
    if (!ids.length) {
      return [];
    }
    return db.selectFrom('user').select(['id', 'username', 'display_name', 'status']).where('id', 'in', [...new Set(ids)]).execute();
  }

  /** `units`: only users of these org units (null: every user). */
  async enabledUsers(units: ReadonlySet<string> | null): Promise<{ id: string; username: string; display_name: string }[]> {
    let q = this.db.selectFrom('user').select(['id', 'username', 'display_name']).where('status', '=', 'active');
    if (units) {
      q = units.size ? q.where('org_unit_id', 'in', [...units]) : q.where(sql<SqlBool>`1 = 0`);
    }
    return q.orderBy('display_name').execute();
  }
}
