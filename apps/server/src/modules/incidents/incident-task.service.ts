import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { IncidentTask, IncidentTaskCreate, IncidentTaskList, IncidentTaskQuery, RunbookStep } from '@yunwei/contracts/incident-runbooks';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import type { LocalizedMessage } from '@yunwei/contracts/notify';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime, linkTo } from '../../platform/notify/message-format.js';
import { addressed } from '../approvals/task-notices.js';
import { notifyOf } from '../notify/runtime.js';
import type { RunbookRunService } from './runbook-run.service.js';
import { runbookState } from './runbook.service.js';
import type { IncidentTable } from './incidents.tables.js';
import type { IncidentTaskTable } from './runbooks.tables.js';
import { incidentsOf } from './runtime.js';

type TaskRow = IncidentTaskTable & { number: string; incident_title: string; org_unit_id: string | null; incident_assignee: string | null };

/**
 * 组织排除 (L2-2.3.2): tasks on an incident for other people — often a runbook step handed to someone ("assign
 * this step to X": completing the task completes the step). The assignee hears of it through the default
 * notification channels (their e-mail on an e-mail channel) and finds it under 我的任务; the assignee or a
 * handler completes it with a result note. Each change writes an activity row on the incident and an audit entry.
 */
export class IncidentTaskService {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly runs: RunbookRunService,
  ) {}

  async list(actor: Actor, incidentId: string): Promise<IncidentTaskList> {
    await incidentsOf(this.ctx).get(actor, incidentId);
    const rows = await this.#select(this.ctx.db).where('t.incident_id', '=', incidentId).orderBy('t.created_at').orderBy('t.id').execute();
    return { items: await this.#views(actor, rows) };
  }

  /** 我的任务 (`mine`, the default), or the tasks on the incidents the reader may see. */
  async query(actor: Actor, q: IncidentTaskQuery): Promise<IncidentTaskList> {
    const mine = q.mine === undefined || q.mine === '1' || q.mine === true;
    let query = this.#select(this.ctx.db);
    if (mine) {
      query = query.where('t.assignee_id', '=', actor.userId ?? '');
    } else {
      const units = unitsReached(actor, P.read);
      if (units !== null) {
        query = query.where((eb) => eb.or([eb('i.org_unit_id', 'is', null), ...(units.size ? [eb('i.org_unit_id', 'in', [...units])] : []), eb('t.assignee_id', '=', actor.userId ?? '')]));
      }
    }
    if (q.status) {
      query = query.where('t.status', '=', q.status);
    }
    const rows = await query.orderBy('t.status', 'desc').orderBy('t.created_at', 'desc').limit(500).execute();
    return { items: await this.#views(actor, rows) };
  }

  async create(actor: Actor, incidentId: string, input: IncidentTaskCreate): Promise<IncidentTask> {
    const id = uuidv7();
    await this.ctx.db.transaction().execute(async (trx) => {
      const incident = await this.#writable(trx, actor, incidentId);
      if (!['new', 'in_progress', 'on_hold'].includes(incident.status)) {
        throw runbookState('params.id', { zh: '故障已解决、关闭或取消，不能再分派任务', en: 'the incident is resolved, closed or cancelled: no task can be added' });
      }
      const assignee = await trx.selectFrom('user').select(['id', 'username', 'display_name']).where('id', '=', input.assigneeId).where('status', '=', 'active').executeTakeFirst();
      if (!assignee) {
        throw invalidField('body.assigneeId', { zh: '用户不存在或已停用', en: 'no such user, or the account is disabled' });
      }
      if ((input.runId === undefined) !== (input.stepIndex === undefined)) {
        throw invalidField(input.runId === undefined ? 'body.runId' : 'body.stepIndex', { zh: '分派处理方案的步骤需同时给出执行记录和步骤序号', en: 'a runbook step is named by both the run and the step index' });
      }
      const now = Date.now();
      if (input.dueAt !== undefined && input.dueAt !== null && input.dueAt < now - 60_000) {
        throw invalidField('body.dueAt', { zh: '期限不能早于现在', en: 'the due time cannot be in the past' });
      }
      let stepTitle: string | null = null;
      if (input.runId !== undefined && input.stepIndex !== undefined) {
        const run = await trx.selectFrom('incident_runbook_run').select(['id', 'status', 'runbook_version_id']).where('id', '=', input.runId).where('incident_id', '=', incidentId).executeTakeFirst();
        if (!run || run.status !== 'running') {
          throw invalidField('body.runId', { zh: '处理方案的执行记录不存在或已结束', en: 'no such runbook run, or it has ended' });
        }
        const step = await trx.selectFrom('incident_runbook_step_run').select(['status', 'task_id']).where('run_id', '=', run.id).where('idx', '=', input.stepIndex).executeTakeFirst();
        if (!step || ['done', 'skipped'].includes(step.status)) {
          throw invalidField('body.stepIndex', { zh: '该步骤不存在或已完成', en: 'no such step, or it is finished' });
        }
        const open = step.task_id ? await trx.selectFrom('incident_task').select('id').where('id', '=', step.task_id).where('status', '=', 'open').executeTakeFirst() : undefined;
        if (open) {
          throw invalidField('body.stepIndex', { zh: '该步骤已分派给他人，任务尚未完成', en: 'this step is already handed to someone and their task is open' });
        }
        const version = await trx.selectFrom('incident_runbook_version').select('steps').where('id', '=', run.runbook_version_id).executeTakeFirstOrThrow();
        stepTitle = fromJson<RunbookStep[]>(version.steps)[input.stepIndex]?.title ?? null;
        await trx.updateTable('incident_runbook_step_run').set({ task_id: id }).where('run_id', '=', run.id).where('idx', '=', input.stepIndex).execute();
      }
      const row: IncidentTaskTable = {
        id,
        incident_id: incidentId,
        title: input.title.trim(),
        description: input.description?.trim() ?? '',
        assignee_id: assignee.id,
        due_at: input.dueAt ?? null,
        status: 'open',
        created_by: actor.userId,
        created_at: now,
        done_at: null,
        done_by: null,
        result_note: '',
        run_id: input.runId ?? null,
        step_index: input.stepIndex ?? null,
      };
      await trx.insertInto('incident_task').values(row).execute();
      const who = assignee.display_name || assignee.username;
      const step = stepTitle !== null ? { zh: `（处理方案第 ${input.stepIndex! + 1} 步「${stepTitle}」）`, en: ` (runbook step ${input.stepIndex! + 1} "${stepTitle}")` } : { zh: '', en: '' };
      await this.#activity(trx, incidentId, actor, { zh: `分派任务「${row.title}」给 ${who}${step.zh}`, en: `Gave the task "${row.title}" to ${who}${step.en}` });
      await this.ctx.audit.record(trx, { actor, action: 'incidents.task.create', targetType: 'incident', targetId: incidentId, after: { taskId: id, title: row.title, assignee: who, assigneeId: assignee.id, dueAt: row.due_at, runId: row.run_id, stepIndex: row.step_index } });
      await this.#notify(trx, incident, row, who, actor);
    });
    notifyOf(this.ctx).wake();
    this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    return this.#one(actor, id);
  }

  /** The assignee or a handler of the incident completes it; a task for a runbook step completes the step. */
  async complete(actor: Actor, taskId: string, note: string | undefined): Promise<IncidentTask> {
    const text = note?.trim() ?? '';
    const incidentId = await this.ctx.db.transaction().execute(async (trx) => {
      const task = await this.#task(trx, actor, taskId);
      const mine = actor.userId !== null && task.assignee_id === actor.userId;
      if (!mine && !this.#handles(actor, task)) {
        throw new AppError('YW_FORBIDDEN', { explanation: { zh: '只有任务的负责人或该故障的处理人可以完成任务', en: "only the task's assignee or a handler of the incident completes it" } });
      }
      if (task.status !== 'open') {
        throw runbookState('params.taskId', { zh: '任务已完成或已取消', en: 'the task is already done or cancelled' });
      }
      const now = Date.now();
      await trx.updateTable('incident_task').set({ status: 'done', done_at: now, done_by: actor.userId, result_note: text }).where('id', '=', taskId).where('status', '=', 'open').execute();
      const by = await this.#name(trx, actor.userId);
      await this.#activity(trx, task.incident_id, actor, { zh: `${by} 完成了任务「${task.title}」${text ? `：${text}` : ''}`, en: `${by} completed the task "${task.title}"${text ? `: ${text}` : ''}` });
      if (task.run_id !== null && task.step_index !== null) {
        // The step handed over is done by whoever did the task, with the task's result.
        const step = await trx.selectFrom('incident_runbook_step_run').select(['status', 'started_at', 'task_id']).where('run_id', '=', task.run_id).where('idx', '=', task.step_index).executeTakeFirst();
        const run = await trx.selectFrom('incident_runbook_run').select('status').where('id', '=', task.run_id).executeTakeFirst();
        if (step && step.task_id === taskId && run?.status === 'running' && !['done', 'skipped'].includes(step.status)) {
          await trx.updateTable('incident_runbook_step_run').set({ status: 'done', result: 'ok', actor_id: actor.userId, started_at: step.started_at ?? Number(task.created_at), finished_at: now, note: text }).where('run_id', '=', task.run_id).where('idx', '=', task.step_index).execute();
          await this.runs.completeIfDone(trx, actor, task.incident_id, task.run_id);
        }
      }
      await this.ctx.audit.record(trx, { actor, action: 'incidents.task.complete', targetType: 'incident', targetId: task.incident_id, before: { status: 'open' }, after: { taskId, title: task.title, status: 'done', note: text } });
      return task.incident_id;
    });
    this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    return this.#one(actor, taskId);
  }

  async cancel(actor: Actor, taskId: string, note: string | undefined): Promise<IncidentTask> {
    const text = note?.trim() ?? '';
    const incidentId = await this.ctx.db.transaction().execute(async (trx) => {
      const task = await this.#task(trx, actor, taskId);
      if (!this.#handles(actor, task)) {
        throw new AppError('YW_FORBIDDEN', { explanation: { zh: '只有该故障的处理人可以取消任务', en: 'only a handler of the incident cancels a task' } });
      }
      if (task.status !== 'open') {
        throw runbookState('params.taskId', { zh: '任务已完成或已取消', en: 'the task is already done or cancelled' });
      }
      await trx.updateTable('incident_task').set({ status: 'cancelled', done_at: Date.now(), done_by: actor.userId, result_note: text }).where('id', '=', taskId).where('status', '=', 'open').execute();
      await this.#activity(trx, task.incident_id, actor, { zh: `取消任务「${task.title}」${text ? `：${text}` : ''}`, en: `Cancelled the task "${task.title}"${text ? `: ${text}` : ''}` });
      await this.ctx.audit.record(trx, { actor, action: 'incidents.task.cancel', targetType: 'incident', targetId: task.incident_id, before: { status: 'open' }, after: { taskId, title: task.title, status: 'cancelled', note: text } });
      return task.incident_id;
    });
    this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    return this.#one(actor, taskId);
  }

  // ------------------------------------------------------------ helpers

  #select(db: Kysely<Database>) {
    return db
      .selectFrom('incident_task as t')
      .innerJoin('incident as i', 'i.id', 't.incident_id')
      .selectAll('t')
      .select(['i.number', 'i.title as incident_title', 'i.org_unit_id', 'i.assignee_id as incident_assignee']);
  }

  /** A handler: holds incident write reaching the incident's unit, or is its assignee. */
  #handles(actor: Actor, task: Pick<TaskRow, 'org_unit_id' | 'incident_assignee'>): boolean {
    return inScope(actor, P.write, task.org_unit_id) || (actor.userId !== null && task.incident_assignee === actor.userId);
  }

  async #task(trx: Kysely<Database>, actor: Actor, taskId: string): Promise<TaskRow> {
    const task = await this.#select(trx).where('t.id', '=', taskId).executeTakeFirst();
    const visible = task && ((actor.userId !== null && task.assignee_id === actor.userId) || inScope(actor, P.read, task.org_unit_id) || task.incident_assignee === actor.userId);
    if (!task || !visible) {
      throw new AppError('YW_INCIDENT_TASK_NOT_FOUND', { field: 'params.taskId', id: taskId });
    }
    return task;
  }

  async #one(actor: Actor, taskId: string): Promise<IncidentTask> {
    const row = (await this.#select(this.ctx.db).where('t.id', '=', taskId).executeTakeFirst())!;
    return (await this.#views(actor, [row]))[0]!;
  }

  async #writable(trx: Kysely<Database>, actor: Actor, incidentId: string): Promise<IncidentTable> {
    const row = await trx.selectFrom('incident').selectAll().where('id', '=', incidentId).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INCIDENT_NOT_FOUND', { field: 'params.id', id: incidentId });
    }
    if (!inScope(actor, P.write, row.org_unit_id) && row.org_unit_id !== null && row.assignee_id !== actor.userId) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write });
    }
    return row;
  }

  async #name(db: Kysely<Database>, userId: string | null): Promise<string> {
    const u = userId ? await db.selectFrom('user').select(['username', 'display_name']).where('id', '=', userId).executeTakeFirst() : undefined;
    return u ? u.display_name || u.username : '—';
  }

  /** Kind `link` (one of the incident's activity kinds) with the words in `{ zh, en }`: shown as written. */
  async #activity(trx: Kysely<Database>, incidentId: string, actor: Actor, text: LocalizedText): Promise<void> {
    await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: incidentId, at: Date.now(), kind: 'link', actor_id: actor.userId, data: toJson(text), note: '' }).execute();
  }

  /** 【故障任务】 to the assignee through the default channels (their e-mail on an e-mail channel), in this transaction. */
  async #notify(trx: Kysely<Database>, incident: IncidentTable, task: IncidentTaskTable, assignee: string, actor: Actor): Promise<void> {
    const url = linkTo(this.ctx.config.publicUrl, `/incidents/${incident.id}`);
    const due = task.due_at === null ? null : formatMessageTime(Number(task.due_at), this.ctx.config.timeZone);
    const from = await this.#name(trx, actor.userId);
    const zhTitle = `【故障任务】${incident.number} ${task.title}`;
    const zhText = `${from} 在故障 ${incident.number}「${incident.title}」中分派给 ${assignee} 的任务：${task.title}${due ? `，请在 ${due} 前完成` : ''}。${task.description ? `\n${task.description}` : ''}`;
    const enTitle = `[Incident task] ${incident.number} ${task.title}`;
    const enText = `${from} gave ${assignee} a task on incident ${incident.number} "${incident.title}": ${task.title}${due ? `; due by ${due}` : ''}.${task.description ? `\n${task.description}` : ''}`;
    const data = { kind: 'incident-task', incident: incident.number, task: task.title, assignee, dueAt: task.due_at };
    const message: LocalizedMessage = {
      'zh-CN': { title: zhTitle, text: `${zhText}\n${url}`, markdown: `**${zhTitle}**\n\n${zhText}\n\n[打开故障](${url})`, severity: 'info', url, data },
      en: { title: enTitle, text: `${enText}\n${url}`, markdown: `**${enTitle}**\n\n${enText}\n\n[Open the incident](${url})`, severity: 'info', url, data },
    };
    for (const send of await addressed(this.ctx, trx, null, [task.assignee_id])) {
      await notifyOf(this.ctx).enqueue({ channelId: send.channelId, message, ...(send.recipients.length ? { recipients: send.recipients } : {}), source: { kind: 'incident', id: incident.id } }, trx);
    }
  }

  async #views(actor: Actor, rows: readonly TaskRow[]): Promise<IncidentTask[]> {
    const db = this.ctx.db;
    const userIds = [...new Set(rows.flatMap((r) => [r.assignee_id, r.created_by, r.done_by]).filter((x): x is string => Boolean(x)))];
    const users = new Map(userIds.length ? (await db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', userIds).execute()).map((u) => [u.id, u.display_name || u.username]) : []);
    const runIds = [...new Set(rows.map((r) => r.run_id).filter((x): x is string => Boolean(x)))];
    const runs = runIds.length ? await db.selectFrom('incident_runbook_run as r').innerJoin('incident_runbook_version as v', 'v.id', 'r.runbook_version_id').select(['r.id', 'v.steps']).where('r.id', 'in', runIds).execute() : [];
    const stepsOf = new Map(runs.map((r) => [r.id, fromJson<RunbookStep[]>(r.steps)]));
    return rows.map((r) => ({
      id: r.id,
      incidentId: r.incident_id,
      incidentNumber: r.number,
      incidentTitle: r.incident_title,
      title: r.title,
      description: r.description,
      assigneeId: r.assignee_id,
      assignee: users.get(r.assignee_id) ?? r.assignee_id,
      dueAt: r.due_at === null ? null : Number(r.due_at),
      status: r.status,
      createdBy: r.created_by ? (users.get(r.created_by) ?? null) : null,
      createdAt: Number(r.created_at),
      doneAt: r.done_at === null ? null : Number(r.done_at),
      doneBy: r.done_by ? (users.get(r.done_by) ?? null) : null,
      resultNote: r.result_note,
      step: r.run_id !== null && r.step_index !== null ? { runId: r.run_id, index: Number(r.step_index), title: stepsOf.get(r.run_id)?.[Number(r.step_index)]?.title ?? '' } : null,
      canComplete: r.status === 'open' && ((actor.userId !== null && r.assignee_id === actor.userId) || this.#handles(actor, r)),
    }));
  }
}
