import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name, Page, PageQuery } from './common.js';

/**
 * The approval engine shared by every module (documents, changes, vault checkouts, processes). A flow is
 * an ordered list of steps; each step has approvers and a mode: 会签 `all` (every one approves), 或签
 * `any` (the first approval decides), 依次 `sequence` (one after another). A module registers a subject
 * type, submits requests against a flow and is called back with the outcome; people act on their tasks
 * (approve, 退回, 转办, 加签) and the submitter may withdraw. A request keeps a copy of the flow's steps
 * taken when it was submitted: editing a flow never changes requests under way.
 */
export const APPROVAL_PERMISSIONS = {
  /** Create, change and delete flows; read every request. */
  flowManage: 'approvals.flow.manage',
  /** Have a to-do list and act on one's own tasks and requests (anyone may be named an approver). */
  taskUse: 'approvals.task.use',
} as const satisfies Record<string, PermissionId>;

export const APPROVAL_MODES = ['all', 'any', 'sequence'] as const;
export type ApprovalMode = (typeof APPROVAL_MODES)[number];

export const APPROVAL_REQUEST_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;
export type ApprovalRequestStatus = (typeof APPROVAL_REQUEST_STATUSES)[number];

/** waiting: not its turn yet (依次) or waiting for an approver added before it (加签). */
export const APPROVAL_TASK_STATUSES = ['waiting', 'pending', 'approved', 'rejected', 'transferred', 'skipped', 'cancelled'] as const;
export type ApprovalTaskStatus = (typeof APPROVAL_TASK_STATUSES)[number];

/** How a task came to be: from the flow, 转办, or 加签 before / after its adder. */
export const APPROVAL_TASK_ORIGINS = ['flow', 'transfer', 'add_before', 'add_after'] as const;
export type ApprovalTaskOrigin = (typeof APPROVAL_TASK_ORIGINS)[number];

export const APPROVAL_LIMITS = {
  maxSteps: 20,
  maxApproversPerStep: 50,
  /** One year. */
  maxDueHours: 8760,
  maxComment: 2000,
} as const;

/** Who approves a step, resolved to people when the step starts. */
export const ApprovalApprover = Type.Union([
  Type.Object({ kind: Type.Literal('user'), userId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('role'), roleId: Id }, { additionalProperties: false }),
  Type.Object({ kind: Type.Literal('on_call'), scheduleId: Id }, { additionalProperties: false }),
  /** The leader of the request's org unit, or of the nearest unit above it that has one. */
  Type.Object({ kind: Type.Literal('org_leader') }, { additionalProperties: false }),
]);
export const APPROVER_KINDS = ['user', 'role', 'org_leader', 'on_call'] as const satisfies readonly ApprovalApprover['kind'][];
export type ApproverKind = (typeof APPROVER_KINDS)[number];
export type ApprovalApprover = Static<typeof ApprovalApprover>;

