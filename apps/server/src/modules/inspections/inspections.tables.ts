/** An inspection template; `scope` and `items` are JSON (contracts' InspectionScope / InspectionItem[]). */
export interface InspectionTemplateTable {
  id: string;
  name: string;
  description: string;
  /** `hardware` / `system` for the seeded templates (not deletable), else null. */
  builtin_key: string | null;
  scope: string;
  items: string;
  /** Raised by every change of scope or items; each version is kept in inspection_template_version. */
  version: number;
  created_at: number;
  updated_at: number;
}

/** Every version of a template's definition, so records can always show what they were run with. */
export interface InspectionTemplateVersionTable {
  template_id: string;
  version: number;
  name: string;
  scope: string;
  items: string;
  created_at: number;
}

export interface InspectionScheduleTable {
  id: string;
  template_id: string;
  name: string;
  kind: 'daily' | 'weekly' | 'cron';
  time: string | null;
  weekday: number | null;
  /** The cron expression in force (daily / weekly translated). */
  cron: string;
  responsible_role: string | null;
  responsible_user_id: string | null;
  enabled: number;
  /**
   * The next due time. A runner claims a due run by moving this forward with a compare-and-set on
   * the value it read: exactly one runner creates the record for a due time.
   */
  next_run_at: number | null;
  last_run_at: number | null;
  last_record_id: string | null;
  created_at: number;
  updated_at: number;
}

export interface InspectionRecordTable {
  id: string;
  template_id: string;
  template_name: string;
  template_version: number;
  /** The item definitions the record was run with (JSON). */
  items: string;
  schedule_id: string | null;
  schedule_name: string | null;
  due_at: number | null;
  trigger: 'manual' | 'schedule';
  started_by: string | null;
  started_by_name: string;
  responsible_role: string | null;
  status: 'open' | 'signed';
  conclusion: string;
  created_at: number;
  signed_by: string | null;
  signed_by_name: string | null;
  signed_at: number | null;
  /** 1, 2, … in signing order: the hash chain's order. */
  sign_seq: number | null;
  prev_hash: string | null;
  hash: string | null;
}

export interface InspectionResultTable {
  id: string;
  record_id: string;
  position: number;
  ci_id: string;
  ci_name: string;
  item_key: string;
  item_name: string;
  kind: string;
  value: number | null;
  unit: string;
  detail: string;
  limit_text: string;
  verdict: string;
  note: string;
  /** Photo file (key `inspection-photos/<photo_file>` in the file store, YUNWEI_FILES_DIR), its type, size and SHA-256 (in the record hash). */
  photo_file: string | null;
  photo_type: string | null;
  photo_size: number | null;
  photo_sha256: string | null;
  filled_by: string | null;
  filled_at: number | null;
}

export interface MonitoringPolicyTable {
  id: string;
  name: string;
  description: string;
  scope: string;
  metrics: string;
  checks: string;
  inspections: string;
  responsible_role: string | null;
  enabled: number;
  /** Months between reviews of the regime written from it (default 12). */
  review_months: number;
  created_at: number;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    inspection_template: InspectionTemplateTable;
    inspection_template_version: InspectionTemplateVersionTable;
    inspection_schedule: InspectionScheduleTable;
    inspection_record: InspectionRecordTable;
    inspection_result: InspectionResultTable;
    monitoring_policy: MonitoringPolicyTable;
  }
}
