import Type, { type Static } from 'typebox';
import { Epoch, Id, Name } from './common.js';
import type { LocalizedText } from './i18n.js';

/*
 * 问题管理 and the 隐患 register (issue 14, L1-2.3.2): problems created from one or many incidents, root-cause
 * analysis (5 whys, fishbone), known errors with their workaround shown to the handlers of matching incidents;
 * latent risks (隐患) collected from problems, inspections, capacity forecasts, certificates and end-of-support
 * software, rated likelihood × impact; the 故障预防方案 generated from them.
 *
 * - GET    /api/problems                          ProblemListQuery → ProblemList                 incidents.problem.read
 * - POST   /api/problems                          ProblemCreate → Problem (from incidents)       incidents.problem.write
 * - GET    /api/problems/:id                      → Problem                                      incidents.problem.read
 * - PUT    /api/problems/:id                      ProblemUpdate → Problem (RCA, workaround, match; 409 on an older version) incidents.problem.write
 * - POST   /api/problems/:id/transition           ProblemTransition → Problem                    incidents.problem.write
 * - POST   /api/problems/:id/incidents            ProblemLink → Problem (link incidents)         incidents.problem.write
 * - DELETE /api/problems/:id/incidents/:incidentId ProblemUnlinkQuery → Problem                  incidents.problem.write
 * - GET    /api/incidents/:id/known-errors        → KnownErrorMatches (best first)               incidents.problem.read
 * - GET    /api/risks                             RiskListQuery → RiskList (sorted by level)     incidents.risk.read
 * - POST   /api/risks                             RiskCreate → Risk (manual)                     incidents.risk.write
 * - GET    /api/risks/export.xlsx                 RiskListQuery → the register as a workbook     incidents.risk.read
 * - GET    /api/risks/prevention-plan.docx|.pdf   → 故障预防方案                                   incidents.risk.read
 * - POST   /api/risks/prevention-plan/file        PreventionPlanFile → { documentId, number }    incidents.risk.write + library.document.write
 * - POST   /api/risks/collect                     RiskCollect → RiskCollectResult                incidents.risk.write
 * - GET    /api/risks/:id                         → Risk                                         incidents.risk.read
 * - PUT    /api/risks/:id                         RiskUpdate → Risk (409 on an older version)    incidents.risk.write
 * - POST   /api/risks/:id/transition              RiskTransition → Risk                          incidents.risk.write
 */

export const PROBLEM_PERMISSIONS = {
  read: 'incidents.problem.read',
  write: 'incidents.problem.write',
} as const;
export const RISK_PERMISSIONS = {
  read: 'incidents.risk.read',
  write: 'incidents.risk.write',
} as const;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Text = (maxLength: number) => Type.String({ maxLength });
const Version = Type.Integer({ minimum: 1, maximum: 2_147_483_647 });
const Ref = Type.Object({ id: Type.String(), name: Type.String() });

export const PROBLEM_LIMITS = { title: 200, text: 20_000, incidents: 200, whys: 5, causes: 20, keywords: 20, keyword: 50, cis: 50, classes: 20 } as const;

// ---------------------------------------------------------------- problems

/** 新建 → 分析中 → 已知错误 → 已解决 → 已关闭 (reopened from resolved / closed back to analysing). */
export const PROBLEM_STATUSES = ['new', 'analysing', 'known_error', 'resolved', 'closed'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];
export const PROBLEM_STATUS_NAMES: Record<ProblemStatus, LocalizedText> = {
  new: { zh: '新建', en: 'New' },
  analysing: { zh: '分析中', en: 'Analysing' },
  known_error: { zh: '已知错误', en: 'Known error' },
  resolved: { zh: '已解决', en: 'Resolved' },
  closed: { zh: '已关闭', en: 'Closed' },
};

