import Type, { type Static } from 'typebox';
import { Epoch, Id, Name } from './common.js';
import type { LocalizedText } from './i18n.js';

/*
 * 故障处理方案 (runbooks, issue 14 — L3-2.3.3, L2-2.3.2): per fault type and CI class, versioned with approval,
 * with ordered steps (manual, re-run a check, a command the host's agent runs) executed step by step on an
 * incident; a step can become a task for someone else (组织排除).
 *
 * - GET    /api/incidents/runbooks                              → RunbookList                          incidents.incident.read
 * - POST   /api/incidents/runbooks                              RunbookCreate → Runbook (draft v1.0)   incidents.runbook.write
 * - GET    /api/incidents/runbooks/:id                          → Runbook (with its versions)          incidents.incident.read
 * - PUT    /api/incidents/runbooks/:id                          RunbookUpdate → Runbook                incidents.runbook.write
 * - PUT    /api/incidents/runbooks/:id/draft                    RunbookDraft → Runbook (the next draft) incidents.runbook.write
 * - POST   /api/incidents/runbooks/:id/submit                   RunbookSubmit → Runbook                incidents.runbook.write
 *          (flow `incident.runbook` configured: in review, published when approved; none: publishing needs incidents.runbook.publish)
 * - GET    /api/incidents/:id/runbooks                          → RunbookSuggestionList (best first)   incidents.incident.read
 * - GET    /api/incidents/:id/runbook-runs                      → RunbookRunList                       incidents.incident.read
 * - POST   /api/incidents/:id/runbook-runs                      RunbookRunStart → RunbookRun           incidents.incident.write
 * - POST   /api/incidents/:id/runbook-runs/:runId/abandon       RunbookRunAbandon → RunbookRun         incidents.incident.write
 * - POST   /api/incidents/:id/runbook-runs/:runId/steps/:index  RunbookStepAction → RunbookRun         incidents.incident.write
 * - GET    /api/incidents/:id/runbook-runs/:runId/steps/:index?offset=N → RunbookStepLive (poll)     incidents.incident.read
 * - GET    /api/incidents/:id/tasks                             → IncidentTaskList                     incidents.incident.read
 * - POST   /api/incidents/:id/tasks                             IncidentTaskCreate → IncidentTask      incidents.incident.write
 * - GET    /api/incidents/tasks?mine=1                          → IncidentTaskList (我的任务)          incidents.incident.read
 * - POST   /api/incidents/tasks/:taskId/complete                IncidentTaskComplete → IncidentTask    incidents.incident.write (the assignee or a handler)
 * - POST   /api/incidents/tasks/:taskId/cancel                  IncidentTaskComplete → IncidentTask    incidents.incident.write (a handler)
 */

export const RUNBOOK_PERMISSIONS = {
  write: 'incidents.runbook.write',
  publish: 'incidents.runbook.publish',
} as const;

/** The approval engine's subject type, and the flow a runbook version goes through when one is configured. */
export const RUNBOOK_SUBJECT_TYPE = 'incident.runbook-version';
export const RUNBOOK_FLOW_CODE = 'incident.runbook';
/** The document type published versions are filed under in the library. */
export const RUNBOOK_DOCUMENT_TYPE = { code: 'fault_runbook', nameZh: '故障处理方案', nameEn: 'Fault runbook', numberPrefix: 'GZFA', reviewMonths: 12 } as const;

export const RUNBOOK_LIMITS = { steps: 50, title: 200, instructions: 10_000, expected: 2_000, note: 4_000, description: 10_000, typeIds: 50, classes: 50, stepOutput: 64 * 1024, timeoutSeconds: 6 * 3600 } as const;

export const RUNBOOK_STEP_KINDS = ['manual', 'check', 'command'] as const;
export type RunbookStepKind = (typeof RUNBOOK_STEP_KINDS)[number];
export const RUNBOOK_STEP_KIND_NAMES: Record<RunbookStepKind, LocalizedText> = {
  manual: { zh: '人工操作', en: 'Manual' },
  check: { zh: '重新检查', en: 'Re-run a check' },
  command: { zh: '远程命令', en: 'Command on the host' },
};

