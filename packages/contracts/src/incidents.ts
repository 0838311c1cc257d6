import Type, { type Static } from 'typebox';
import { Epoch, Id, Name } from './common.js';
import type { LocalizedText } from './i18n.js';

/*
 * 故障 (issue 14): incidents with a fault type and nature, priority by impact × urgency, an ITIL life cycle,
 * SLA clocks on the business calendar, assignment and 转派.
 *
 * - GET    /api/incidents                         IncidentListQuery → IncidentList          incidents.incident.read (data scope + those you reported / handle)
 * - POST   /api/incidents                         IncidentCreate → Incident                 incidents.incident.write
 * - POST   /api/incidents/reports                 IncidentSelfReport → Incident             incidents.incident.report (报障)
 * - GET    /api/incidents/reports                 IncidentListQuery → IncidentList (我的报障: own reports only)  incidents.incident.report
 * - GET    /api/incidents/reports/:id             → Incident (own report)                   incidents.incident.report
 * - POST   /api/incidents/reports/:id/comments    IncidentComment → Incident (own report)   incidents.incident.report
 * - GET    /api/incidents/reports/:id/activity    → IncidentActivityList (own report)       incidents.incident.report
 * - GET    /api/incidents/:id                     → Incident                                incidents.incident.read
 * - PUT    /api/incidents/:id                     IncidentUpdate → Incident (409 on an older version)  incidents.incident.write
 * - POST   /api/incidents/:id/transition          IncidentTransition → Incident             incidents.incident.write
 * - POST   /api/incidents/:id/assign              IncidentAssign → Incident (转派 when assigned) incidents.incident.write
 * - PUT    /api/incidents/:id/times               IncidentTimes → Incident                  incidents.incident.write
 * - POST   /api/incidents/:id/comments            IncidentComment → Incident                incidents.incident.read
 * - GET    /api/incidents/:id/activity            → IncidentActivityList                    incidents.incident.read
 * - GET    /api/incidents/:id/verifications       → IncidentVerificationList (past ones + the evidence now) incidents.incident.read
 * - GET    /api/incidents/:id/hypotheses          → IncidentHypothesisList (suspected causes) incidents.incident.read
 * - POST   /api/incidents/:id/hypotheses          IncidentHypothesisInput → IncidentHypothesis incidents.incident.write
 * - POST   /api/incidents/:id/hypotheses/:hypothesisId/decide IncidentHypothesisDecision → IncidentHypothesis incidents.incident.write
 * - POST   /api/incidents/:id/verify              IncidentVerify → Incident (pass: 已关闭; fail: reopened) incidents.incident.write
 * - GET    /api/incidents/options                 → IncidentOptions (types, natures, matrix, people, groups) incidents.incident.read
 * - GET    /api/incidents/types | /natures        → the tree / the natures                  incidents.incident.read
 * - GET    /api/incidents/config                  → IncidentConfig                          incidents.incident.read
 * - PUT    /api/incidents/config                  IncidentConfigInput → IncidentConfig      incidents.config.manage
 * - POST   /api/incidents/types                   IncidentTypeInput → IncidentType          incidents.config.manage
 * - PUT    /api/incidents/types/:id               IncidentTypeInput → IncidentType          incidents.config.manage
 * - DELETE /api/incidents/types/:id               → Ok (refused while incidents use it)     incidents.config.manage
 * - POST   /api/incidents/natures                 IncidentNatureInput → IncidentNature      incidents.config.manage
 * - PUT    /api/incidents/natures/:id             IncidentNatureInput → IncidentNature      incidents.config.manage
 * - DELETE /api/incidents/natures/:id             → Ok                                      incidents.config.manage
 */

export const INCIDENT_PERMISSIONS = {
  read: 'incidents.incident.read',
  write: 'incidents.incident.write',
  /** 报障: staff who are not administrators report a fault and follow their own reports, nothing else. */
  report: 'incidents.incident.report',
  configure: 'incidents.config.manage',
} as const;

/** ITIL 4: 新建 → 处理中 ⇄ 挂起 → 已解决 → 已关闭; 已取消; reopened within the configured days. */
export const INCIDENT_STATUSES = ['new', 'in_progress', 'on_hold', 'resolved', 'closed', 'cancelled'] as const;
export type IncidentStatus = (typeof INCIDENT_STATUSES)[number];

export const INCIDENT_ACTIONS = ['start', 'hold', 'resume', 'resolve', 'close', 'cancel', 'reopen'] as const;
export type IncidentAction = (typeof INCIDENT_ACTIONS)[number];

