import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';
import { WrittenDocument } from './documents.js';
import type { LocalizedText } from './i18n.js';

/**
 * Inspections (巡检) and the monitoring policy (监控制度).
 *
 * - A template lists items evaluated per CI of its scope (a CI class, a business system with what it
 *   relies on, or explicit CIs): automatic items read the metrics store (a series selector reduced over
 *   a recent window and compared with a limit; a check type being up; a series reporting recently),
 *   manual items are ticked by the inspector (ok / abnormal, note, photo).
 * - Templates are versioned: a record keeps the item definitions it was run with.
 * - A run creates a record; the inspector fills the manual items and signs it off with the password.
 *   A signed record is immutable and carries a SHA-256 over its canonical content, chained to the
 *   record signed before it.
 * - A monitoring policy says, per CI class or business system, which metrics and check types must
 *   report and how often, and how often which inspection must run; the coverage view lists every CI
 *   that does not meet it and why (data-based: configured but silent is not covered).
 */
export const INSPECTION_PERMISSIONS = {
  templateRead: 'inspections.template.read',
  templateWrite: 'inspections.template.write',
  scheduleWrite: 'inspections.schedule.write',
  recordRead: 'inspections.record.read',
  /** Run an inspection, fill its manual items and sign it off. */
  recordRun: 'inspections.record.run',
  policyRead: 'inspections.policy.read',
  policyWrite: 'inspections.policy.write',
} as const satisfies Record<string, PermissionId>;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

// ---------------------------------------------------------------- scope

export const SCOPE_KINDS = ['class', 'business_system', 'cis'] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

/** class: every CI of `classCode`; business_system: every CI `ciId` contains or depends on; cis: `ciIds`. */
export const InspectionScope = Type.Object(
  {
    kind: Type.Enum(SCOPE_KINDS),
    classCode: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    ciId: Type.Optional(Id),
    ciIds: Type.Optional(Type.Array(Id, { minItems: 1, maxItems: 1000 })),
  },
  { additionalProperties: false },
);
export type InspectionScope = Static<typeof InspectionScope>;

// ---------------------------------------------------------------- items

export const ITEM_KINDS = ['metric', 'check', 'fresh', 'manual'] as const;
export type ItemKind = (typeof ITEM_KINDS)[number];
export const REDUCERS = ['last', 'avg', 'max', 'min'] as const;
export type Reducer = (typeof REDUCERS)[number];
export const OPERATORS = ['<', '<=', '>', '>=', '==', '!='] as const;
export type Operator = (typeof OPERATORS)[number];
export const HW_COMPONENTS = ['temperature', 'smart', 'fan', 'power'] as const;

/**
 * One item. By kind:
 * - metric: `selector` (a series selector; the `ci` matcher is added per CI), `reduce` over the last
 *   `windowSeconds`, normal when `value operator limit` holds for every matching series.
 *   `availabilityComponent`: when `host_hw_available{component=…}` is 0 the item is "unavailable".
 * - check: `checkType` — normal when `check_up{type=…}` is 1 (last sample in the window) for every check.
 * - fresh: `selector` has a sample no older than `maxAgeSeconds` ("the agent reports").
 * - manual: ticked by the inspector; `guidance` says what to look at.
 */
export const InspectionItem = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z][a-z0-9_]*$' }),
    name: Name(200),
    kind: Type.Enum(ITEM_KINDS),
    selector: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    reduce: Type.Optional(Type.Enum(REDUCERS)),
    windowSeconds: Type.Optional(Type.Integer({ minimum: 15, maximum: 7 * 86_400 })),
    operator: Type.Optional(Type.Enum(OPERATORS)),
    limit: Type.Optional(Type.Number()),
    unit: Type.Optional(Type.String({ maxLength: 20 })),
    availabilityComponent: Type.Optional(Type.Enum(HW_COMPONENTS)),
    checkType: Type.Optional(Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_]*$' })),
    maxAgeSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 30 * 86_400 })),
    guidance: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
export type InspectionItem = Static<typeof InspectionItem>;

// ---------------------------------------------------------------- templates

export const InspectionTemplate = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  /** `hardware` / `system` for the seeded templates, else null. */
  builtinKey: Nullable(Type.String()),
  scope: InspectionScope,
  items: Type.Array(InspectionItem),
  version: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type InspectionTemplate = Static<typeof InspectionTemplate>;
export const InspectionTemplateList = Type.Object({ items: Type.Array(InspectionTemplate), total: Type.Integer() });
export type InspectionTemplateList = Static<typeof InspectionTemplateList>;

