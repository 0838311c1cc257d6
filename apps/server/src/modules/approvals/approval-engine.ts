import type { Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { APPROVAL_PERMISSIONS, type ApprovalAddSigner, type ApprovalEventAction, type ApprovalReject, type ApprovalStep, type ApprovalTransfer } from '@yunwei/contracts/approvals';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { can, type Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { notifyOf } from '../notify/runtime.js';
import { approvalsRepo as repo, OPEN_TASK, type RequestRow, type TaskRow } from './approvals.repository.js';
import type { ApprovalTaskTable } from './approvals.tables.js';
import { isActiveUser, requireApprovers } from './approver-resolution.js';
import { noticeOpenedTasks } from './task-notices.js';
import type { SubjectRegistry } from './subject-registry.js';

/** The step's tasks as they are when it starts: 依次 activates the first only. */
function stepTasks(requestId: string, index: number, step: ApprovalStep, users: readonly string[], now: number): ApprovalTaskTable[] {
  const dueAt = step.dueHours ? now + Math.round(step.dueHours * 3_600_000) : null;
  return users.map((assignee, position) => ({
    id: uuidv7(),
    request_id: requestId,
    step: index,
    position,
    assignee_id: assignee,
    status: step.mode === 'sequence' && position > 0 ? 'waiting' : 'pending',
    origin: 'flow',
    added_by: null,
    before_task_id: null,
    due_at: dueAt,
    reminded_at: null,
    escalate_at: null,
    escalated_at: null,
    decided_at: null,
    comment: null,
    created_at: now,
  }));
}

/** What a decision is working on, inside its transaction. */
interface Decision {
  trx: Transaction<Database>;
  actor: Actor;
  request: RequestRow;
  steps: ApprovalStep[];
  task: TaskRow;
  now: number;
}

/**
 * The state machine of requests: submission, the decisions on tasks (approve, 退回, 转办, 加签) and
 * withdrawal. Every decision is one transaction that first moves the request's version on with a
 * conditional UPDATE: of two people deciding at once, one wins and the other hears it was decided.
 * Nothing lives in memory but the subject registrations: any node, any restart carries on.
 */
export class ApprovalEngine {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly subjects: SubjectRegistry,
  ) {}

  /** Starts a request against the enabled flow `flowCode`; every step must resolve to somebody now. */
  async submit(actor: Actor, input: { flowCode: string; subjectType: string; subjectId: string; title: string; orgUnitId?: string | null }, trx: Transaction<Database>): Promise<string> {
    this.subjects.require(input.subjectType);
    const title = input.title.trim();
    if (!title || title.length > 200) {
      throw invalidField('title', { zh: '标题不能为空，且不超过 200 个字符', en: 'The title must be 1 to 200 characters' });
    }
    if (!actor.userId) {
      throw new AppError('YW_FORBIDDEN', { explanation: { zh: '审批须由用户本人发起', en: 'a request is submitted by a person' } });
    }
    if (!input.subjectId || input.subjectId.length > 200) {
      throw invalidField('subjectId', { zh: '对象编号不能为空，且不超过 200 个字符', en: 'The subject id must be 1 to 200 characters' });
    }
    const flow = await repo.flowByCode(trx, input.flowCode);
    if (!flow) {
      throw new AppError('YW_APPROVAL_FLOW_NOT_FOUND', { flowCode: input.flowCode });
    }
    if (flow.enabled !== 1) {
      throw new AppError('YW_APPROVAL_FLOW_DISABLED', { flowCode: input.flowCode });
    }
    if (await repo.pendingFor(trx, input.subjectType, input.subjectId)) {
      throw new AppError('YW_APPROVAL_ALREADY_PENDING', { subjectType: input.subjectType, subjectId: input.subjectId });
    }
    const steps = fromJson<ApprovalStep[]>(flow.steps);
    const now = Date.now();
    const submitter = await trx.selectFrom('user').select('org_unit_id').where('id', '=', actor.userId).executeTakeFirst();
    const orgUnitId = input.orgUnitId ?? submitter?.org_unit_id ?? null;
    // Every step is checked now: a flow that cannot finish is refused before anyone is asked.
    const resolved: string[][] = [];
    for (const [index, step] of steps.entries()) {
      resolved.push(await requireApprovers(this.ctx, trx, step, index, now, orgUnitId));
    }
    const request: RequestRow = {
      id: uuidv7(),
      flow_id: flow.id,
      flow_code: flow.code,
      steps: toJson(steps),
      subject_type: input.subjectType,
      subject_id: input.subjectId,
      title,
      submitter_id: actor.userId,
      org_unit_id: orgUnitId,
      status: 'pending',
      current_step: 0,
      version: 0,
      created_at: now,
      decided_at: null,
    };
    await repo.insertRequest(trx, request);
    const first = stepTasks(request.id, 0, steps[0]!, resolved[0]!, now);
    await repo.insertTasks(trx, first);
    await noticeOpenedTasks(this.ctx, trx, request, first.filter((task) => task.status === 'pending'));
    await this.#event(trx, request.id, 'submit', actor, 0, null, { flowCode: flow.code }, now);
    await this.ctx.audit.record(trx, { actor, action: 'approvals.request.submit', targetType: 'approval_request', targetId: request.id, after: { flowCode: flow.code, subjectType: input.subjectType, subjectId: input.subjectId, title } });
    return request.id;
  }

  approve(actor: Actor, taskId: string, comment?: string): Promise<string> {
    return this.#decide(actor, taskId, 'approve', comment, async (d) => {
      await repo.updateTask(d.trx, d.task.id, { status: 'approved', decided_at: d.now, comment: comment ?? null });
      await this.#event(d.trx, d.request.id, 'approve', d.actor, d.task.step, comment, { taskId: d.task.id }, d.now);
      if (d.task.before_task_id) {
        // An approver added before someone: that person's task comes back.
        const back = await d.trx.updateTable('approval_task').set({ status: 'pending' }).where('id', '=', d.task.before_task_id).where('status', '=', 'waiting').executeTakeFirst();
        if (Number(back.numUpdatedRows) === 1) {
          await this.#opened(d, [(await repo.task(d.trx, d.task.before_task_id))!]);
        }
        return;
      }
      await this.#advance(d);
    });
  }

  reject(actor: Actor, taskId: string, input: ApprovalReject): Promise<string> {
    return this.#decide(actor, taskId, 'reject', input.comment, async (d) => {
      await repo.updateTask(d.trx, d.task.id, { status: 'rejected', decided_at: d.now, comment: input.comment ?? null });
      const previous = input.to === 'previous' && d.task.step > 0 ? d.task.step - 1 : null;
      await this.#event(d.trx, d.request.id, 'reject', d.actor, d.task.step, input.comment, { taskId: d.task.id, to: previous === null ? 'submitter' : 'previous' }, d.now);
      if (previous === null) {
        await this.#finish(d, 'rejected');
        return;
      }
      await repo.closeOpenTasks(d.trx, d.request.id, 'cancelled', d.now, d.task.step);
      await this.#startStep(d, previous);
    });
  }

  transfer(actor: Actor, taskId: string, input: ApprovalTransfer): Promise<string> {
    return this.#decide(actor, taskId, 'transfer', input.comment, async (d) => {
      await this.#checkNewcomer(d, input.userId);
      await repo.updateTask(d.trx, d.task.id, { status: 'transferred', decided_at: d.now, comment: input.comment ?? null });
      const handed: ApprovalTaskTable = { ...this.#copy(d.task, input.userId, d.now), origin: 'transfer', status: 'pending' };
      await repo.insertTasks(d.trx, [handed]);
      await this.#opened(d, [handed]);
      await this.#event(d.trx, d.request.id, 'transfer', d.actor, d.task.step, input.comment, { taskId: d.task.id, userId: input.userId }, d.now);
    });
  }

  addSigner(actor: Actor, taskId: string, input: ApprovalAddSigner): Promise<string> {
    return this.#decide(actor, taskId, 'add-signer', input.comment, async (d) => {
      await this.#checkNewcomer(d, input.userId);
      const added = this.#copy(d.task, input.userId, d.now);
      if (input.position === 'before') {
        // The added person decides first; this task waits for their approval.
        await repo.updateTask(d.trx, d.task.id, { status: 'waiting' });
        const first: ApprovalTaskTable = { ...added, origin: 'add_before', status: 'pending', before_task_id: d.task.id };
        await repo.insertTasks(d.trx, [first]);
        await this.#opened(d, [first]);
      } else if (d.steps[d.task.step]!.mode === 'sequence') {
        await repo.shiftPositions(d.trx, d.request.id, d.task.step, d.task.position);
        await repo.insertTasks(d.trx, [{ ...added, origin: 'add_after', status: 'waiting', position: d.task.position + 1, before_task_id: null }]);
      } else {
        const last = Math.max(...(await repo.stepTasks(d.trx, d.request.id, d.task.step)).map((t) => t.position));
        const more: ApprovalTaskTable = { ...added, origin: 'add_after', status: 'pending', position: last + 1, before_task_id: null };
        await repo.insertTasks(d.trx, [more]);
        await this.#opened(d, [more]);
      }
      await this.#event(d.trx, d.request.id, 'add_signer', d.actor, d.task.step, input.comment, { taskId: d.task.id, userId: input.userId, position: input.position }, d.now);
    });
  }

  /** The submitter takes back a pending request: its open tasks are cancelled, the subject hears `withdrawn`. */
  async withdraw(actor: Actor, requestId: string, comment?: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      for (let attempt = 0; ; attempt++) {
        const request = await repo.request(trx, requestId);
        if (!request) {
          throw new AppError('YW_APPROVAL_REQUEST_NOT_FOUND');
        }
        if (request.submitter_id !== actor.userId) {
          throw await this.#refusal(trx, actor, request.id, 'YW_APPROVAL_NOT_SUBMITTER');
        }
        if (request.status !== 'pending' || attempt >= 4) {
          throw new AppError(attempt ? 'YW_APPROVAL_ALREADY_DECIDED' : 'YW_APPROVAL_REQUEST_CLOSED');
        }
        if (await repo.bumpVersion(trx, request.id, request.version)) {
          const now = Date.now();
          await this.#event(trx, request.id, 'withdraw', actor, request.current_step, comment, {}, now);
          await this.#finish({ trx, actor, request, now }, 'withdrawn');
          await this.ctx.audit.record(trx, { actor, action: 'approvals.request.withdraw', targetType: 'approval_request', targetId: request.id, before: { status: 'pending' }, after: { status: 'withdrawn', comment: comment ?? null } });
          return;
        }
      }
    });
  }

  /** A remark in the history by the submitter or anyone who has (had) a task in the request. */
  async comment(actor: Actor, requestId: string, comment: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const request = await repo.request(trx, requestId);
      if (!request) {
        throw new AppError('YW_APPROVAL_REQUEST_NOT_FOUND');
      }
      if (request.submitter_id !== actor.userId && !(actor.userId && (await repo.isParticipant(trx, requestId, actor.userId)))) {
        throw await this.#refusal(trx, actor, requestId, 'YW_APPROVAL_NOT_PARTICIPANT');
      }
      await this.#event(trx, requestId, 'comment', actor, request.current_step, comment, {}, Date.now());
      await this.ctx.audit.record(trx, { actor, action: 'approvals.request.comment', targetType: 'approval_request', targetId: requestId, after: { comment } });
    });
  }

  /**
   * Runs one decision on a task: the assignee only, a pending task of a pending request only, and the
   * request's version moved on before anything else is written. Answers the request id.
   */
  async #decide(actor: Actor, taskId: string, verb: string, comment: string | undefined, act: (d: Decision) => Promise<void>): Promise<string> {
    const requestId = await this.#decideIn(actor, taskId, verb, comment, act);
    // The notices of tasks opened by the decision were committed with it: send them now, not at the next poll.
    notifyOf(this.ctx).wake();
    return requestId;
  }

  async #decideIn(actor: Actor, taskId: string, verb: string, comment: string | undefined, act: (d: Decision) => Promise<void>): Promise<string> {
    return this.ctx.db.transaction().execute(async (trx) => {
      for (let attempt = 0; ; attempt++) {
        const task = await repo.task(trx, taskId);
        if (!task) {
          throw new AppError('YW_APPROVAL_TASK_NOT_FOUND');
        }
        if (task.assignee_id !== actor.userId) {
          throw new AppError('YW_APPROVAL_NOT_ASSIGNEE');
        }
        const request = (await repo.request(trx, task.request_id))!;
        if (request.status !== 'pending' || task.status === 'skipped' || task.status === 'cancelled') {
          throw new AppError('YW_APPROVAL_ALREADY_DECIDED', { status: request.status });
        }
        if (task.status !== 'pending') {
          throw new AppError('YW_APPROVAL_TASK_NOT_PENDING', { status: task.status });
        }
        // Zero rows: somebody decided on this request since we read it. Read again and look (a few
        // times: on a 会签 step the others' decisions leave this task pending).
        if (!(await repo.bumpVersion(trx, request.id, request.version))) {
          if (attempt >= 4) {
            throw new AppError('YW_APPROVAL_ALREADY_DECIDED');
          }
          continue;
        }
        const d: Decision = { trx, actor, request, steps: fromJson(request.steps), task, now: Date.now() };
        await act(d);
        const after = await repo.request(trx, request.id);
        await this.ctx.audit.record(trx, {
          actor,
          action: `approvals.task.${verb}`,
          targetType: 'approval_request',
          targetId: request.id,
          before: { taskId, taskStatus: 'pending', requestStatus: 'pending', step: request.current_step },
          after: { taskId, requestStatus: after?.status, step: after?.current_step, comment: comment ?? null },
        });
        return request.id;
      }
    });
  }

  /** After an approval of a task of the step: the step completes, the next in line becomes pending, or nothing yet. */
  async #advance(d: Decision): Promise<void> {
    const step = d.task.step;
    if (d.steps[step]!.mode === 'any') {
      await repo.closeOpenTasks(d.trx, d.request.id, 'skipped', d.now, step);
      await this.#completeStep(d, step);
      return;
    }
    const open = (await repo.stepTasks(d.trx, d.request.id, step)).filter((t) => (OPEN_TASK as readonly string[]).includes(t.status));
    if (open.some((t) => t.status === 'pending')) {
      return;
    }
    const next = open.filter((t) => t.status === 'waiting').sort((a, b) => a.position - b.position)[0];
    if (next) {
      await repo.updateTask(d.trx, next.id, { status: 'pending' });
      await this.#opened(d, [next]);
      return;
    }
    await this.#completeStep(d, step);
  }

  async #completeStep(d: Decision, step: number): Promise<void> {
    await this.#event(d.trx, d.request.id, 'step_completed', null, step, null, { name: d.steps[step]!.name }, d.now);
    if (step + 1 < d.steps.length) {
      await this.#startStep(d, step + 1);
      return;
    }
    await this.#event(d.trx, d.request.id, 'approved', null, step, null, {}, d.now);
    await this.#finish(d, 'approved');
  }

  async #startStep(d: Decision, step: number): Promise<void> {
    const users = await requireApprovers(this.ctx, d.trx, d.steps[step]!, step, d.now, d.request.org_unit_id);
    const tasks = stepTasks(d.request.id, step, d.steps[step]!, users, d.now);
    await repo.insertTasks(d.trx, tasks);
    await this.#opened(d, tasks.filter((task) => task.status === 'pending'));
    await repo.updateRequest(d.trx, d.request.id, { current_step: step });
  }

  /** Ends the request: open tasks cancelled, the outcome stored and told to the subject's module in this transaction. */
  async #finish(d: Pick<Decision, 'trx' | 'actor' | 'request' | 'now'>, outcome: 'approved' | 'rejected' | 'withdrawn'): Promise<void> {
    await repo.closeOpenTasks(d.trx, d.request.id, 'cancelled', d.now);
    await repo.updateRequest(d.trx, d.request.id, { status: outcome, decided_at: d.now });
    const r = d.request;
    await this.subjects.require(r.subject_type).onOutcome(d.trx, r.subject_id, outcome, {
      id: r.id,
      flowCode: r.flow_code,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      title: r.title,
      submitterId: r.submitter_id,
      orgUnitId: r.org_unit_id,
      decidedBy: d.actor.userId,
      decidedAt: d.now,
    });
  }

  /** Why `actor` may not do this to the request: the reason for those who may read it, "no such request" for the others. */
  async #refusal(trx: Transaction<Database>, actor: Actor, requestId: string, reason: 'YW_APPROVAL_NOT_SUBMITTER' | 'YW_APPROVAL_NOT_PARTICIPANT'): Promise<AppError> {
    const reads = can(actor, APPROVAL_PERMISSIONS.flowManage) || (actor.userId !== null && (await repo.isParticipant(trx, requestId, actor.userId)));
    return new AppError(reads ? reason : 'YW_APPROVAL_REQUEST_NOT_FOUND');
  }

  /** A person to hand over to or add: an active user without an open task in this step already. */
  async #checkNewcomer(d: Decision, userId: string): Promise<void> {
    if (!(await isActiveUser(d.trx, userId))) {
      throw invalidField('body.userId', { zh: '用户不存在或已停用', en: 'No such active user' });
    }
    const open = (await repo.stepTasks(d.trx, d.request.id, d.task.step)).some((t) => t.assignee_id === userId && (OPEN_TASK as readonly string[]).includes(t.status));
    if (userId === d.actor.userId || open) {
      throw invalidField('body.userId', { zh: '此人已是本步骤的审批人', en: 'This person already approves this step' });
    }
  }

  /** Tells the people whose tasks just became pending (see task-notices.ts). */
  #opened(d: Decision, tasks: readonly { assignee_id: string; step: number; due_at: number | null }[]): Promise<void> {
    return noticeOpenedTasks(this.ctx, d.trx, d.request, tasks);
  }

  #copy(task: TaskRow, assignee: string, now: number): ApprovalTaskTable {
    return { ...task, id: uuidv7(), assignee_id: assignee, added_by: task.assignee_id, reminded_at: null, escalate_at: null, escalated_at: null, decided_at: null, comment: null, created_at: now };
  }

  async #event(trx: Transaction<Database>, requestId: string, action: ApprovalEventAction, actor: Actor | null, step: number | null, comment: string | null | undefined, detail: Record<string, unknown>, at: number): Promise<void> {
    const name = actor?.userId ? (await repo.names(trx, [actor.userId])).get(actor.userId) ?? actor.username : (actor?.username ?? null);
    await repo.insertEvent(trx, { id: uuidv7(), request_id: requestId, action, actor_id: actor?.userId ?? null, actor_name: name, step, comment: comment ?? null, detail: toJson(detail), at });
  }
}