/** Which action leads from which statuses to which one. */
export const INCIDENT_TRANSITIONS: Record<IncidentAction, { from: readonly IncidentStatus[]; to: IncidentStatus }> = {
  start: { from: ['new'], to: 'in_progress' },
  hold: { from: ['new', 'in_progress'], to: 'on_hold' },
  resume: { from: ['on_hold'], to: 'in_progress' },
  resolve: { from: ['new', 'in_progress', 'on_hold'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  cancel: { from: ['new', 'in_progress', 'on_hold'], to: 'cancelled' },
  reopen: { from: ['resolved', 'closed'], to: 'in_progress' },
};

export const INCIDENT_STATUS_NAMES: Record<IncidentStatus, LocalizedText> = {
  new: { zh: '新建', en: 'New' },
  in_progress: { zh: '处理中', en: 'In progress' },
  on_hold: { zh: '挂起', en: 'On hold' },
  resolved: { zh: '已解决', en: 'Resolved' },
  closed: { zh: '已关闭', en: 'Closed' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

export const INCIDENT_ACTION_NAMES: Record<IncidentAction, LocalizedText> = {
  start: { zh: '开始处理', en: 'Start' },
  hold: { zh: '挂起', en: 'Put on hold' },
  resume: { zh: '恢复处理', en: 'Resume' },
  resolve: { zh: '解决', en: 'Resolve' },
  close: { zh: '关闭', en: 'Close' },
  cancel: { zh: '取消', en: 'Cancel' },
  reopen: { zh: '重新打开', en: 'Reopen' },
};

export const INCIDENT_PRIORITIES = ['P1', 'P2', 'P3', 'P4'] as const;
export type IncidentPriority = (typeof INCIDENT_PRIORITIES)[number];

/** Impact and urgency: 1 高, 2 中, 3 低. */
export const INCIDENT_LEVELS = [1, 2, 3] as const;
export type IncidentLevel = (typeof INCIDENT_LEVELS)[number];
export const INCIDENT_LEVEL_NAMES: Record<IncidentLevel, LocalizedText> = {
  1: { zh: '高', en: 'High' },
  2: { zh: '中', en: 'Medium' },
  3: { zh: '低', en: 'Low' },
};

export const INCIDENT_SOURCES = ['web', 'api', 'alert', 'self_service', 'email'] as const;
export type IncidentSource = (typeof INCIDENT_SOURCES)[number];
export const INCIDENT_SOURCE_NAMES: Record<IncidentSource, LocalizedText> = {
  web: { zh: '网页登记', en: 'Web form' },
  api: { zh: 'API', en: 'API' },
  alert: { zh: '告警', en: 'Alert' },
  self_service: { zh: '自助报障', en: 'Self-service' },
  email: { zh: '邮件', en: 'E-mail' },
};

/** The ordered times of an incident: each is at or after the one before (the server refuses an order that goes back). */
export const INCIDENT_TIME_FIELDS = ['detectedAt', 'acknowledgedAt', 'mitigatedAt', 'resolvedAt'] as const;
export type IncidentTimeField = (typeof INCIDENT_TIME_FIELDS)[number];

export const INCIDENT_MAJOR_ROLES = ['commander', 'techLead', 'communications'] as const;
export type IncidentMajorRole = (typeof INCIDENT_MAJOR_ROLES)[number];
export const INCIDENT_MAJOR_ROLE_NAMES: Record<IncidentMajorRole, LocalizedText> = {
  commander: { zh: '指挥', en: 'Incident commander' },
  techLead: { zh: '技术负责人', en: 'Technical lead' },
  communications: { zh: '沟通', en: 'Communications' },
};

export const INCIDENT_LIMITS = { title: 200, description: 20_000, cis: 50, comment: 10_000, reason: 500, typeDepth: 4 } as const;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Level = Type.Union([Type.Literal(1), Type.Literal(2), Type.Literal(3)]);
const Text = (maxLength: number) => Type.String({ maxLength });
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });
export type IncidentRef = Static<typeof Ref>;

export const IncidentMajorRoles = Type.Object(
  { commander: Type.Optional(Nullable(Id)), techLead: Type.Optional(Nullable(Id)), communications: Type.Optional(Nullable(Id)) },
  { additionalProperties: false },
);
export type IncidentMajorRoles = Static<typeof IncidentMajorRoles>;

const incidentFields = {
  title: Name(INCIDENT_LIMITS.title),
  description: Type.Optional(Text(INCIDENT_LIMITS.description)),
  typeId: Type.Optional(Nullable(Id)),
  natureId: Type.Optional(Nullable(Id)),
  impact: Level,
  urgency: Level,
  /** Optional: when given it must be what the matrix gives for impact × urgency (it is never chosen apart from them). */
  priority: Type.Optional(Type.Enum(INCIDENT_PRIORITIES)),
  /** Affected CIs (business systems among them count as business systems). */
  ciIds: Type.Optional(Type.Array(Id, { maxItems: INCIDENT_LIMITS.cis, uniqueItems: true })),
  major: Type.Optional(Type.Boolean()),
  majorRoles: Type.Optional(IncidentMajorRoles),
};

export const IncidentCreate = Type.Object(
  {
    ...incidentFields,
    /** When the fault began or was noticed (default: now). */
    detectedAt: Type.Optional(Epoch),
    assigneeId: Type.Optional(Nullable(Id)),
    /** The handling group: an org unit (its members may take the incident). */
    groupId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type IncidentCreate = Static<typeof IncidentCreate>;

/** 报障: what a member of staff says; the handlers classify and prioritise it. */
export const IncidentSelfReport = Type.Object(
  {
    title: Name(INCIDENT_LIMITS.title),
    description: Text(INCIDENT_LIMITS.description),
    /** 影响范围 in their words: only me, my department, many people. */
    impact: Type.Optional(Level),
    urgency: Type.Optional(Level),
    ciIds: Type.Optional(Type.Array(Id, { maxItems: 5, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type IncidentSelfReport = Static<typeof IncidentSelfReport>;

export const IncidentUpdate = Type.Object({ ...incidentFields, version: Version }, { additionalProperties: false });
export type IncidentUpdate = Static<typeof IncidentUpdate>;

export const IncidentTransition = Type.Object(
  {
    action: Type.Enum(INCIDENT_ACTIONS),
    version: Version,
    /** hold: the pause reason's code (its configuration says whether the SLA clocks pause). */
    pauseReason: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
    /** resolve: what was done; cancel / reopen / hold: why. */
    note: Type.Optional(Text(INCIDENT_LIMITS.comment)),
  },
  { additionalProperties: false },
);
export type IncidentTransition = Static<typeof IncidentTransition>;

export const IncidentAssign = Type.Object(
  { version: Version, assigneeId: Nullable(Id), groupId: Type.Optional(Nullable(Id)), note: Type.Optional(Text(INCIDENT_LIMITS.reason)) },
  { additionalProperties: false },
);
export type IncidentAssign = Static<typeof IncidentAssign>;

export const IncidentTimes = Type.Object(
  {
    version: Version,
    detectedAt: Epoch,
    acknowledgedAt: Type.Optional(Nullable(Epoch)),
    mitigatedAt: Type.Optional(Nullable(Epoch)),
    resolvedAt: Type.Optional(Nullable(Epoch)),
  },
  { additionalProperties: false },
);
export type IncidentTimes = Static<typeof IncidentTimes>;

/** L4-2.3.2: someone other than the resolver verifies the fix with evidence; a failed verification reopens the incident. */
export const IncidentVerify = Type.Object(
  {
    version: Version,
    outcome: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
    /** What was checked and seen (required when it fails). */
    note: Type.Optional(Text(INCIDENT_LIMITS.comment)),
    /** More checks to require green besides those on the incident's CIs. */
    checkIds: Type.Optional(Type.Array(Id, { maxItems: 20, uniqueItems: true })),
  },
  { additionalProperties: false },
);
export type IncidentVerify = Static<typeof IncidentVerify>;

export const IncidentEvidence = Type.Object({
  checks: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), up: Type.Boolean(), failuresInWindow: Type.Integer(), lastAt: Nullable(Type.Number()) })),
  openAlerts: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), ciName: Nullable(Type.String()), severity: Type.String(), since: Type.Number() })),
  windowMinutes: Type.Integer(),
  /** Everything green: closing is allowed. */
  ok: Type.Boolean(),
});
export type IncidentEvidence = Static<typeof IncidentEvidence>;

export const IncidentVerification = Type.Object({
  id: Type.String(),
  at: Type.Number(),
  verifier: Ref,
  outcome: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
  note: Type.String(),
  evidence: IncidentEvidence,
});
export type IncidentVerification = Static<typeof IncidentVerification>;
export const IncidentVerificationList = Type.Object({ items: Type.Array(IncidentVerification), current: IncidentEvidence });
export type IncidentVerificationList = Static<typeof IncidentVerificationList>;

/** 追溯异常原因 (L2-2.1.3): a timeline event recorded as the suspected cause, which the analyst confirms or rejects. */
export const INCIDENT_HYPOTHESIS_STATUSES = ['proposed', 'confirmed', 'rejected'] as const;
export const IncidentHypothesisInput = Type.Object(
  {
    /** The timeline event (its stable id, kind, time, CI and words as the timeline gave them). */
    eventId: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.String({ minLength: 1, maxLength: 40 }),
    at: Epoch,
    ciId: Type.Optional(Nullable(Id)),
    title: Name(500),
    link: Type.Optional(Type.String({ maxLength: 500, pattern: '^/[^\\s]*$' })),
    note: Type.Optional(Text(INCIDENT_LIMITS.comment)),
  },
  { additionalProperties: false },
);
export type IncidentHypothesisInput = Static<typeof IncidentHypothesisInput>;
export const IncidentHypothesisDecision = Type.Object(
  { status: Type.Union([Type.Literal('confirmed'), Type.Literal('rejected')]), note: Type.Optional(Text(INCIDENT_LIMITS.comment)) },
  { additionalProperties: false },
);
export type IncidentHypothesisDecision = Static<typeof IncidentHypothesisDecision>;
export const IncidentHypothesis = Type.Object({
  id: Type.String(),
  eventId: Type.String(),
  kind: Type.String(),
  at: Type.Number(),
  ci: Nullable(Ref),
  title: Type.String(),
  link: Type.String(),
  status: Type.Enum(INCIDENT_HYPOTHESIS_STATUSES),
  note: Type.String(),
  proposedBy: Nullable(Ref),
  decidedBy: Nullable(Ref),
  createdAt: Type.Number(),
  decidedAt: Nullable(Type.Number()),
});
export type IncidentHypothesis = Static<typeof IncidentHypothesis>;
export const IncidentHypothesisList = Type.Object({ items: Type.Array(IncidentHypothesis) });
export type IncidentHypothesisList = Static<typeof IncidentHypothesisList>;

export const IncidentComment = Type.Object({ text: Name(INCIDENT_LIMITS.comment) }, { additionalProperties: false });
export type IncidentComment = Static<typeof IncidentComment>;

export const IncidentListQuery = Type.Object(
  {
    status: Type.Optional(Type.Array(Type.Enum(INCIDENT_STATUSES), { maxItems: 6 })),
    /** open: new, in progress or on hold. */
    open: Type.Optional(Type.Boolean()),
    priority: Type.Optional(Type.Array(Type.Enum(INCIDENT_PRIORITIES), { maxItems: 4 })),
    typeId: Type.Optional(Id),
    natureId: Type.Optional(Id),
    assigneeId: Type.Optional(Id),
    /** Assigned to me or my groups. */
    mine: Type.Optional(Type.Boolean()),
    ciId: Type.Optional(Id),
    source: Type.Optional(Type.Enum(INCIDENT_SOURCES)),
    major: Type.Optional(Type.Boolean()),
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type IncidentListQuery = Static<typeof IncidentListQuery>;


export const IncidentSla = Type.Object({
  targetMinutes: Type.Number(),
  /** 24x7 or business hours of the calendar. */
  mode: Type.String(),
  elapsedMinutes: Type.Number(),
  percent: Type.Number(),
  dueAt: Nullable(Type.Number()),
  paused: Type.Boolean(),
  warning: Type.Boolean(),
  breached: Type.Boolean(),
  /** The clock stopped (responded / resolved) at. */
  stoppedAt: Nullable(Type.Number()),
});
export type IncidentSla = Static<typeof IncidentSla>;

export const Incident = Type.Object({
  id: Type.String(),
  /** INC-20261207-0001 */
  number: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: Type.Enum(INCIDENT_STATUSES),
  source: Type.Enum(INCIDENT_SOURCES),
  impact: Level,
  urgency: Level,
  priority: Type.Enum(INCIDENT_PRIORITIES),
  type: Nullable(Type.Object({ id: Type.String(), name: Type.String(), path: Type.String() })),
  nature: Nullable(Type.Object({ id: Type.String(), name: Type.String(), guidance: Type.String() })),
  reporter: Nullable(Ref),
  assignee: Nullable(Ref),
  group: Nullable(Ref),
  major: Type.Boolean(),
  majorRoles: Type.Object({ commander: Nullable(Ref), techLead: Nullable(Ref), communications: Nullable(Ref) }),
  cis: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), className: Type.String(), isBusiness: Type.Boolean() })),
  /** Computed from the CMDB when the CIs are set (redundancy groups respected) and kept with the incident. */
  impactScope: Type.Object({
    businessSystems: Type.Array(Ref),
    affectedCount: Type.Integer(),
    /** Names of CIs degraded but still served by a redundant peer. */
    degraded: Type.Array(Type.String()),
  }),
  detectedAt: Type.Number(),
  acknowledgedAt: Nullable(Type.Number()),
  mitigatedAt: Nullable(Type.Number()),
  resolvedAt: Nullable(Type.Number()),
  closedAt: Nullable(Type.Number()),
  pauseReason: Nullable(Type.Object({ code: Type.String(), name: Type.String(), pausesSla: Type.Boolean() })),
  resolution: Type.String(),
  sla: Type.Object({ response: Nullable(IncidentSla), resolution: Nullable(IncidentSla) }),
  /** What the reader may do now (the UI shows these buttons). */
  actions: Type.Array(Type.Enum(INCIDENT_ACTIONS)),
  canEdit: Type.Boolean(),
  alertGroupKey: Nullable(Type.String()),
  version: Type.Integer(),
  createdAt: Type.Number(),
  updatedAt: Type.Number(),
});
export type Incident = Static<typeof Incident>;