export const InspectionTemplateCreate = Type.Object(
  {
    name: Name(100),
    description: Type.Optional(Type.String({ maxLength: 1000 })),
    scope: InspectionScope,
    items: Type.Array(InspectionItem, { minItems: 1, maxItems: 100 }),
  },
  { additionalProperties: false },
);
export type InspectionTemplateCreate = Static<typeof InspectionTemplateCreate>;
export const InspectionTemplateUpdate = Type.Partial(InspectionTemplateCreate, { additionalProperties: false });
export type InspectionTemplateUpdate = Static<typeof InspectionTemplateUpdate>;

// ---------------------------------------------------------------- schedules

export const SCHEDULE_KINDS = ['daily', 'weekly', 'cron'] as const;
export type ScheduleKind = (typeof SCHEDULE_KINDS)[number];
export const ROLE_KINDS_FOR_DUTY = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;

const ClockTime = Type.String({ pattern: '^([01]\\d|2[0-3]):[0-5]\\d$', description: 'HH:MM, server time' });

export const InspectionScheduleInput = {
  templateId: Id,
  name: Name(100),
  kind: Type.Enum(SCHEDULE_KINDS),
  /** daily / weekly: the time of day. */
  time: Type.Optional(ClockTime),
  /** weekly: 0 = Sunday … 6 = Saturday. */
  weekday: Type.Optional(Type.Integer({ minimum: 0, maximum: 6 })),
  /** cron: a 5-field cron expression. */
  cron: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  /** The role kind responsible for carrying it out (and signing). */
  responsibleRole: Type.Optional(Nullable(Type.Enum(ROLE_KINDS_FOR_DUTY))),
  responsibleUserId: Type.Optional(Nullable(Id)),
  enabled: Type.Optional(Type.Boolean()),
};
export const InspectionScheduleCreate = Type.Object(InspectionScheduleInput, { additionalProperties: false });
export type InspectionScheduleCreate = Static<typeof InspectionScheduleCreate>;
export const InspectionScheduleUpdate = Type.Partial(Type.Object(InspectionScheduleInput), { additionalProperties: false });
export type InspectionScheduleUpdate = Static<typeof InspectionScheduleUpdate>;

