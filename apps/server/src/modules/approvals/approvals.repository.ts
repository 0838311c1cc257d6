import type { Kysely, Selectable } from 'kysely';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { ApprovalEventTable, ApprovalFlowTable, ApprovalRequestTable, ApprovalTaskTable } from './approvals.tables.js';

export type FlowRow = Selectable<ApprovalFlowTable>;
export type RequestRow = Selectable<ApprovalRequestTable>;
export type TaskRow = Selectable<ApprovalTaskTable>;
export type EventRow = Selectable<ApprovalEventTable>;

/** Task states that still wait for somebody. */
export const OPEN_TASK = ['pending', 'waiting'] as const;
/** Task states in which the assignee has acted (我已处理). */
export const HANDLED_TASK = ['approved', 'rejected', 'transferred'] as const;

/** Kysely queries of the approval tables only; methods that write take the executor. */
export const approvalsRepo = {
  flows: (db: Kysely<Database>) => db.selectFrom('approval_flow').selectAll().orderBy('code').execute(),
  flow: (db: Kysely<Database>, id: string) => db.selectFrom('approval_flow').selectAll().where('id', '=', id).executeTakeFirst(),
  flowByCode: (db: Kysely<Database>, code: string) => db.selectFrom('approval_flow').selectAll().where('code', '=', code).executeTakeFirst(),
  insertFlow: (db: Kysely<Database>, row: ApprovalFlowTable) => db.insertInto('approval_flow').values(row).execute(),
  updateFlow: (db: Kysely<Database>, id: string, patch: Partial<ApprovalFlowTable>) => db.updateTable('approval_flow').set(patch).where('id', '=', id).execute(),
  deleteFlow: (db: Kysely<Database>, id: string) => db.deleteFrom('approval_flow').where('id', '=', id).execute(),

  request: (db: Kysely<Database>, id: string) => db.selectFrom('approval_request').selectAll().where('id', '=', id).executeTakeFirst(),
  pendingFor: (db: Kysely<Database>, subjectType: string, subjectId: string) =>
    db.selectFrom('approval_request').select('id').where('subject_type', '=', subjectType).where('subject_id', '=', subjectId).where('status', '=', 'pending').executeTakeFirst(),
  insertRequest: (db: Kysely<Database>, row: ApprovalRequestTable) => db.insertInto('approval_request').values(row).execute(),
  updateRequest: (db: Kysely<Database>, id: string, patch: Partial<Pick<ApprovalRequestTable, 'status' | 'current_step' | 'decided_at'>>) =>
    db.updateTable('approval_request').set(patch).where('id', '=', id).execute(),
  /** The optimistic lock: true when the request still had `version` and now has the next one. */
  async bumpVersion(db: Kysely<Database>, id: string, version: number): Promise<boolean> {
    const result = await db.updateTable('approval_request').set({ version: version + 1 }).where('id', '=', id).where('version', '=', version).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  task: (db: Kysely<Database>, id: string) => db.selectFrom('approval_task').selectAll().where('id', '=', id).executeTakeFirst(),
  tasks: (db: Kysely<Database>, requestId: string) => db.selectFrom('approval_task').selectAll().where('request_id', '=', requestId).orderBy('step').orderBy('position').orderBy('created_at').execute(),
  stepTasks: (db: Kysely<Database>, requestId: string, step: number) =>
    db.selectFrom('approval_task').selectAll().where('request_id', '=', requestId).where('step', '=', step).orderBy('position').orderBy('created_at').execute(),
  insertTasks: (db: Kysely<Database>, rows: ApprovalTaskTable[]) => (rows.length ? db.insertInto('approval_task').values(rows).execute() : Promise.resolve([])),
  updateTask: (db: Kysely<Database>, id: string, patch: Partial<ApprovalTaskTable>) => db.updateTable('approval_task').set(patch).where('id', '=', id).execute(),
  /** Closes the open tasks of a request (of one step when given) with `status`. */
  closeOpenTasks: (db: Kysely<Database>, requestId: string, status: 'skipped' | 'cancelled', at: number, step?: number) => {
    let q = db.updateTable('approval_task').set({ status, decided_at: at }).where('request_id', '=', requestId).where('status', 'in', OPEN_TASK);
    if (step !== undefined) {
      q = q.where('step', '=', step);
    }
    return q.execute();
  },
  /** Makes room after `position` in a 依次 step (加签 after). */
  shiftPositions: (db: Kysely<Database>, requestId: string, step: number, after: number) =>
    db.updateTable('approval_task').set((eb) => ({ position: eb('position', '+', 1) })).where('request_id', '=', requestId).where('step', '=', step).where('position', '>', after).execute(),
  isParticipant: async (db: Kysely<Database>, requestId: string, userId: string) =>
    (await db.selectFrom('approval_task').select('id').where('request_id', '=', requestId).where((eb) => eb.or([eb('assignee_id', '=', userId), eb('added_by', '=', userId)])).executeTakeFirst()) !== undefined,

  insertEvent: (db: Kysely<Database>, row: ApprovalEventTable) => db.insertInto('approval_event').values(row).execute(),
  events: (db: Kysely<Database>, requestId: string) => db.selectFrom('approval_event').selectAll().where('request_id', '=', requestId).orderBy('at').orderBy('id').execute(),

  /** One page of a person's box: to do (an open task of theirs), submitted by them, or handled by them. */
  async inbox(db: Kysely<Database>, userId: string, box: 'todo' | 'submitted' | 'done', page: { offset: number; limit: number; q?: string | undefined }) {
    let base = db.selectFrom('approval_request as r');
    if (box === 'submitted') {
      base = base.where('r.submitter_id', '=', userId);
    } else {
      const statuses = box === 'todo' ? ['pending'] : [...HANDLED_TASK];
      base = base.where('r.id', 'in', db.selectFrom('approval_task').select('request_id').where('assignee_id', '=', userId).where('status', 'in', statuses));
      if (box === 'todo') {
        base = base.where('r.status', '=', 'pending');
      }
    }
    if (page.q?.trim()) {
      base = base.where(containsText(db, 'r.title', page.q.trim()));
    }
    const { n } = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const rows = await base.selectAll('r').orderBy('r.created_at', 'desc').orderBy('r.id', 'desc').offset(page.offset).limit(page.limit).execute();
    return { rows, total: Number(n) };
  },
  /** The reader's pending tasks on these requests (the to-do box links to them). */
  myPendingTasks: (db: Kysely<Database>, userId: string, requestIds: readonly string[]) =>
    requestIds.length
      ? db.selectFrom('approval_task').select(['id', 'request_id']).where('assignee_id', '=', userId).where('status', '=', 'pending').where('request_id', 'in', requestIds).execute()
      : Promise.resolve([]),

  /** Active users whose user name or display name contains `q`, by user name (the pickers of 转办 / 加签). */
  people: (db: Kysely<Database>, q: string, limit: number) => {
    let query = db.selectFrom('user').select(['id', 'username', 'display_name']).where('status', '=', 'active');
    if (q) {
      query = query.where((eb) => eb.or([containsText(db, 'username', q), containsText(db, 'display_name', q)]));
    }
    return query.orderBy('username').limit(limit).execute();
  },

  /** Flow names by id (the lists show them). */
  async flowNames(db: Kysely<Database>, ids: Iterable<string>): Promise<Map<string, { zh: string; en: string }>> {
    const unique = [...new Set(ids)];
    const rows = unique.length ? await db.selectFrom('approval_flow').select(['id', 'name_zh', 'name_en']).where('id', 'in', unique).execute() : [];
    return new Map(rows.map((r) => [r.id, { zh: r.name_zh, en: r.name_en }]));
  },
  /** The open tasks with a due time of these requests (the lists show the nearest). */
  openDue: (db: Kysely<Database>, requestIds: readonly string[]) =>
    requestIds.length
      ? db.selectFrom('approval_task').select(['request_id', 'assignee_id', 'due_at']).where('request_id', 'in', requestIds).where('status', '=', 'pending').where('due_at', 'is not', null).execute()
      : Promise.resolve([]),

  /** Display names by user id. */
  async names(db: Kysely<Database>, ids: Iterable<string | null>): Promise<Map<string, string>> {
    const unique = [...new Set([...ids].filter((x): x is string => !!x))];
    if (!unique.length) {
      return new Map();
    }
    const rows = await db.selectFrom('user').select(['id', 'display_name', 'username']).where('id', 'in', unique).execute();
    return new Map(rows.map((r) => [r.id, r.display_name || r.username]));
  },

  /** Open tasks due to be reminded (past their due time) or escalated (past `escalate_at`): see reminders.ts. */
  overdue: (db: Kysely<Database>, now: number) =>
    db
      .selectFrom('approval_task as t')
      .innerJoin('approval_request as r', 'r.id', 't.request_id')
      .selectAll('t')
      .select(['r.title', 'r.submitter_id', 'r.flow_id', 'r.steps'])
      .where('t.status', '=', 'pending')
      .where('r.status', '=', 'pending')
      .where((eb) =>
        eb.or([
          eb.and([eb('t.reminded_at', 'is', null), eb('t.due_at', '<=', now)]),
          eb.and([eb('t.escalated_at', 'is', null), eb('t.escalate_at', '<=', now)]),
        ]),
      )
      .orderBy('t.due_at')
      .limit(500)
      .execute(),
};