export const RUNBOOK_VERSION_STATUSES = ['draft', 'in_review', 'published', 'superseded'] as const;
export type RunbookVersionStatus = (typeof RUNBOOK_VERSION_STATUSES)[number];
export const RUNBOOK_VERSION_STATUS_NAMES: Record<RunbookVersionStatus, LocalizedText> = {
  draft: { zh: '草稿', en: 'Draft' },
  in_review: { zh: '审批中', en: 'In review' },
  published: { zh: '已发布', en: 'Published' },
  superseded: { zh: '已被替代', en: 'Superseded' },
};

export const RUNBOOK_RUN_STATUSES = ['running', 'completed', 'abandoned'] as const;
export type RunbookRunStatus = (typeof RUNBOOK_RUN_STATUSES)[number];
export const RUNBOOK_STEP_STATUSES = ['pending', 'running', 'done', 'failed', 'skipped'] as const;
export type RunbookStepStatus = (typeof RUNBOOK_STEP_STATUSES)[number];
export const RUNBOOK_STEP_ACTIONS = ['run', 'done', 'skip', 'fail'] as const;
export type RunbookStepAction = (typeof RUNBOOK_STEP_ACTIONS)[number];

export const INCIDENT_TASK_STATUSES = ['open', 'done', 'cancelled'] as const;
export type IncidentTaskStatus = (typeof INCIDENT_TASK_STATUSES)[number];

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (maxLength: number) => Type.String({ maxLength });
const ClassCode = Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' });

export const RunbookStep = Type.Object(
  {
    kind: Type.Enum(RUNBOOK_STEP_KINDS),
    title: Name(RUNBOOK_LIMITS.title),
    instructions: Type.Optional(Text(RUNBOOK_LIMITS.instructions)),
    /** What the handler should see when the step went right (they mark the result against it). */
    expected: Type.Optional(Text(RUNBOOK_LIMITS.expected)),
    /** kind check: the check to re-run. */
    checkId: Type.Optional(Id),
    /** kind command: the program and its arguments, run by the agent of the incident's host (never through a shell unless argv names one). */
    argv: Type.Optional(Type.Array(Type.String({ maxLength: 4096 }), { minItems: 1, maxItems: 64 })),
    timeoutSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: RUNBOOK_LIMITS.timeoutSeconds })),
  },
  { additionalProperties: false },
);
export type RunbookStep = Static<typeof RunbookStep>;

const Steps = Type.Array(RunbookStep, { minItems: 1, maxItems: RUNBOOK_LIMITS.steps });

const runbookFields = {
  name: Name(RUNBOOK_LIMITS.title),
  description: Type.Optional(Text(RUNBOOK_LIMITS.description)),
  /** Fault types it is for (each matches its descendants too). */
  typeIds: Type.Optional(Type.Array(Id, { maxItems: RUNBOOK_LIMITS.typeIds, uniqueItems: true })),
  /** CMDB class codes of the CIs it is for (server, database …). */
  ciClasses: Type.Optional(Type.Array(ClassCode, { maxItems: RUNBOOK_LIMITS.classes, uniqueItems: true })),
};

export const RunbookCreate = Type.Object({ ...runbookFields, steps: Steps, changeNote: Type.Optional(Text(RUNBOOK_LIMITS.note)) }, { additionalProperties: false });
export type RunbookCreate = Static<typeof RunbookCreate>;

export const RunbookUpdate = Type.Object(runbookFields, { additionalProperties: false });
export type RunbookUpdate = Static<typeof RunbookUpdate>;

/** The steps of the next version: edits the draft there is, or starts one after the published version. */
export const RunbookDraft = Type.Object({ steps: Steps, changeNote: Type.Optional(Text(RUNBOOK_LIMITS.note)) }, { additionalProperties: false });
export type RunbookDraft = Static<typeof RunbookDraft>;

export const RunbookSubmit = Type.Object({ comment: Type.Optional(Text(RUNBOOK_LIMITS.note)) }, { additionalProperties: false });
export type RunbookSubmit = Static<typeof RunbookSubmit>;

export const RunbookVersion = Type.Object({
  id: Id,
  label: Type.String(),
  status: Type.Enum(RUNBOOK_VERSION_STATUSES),
  statusName: Type.String(),
  steps: Type.Array(RunbookStep),
  changeNote: Type.String(),
  createdBy: Nullable(Type.String()),
  createdAt: Epoch,
  submittedAt: Nullable(Epoch),
  approvalRequestId: Nullable(Id),
  approvedBy: Nullable(Type.String()),
  approvedAt: Nullable(Epoch),
  publishedAt: Nullable(Epoch),
});
export type RunbookVersion = Static<typeof RunbookVersion>;