export const PROBLEM_ACTIONS = ['analyse', 'known_error', 'resolve', 'close', 'reopen'] as const;
export type ProblemAction = (typeof PROBLEM_ACTIONS)[number];
export const PROBLEM_TRANSITIONS: Record<ProblemAction, { from: readonly ProblemStatus[]; to: ProblemStatus }> = {
  analyse: { from: ['new'], to: 'analysing' },
  /** Needs a workaround and match criteria. */
  known_error: { from: ['new', 'analysing'], to: 'known_error' },
  /** Needs the permanent fix. */
  resolve: { from: ['new', 'analysing', 'known_error'], to: 'resolved' },
  close: { from: ['resolved'], to: 'closed' },
  reopen: { from: ['resolved', 'closed'], to: 'analysing' },
};
export const PROBLEM_ACTION_NAMES: Record<ProblemAction, LocalizedText> = {
  analyse: { zh: '开始分析', en: 'Start analysis' },
  known_error: { zh: '登记为已知错误', en: 'Record as a known error' },
  resolve: { zh: '解决', en: 'Resolve' },
  close: { zh: '关闭', en: 'Close' },
  reopen: { zh: '重新打开', en: 'Reopen' },
};

/** 鱼骨图 categories: 人 / 机 / 料 / 法 / 环 / 测. */
export const FISHBONE_CATEGORIES = ['people', 'machine', 'material', 'method', 'environment', 'measurement'] as const;
export type FishboneCategory = (typeof FISHBONE_CATEGORIES)[number];
export const FISHBONE_CATEGORY_NAMES: Record<FishboneCategory, LocalizedText> = {
  people: { zh: '人', en: 'People' },
  machine: { zh: '机', en: 'Machine' },
  material: { zh: '料', en: 'Material' },
  method: { zh: '法', en: 'Method' },
  environment: { zh: '环', en: 'Environment' },
  measurement: { zh: '测', en: 'Measurement' },
};

export const FiveWhy = Type.Object({ why: Text(1000), answer: Text(2000) }, { additionalProperties: false });
export type FiveWhy = Static<typeof FiveWhy>;

const Causes = Type.Array(Name(500), { maxItems: PROBLEM_LIMITS.causes });
/** Causes per category; categories left out have none. */
export const Fishbone = Type.Object(
  {
    people: Type.Optional(Causes),
    machine: Type.Optional(Causes),
    material: Type.Optional(Causes),
    method: Type.Optional(Causes),
    environment: Type.Optional(Causes),
    measurement: Type.Optional(Causes),
  },
  { additionalProperties: false },
);
export type Fishbone = Static<typeof Fishbone>;

/** Which new incidents a known error is shown on: every criterion given must match (CIs or classes count as one). */
export const KnownErrorMatch = Type.Object(
  {
    /** A fault type: the incident's type is it or one of its descendants. */
    typeId: Type.Optional(Nullable(Id)),
    /** CI class codes (server, database …) of the incident's CIs. */
    ciClasses: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: PROBLEM_LIMITS.classes, uniqueItems: true })),
    ciIds: Type.Optional(Type.Array(Id, { maxItems: PROBLEM_LIMITS.cis, uniqueItems: true })),
    /** Words in the incident's title (any one). */
    keywords: Type.Optional(Type.Array(Name(PROBLEM_LIMITS.keyword), { maxItems: PROBLEM_LIMITS.keywords })),
  },
  { additionalProperties: false },
);
export type KnownErrorMatch = Static<typeof KnownErrorMatch>;

export const ProblemCreate = Type.Object(
  {
    title: Name(PROBLEM_LIMITS.title),
    description: Type.Optional(Text(PROBLEM_LIMITS.text)),
    /** The incidents it comes from (one or many; each must be readable by the creator). */
    incidentIds: Type.Array(Id, { minItems: 1, maxItems: PROBLEM_LIMITS.incidents, uniqueItems: true }),
    ownerId: Type.Optional(Nullable(Id)),
    /** Default: the fault type the incidents share, if they share one. */
    typeId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false },
);
export type ProblemCreate = Static<typeof ProblemCreate>;

