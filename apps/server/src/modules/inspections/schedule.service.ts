import { Cron } from 'croner';
import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import type { FastifyBaseLogger } from 'fastify';
import type { PermissionId } from '@yunwei/contracts/access';
import {
  INSPECTION_PERMISSIONS as P,
  type InspectionRecord,
  type InspectionSchedule,
  type InspectionScheduleCreate,
  type InspectionScheduleList,
  type InspectionScheduleUpdate,
  type InspectionScope,
} from '@yunwei/contracts/inspections';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, systemActor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { InspectionScheduleTable } from './inspections.tables.js';
import type { RecordService } from './record.service.js';
import { reachesScope, requireScopeReach } from './scope.js';

type Row = InspectionScheduleTable & { template_name: string; template_scope: string; user_name: string | null };

/** The cron expression of a schedule: daily / weekly at HH:MM become `M H * * *` / `M H * * D`. */
export function cronOf(input: { kind: InspectionSchedule['kind']; time?: string | null; weekday?: number | null; cron?: string | null }, prefix = 'body'): string {
  if (input.kind === 'cron') {
    const expr = (input.cron ?? '').trim();
    if (!expr) {
      throw invalidField(`${prefix}.cron`, { zh: '按 cron 表达式执行时必须填写', en: 'is required for a cron schedule' });
    }
    if (expr.split(/\s+/).length !== 5) {
      throw invalidField(`${prefix}.cron`, { zh: '必须有五个字段：分 时 日 月 星期', en: 'must have five fields: minute hour day-of-month month day-of-week' });
    }
    try {
      new Cron(expr, { paused: true });
    } catch (error) {
      throw invalidField(`${prefix}.cron`, { zh: `不是有效的 cron 表达式：${(error as Error).message}`, en: (error as Error).message });
    }
    return expr;
  }
  if (!input.time) {
    throw invalidField(`${prefix}.time`, { zh: `${input.kind === 'weekly' ? '每周' : '每天'}执行时必须填写（HH:MM）`, en: `is required for a ${input.kind} schedule (HH:MM)` });
  }
  const [h, m] = input.time.split(':').map(Number);
  if (input.kind === 'weekly') {
    if (input.weekday === undefined || input.weekday === null) {
      throw invalidField(`${prefix}.weekday`, { zh: '每周执行时必须填写（0 = 周日 … 6 = 周六）', en: 'is required for a weekly schedule (0 = Sunday … 6 = Saturday)' });
    }
    return `${m} ${h} * * ${input.weekday}`;
  }
  return `${m} ${h} * * *`;
}

/** The first time after `after` the expression fires (server time zone). */
export function nextRun(cron: string, after: number): number | null {
  const next = new Cron(cron, { paused: true }).nextRun(new Date(after));
  return next ? next.getTime() : null;
}

/**
 * Inspection schedules. A job every minute fires the due ones (`fireDue`): each due run is claimed by
 * moving `next_run_at` forward with a compare-and-set on the value read, so however many runners
 * (processes, retries) look at a due schedule, one creates its record; the record's unique
 * (schedule, due time) index backs this up. Missed due times while the server was down collapse
 * into one run. Time is a parameter, so tests fire schedules without waiting for the clock.
 * Data scope: a schedule follows its template's (see TemplateService).
 */