export const Runbook = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  typeIds: Type.Array(Id),
  typeNames: Type.Array(Type.String()),
  ciClasses: Type.Array(Type.String()),
  ciClassNames: Type.Array(Type.String()),
  /** draft: never published; published: a version is in force. */
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  owner: Nullable(Type.String()),
  publishedVersion: Nullable(RunbookVersion),
  /** The version being written or reviewed, when there is one besides the published one. */
  nextVersion: Nullable(RunbookVersion),
  versions: Type.Array(Type.Omit(RunbookVersion, ['steps'])),
  /** The 故障处理方案 document in the library the published versions are filed as. */
  document: Nullable(Type.Object({ id: Id, number: Type.String() })),
  updatedAt: Epoch,
});
export type Runbook = Static<typeof Runbook>;

export const RunbookListItem = Type.Object({
  id: Id,
  name: Type.String(),
  typeNames: Type.Array(Type.String()),
  ciClassNames: Type.Array(Type.String()),
  status: Type.Union([Type.Literal('draft'), Type.Literal('published')]),
  publishedLabel: Nullable(Type.String()),
  nextLabel: Nullable(Type.String()),
  nextStatus: Nullable(Type.Enum(RUNBOOK_VERSION_STATUSES)),
  stepCount: Type.Integer(),
  owner: Nullable(Type.String()),
  updatedAt: Epoch,
});
export const RunbookList = Type.Object({ items: Type.Array(RunbookListItem) });
export type RunbookList = Static<typeof RunbookList>;

export const RunbookSuggestion = Type.Object({
  runbookId: Id,
  name: Type.String(),
  description: Type.String(),
  versionLabel: Type.String(),
  stepCount: Type.Integer(),
  /** Why it matches, in words (the fault type, the CI class). */
  reasons: Type.Array(Type.String()),
  score: Type.Integer(),
});
export const RunbookSuggestionList = Type.Object({ items: Type.Array(RunbookSuggestion) });
export type RunbookSuggestionList = Static<typeof RunbookSuggestionList>;

// ---------------------------------------------------------------- execution

export const RunbookRunParams = Type.Object({ id: Id, runId: Id }, { additionalProperties: false });
export const RunbookStepParams = Type.Object({ id: Id, runId: Id, index: Type.Integer({ minimum: 0, maximum: RUNBOOK_LIMITS.steps - 1 }) }, { additionalProperties: false });
export const RunbookStepLiveQuery = Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })) }, { additionalProperties: false });

export const RunbookRunStart = Type.Object({ runbookId: Id }, { additionalProperties: false });
export type RunbookRunStart = Static<typeof RunbookRunStart>;
export const RunbookRunAbandon = Type.Object({ note: Name(RUNBOOK_LIMITS.note) }, { additionalProperties: false });
export type RunbookRunAbandon = Static<typeof RunbookRunAbandon>;

export const RunbookStepActionInput = Type.Object(
  {
    action: Type.Enum(RUNBOOK_STEP_ACTIONS),
    note: Type.Optional(Text(RUNBOOK_LIMITS.note)),
    /** kind command: the host CI to run on when the incident has none (or another of its CIs). */
    ciId: Type.Optional(Id),
  },
  { additionalProperties: false },
);
export type RunbookStepActionInput = Static<typeof RunbookStepActionInput>;

export const RunbookStepRun = Type.Object({
  index: Type.Integer(),
  kind: Type.Enum(RUNBOOK_STEP_KINDS),
  title: Type.String(),
  instructions: Type.String(),
  expected: Type.String(),
  argv: Nullable(Type.Array(Type.String())),
  checkId: Nullable(Id),
  checkName: Nullable(Type.String()),
  status: Type.Enum(RUNBOOK_STEP_STATUSES),
  result: Nullable(Type.Union([Type.Literal('ok'), Type.Literal('not_ok')])),
  /** Who did it (by name). */
  actor: Nullable(Type.String()),
  startedAt: Nullable(Epoch),
  finishedAt: Nullable(Epoch),
  note: Type.String(),
  /** The command's or the check's output (capped). */
  output: Type.String(),
  ciName: Nullable(Type.String()),
  agentCommandId: Nullable(Id),
  commandStatus: Nullable(Type.String()),
  exitCode: Nullable(Type.Integer()),
  checkResult: Nullable(Type.Object({ status: Type.String(), latencyMs: Nullable(Type.Number()), message: Nullable(Type.String()), at: Epoch })),
  taskId: Nullable(Id),
  taskAssignee: Nullable(Type.String()),
  taskStatus: Nullable(Type.Enum(INCIDENT_TASK_STATUSES)),
});
export type RunbookStepRun = Static<typeof RunbookStepRun>;