export const ProblemUpdate = Type.Object(
  {
    version: Version,
    title: Type.Optional(Name(PROBLEM_LIMITS.title)),
    description: Type.Optional(Text(PROBLEM_LIMITS.text)),
    ownerId: Type.Optional(Nullable(Id)),
    typeId: Type.Optional(Nullable(Id)),
    ciIds: Type.Optional(Type.Array(Id, { maxItems: PROBLEM_LIMITS.cis, uniqueItems: true })),
    rootCause: Type.Optional(Text(PROBLEM_LIMITS.text)),
    fiveWhys: Type.Optional(Type.Array(FiveWhy, { maxItems: PROBLEM_LIMITS.whys })),
    fishbone: Type.Optional(Fishbone),
    workaround: Type.Optional(Text(PROBLEM_LIMITS.text)),
    permanentFix: Type.Optional(Text(PROBLEM_LIMITS.text)),
    match: Type.Optional(KnownErrorMatch),
  },
  { additionalProperties: false },
);
export type ProblemUpdate = Static<typeof ProblemUpdate>;

export const ProblemTransition = Type.Object({ action: Type.Enum(PROBLEM_ACTIONS), version: Version, note: Type.Optional(Text(2000)) }, { additionalProperties: false });
export type ProblemTransition = Static<typeof ProblemTransition>;

export const ProblemLink = Type.Object({ version: Version, incidentIds: Type.Array(Id, { minItems: 1, maxItems: PROBLEM_LIMITS.incidents, uniqueItems: true }) }, { additionalProperties: false });
export type ProblemLink = Static<typeof ProblemLink>;
export const ProblemUnlinkParams = Type.Object({ id: Id, incidentId: Id }, { additionalProperties: false });
export type ProblemUnlinkParams = Static<typeof ProblemUnlinkParams>;
export const ProblemUnlinkQuery = Type.Object({ version: Version }, { additionalProperties: false });
export type ProblemUnlinkQuery = Static<typeof ProblemUnlinkQuery>;

export const ProblemListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(PROBLEM_STATUSES)),
    /** Only known errors (known_error, or resolved with a workaround). */
    knownErrors: Type.Optional(Type.Boolean()),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type ProblemListQuery = Static<typeof ProblemListQuery>;

export const ProblemListItem = Type.Object({
  id: Id,
  number: Type.String(),
  title: Type.String(),
  status: Type.Enum(PROBLEM_STATUSES),
  ownerName: Nullable(Type.String()),
  typeName: Nullable(Type.String()),
  incidentCount: Type.Integer(),
  hasWorkaround: Type.Boolean(),
  hasPermanentFix: Type.Boolean(),
  updatedAt: Epoch,
});
export type ProblemListItem = Static<typeof ProblemListItem>;
export const ProblemList = Type.Object({ items: Type.Array(ProblemListItem), total: Type.Integer() });
export type ProblemList = Static<typeof ProblemList>;

export const Problem = Type.Object({
  id: Id,
  number: Type.String(),
  title: Type.String(),
  description: Type.String(),
  status: Type.Enum(PROBLEM_STATUSES),
  owner: Nullable(Ref),
  type: Nullable(Type.Object({ id: Id, name: Type.String(), path: Type.String() })),
  cis: Type.Array(Ref),
  incidents: Type.Array(Type.Object({ id: Id, number: Type.String(), title: Type.String(), status: Type.String(), detectedAt: Epoch })),
  rootCause: Type.String(),
  fiveWhys: Type.Array(FiveWhy),
  fishbone: Fishbone,
  workaround: Type.String(),
  permanentFix: Type.String(),
  match: KnownErrorMatch,
  actions: Type.Array(Type.Enum(PROBLEM_ACTIONS)),
  canEdit: Type.Boolean(),
  version: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
  knownErrorAt: Nullable(Epoch),
  resolvedAt: Nullable(Epoch),
  closedAt: Nullable(Epoch),
});
export type Problem = Static<typeof Problem>;