export const IncidentListItem = Type.Object({
  id: Type.String(),
  number: Type.String(),
  title: Type.String(),
  status: Type.Enum(INCIDENT_STATUSES),
  priority: Type.Enum(INCIDENT_PRIORITIES),
  source: Type.Enum(INCIDENT_SOURCES),
  typeName: Nullable(Type.String()),
  natureName: Nullable(Type.String()),
  assigneeName: Nullable(Type.String()),
  groupName: Nullable(Type.String()),
  reporterName: Nullable(Type.String()),
  ciNames: Type.Array(Type.String()),
  major: Type.Boolean(),
  detectedAt: Type.Number(),
  resolvedAt: Nullable(Type.Number()),
  /** The nearest SLA due time still running, and whether a clock is breached. */
  slaDueAt: Nullable(Type.Number()),
  slaBreached: Type.Boolean(),
  updatedAt: Type.Number(),
});
export type IncidentListItem = Static<typeof IncidentListItem>;

export const IncidentList = Type.Object({ items: Type.Array(IncidentListItem), total: Type.Integer() });
export type IncidentList = Static<typeof IncidentList>;

export const INCIDENT_ACTIVITY_KINDS = ['created', 'updated', 'status', 'assigned', 'times', 'comment', 'sla', 'alert', 'link', 'classify'] as const;
export const IncidentActivity = Type.Object({
  id: Type.String(),
  at: Type.Number(),
  kind: Type.Enum(INCIDENT_ACTIVITY_KINDS),
  actor: Nullable(Ref),
  /** Worded for the reader. */
  text: Type.String(),
  note: Type.String(),
});
export type IncidentActivity = Static<typeof IncidentActivity>;
export const IncidentActivityList = Type.Object({ items: Type.Array(IncidentActivity) });
export type IncidentActivityList = Static<typeof IncidentActivityList>;