export const ApprovalStep = Type.Object(
  {
    name: Name(100),
    mode: Type.Enum(APPROVAL_MODES),
    approvers: Type.Array(ApprovalApprover, { minItems: 1, maxItems: APPROVAL_LIMITS.maxApproversPerStep }),
    /** Hours a task of this step may stay open before its assignee is reminded (null: no due time). */
    dueHours: Type.Optional(Type.Union([Type.Number({ exclusiveMinimum: 0, maximum: APPROVAL_LIMITS.maxDueHours }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type ApprovalStep = Static<typeof ApprovalStep>;

const FlowCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_.-]*$' });

export const ApprovalFlowCreate = Type.Object(
  {
    code: FlowCode,
    nameZh: Name(100),
    nameEn: Name(100),
    steps: Type.Array(ApprovalStep, { minItems: 1, maxItems: APPROVAL_LIMITS.maxSteps }),
    /** Reminded too when a task stays open twice its due time (escalation); null: nobody else. */
    escalationUserId: Type.Optional(Type.Union([Id, Type.Null()])),
    /** Where reminders go; null: the default notification channels. */
    notifyChannelId: Type.Optional(Type.Union([Id, Type.Null()])),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ApprovalFlowCreate = Static<typeof ApprovalFlowCreate>;

export const ApprovalFlowUpdate = Type.Partial(Type.Omit(ApprovalFlowCreate, ['code']), { additionalProperties: false, minProperties: 1 });
export type ApprovalFlowUpdate = Static<typeof ApprovalFlowUpdate>;

export const ApprovalFlow = Type.Object({
  id: Id,
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  steps: Type.Array(ApprovalStep),
  escalationUserId: Type.Union([Id, Type.Null()]),
  notifyChannelId: Type.Union([Id, Type.Null()]),
  enabled: Type.Boolean(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type ApprovalFlow = Static<typeof ApprovalFlow>;
export const ApprovalFlowList = Type.Array(ApprovalFlow);

const Person = Type.Object({ id: Id, name: Type.String() });
const NullablePerson = Type.Union([Person, Type.Null()]);

export const ApprovalTask = Type.Object({
  id: Id,
  step: Type.Integer(),
  position: Type.Integer(),
  assignee: Person,
  status: Type.Enum(APPROVAL_TASK_STATUSES),
  origin: Type.Enum(APPROVAL_TASK_ORIGINS),
  addedBy: NullablePerson,
  dueAt: Type.Union([Epoch, Type.Null()]),
  decidedAt: Type.Union([Epoch, Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  createdAt: Epoch,
});
export type ApprovalTask = Static<typeof ApprovalTask>;

export const APPROVAL_EVENT_ACTIONS = ['submit', 'approve', 'reject', 'transfer', 'add_signer', 'withdraw', 'comment', 'step_completed', 'approved', 'remind', 'escalate'] as const;
export type ApprovalEventAction = (typeof APPROVAL_EVENT_ACTIONS)[number];

export const ApprovalEvent = Type.Object({
  id: Id,
  action: Type.Enum(APPROVAL_EVENT_ACTIONS),
  actor: NullablePerson,
  step: Type.Union([Type.Integer(), Type.Null()]),
  comment: Type.Union([Type.String(), Type.Null()]),
  /** Facts of the action (the user handed to, 退回 target, …). */
  detail: Type.Record(Type.String(), Type.Unknown()),
  at: Epoch,
});
export type ApprovalEvent = Static<typeof ApprovalEvent>;

export const ApprovalRequestSummary = Type.Object({
  id: Id,
  flowCode: Type.String(),
  title: Type.String(),
  subjectType: Type.String(),
  subjectId: Type.String(),
  submitter: Person,
  status: Type.Enum(APPROVAL_REQUEST_STATUSES),
  currentStep: Type.Integer(),
  currentStepName: Type.String(),
  stepCount: Type.Integer(),
  /** The flow's name as it is now (its code when the flow was deleted since). */
  flowName: Type.Object({ zh: Type.String(), en: Type.String() }),
  /** The earliest due time of the open tasks (the reader's own task first when they have one); null: none. */
  dueAt: Type.Union([Epoch, Type.Null()]),
  createdAt: Epoch,
  decidedAt: Type.Union([Epoch, Type.Null()]),
  /** In the to-do box: the reader's open task (to act on). */
  myTaskId: Type.Union([Id, Type.Null()]),
});
export type ApprovalRequestSummary = Static<typeof ApprovalRequestSummary>;

export const ApprovalRequestDetail = Type.Object({
  ...ApprovalRequestSummary.properties,
  orgUnitId: Type.Union([Id, Type.Null()]),
  steps: Type.Array(ApprovalStep),
  tasks: Type.Array(ApprovalTask),
  history: Type.Array(ApprovalEvent),
});
export type ApprovalRequestDetail = Static<typeof ApprovalRequestDetail>;

export const APPROVAL_BOXES = ['todo', 'submitted', 'done'] as const;
export type ApprovalBox = (typeof APPROVAL_BOXES)[number];

export const ApprovalInboxQuery = Type.Object(
  {
    box: Type.Enum(APPROVAL_BOXES),
    ...PageQuery,
  },
  { additionalProperties: false },
);
export type ApprovalInboxQuery = Static<typeof ApprovalInboxQuery>;
export const ApprovalInbox = Page(ApprovalRequestSummary);
export type ApprovalInbox = Static<typeof ApprovalInbox>;

export const ApprovalCount = Type.Object({ todo: Type.Integer() });
export type ApprovalCount = Static<typeof ApprovalCount>;

const Comment = Type.String({ maxLength: APPROVAL_LIMITS.maxComment });

export const ApprovalApprove = Type.Object({ comment: Type.Optional(Comment) }, { additionalProperties: false });
export type ApprovalApprove = Static<typeof ApprovalApprove>;

export const ApprovalReject = Type.Object(
  {
    /** 退回 to the submitter (the request ends rejected) or to the previous step (its approvers decide again). */
    to: Type.Union([Type.Literal('submitter'), Type.Literal('previous')]),
    comment: Type.Optional(Comment),
  },
  { additionalProperties: false },
);
export type ApprovalReject = Static<typeof ApprovalReject>;

export const ApprovalTransfer = Type.Object({ userId: Id, comment: Type.Optional(Comment) }, { additionalProperties: false });
export type ApprovalTransfer = Static<typeof ApprovalTransfer>;

export const ApprovalAddSigner = Type.Object(
  {
    userId: Id,
    /** before: the added person decides first, then the task comes back; after: one more approver after this one. */
    position: Type.Union([Type.Literal('before'), Type.Literal('after')]),
    comment: Type.Optional(Comment),
  },
  { additionalProperties: false },
);
export type ApprovalAddSigner = Static<typeof ApprovalAddSigner>;

export const ApprovalWithdraw = Type.Object({ comment: Type.Optional(Comment) }, { additionalProperties: false });
export type ApprovalWithdraw = Static<typeof ApprovalWithdraw>;

export const ApprovalComment = Type.Object({ comment: Type.String({ minLength: 1, maxLength: APPROVAL_LIMITS.maxComment }) }, { additionalProperties: false });
export type ApprovalComment = Static<typeof ApprovalComment>;

/** People to hand a task to or add (转办 / 加签) and to name in a flow: active users, found by name. */
export const ApprovalPeopleQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 64 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50 })),
  },
  { additionalProperties: false },
);
export type ApprovalPeopleQuery = Static<typeof ApprovalPeopleQuery>;
export const ApprovalPerson = Type.Object({ id: Id, name: Type.String(), username: Type.String() });
export type ApprovalPerson = Static<typeof ApprovalPerson>;
export const ApprovalPeople = Type.Array(ApprovalPerson);
