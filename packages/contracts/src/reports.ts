import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch } from './common.js';
import { WrittenDocument } from './documents.js';

/*
 * Reports written from live data (issue 13): 系统运行状况报告 (L2-2.1.2) and 系统性能评估报告 (L2-2.2.3),
 * each over a period and a scope, answered as JSON (the numbers and the document) and as Word / PDF.
 */

export const REPORTS_PERMISSIONS = {
  read: 'reports.report.read',
  /** Create, change, delete and run 定时报告 (report schedules). */
  manageSchedules: 'reports.schedule.manage',
} as const satisfies Record<string, PermissionId>;

export const REPORT_KINDS = ['running-status', 'performance'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** The longest period a report covers. */
export const REPORT_MAX_DAYS = 366;

export const ReportQuery = Type.Object(
  {
    /** Epoch ms, start of the period (inclusive). */
    from: Epoch,
    /** Epoch ms, end of the period (exclusive); after `from`, at most 366 days later. */
    to: Epoch,
    /** `all`, `businessSystem:<CI id>` or `ciClass:<class code>`; default `all`. */
    scope: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
);
export type ReportQuery = Static<typeof ReportQuery>;

/** A download with the author's edits: the same period and scope, and 结论与建议 as the author rewrote it. */
export const ReportEdit = Type.Object(
  {
    from: Epoch,
    to: Epoch,
    scope: Type.Optional(Type.String({ maxLength: 100 })),
    /** One paragraph per item, replacing the generated draft. */
    conclusions: Type.Array(Type.String({ minLength: 1, maxLength: 2000 }), { minItems: 1, maxItems: 50 }),
  },
  { additionalProperties: false },
);
export type ReportEdit = Static<typeof ReportEdit>;

export const REPORT_SCOPE_KINDS = ['all', 'businessSystem', 'ciClass'] as const;
export type ReportScopeKind = (typeof REPORT_SCOPE_KINDS)[number];

/** One section a data provider computed, or why it is missing. */
export const ReportSectionData = Type.Object({
  /** The provider's name, e.g. `alerts.summary`. */
  provider: Type.String(),
  title: Type.String(),
  /** False when the provider failed: the document says which part is missing and why. */
  ok: Type.Boolean(),
  error: Type.Union([Type.String(), Type.Null()]),
  /** The numbers the section prints (provider-specific shape). */
  data: Type.Unknown(),
});
export type ReportSectionData = Static<typeof ReportSectionData>;

export const Report = Type.Object({
  kind: Type.Enum(REPORT_KINDS),
  from: Epoch,
  to: Epoch,
  generatedAt: Epoch,
  scope: Type.Object({ kind: Type.Enum(REPORT_SCOPE_KINDS), id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  sections: Type.Array(ReportSectionData),
  /** The 结论与建议 draft, one paragraph per finding, computed from the numbers. */
  conclusions: Type.Array(Type.String()),
  document: WrittenDocument,
});
export type Report = Static<typeof Report>;

// ---------------------------------------------------------------- 运行状态分析 (L3-2.1.2)

export const STATUS_LEVELS = ['normal', 'watch', 'abnormal'] as const;
export type StatusLevel = (typeof STATUS_LEVELS)[number];

/** The judgement of one CI or business system from its metrics: 正常 / 关注 / 异常, with the reasons. */
export const StatusJudgement = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Union([Type.Literal('ci'), Type.Literal('businessSystem')]),
  level: Type.Enum(STATUS_LEVELS),
  /** Why, in the reader's language (empty when normal and nothing to say). */
  reasons: Type.Array(Type.String()),
});
export type StatusJudgement = Static<typeof StatusJudgement>;

export const StatusAnalysisQuery = Type.Object(
  {
    /** Epoch ms; default: 7 days before `end`. */
    start: Type.Optional(Epoch),
    /** Epoch ms; default: now. */
    end: Type.Optional(Epoch),
  },
  { additionalProperties: false },
);
export type StatusAnalysisQuery = Static<typeof StatusAnalysisQuery>;

export const StatusAnalysis = Type.Object({
  start: Epoch,
  end: Epoch,
  items: Type.Array(StatusJudgement),
});
export type StatusAnalysis = Static<typeof StatusAnalysis>;