// ---------------------------------------------------------------- configuration

/** A rule suggesting a fault type from what an alert is about (L3-2.3.1: the handler confirms). */
export const IncidentTypeRule = Type.Object(
  {
    /** checkType: the alert's check type (http, tcp, ping …); metric: the metric name (glob `node_disk_*`); ciClass: the CI's class code. */
    kind: Type.Union([Type.Literal('checkType'), Type.Literal('metric'), Type.Literal('ciClass')]),
    pattern: Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_:.*-]+$' }),
  },
  { additionalProperties: false },
);
export type IncidentTypeRule = Static<typeof IncidentTypeRule>;

export const IncidentTypeInput = Type.Object(
  {
    parentId: Nullable(Id),
    code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_.-]*$' }),
    nameZh: Name(60),
    nameEn: Name(60),
    description: Type.Optional(Text(1000)),
    rules: Type.Optional(Type.Array(IncidentTypeRule, { maxItems: 30 })),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type IncidentTypeInput = Static<typeof IncidentTypeInput>;

export const IncidentType = Type.Object({
  id: Type.String(),
  parentId: Nullable(Type.String()),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  name: Type.String(),
  /** 环境 / 电力 */
  path: Type.String(),
  description: Type.String(),
  rules: Type.Array(IncidentTypeRule),
  sort: Type.Integer(),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  inUse: Type.Integer(),
});
export type IncidentType = Static<typeof IncidentType>;

export const IncidentNatureInput = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_.-]*$' }),
    nameZh: Name(60),
    nameEn: Name(60),
    guidanceZh: Type.Optional(Text(2000)),
    guidanceEn: Type.Optional(Text(2000)),
    sort: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type IncidentNatureInput = Static<typeof IncidentNatureInput>;