export const KnownErrorMatches = Type.Object({
  items: Type.Array(
    Type.Object({
      problemId: Id,
      number: Type.String(),
      title: Type.String(),
      status: Type.Enum(PROBLEM_STATUSES),
      workaround: Type.String(),
      rootCause: Type.String(),
      score: Type.Number(),
      /** Why it matched, in the reader's language (类型、配置项、关键词). */
      reasons: Type.Array(Type.String()),
      /** This incident is already linked to the problem. */
      linked: Type.Boolean(),
    }),
  ),
});
export type KnownErrorMatches = Static<typeof KnownErrorMatches>;

// ---------------------------------------------------------------- 隐患 register

export const RISK_SOURCES = ['problem', 'inspection', 'capacity', 'certificate', 'software', 'manual'] as const;
export type RiskSource = (typeof RISK_SOURCES)[number];
export const RISK_SOURCE_NAMES: Record<RiskSource, LocalizedText> = {
  problem: { zh: '问题', en: 'Problem' },
  inspection: { zh: '巡检', en: 'Inspection' },
  capacity: { zh: '容量预测', en: 'Capacity forecast' },
  certificate: { zh: '证书到期', en: 'Certificate expiry' },
  software: { zh: '软件停止支持', en: 'End-of-support software' },
  manual: { zh: '人工登记', en: 'Recorded by hand' },
};

export const RISK_STATUSES = ['open', 'mitigating', 'closed', 'accepted'] as const;
export type RiskStatus = (typeof RISK_STATUSES)[number];
export const RISK_STATUS_NAMES: Record<RiskStatus, LocalizedText> = {
  open: { zh: '待处理', en: 'Open' },
  mitigating: { zh: '整改中', en: 'Mitigating' },
  closed: { zh: '已消除', en: 'Closed' },
  accepted: { zh: '已接受', en: 'Accepted' },
};
export const RISK_ACTIONS = ['mitigate', 'close', 'accept', 'reopen'] as const;
export type RiskAction = (typeof RISK_ACTIONS)[number];
export const RISK_TRANSITIONS: Record<RiskAction, { from: readonly RiskStatus[]; to: RiskStatus }> = {
  mitigate: { from: ['open'], to: 'mitigating' },
  close: { from: ['open', 'mitigating'], to: 'closed' },
  /** 接受风险: needs a note saying why. */
  accept: { from: ['open', 'mitigating'], to: 'accepted' },
  reopen: { from: ['closed', 'accepted'], to: 'open' },
};
export const RISK_ACTION_NAMES: Record<RiskAction, LocalizedText> = {
  mitigate: { zh: '开始整改', en: 'Start mitigating' },
  close: { zh: '确认消除', en: 'Close' },
  accept: { zh: '接受风险', en: 'Accept' },
  reopen: { zh: '重新打开', en: 'Reopen' },
};

/** Likelihood × impact → level (the fixed table is `riskLevel` in the server's risk-level.ts). */
export const RISK_LEVELS = ['low', 'medium', 'high', 'critical'] as const;
export type RiskLevel = (typeof RISK_LEVELS)[number];
export const RISK_LEVEL_NAMES: Record<RiskLevel, LocalizedText> = {
  low: { zh: '低', en: 'Low' },
  medium: { zh: '中', en: 'Medium' },
  high: { zh: '高', en: 'High' },
  critical: { zh: '极高', en: 'Critical' },
};

const Rating = Type.Integer({ minimum: 1, maximum: 5 });
export const RISK_LIMITS = { title: 200, text: 20_000 } as const;

export const RiskSourceRef = Type.Object({ id: Type.String(), label: Type.String(), link: Nullable(Type.String()) });
export type RiskSourceRef = Static<typeof RiskSourceRef>;