export const RunbookRun = Type.Object({
  id: Id,
  incidentId: Id,
  runbookId: Id,
  runbookName: Type.String(),
  versionLabel: Type.String(),
  status: Type.Enum(RUNBOOK_RUN_STATUSES),
  startedBy: Nullable(Type.String()),
  startedAt: Epoch,
  finishedAt: Nullable(Epoch),
  note: Type.String(),
  /** The step to do next (null when every step is finished). */
  currentIndex: Nullable(Type.Integer()),
  steps: Type.Array(RunbookStepRun),
});
export type RunbookRun = Static<typeof RunbookRun>;
export const RunbookRunList = Type.Object({ items: Type.Array(RunbookRun) });
export type RunbookRunList = Static<typeof RunbookRunList>;

/** A step as it runs: poll with `nextOffset` every second to follow a command's output. */
export const RunbookStepLive = Type.Object({
  status: Type.Enum(RUNBOOK_STEP_STATUSES),
  commandStatus: Nullable(Type.String()),
  exitCode: Nullable(Type.Integer()),
  /** True while the command still runs (keep polling). */
  live: Type.Boolean(),
  output: Type.String(),
  offset: Type.Integer(),
  nextOffset: Type.Integer(),
});
export type RunbookStepLive = Static<typeof RunbookStepLive>;

// ---------------------------------------------------------------- tasks (组织排除)

export const IncidentTaskCreate = Type.Object(
  {
    title: Name(RUNBOOK_LIMITS.title),
    description: Type.Optional(Text(RUNBOOK_LIMITS.instructions)),
    assigneeId: Id,
    dueAt: Type.Optional(Nullable(Epoch)),
    /** A runbook step handed to the assignee: completing the task completes the step. */
    runId: Type.Optional(Id),
    stepIndex: Type.Optional(Type.Integer({ minimum: 0, maximum: RUNBOOK_LIMITS.steps - 1 })),
  },
  { additionalProperties: false },
);
export type IncidentTaskCreate = Static<typeof IncidentTaskCreate>;

export const IncidentTaskComplete = Type.Object({ note: Type.Optional(Text(RUNBOOK_LIMITS.note)) }, { additionalProperties: false });
export type IncidentTaskComplete = Static<typeof IncidentTaskComplete>;

export const IncidentTaskParams = Type.Object({ taskId: Id }, { additionalProperties: false });
export const IncidentTaskQuery = Type.Object(
  { mine: Type.Optional(Type.Union([Type.Literal('1'), Type.Literal('0'), Type.Boolean()])), status: Type.Optional(Type.Enum(INCIDENT_TASK_STATUSES)) },
  { additionalProperties: false },
);
export type IncidentTaskQuery = Static<typeof IncidentTaskQuery>;

export const IncidentTask = Type.Object({
  id: Id,
  incidentId: Id,
  incidentNumber: Type.String(),
  incidentTitle: Type.String(),
  title: Type.String(),
  description: Type.String(),
  assigneeId: Id,
  assignee: Type.String(),
  dueAt: Nullable(Epoch),
  status: Type.Enum(INCIDENT_TASK_STATUSES),
  createdBy: Nullable(Type.String()),
  createdAt: Epoch,
  doneAt: Nullable(Epoch),
  doneBy: Nullable(Type.String()),
  resultNote: Type.String(),
  /** The runbook step it was spawned from, in words ("磁盘检查 · 第 2 步"). */
  step: Nullable(Type.Object({ runId: Id, index: Type.Integer(), title: Type.String() })),
  /** The reader may complete it (the assignee or a handler). */
  canComplete: Type.Boolean(),
});
export type IncidentTask = Static<typeof IncidentTask>;
export const IncidentTaskList = Type.Object({ items: Type.Array(IncidentTask) });
export type IncidentTaskList = Static<typeof IncidentTaskList>;
