import Type, { type Static } from 'typebox';
import { Epoch, Id, Name } from './common.js';
import { TABULAR_FORMATS } from './documents.js';
import { NOTIFY_LOCALES } from './notify.js';
import { REPORT_KINDS } from './reports.js';

/*
 * 定时报告 (issue 13): a report generated every week, month or quarter over the previous full period,
 * mailed with its files attached and filed into the document library as a new version.
 *
 * - GET    /api/reports/schedules                        → ReportScheduleList        reports.report.read
 * - POST   /api/reports/schedules                        ReportScheduleInput → ReportSchedule  reports.schedule.manage
 * - GET    /api/reports/schedules/:id                    → ReportSchedule            reports.report.read
 * - PUT    /api/reports/schedules/:id                    ReportScheduleInput → ReportSchedule  reports.schedule.manage
 * - DELETE /api/reports/schedules/:id                    → Ok                        reports.schedule.manage
 * - POST   /api/reports/schedules/:id/run                → ReportScheduleRun (run now, the last full period) reports.schedule.manage
 * - GET    /api/reports/schedules/:id/runs               → ReportScheduleRunList     reports.report.read
 * - GET    /api/reports/schedules/:id/runs/:runId/files/:format → the file          reports.report.read
 */

/**
 * What a schedule generates: the two reports over the period, or the 监控制度 (monitoring regime, written
 * from the enabled policies as they are at run time; its scope is always every policy the owner sees).
 */
export const REPORT_SCHEDULE_KINDS = [...REPORT_KINDS, 'monitoring-regime'] as const;
export type ReportScheduleKind = (typeof REPORT_SCHEDULE_KINDS)[number];

export const REPORT_CADENCES = ['weekly', 'monthly', 'quarterly'] as const;
export type ReportCadence = (typeof REPORT_CADENCES)[number];

/** `running`: claimed and under way (recorded with the claim, so a node dying mid-run leaves a trace; a run still running after the job lease is marked failed). */
export const REPORT_RUN_STATUSES = ['ok', 'partial', 'failed', 'running'] as const;
export type ReportRunStatus = (typeof REPORT_RUN_STATUSES)[number];

/** The steps of a run, each recorded with its outcome: a failing one does not stop the others. */
export const REPORT_RUN_STEPS = ['owner', 'generate', 'store', 'mail', 'library'] as const;
export type ReportRunStep = (typeof REPORT_RUN_STEPS)[number];

export const REPORT_SCHEDULE_LIMITS = { recipients: 50, users: 50, name: 100 } as const;

const Email = Type.String({ minLength: 3, maxLength: 254, pattern: '^[^\\s@<>]+@[^\\s@<>]+$' });
const TypeCode = Type.String({ minLength: 1, maxLength: 40 });

export const ReportScheduleInput = Type.Object(
  {
    name: Name(REPORT_SCHEDULE_LIMITS.name),
    kind: Type.Enum(REPORT_SCHEDULE_KINDS),
    cadence: Type.Enum(REPORT_CADENCES),
    /** Weekly: the day it runs, 1 = Monday … 7 = Sunday (default 1). */
    dayOfWeek: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 })),
    /** Monthly: the day of the month; quarterly: the day of the quarter's first month (1–28, default 1). */
    dayOfMonth: Type.Optional(Type.Integer({ minimum: 1, maximum: 28 })),
    /** The hour it runs, 0–23, in the server's time zone (YUNWEI_TIME_ZONE). */
    hour: Type.Integer({ minimum: 0, maximum: 23 }),
    /** As the reports take it: `all`, `businessSystem:<CI id>` or `ciClass:<class code>`. */
    scope: Type.Optional(Type.String({ maxLength: 100 })),
    locale: Type.Enum(NOTIFY_LOCALES),
    formats: Type.Array(Type.Enum(TABULAR_FORMATS), { minItems: 1, maxItems: 3, uniqueItems: true }),
    /** An e-mail channel; null: not mailed. */
    channelId: Type.Union([Id, Type.Null()]),
    /** Addresses; with `userIds` empty too, the channel's own recipients. */
    emails: Type.Optional(Type.Array(Email, { maxItems: REPORT_SCHEDULE_LIMITS.recipients, uniqueItems: true })),
    /** Users whose e-mail (as it is at send time) receives the report. */
    userIds: Type.Optional(Type.Array(Id, { maxItems: REPORT_SCHEDULE_LIMITS.users, uniqueItems: true })),
    /** A document type of the library: each run files a new version of the schedule's document; null: not filed. */
    libraryTypeCode: Type.Union([TypeCode, Type.Null()]),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type ReportScheduleInput = Static<typeof ReportScheduleInput>;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const ReportRunFile = Type.Object({
  format: Type.Enum(TABULAR_FORMATS),
  filename: Type.String(),
  size: Type.Integer(),
});
export type ReportRunFile = Static<typeof ReportRunFile>;

