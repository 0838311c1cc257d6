import Type, { type Static } from 'typebox';
import { Epoch, Id } from './common.js';
import { INCIDENT_PRIORITIES } from './incidents.js';

/*
 * 故障分析报告 (L2-2.3.1), 故障处理规程 (L1-2.3.1) and incident statistics (issue 14).
 *
 * - GET  /api/incidents/:id/analysis-report.docx|.pdf  → the file (故障分析报告, generated)   incidents.incident.read
 * - GET  /api/incidents/:id/analysis                    → IncidentAnalysis (lessons, follow-ups, filed document)  incidents.incident.read
 * - PUT  /api/incidents/:id/analysis                    IncidentAnalysisInput → IncidentAnalysis (409 on an older version)  incidents.incident.write
 * - POST /api/incidents/:id/analysis-report/file        → IncidentFiled: filed into the library (type fault_analysis), one document
 *                                                         per incident, a new version when filed again, submitted for approval  incidents.incident.write
 * - GET  /api/incidents/procedure.docx|.pdf              → the file (故障处理规程, from the configuration)  incidents.incident.read
 * - POST /api/incidents/procedure/file                   → IncidentFiled (type fault_procedure, submitted for approval)  incidents.config.manage
 * - GET  /api/incidents/stats                            IncidentStatsQuery → IncidentStats          incidents.incident.read
 * - GET  /api/incidents/stats.xlsx                       IncidentStatsQuery → the workbook          incidents.incident.read
 */

export const INCIDENT_ANALYSIS_LIMITS = { lessons: 20_000, followUps: 50, followUpText: 1000 } as const;
/** Statistics cover at most this many days. */
export const INCIDENT_STATS_MAX_DAYS = 732;

export const IncidentFollowUpInput = Type.Object(
  {
    text: Type.String({ minLength: 1, maxLength: INCIDENT_ANALYSIS_LIMITS.followUpText }),
    ownerId: Type.Union([Id, Type.Null()]),
    dueAt: Type.Union([Epoch, Type.Null()]),
  },
  { additionalProperties: false },
);
export type IncidentFollowUpInput = Static<typeof IncidentFollowUpInput>;

export const IncidentAnalysisInput = Type.Object(
  {
    /** The version read (absent: the first write). */
    version: Type.Optional(Type.Integer({ minimum: 0, maximum: 2_147_483_647 })),
    lessons: Type.String({ maxLength: INCIDENT_ANALYSIS_LIMITS.lessons }),
    followUps: Type.Array(IncidentFollowUpInput, { maxItems: INCIDENT_ANALYSIS_LIMITS.followUps }),
  },
  { additionalProperties: false },
);
export type IncidentAnalysisInput = Static<typeof IncidentAnalysisInput>;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const IncidentFiled = Type.Object({
  documentId: Type.String(),
  number: Type.String(),
  title: Type.String(),
  versionLabel: Type.String(),
  /** The document's state after filing: in_review (sent for approval) or approved (its type has no flow). */
  status: Type.String(),
});
export type IncidentFiled = Static<typeof IncidentFiled>;

export const IncidentAnalysis = Type.Object({
  incidentId: Type.String(),
  lessons: Type.String(),
  followUps: Type.Array(Type.Object({ text: Type.String(), owner: Nullable(Type.Object({ id: Type.String(), name: Type.String() })), dueAt: Nullable(Type.Number()) })),
  /** 0 before the first save. */
  version: Type.Integer(),
  updatedAt: Nullable(Type.Number()),
  /** The library document the report is filed as (null: not filed yet). */
  document: Nullable(Type.Object({ id: Type.String(), number: Type.String(), status: Type.String() })),
});
export type IncidentAnalysis = Static<typeof IncidentAnalysis>;

export const INCIDENT_STATS_GROUPS = ['week', 'month'] as const;
export type IncidentStatsGroup = (typeof INCIDENT_STATS_GROUPS)[number];

export const IncidentStatsQuery = Type.Object(
  {
    /** Incidents detected in [from, to). */
    from: Epoch,
    to: Epoch,
    /** The trend's buckets (default month). */
    groupBy: Type.Optional(Type.Enum(INCIDENT_STATS_GROUPS)),
  },
  { additionalProperties: false },
);
export type IncidentStatsQuery = Static<typeof IncidentStatsQuery>;

const Count = Type.Object({ key: Type.String(), name: Type.String(), count: Type.Integer() });
export type IncidentStatsCount = Static<typeof Count>;

export const IncidentStats = Type.Object({
  from: Type.Number(),
  to: Type.Number(),
  groupBy: Type.Enum(INCIDENT_STATS_GROUPS),
  total: Type.Integer(),
  /** Cancelled incidents are counted in `total` and the breakdowns, never in MTTA / MTTR / SLA. */
  cancelled: Type.Integer(),
  /** Minutes, one decimal; null when none was acknowledged / resolved. */
  mttaMinutes: Nullable(Type.Number()),
  mttrMinutes: Nullable(Type.Number()),
  byPriority: Type.Array(Count),
  /** By top-level fault type (a sub-type counts for its root); `none`: not classified. */
  byTopType: Type.Array(Count),
  /** By the type recorded (leaf or not). */
  byType: Type.Array(Count),
  byNature: Type.Array(Count),
  /** An incident counts once per class of its affected CIs. */
  byCiClass: Type.Array(Count),
  /** An incident counts once per business system it affects (impact scope). */
  byBusinessSystem: Type.Array(Count),
  trend: Type.Array(
    Type.Object({ start: Type.Number(), label: Type.String(), count: Type.Integer(), mttaMinutes: Nullable(Type.Number()), mttrMinutes: Nullable(Type.Number()) }),
  ),
  /** Per priority: incidents whose clock stopped (acknowledged / resolved) and how many within the target (pauses and the business calendar applied). */
  sla: Type.Array(
    Type.Object({
      priority: Type.Enum(INCIDENT_PRIORITIES),
      responseTotal: Type.Integer(),
      responseMet: Type.Integer(),
      responseRate: Nullable(Type.Number()),
      resolutionTotal: Type.Integer(),
      resolutionMet: Type.Integer(),
      resolutionRate: Nullable(Type.Number()),
    }),
  ),
  /** Same fault type on the same CI, twice or more in the period, most first (20 at most). */
  recurring: Type.Array(Type.Object({ typeName: Type.String(), ciName: Type.String(), count: Type.Integer(), lastAt: Type.Number() })),
});
export type IncidentStats = Static<typeof IncidentStats>;
