import type { Kysely } from 'kysely';
import { APPROVAL_PERMISSIONS as P, type ApprovalCount, type ApprovalEvent, type ApprovalInbox, type ApprovalInboxQuery, type ApprovalPeopleQuery, type ApprovalPerson, type ApprovalRequestDetail, type ApprovalRequestSummary, type ApprovalStep, type ApprovalTask } from '@yunwei/contracts/approvals';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { can, type Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { approvalsRepo as repo, type RequestRow } from './approvals.repository.js';

const person = (names: Map<string, string>, id: string) => ({ id, name: names.get(id) ?? id });
const epochOrNull = (v: number | null) => (v === null ? null : Number(v));

interface Extras {
  flowNames: Map<string, { zh: string; en: string }>;
  due: Map<string, number>;
}

/** The flow names and nearest due times of these requests (the reader's own pending task first). */
async function extrasOf(db: Kysely<Database>, rows: readonly RequestRow[], readerId: string | null): Promise<Extras> {
  const flowNames = await repo.flowNames(db, rows.map((r) => r.flow_id));
  const due = new Map<string, number>();
  const open = await repo.openDue(db, rows.map((r) => r.id));
  for (const id of new Set(open.map((t) => t.request_id))) {
    const tasks = open.filter((t) => t.request_id === id);
    const mine = tasks.filter((t) => t.assignee_id === readerId);
    due.set(id, Math.min(...(mine.length ? mine : tasks).map((t) => Number(t.due_at))));
  }
  return { flowNames, due };
}

function summary(row: RequestRow, names: Map<string, string>, myTaskId: string | null, extras: Extras): ApprovalRequestSummary {
  const steps = fromJson<ApprovalStep[]>(row.steps);
  return {
    id: row.id,
    flowCode: row.flow_code,
    title: row.title,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    submitter: person(names, row.submitter_id),
    status: row.status as ApprovalRequestSummary['status'],
    currentStep: row.current_step,
    currentStepName: steps[row.current_step]?.name ?? '',
    stepCount: steps.length,
    flowName: extras.flowNames.get(row.flow_id) ?? { zh: row.flow_code, en: row.flow_code },
    dueAt: extras.due.get(row.id) ?? null,
    createdAt: Number(row.created_at),
    decidedAt: epochOrNull(row.decided_at),
    myTaskId,
  };
}

/** What people read: their boxes, the header count and one request with its tasks and history. */
export class ApprovalViews {
  constructor(private readonly db: Kysely<Database>) {}

  async inbox(actor: Actor, query: ApprovalInboxQuery): Promise<ApprovalInbox> {
    if (!actor.userId) {
      return { items: [], total: 0 };
    }
    const { rows, total } = await repo.inbox(this.db, actor.userId, query.box, { offset: query.offset ?? 0, limit: query.limit ?? 50, q: query.q });
    const names = await repo.names(this.db, rows.map((r) => r.submitter_id));
    const mine = new Map((await repo.myPendingTasks(this.db, actor.userId, rows.map((r) => r.id))).map((t) => [t.request_id, t.id]));
    const extras = await extrasOf(this.db, rows, actor.userId);
    return { items: rows.map((r) => summary(r, names, mine.get(r.id) ?? null, extras)), total };
  }

  /** Active people by name, for the pickers of 转办 / 加签 (approvers need not read the user list). */
  async people(query: ApprovalPeopleQuery): Promise<ApprovalPerson[]> {
    const rows = await repo.people(this.db, query.q?.trim() ?? '', query.limit ?? 20);
    return rows.map((r) => ({ id: r.id, name: r.display_name || r.username, username: r.username }));
  }

  async count(actor: Actor): Promise<ApprovalCount> {
    if (!actor.userId) {
      return { todo: 0 };
    }
    const { total } = await repo.inbox(this.db, actor.userId, 'todo', { offset: 0, limit: 1 });
    return { todo: total };
  }

  /** Readable by its submitter, anyone with a task in it, and flow managers; others are told it does not exist. */
  async detail(actor: Actor, id: string): Promise<ApprovalRequestDetail> {
    const row = await repo.request(this.db, id);
    const readable = row && (can(actor, P.flowManage) || (actor.userId !== null && (row.submitter_id === actor.userId || (await repo.isParticipant(this.db, id, actor.userId)))));
    if (!row || !readable) {
      throw new AppError('YW_APPROVAL_REQUEST_NOT_FOUND');
    }
    const [tasks, events] = await Promise.all([repo.tasks(this.db, id), repo.events(this.db, id)]);
    const names = await repo.names(this.db, [row.submitter_id, ...tasks.flatMap((t) => [t.assignee_id, t.added_by]), ...events.flatMap((e) => [e.actor_id, detailUser(e.detail)])]);
    const taskViews: ApprovalTask[] = tasks.map((t) => ({
      id: t.id,
      step: t.step,
      position: t.position,
      assignee: person(names, t.assignee_id),
      status: t.status as ApprovalTask['status'],
      origin: t.origin as ApprovalTask['origin'],
      addedBy: t.added_by ? person(names, t.added_by) : null,
      dueAt: epochOrNull(t.due_at),
      decidedAt: epochOrNull(t.decided_at),
      comment: t.comment,
      createdAt: Number(t.created_at),
    }));
    const history: ApprovalEvent[] = events.map((e) => ({
      id: e.id,
      action: e.action as ApprovalEvent['action'],
      // The name as it was (stored), unless the actor is gone.
      actor: e.actor_id ? { id: e.actor_id, name: e.actor_name ?? names.get(e.actor_id) ?? e.actor_id } : null,
      step: e.step,
      comment: e.comment,
      detail: withNames(fromJson<Record<string, unknown>>(e.detail), names),
      at: Number(e.at),
    }));
    const myTask = tasks.find((t) => t.assignee_id === actor.userId && t.status === 'pending');
    return { ...summary(row, names, myTask?.id ?? null, await extrasOf(this.db, [row], actor.userId)), orgUnitId: row.org_unit_id, steps: fromJson<ApprovalStep[]>(row.steps), tasks: taskViews, history };
  }
}

function detailUser(detail: unknown): string | null {
  const userId = fromJson<{ userId?: unknown }>(detail).userId;
  return typeof userId === 'string' ? userId : null;
}

/** A user named in an event's detail (转办 / 加签 target) is shown with a name, not a bare id. */
function withNames(detail: Record<string, unknown>, names: Map<string, string>): Record<string, unknown> {
  return typeof detail.userId === 'string' ? { ...detail, userName: names.get(detail.userId) ?? detail.userId } : detail;
}
