import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ReportScheduleRunTable, ReportScheduleTable } from './report-schedule.tables.js';

type Db = Kysely<Database>;

/** Queries of 定时报告 and their runs; writes take the executor. */
export class ReportScheduleRepository {
  constructor(private readonly db: Db) {}

  list(): Promise<ReportScheduleTable[]> {
    return this.db.selectFrom('report_schedule').selectAll().orderBy('name').orderBy('id').execute();
  }

  find(id: string, db: Db = this.db): Promise<ReportScheduleTable | undefined> {
    return db.selectFrom('report_schedule').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async insert(trx: Db, row: ReportScheduleTable): Promise<void> {
    await trx.insertInto('report_schedule').values(row).execute();
  }

  async update(trx: Db, id: string, patch: Partial<ReportScheduleTable>): Promise<void> {
    await trx.updateTable('report_schedule').set(patch).where('id', '=', id).execute();
  }

  async remove(trx: Db, id: string): Promise<void> {
    await trx.deleteFrom('report_schedule_run').where('schedule_id', '=', id).execute();
    await trx.deleteFrom('report_schedule').where('id', '=', id).execute();
  }

  /** Enabled schedules whose time has come, oldest first. */
  due(now: number, limit: number): Promise<Pick<ReportScheduleTable, 'id' | 'next_run_at'>[]> {
    return this.db.selectFrom('report_schedule').select(['id', 'next_run_at']).where('enabled', '=', 1).where('next_run_at', '<=', now).orderBy('next_run_at').limit(limit).execute();
  }

  /**
   * Takes the due time `due` of a schedule by moving it on to `next`: one conditional UPDATE, so of two
   * nodes (or two calls) looking at the same due schedule exactly one runs it. In the same transaction the
   * run is recorded as `running` (and becomes the schedule's last run): a node dying before the run ends
   * leaves that row, which the job later marks failed — the period is never lost without a trace.
   */
  async claim(id: string, due: number, next: number, run: ReportScheduleRunTable): Promise<boolean> {
    return this.db.transaction().execute(async (trx) => {
      const result = await trx.updateTable('report_schedule').set({ next_run_at: next }).where('id', '=', id).where('enabled', '=', 1).where('next_run_at', '=', due).executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        return false;
      }
      await trx.insertInto('report_schedule_run').values(run).execute();
      await trx.updateTable('report_schedule').set({ last_run_id: run.id }).where('id', '=', id).execute();
      return true;
    });
  }

  /** Runs still `running` that started before `before`, with their schedule's name and language. */
  staleRuns(before: number, limit: number): Promise<{ id: string; schedule_id: string; at: number; period_label: string; name: string; locale: string }[]> {
    return this.db
      .selectFrom('report_schedule_run as r')
      .innerJoin('report_schedule as s', 's.id', 'r.schedule_id')
      .select(['r.id', 'r.schedule_id', 'r.at', 'r.period_label', 's.name', 's.locale'])
      .where('r.status', '=', 'running')
      .where('r.at', '<', before)
      .orderBy('r.at')
      .limit(limit)
      .execute();
  }

  /** Ends a run with its outcome (a run that outlived the limit and was marked interrupted gets its real outcome). */
  async finishRun(trx: Db, id: string, patch: Partial<Omit<ReportScheduleRunTable, 'id' | 'schedule_id'>>): Promise<void> {
    await trx.updateTable('report_schedule_run').set(patch).where('id', '=', id).execute();
  }

  /** Marks a run still `running` failed with `reason`: a conditional UPDATE, so once across nodes; true when this call did. */
  async interruptRun(trx: Db, id: string, reason: string): Promise<boolean> {
    const result = await trx.updateTable('report_schedule_run').set({ status: 'failed', error: reason }).where('id', '=', id).where('status', '=', 'running').executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async insertRun(trx: Db, row: ReportScheduleRunTable): Promise<void> {
    await trx.insertInto('report_schedule_run').values(row).execute();
  }

  run(scheduleId: string, runId: string): Promise<ReportScheduleRunTable | undefined> {
    return this.db.selectFrom('report_schedule_run').selectAll().where('schedule_id', '=', scheduleId).where('id', '=', runId).executeTakeFirst();
  }

  async runs(scheduleId: string, offset: number, limit: number): Promise<{ rows: ReportScheduleRunTable[]; total: number }> {
    const rows = await this.db.selectFrom('report_schedule_run').selectAll().where('schedule_id', '=', scheduleId).orderBy('at', 'desc').orderBy('id', 'desc').offset(offset).limit(limit).execute();
    const count = await this.db.selectFrom('report_schedule_run').select((eb) => eb.fn.countAll<string>().as('n')).where('schedule_id', '=', scheduleId).executeTakeFirstOrThrow();
    return { rows, total: Number(count.n) };
  }

  runsByIds(ids: string[]): Promise<ReportScheduleRunTable[]> {
    return ids.length ? this.db.selectFrom('report_schedule_run').selectAll().where('id', 'in', ids).execute() : Promise.resolve([]);
  }

  fileKeysOf(scheduleId: string): Promise<Pick<ReportScheduleRunTable, 'files'>[]> {
    return this.db.selectFrom('report_schedule_run').select('files').where('schedule_id', '=', scheduleId).execute();
  }

  deliveries(ids: string[]): Promise<{ id: string; status: string; recipients: string; last_error: string | null }[]> {
    return ids.length ? this.db.selectFrom('notify_delivery').select(['id', 'status', 'recipients', 'last_error']).where('id', 'in', ids).execute() : Promise.resolve([]);
  }

  users(ids: string[]): Promise<{ id: string; username: string; display_name: string; email: string; status: string }[]> {
    return ids.length ? this.db.selectFrom('user').select(['id', 'username', 'display_name', 'email', 'status']).where('id', 'in', ids).execute() : Promise.resolve([]);
  }
}