export const InspectionSchedule = Type.Object({
  id: Id,
  templateId: Id,
  templateName: Type.String(),
  name: Type.String(),
  kind: Type.Enum(SCHEDULE_KINDS),
  time: Nullable(Type.String()),
  weekday: Nullable(Type.Integer()),
  /** The cron expression in force (daily / weekly are translated into one). */
  cron: Type.String(),
  responsibleRole: Nullable(Type.String()),
  responsibleUserId: Nullable(Type.String()),
  responsibleUserName: Nullable(Type.String()),
  enabled: Type.Boolean(),
  nextRunAt: Nullable(Epoch),
  lastRunAt: Nullable(Epoch),
  lastRecordId: Nullable(Type.String()),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type InspectionSchedule = Static<typeof InspectionSchedule>;
export const InspectionScheduleList = Type.Object({ items: Type.Array(InspectionSchedule), total: Type.Integer() });
export type InspectionScheduleList = Static<typeof InspectionScheduleList>;

// ---------------------------------------------------------------- records

export const VERDICTS = ['normal', 'abnormal', 'unavailable', 'no_data', 'pending'] as const;
export type Verdict = (typeof VERDICTS)[number];
export const VERDICT_NAMES: Record<Verdict, LocalizedText> = {
  normal: { zh: '正常', en: 'Normal' },
  abnormal: { zh: '异常', en: 'Abnormal' },
  unavailable: { zh: '不支持（设备未提供）', en: 'Not exposed' },
  no_data: { zh: '无数据', en: 'No data' },
  pending: { zh: '待填写', en: 'To fill in' },
};

export const InspectionResult = Type.Object({
  id: Id,
  ciId: Type.String(),
  ciName: Type.String(),
  itemKey: Type.String(),
  itemName: Type.String(),
  kind: Type.Enum(ITEM_KINDS),
  /** The measured value (the worst of the matching series), null when none. */
  value: Nullable(Type.Number()),
  unit: Type.String(),
  /** Per series, e.g. `device=sda: 1; device=sdb: 0`. */
  detail: Type.String(),
  /** The limit as text, e.g. `<= 90` or `== 1`. */
  limit: Type.String(),
  verdict: Type.Enum(VERDICTS),
  note: Type.String(),
  hasPhoto: Type.Boolean(),
  filledBy: Nullable(Type.String()),
  filledAt: Nullable(Epoch),
});
export type InspectionResult = Static<typeof InspectionResult>;

export const VerdictTotals = Type.Object({
  normal: Type.Integer(),
  abnormal: Type.Integer(),
  unavailable: Type.Integer(),
  no_data: Type.Integer(),
  pending: Type.Integer(),
  total: Type.Integer(),
});
export type VerdictTotals = Static<typeof VerdictTotals>;

export const RECORD_STATUSES = ['open', 'signed'] as const;
export type RecordStatus = (typeof RECORD_STATUSES)[number];

export const InspectionRecordSummary = Type.Object({
  id: Id,
  templateId: Type.String(),
  templateName: Type.String(),
  templateVersion: Type.Integer(),
  scheduleId: Nullable(Type.String()),
  scheduleName: Nullable(Type.String()),
  /** The due time a scheduled run was for. */
  dueAt: Nullable(Epoch),
  trigger: Type.Enum(['manual', 'schedule'] as const),
  startedBy: Nullable(Type.String()),
  startedByName: Type.String(),
  responsibleRole: Nullable(Type.String()),
  createdAt: Epoch,
  status: Type.Enum(RECORD_STATUSES),
  totals: VerdictTotals,
  ciCount: Type.Integer(),
  signedBy: Nullable(Type.String()),
  signedByName: Nullable(Type.String()),
  signedAt: Nullable(Epoch),
  hash: Nullable(Type.String()),
});
export type InspectionRecordSummary = Static<typeof InspectionRecordSummary>;

export const InspectionRecord = Type.Object({
  ...InspectionRecordSummary.properties,
  items: Type.Array(InspectionItem),
  results: Type.Array(InspectionResult),
  prevHash: Nullable(Type.String()),
  conclusion: Type.String(),
});
export type InspectionRecord = Static<typeof InspectionRecord>;

export const InspectionRecordList = Type.Object({ items: Type.Array(InspectionRecordSummary), total: Type.Integer() });
export type InspectionRecordList = Static<typeof InspectionRecordList>;

export const InspectionRecordQuery = Type.Object(
  {
    templateId: Type.Optional(Id),
    status: Type.Optional(Type.Enum(RECORD_STATUSES)),
    from: Type.Optional(Epoch),
    to: Type.Optional(Epoch),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  },
  { additionalProperties: false },
);
export type InspectionRecordQuery = Static<typeof InspectionRecordQuery>;

export const InspectionRun = Type.Object({ templateId: Id }, { additionalProperties: false });
export type InspectionRun = Static<typeof InspectionRun>;

/** Fills a manual item (or annotates an automatic one): verdict ok/abnormal, a note. */
export const InspectionResultFill = Type.Object(
  {
    verdict: Type.Optional(Type.Enum(['normal', 'abnormal'] as const)),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type InspectionResultFill = Static<typeof InspectionResultFill>;

export const RecordResultParams = Type.Object({ id: Id, resultId: Id }, { additionalProperties: false });
export type RecordResultParams = Static<typeof RecordResultParams>;

export const InspectionSign = Type.Object(
  {
    /** The signer's password again: a signature is an act of its own, not a click in a session. */
    password: Type.String({ minLength: 1, maxLength: 200 }),
    conclusion: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type InspectionSign = Static<typeof InspectionSign>;

export const InspectionVerify = Type.Object({
  id: Id,
  signed: Type.Boolean(),
  valid: Type.Boolean(),
  storedHash: Nullable(Type.String()),
  computedHash: Nullable(Type.String()),
  /** The previous signed record's hash matches the one this record was chained to. */
  chainValid: Type.Boolean(),
  message: Type.String(),
});
export type InspectionVerify = Static<typeof InspectionVerify>;

/** Photos: JPEG, PNG or WebP up to this size. */
export const PHOTO_MAX_BYTES = 5 * 1024 * 1024;
export const PHOTO_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

// ---------------------------------------------------------------- monitoring policy

export const PolicyMetric = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: 200, pattern: '^[a-zA-Z_:][a-zA-Z0-9_:]*$' }),
    maxIntervalSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  { additionalProperties: false },
);
export const PolicyCheck = Type.Object(
  {
    checkType: Type.String({ minLength: 1, maxLength: 32, pattern: '^[a-z][a-z0-9_]*$' }),
    maxIntervalSeconds: Type.Integer({ minimum: 1, maximum: 86_400 }),
  },
  { additionalProperties: false },
);
export const PolicyInspection = Type.Object(
  {
    templateId: Id,
    everyDays: Type.Integer({ minimum: 1, maximum: 366 }),
  },
  { additionalProperties: false },
);

const PolicyInput = {
  name: Name(100),
  description: Type.Optional(Type.String({ maxLength: 1000 })),
  /** class or business_system. */
  scope: InspectionScope,
  metrics: Type.Array(PolicyMetric, { maxItems: 50 }),
  checks: Type.Array(PolicyCheck, { maxItems: 20 }),
  inspections: Type.Array(PolicyInspection, { maxItems: 10 }),
  responsibleRole: Nullable(Type.Enum(ROLE_KINDS_FOR_DUTY)),
  enabled: Type.Optional(Type.Boolean()),
  /** How often the monitoring regime written from the policy is reviewed, in months (default 12). */
  reviewMonths: Type.Optional(Type.Integer({ minimum: 1, maximum: 36 })),
};
export const MonitoringPolicyCreate = Type.Object(PolicyInput, { additionalProperties: false });
export type MonitoringPolicyCreate = Static<typeof MonitoringPolicyCreate>;
export const MonitoringPolicyUpdate = Type.Partial(Type.Object(PolicyInput), { additionalProperties: false });
export type MonitoringPolicyUpdate = Static<typeof MonitoringPolicyUpdate>;

export const MonitoringPolicy = Type.Object({
  id: Id,
  name: Type.String(),
  description: Type.String(),
  scope: InspectionScope,
  metrics: Type.Array(PolicyMetric),
  checks: Type.Array(PolicyCheck),
  inspections: Type.Array(PolicyInspection),
  responsibleRole: Nullable(Type.String()),
  enabled: Type.Boolean(),
  reviewMonths: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type MonitoringPolicy = Static<typeof MonitoringPolicy>;
export const MonitoringPolicyList = Type.Object({ items: Type.Array(MonitoringPolicy), total: Type.Integer() });
export type MonitoringPolicyList = Static<typeof MonitoringPolicyList>;

export const REQUIREMENT_KINDS = ['metric', 'check', 'inspection'] as const;
export const CoverageRequirement = Type.Object({
  kind: Type.Enum(REQUIREMENT_KINDS),
  /** metric name, check type or template id. */
  subject: Type.String(),
  /** Template name for inspections; else the subject. */
  label: Type.String(),
  /** Seconds (metric, check) or days (inspection). */
  required: Type.Number(),
  met: Type.Boolean(),
  /** Newest sample / last inspection run, epoch ms. */
  lastSeen: Nullable(Epoch),
  /** Why it is not met: no_series (never reported), stale (silent too long), never_inspected, overdue. */
  reason: Nullable(Type.Enum(['no_series', 'stale', 'never_inspected', 'overdue'] as const)),
});
export type CoverageRequirement = Static<typeof CoverageRequirement>;

export const CoverageCi = Type.Object({
  ciId: Type.String(),
  ciName: Type.String(),
  classCode: Type.String(),
  policyId: Type.String(),
  policyName: Type.String(),
  responsibleRole: Nullable(Type.String()),
  covered: Type.Boolean(),
  requirements: Type.Array(CoverageRequirement),
});
export type CoverageCi = Static<typeof CoverageCi>;

export const Coverage = Type.Object({
  at: Epoch,
  policies: Type.Integer(),
  total: Type.Integer(),
  covered: Type.Integer(),
  /** Every CI a policy applies to (uncovered first). */
  cis: Type.Array(CoverageCi),
});
export type Coverage = Static<typeof Coverage>;
export const CoverageQuery = Type.Object({ policyId: Type.Optional(Id), uncoveredOnly: Type.Optional(Type.Boolean()) }, { additionalProperties: false });
export type CoverageQuery = Static<typeof CoverageQuery>;

// ---------------------------------------------------------------- the monitoring regime (监控制度)

export const MonitoringRegimeQuery = Type.Object({ policyId: Type.Optional(Id) }, { additionalProperties: false });
export type MonitoringRegimeQuery = Static<typeof MonitoringRegimeQuery>;
/** The routine monitoring regime written from the enabled policies, their alert rules and the alert routing (L1-2.1.1). */
export const MonitoringRegime = Type.Object({
  generatedAt: Epoch,
  /** Policies it is written from. */
  policies: Type.Integer(),
  document: WrittenDocument,
});
export type MonitoringRegime = Static<typeof MonitoringRegime>;