export const IncidentNature = Type.Object({
  id: Type.String(),
  code: Type.String(),
  nameZh: Type.String(),
  nameEn: Type.String(),
  name: Type.String(),
  guidanceZh: Type.String(),
  guidanceEn: Type.String(),
  guidance: Type.String(),
  sort: Type.Integer(),
  enabled: Type.Boolean(),
  builtin: Type.Boolean(),
  inUse: Type.Integer(),
});
export type IncidentNature = Static<typeof IncidentNature>;

const Priority = Type.Enum(INCIDENT_PRIORITIES);
/** matrix[impact − 1][urgency − 1]: only P1–P4. */
export const PriorityMatrix = Type.Array(Type.Array(Priority, { minItems: 3, maxItems: 3 }), { minItems: 3, maxItems: 3 });
export type PriorityMatrix = Static<typeof PriorityMatrix>;

export const SlaTarget = Type.Object(
  {
    /** Minutes to the first response (acknowledged), and to resolution. */
    responseMinutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
    resolutionMinutes: Type.Integer({ minimum: 1, maximum: 525_600 }),
    /** 24x7: every hour counts; business: working hours of working days (statutory holidays and 调休 from the calendar). */
    mode: Type.Union([Type.Literal('24x7'), Type.Literal('business')]),
  },
  { additionalProperties: false },
);
export type SlaTarget = Static<typeof SlaTarget>;

