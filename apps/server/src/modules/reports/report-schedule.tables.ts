/** 定时报告: what to generate, when, for whom and where to file it. */
export interface ReportScheduleTable {
  id: string;
  name: string;
  /** A report kind (REPORT_KINDS). */
  kind: string;
  /** weekly | monthly | quarterly */
  cadence: string;
  /** 1 = Monday … 7 = Sunday (weekly). */
  day_of_week: number;
  /** 1–28 (monthly; quarterly: of the quarter's first month). */
  day_of_month: number;
  hour: number;
  /** As ReportsService.scope parses it. */
  scope: string;
  locale: string;
  /** JSON array of formats. */
  formats: string;
  channel_id: string | null;
  /** JSON array of addresses. */
  emails: string;
  /** JSON array of user ids (their e-mail is read at send time). */
  user_ids: string;
  library_type_code: string | null;
  /** The schedule's own document (the first filing run creates it). */
  library_document_id: string | null;
  /** The report is generated as this user, with their permissions and data scope at run time. */
  owner_id: string;
  enabled: number;
  /** Claimed by a conditional UPDATE (one node runs each due time); null while disabled. */
  next_run_at: number | null;
  last_run_id: string | null;
  created_at: number;
  updated_at: number;
}

/** One run: its period, the steps' outcomes, the files kept in the file store, what was filed and mailed. */
export interface ReportScheduleRunTable {
  id: string;
  schedule_id: string;
  at: number;
  /** schedule | manual */
  trigger: string;
  triggered_by: string | null;
  period_from: number;
  period_to: number;
  period_label: string;
  /** ok | partial | failed (at the end of the run; a delivery failing later shows as partial when read). */
  status: string;
  error: string | null;
  /** JSON ReportRunStepOutcome[]. */
  steps: string;
  /** JSON { format, filename, size, key }[]. */
  files: string;
  /** JSON string[]: report sections that could not be computed. */
  missing: string;
  document_id: string | null;
  version_label: string | null;
  /** JSON string[]: notify_delivery ids. */
  delivery_ids: string;
}

declare module '../../db/schema.js' {
  interface Database {
    report_schedule: ReportScheduleTable;
    report_schedule_run: ReportScheduleRunTable;
  }
}