export class ScheduleService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly records: RecordService,
    private readonly log?: FastifyBaseLogger,
  ) {}

  async list(actor: Actor, templateId?: string): Promise<InspectionScheduleList> {
    let q = this.#select(this.ctx.db);
    if (templateId) {
      q = q.where('s.template_id', '=', templateId);
    }
    const items: InspectionSchedule[] = [];
    for (const row of (await q.orderBy('s.name').execute()) as Row[]) {
      if (await reachesScope(this.ctx.db, actor, P.templateRead, fromJson<InspectionScope>(row.template_scope))) {
        items.push(view(row));
      }
    }
    return { items, total: items.length };
  }

  /** A schedule the actor reaches with `permission` through its template; one they cannot see is not found. */
  async #reach(actor: Actor, id: string, permission: PermissionId): Promise<Row> {
    const row = await this.#row(this.ctx.db, id);
    await requireScopeReach(this.ctx.db, actor, permission, P.templateRead, fromJson(row.template_scope), () => new AppError('YW_INSPECTION_SCHEDULE_NOT_FOUND', { id }));
    return row;
  }

  /** A template chosen for a schedule must be within the actor's schedule scope (403 naming the field). */
  async #requireTemplate(actor: Actor, templateId: string): Promise<void> {
    const t = await this.ctx.db.selectFrom('inspection_template').select('scope').where('id', '=', templateId).executeTakeFirst();
    if (t) {
      await requireScopeReach(this.ctx.db, actor, P.scheduleWrite, P.templateRead, fromJson(t.scope), () => invalidField('body.templateId', { zh: `没有编号为 ${templateId} 的巡检模板`, en: `no inspection template has the id ${templateId}` }), 'body.templateId');
    }
  }

  async get(id: string, db: Kysely<Database> = this.ctx.db): Promise<InspectionSchedule> {
    return view(await this.#row(db, id));
  }

  async create(actor: Actor, input: InspectionScheduleCreate, now = Date.now()): Promise<InspectionSchedule> {
    const cron = cronOf(input);
    await this.#checkRefs(input.templateId, input.responsibleUserId ?? null);
    await this.#requireTemplate(actor, input.templateId);
    const enabled = input.enabled ?? true;
    const row: InspectionScheduleTable = {
      id: uuidv7(),
      template_id: input.templateId,
      name: input.name.trim(),
      kind: input.kind,
      time: input.kind === 'cron' ? null : (input.time ?? null),
      weekday: input.kind === 'weekly' ? (input.weekday ?? null) : null,
      cron,
      responsible_role: input.responsibleRole ?? null,
      responsible_user_id: input.responsibleUserId ?? null,
      enabled: enabled ? 1 : 0,
      next_run_at: enabled ? nextRun(cron, now) : null,
      last_run_at: null,
      last_record_id: null,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('inspection_schedule').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'inspections.schedule.create', targetType: 'inspection_schedule', targetId: row.id, after: row });
    });
    return this.get(row.id);
  }

  async update(actor: Actor, id: string, input: InspectionScheduleUpdate, now = Date.now()): Promise<InspectionSchedule> {
    const current = await this.#reach(actor, id, P.scheduleWrite);
    if (input.templateId !== undefined && input.templateId !== current.template_id) {
      await this.#requireTemplate(actor, input.templateId);
    }
    const kind = input.kind ?? current.kind;
    const cron = cronOf({ kind, time: input.time ?? current.time, weekday: input.weekday ?? current.weekday, cron: input.cron ?? (kind === 'cron' ? current.cron : null) });
    await this.#checkRefs(input.templateId ?? current.template_id, input.responsibleUserId === undefined ? current.responsible_user_id : input.responsibleUserId);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#row(trx, id);
      const enabled = input.enabled ?? before.enabled === 1;
      const changes: Partial<InspectionScheduleTable> = {
        template_id: input.templateId ?? before.template_id,
        name: input.name?.trim() ?? before.name,
        kind,
        time: kind === 'cron' ? null : (input.time ?? before.time),
        weekday: kind === 'weekly' ? (input.weekday ?? before.weekday) : null,
        cron,
        responsible_role: input.responsibleRole === undefined ? before.responsible_role : input.responsibleRole,
        responsible_user_id: input.responsibleUserId === undefined ? before.responsible_user_id : input.responsibleUserId,
        enabled: enabled ? 1 : 0,
        next_run_at: enabled ? nextRun(cron, now) : null,
        updated_at: now,
      };
      await trx.updateTable('inspection_schedule').set(changes).where('id', '=', id).execute();
      const { template_name: _t, template_scope: _s, user_name: _u, ...plain } = before;
      await this.ctx.audit.record(trx, { actor, action: 'inspections.schedule.update', targetType: 'inspection_schedule', targetId: id, before: plain, after: { ...plain, ...changes } });
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.#reach(actor, id, P.scheduleWrite);
    await this.ctx.db.transaction().execute(async (trx) => {
      const { template_name: _t, template_scope: _s, user_name: _u, ...before } = await this.#row(trx, id);
      await trx.deleteFrom('inspection_schedule').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'inspections.schedule.delete', targetType: 'inspection_schedule', targetId: id, before });
    });
  }

  /** Fires every enabled schedule due at `now`; returns the records created. */
  async fireDue(now = Date.now()): Promise<InspectionRecord[]> {
    const due = await this.ctx.db.selectFrom('inspection_schedule').selectAll().where('enabled', '=', 1).where('next_run_at', '<=', now).orderBy('next_run_at').execute();
    const out: InspectionRecord[] = [];
    for (const s of due) {
      const dueAt = Number(s.next_run_at);
      const claimed = await this.ctx.db
        .updateTable('inspection_schedule')
        .set({ next_run_at: nextRun(s.cron, Math.max(now, dueAt)), last_run_at: dueAt })
        .where('id', '=', s.id)
        .where('next_run_at', '=', dueAt)
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        continue; // another runner took this due time
      }
      const record = await this.#runFor(s, dueAt, now);
      if (record) {
        out.push(record);
      }
    }
    return out;
  }

  /** Runs a schedule now, out of turn (the "run now" button); its next due time is unchanged. */
  async runNow(actor: Actor, id: string, now = Date.now()): Promise<InspectionRecord> {
    const s = await this.#reach(actor, id, P.recordRun);
    const record = await this.records.run(actor, s.template_id, now, { scheduleId: s.id, scheduleName: s.name, dueAt: now, responsibleRole: s.responsible_role });
    if (!record) {
      throw new AppError('YW_CONFLICT', { id, dueAt: now });
    }
    await this.ctx.db.updateTable('inspection_schedule').set({ last_record_id: record.id }).where('id', '=', id).execute();
    return record;
  }

  async #runFor(s: InspectionScheduleTable, dueAt: number, now: number): Promise<InspectionRecord | null> {
    try {
      const record = await this.records.run(systemActor(`inspection-schedule:${s.name}`), s.template_id, now, { scheduleId: s.id, scheduleName: s.name, dueAt, responsibleRole: s.responsible_role });
      if (record) {
        await this.ctx.db.updateTable('inspection_schedule').set({ last_record_id: record.id }).where('id', '=', s.id).execute();
      }
      return record;
    } catch (error) {
      // One schedule's failure (e.g. an empty scope) must not stop the others.
      this.log?.warn({ err: error, schedule: s.id }, 'scheduled inspection failed');
      return null;
    }
  }

  async #checkRefs(templateId: string, userId: string | null): Promise<void> {
    const t = await this.ctx.db.selectFrom('inspection_template').select('id').where('id', '=', templateId).executeTakeFirst();
    if (!t) {
      throw invalidField('body.templateId', { zh: `没有编号为 ${templateId} 的巡检模板`, en: `no inspection template has the id ${templateId}` });
    }
    if (userId) {
      const u = await this.ctx.db.selectFrom('user').select('id').where('id', '=', userId).executeTakeFirst();
      if (!u) {
        throw invalidField('body.responsibleUserId', { zh: `没有编号为 ${userId} 的用户`, en: `no user has the id ${userId}` });
      }
    }
  }

  #select(db: Kysely<Database>) {
    return db
      .selectFrom('inspection_schedule as s')
      .innerJoin('inspection_template as t', 't.id', 's.template_id')
      .leftJoin('user as u', 'u.id', 's.responsible_user_id')
      .selectAll('s')
      .select(['t.name as template_name', 't.scope as template_scope', 'u.display_name as user_name']);
  }

  async #row(db: Kysely<Database>, id: string): Promise<Row> {
    const row = (await this.#select(db).where('s.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row) {
      throw new AppError('YW_INSPECTION_SCHEDULE_NOT_FOUND', { id });
    }
    return row;
  }
}

const num = (v: number | null) => (v === null ? null : Number(v));

function view(r: Row): InspectionSchedule {
  return {
    id: r.id,
    templateId: r.template_id,
    templateName: r.template_name,
    name: r.name,
    kind: r.kind,
    time: r.time,
    weekday: num(r.weekday),
    cron: r.cron,
    responsibleRole: r.responsible_role,
    responsibleUserId: r.responsible_user_id,
    responsibleUserName: r.user_name,
    enabled: r.enabled === 1,
    nextRunAt: num(r.next_run_at),
    lastRunAt: num(r.last_run_at),
    lastRecordId: r.last_record_id,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}