export const RiskCreate = Type.Object(
  {
    title: Name(RISK_LIMITS.title),
    description: Type.Optional(Text(RISK_LIMITS.text)),
    ciId: Type.Optional(Nullable(Id)),
    likelihood: Rating,
    impact: Rating,
    ownerId: Type.Optional(Nullable(Id)),
    dueAt: Type.Optional(Nullable(Epoch)),
    measures: Type.Optional(Text(RISK_LIMITS.text)),
  },
  { additionalProperties: false },
);
export type RiskCreate = Static<typeof RiskCreate>;

export const RiskUpdate = Type.Object(
  {
    version: Version,
    title: Type.Optional(Name(RISK_LIMITS.title)),
    description: Type.Optional(Text(RISK_LIMITS.text)),
    ciId: Type.Optional(Nullable(Id)),
    likelihood: Type.Optional(Rating),
    impact: Type.Optional(Rating),
    ownerId: Type.Optional(Nullable(Id)),
    dueAt: Type.Optional(Nullable(Epoch)),
    measures: Type.Optional(Text(RISK_LIMITS.text)),
  },
  { additionalProperties: false },
);
export type RiskUpdate = Static<typeof RiskUpdate>;

export const RiskTransition = Type.Object({ action: Type.Enum(RISK_ACTIONS), version: Version, note: Type.Optional(Text(2000)) }, { additionalProperties: false });
export type RiskTransition = Static<typeof RiskTransition>;

export const RiskListQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(RISK_STATUSES)),
    /** open or mitigating. */
    open: Type.Optional(Type.Boolean()),
    level: Type.Optional(Type.Enum(RISK_LEVELS)),
    source: Type.Optional(Type.Enum(RISK_SOURCES)),
    ownerId: Type.Optional(Id),
    q: Type.Optional(Type.String({ maxLength: 200 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
  },
  { additionalProperties: false },
);
export type RiskListQuery = Static<typeof RiskListQuery>;

export const Risk = Type.Object({
  id: Id,
  title: Type.String(),
  description: Type.String(),
  source: Type.Enum(RISK_SOURCES),
  sourceRef: Nullable(RiskSourceRef),
  ci: Nullable(Ref),
  likelihood: Type.Integer(),
  impact: Type.Integer(),
  score: Type.Integer(),
  level: Type.Enum(RISK_LEVELS),
  owner: Nullable(Ref),
  dueAt: Nullable(Epoch),
  overdue: Type.Boolean(),
  status: Type.Enum(RISK_STATUSES),
  measures: Type.String(),
  lastSeenAt: Nullable(Epoch),
  actions: Type.Array(Type.Enum(RISK_ACTIONS)),
  version: Type.Integer(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type Risk = Static<typeof Risk>;
export const RiskList = Type.Object({ items: Type.Array(Risk), total: Type.Integer() });
export type RiskList = Static<typeof RiskList>;

export const RiskCollect = Type.Object(
  {
    /** Capacity: resources the trend takes over their threshold within this many days (default 30). */
    horizonDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
    /** Certificates expiring within this many days (default 30). */
    certificateDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  },
  { additionalProperties: false },
);
export type RiskCollect = Static<typeof RiskCollect>;
export const RiskCollectResult = Type.Object({
  /** Per source: found (conditions seen), created, reopened, updated. */
  sources: Type.Array(Type.Object({ source: Type.Enum(RISK_SOURCES), found: Type.Integer(), created: Type.Integer(), reopened: Type.Integer(), updated: Type.Integer(), error: Nullable(Type.String()) })),
});
export type RiskCollectResult = Static<typeof RiskCollectResult>;

export const PreventionPlanFile = Type.Object(
  { title: Type.Optional(Name(200)), submit: Type.Optional(Type.Boolean()) },
  { additionalProperties: false },
);
export type PreventionPlanFile = Static<typeof PreventionPlanFile>;
export const PreventionPlanFiled = Type.Object({ documentId: Id, number: Type.String(), status: Type.String() });
export type PreventionPlanFiled = Static<typeof PreventionPlanFiled>;