const HourMinute = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$' });
export const PauseReason = Type.Object(
  { code: Type.String({ minLength: 1, maxLength: 40, pattern: '^[a-z][a-z0-9_.-]*$' }), nameZh: Name(60), nameEn: Name(60), pausesSla: Type.Boolean() },
  { additionalProperties: false },
);
export type PauseReason = Static<typeof PauseReason>;

export const IncidentConfigInput = Type.Object(
  {
    matrix: PriorityMatrix,
    sla: Type.Object({ P1: SlaTarget, P2: SlaTarget, P3: SlaTarget, P4: SlaTarget }, { additionalProperties: false }),
    /** Working hours of a working day (several windows: a lunch break is a gap), in YUNWEI_TIME_ZONE. */
    businessHours: Type.Array(Type.Object({ start: HourMinute, end: HourMinute }, { additionalProperties: false }), { minItems: 1, maxItems: 4 }),
    pauseReasons: Type.Array(PauseReason, { minItems: 1, maxItems: 20 }),
    /** A resolved or closed incident may be reopened within this many days of resolution. */
    reopenDays: Type.Integer({ minimum: 0, maximum: 365 }),
    /** Breach warnings at this share of the target (0.5–0.95). */
    warnAt: Type.Number({ minimum: 0.5, maximum: 0.95 }),
    /** Verification before closing: the linked checks must have been up for this many minutes (0: only their current state). */
    verifyMinutes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1440 })),
    /**
     * Per priority, the alerting escalation policy SLA notices go through: at the warning its first step's targets,
     * at a breach every step's targets (besides the assignee, or the handling group's leader when unassigned).
     */
    escalation: Type.Optional(Type.Object({ P1: Nullable(Id), P2: Nullable(Id), P3: Nullable(Id), P4: Nullable(Id) }, { additionalProperties: false })),
  },
  { additionalProperties: false },
);
export type IncidentConfigInput = Static<typeof IncidentConfigInput>;

export const IncidentConfig = Type.Intersect([IncidentConfigInput, Type.Object({ timeZone: Type.String(), updatedAt: Nullable(Type.Number()) })]);
export type IncidentConfig = Static<typeof IncidentConfig>;

export const IncidentOptions = Type.Object({
  types: Type.Array(IncidentType),
  natures: Type.Array(IncidentNature),
  matrix: PriorityMatrix,
  pauseReasons: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), pausesSla: Type.Boolean() })),
  /** People who may handle incidents (assignees, major-incident roles). */
  people: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), username: Type.String() })),
  /** Handling groups: org units. */
  groups: Type.Array(Ref),
});
export type IncidentOptions = Static<typeof IncidentOptions>;