export const ReportRunStepOutcome = Type.Object({
  step: Type.Enum(REPORT_RUN_STEPS),
  ok: Type.Boolean(),
  /** What went wrong, or what was done (e.g. "v1.1 submitted for approval"). */
  detail: Type.String(),
});
export type ReportRunStepOutcome = Static<typeof ReportRunStepOutcome>;

export const ReportRunDelivery = Type.Object({
  id: Type.String(),
  /** The outbox row as it is now (queued, sending, sent, retrying, failed, suppressed). */
  status: Type.String(),
  recipients: Type.Array(Type.String()),
  lastError: Nullable(Type.String()),
});

export const ReportScheduleRun = Type.Object({
  id: Type.String(),
  scheduleId: Type.String(),
  /** When it ran. */
  at: Epoch,
  trigger: Type.Union([Type.Literal('schedule'), Type.Literal('manual')]),
  /** Who pressed 立即运行 (manual runs). */
  triggeredBy: Nullable(Type.String()),
  from: Epoch,
  to: Epoch,
  /** The period in the schedule's language, e.g. 2026年11月. */
  period: Type.String(),
  /** `ok` when every step succeeded and no e-mail failed; a failed e-mail (also later, in the outbox) makes it `partial`. */
  status: Type.Enum(REPORT_RUN_STATUSES),
  /** The first failure, in words. */
  error: Nullable(Type.String()),
  steps: Type.Array(ReportRunStepOutcome),
  files: Type.Array(ReportRunFile),
  /** Sections of the report whose data could not be computed (the report says why). */
  missingSections: Type.Array(Type.String()),
  documentId: Nullable(Type.String()),
  documentNumber: Nullable(Type.String()),
  versionLabel: Nullable(Type.String()),
  deliveries: Type.Array(ReportRunDelivery),
});
export type ReportScheduleRun = Static<typeof ReportScheduleRun>;

export const ReportScheduleRunList = Type.Object({ items: Type.Array(ReportScheduleRun), total: Type.Integer() });
export type ReportScheduleRunList = Static<typeof ReportScheduleRunList>;

export const ReportScheduleRunQuery = Type.Object(
  { offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })), limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
  { additionalProperties: false },
);
export type ReportScheduleRunQuery = Static<typeof ReportScheduleRunQuery>;

export const ReportSchedule = Type.Object({
  id: Type.String(),
  name: Type.String(),
  kind: Type.Enum(REPORT_SCHEDULE_KINDS),
  cadence: Type.Enum(REPORT_CADENCES),
  dayOfWeek: Type.Integer(),
  dayOfMonth: Type.Integer(),
  hour: Type.Integer(),
  scope: Type.String(),
  /** The scope as people read it (全部配置项, the business system's name, the class's name). */
  scopeName: Type.String(),
  locale: Type.Enum(NOTIFY_LOCALES),
  formats: Type.Array(Type.Enum(TABULAR_FORMATS)),
  channelId: Nullable(Type.String()),
  channelName: Nullable(Type.String()),
  emails: Type.Array(Type.String()),
  userIds: Type.Array(Type.String()),
  users: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
  libraryTypeCode: Nullable(Type.String()),
  libraryTypeName: Nullable(Type.String()),
  /** The schedule's own document in the library (created by the first filing run). */
  documentId: Nullable(Type.String()),
  documentNumber: Nullable(Type.String()),
  ownerId: Type.String(),
  ownerName: Type.String(),
  enabled: Type.Boolean(),
  /** Null while disabled. */
  nextRunAt: Nullable(Epoch),
  lastRun: Nullable(Type.Object({ id: Type.String(), at: Epoch, status: Type.Enum(REPORT_RUN_STATUSES), period: Type.String(), error: Nullable(Type.String()) })),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type ReportSchedule = Static<typeof ReportSchedule>;

export const ReportScheduleList = Type.Object({ items: Type.Array(ReportSchedule) });
export type ReportScheduleList = Static<typeof ReportScheduleList>;

export const ReportRunParams = Type.Object({ id: Id, runId: Id }, { additionalProperties: false });
export const ReportRunFileParams = Type.Object({ id: Id, runId: Id, format: Type.Enum(TABULAR_FORMATS) }, { additionalProperties: false });

/** What the schedule form picks by name: e-mail channels, people (active, with their e-mail set or not) and document types. */
export const ReportScheduleOptions = Type.Object({
  channels: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), enabled: Type.Boolean() })),
  users: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), username: Type.String(), hasEmail: Type.Boolean() })),
  libraryTypes: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), needsApproval: Type.Boolean() })),
});
export type ReportScheduleOptions = Static<typeof ReportScheduleOptions>;
