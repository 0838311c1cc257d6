/**
 * A public status page of a business system. Its org unit is the business system's (read through
 * `cmdb_ci` at every request, as the CMDB scopes the CI itself); no foreign key across modules.
 */
export interface StatusPageTable {
  id: string;
  /** Unique; the last part of `/status/<slug>`. */
  slug: string;
  title_zh: string;
  /** '' = show the zh title in English too. */
  title_en: string;
  description_zh: string;
  description_en: string;
  business_ci_id: string;
  /** 1: anyone may read it at /status/<slug>; 0: only its administrators (preview). */
  published: number;
  created_at: number;
  updated_at: number;
}

/**
 * What a page shows, in order: a check or a CI under the name the administrator chose. The name is
 * stored, not looked up, so renaming a CI in the CMDB never puts an internal name on a public page.
 */
export interface StatusPageComponentTable {
  page_id: string;
  position: number;
  kind: 'check' | 'ci';
  ref_id: string;
  display_name: string;
}

/** An incident or maintenance notice posted on a page. */
export interface StatusPageNoticeTable {
  id: string;
  page_id: string;
  kind: 'incident' | 'maintenance';
  severity: 'info' | 'minor' | 'major' | 'critical';
  title: string;
  body: string;
  starts_at: number;
  /** null: still going on. */
  ends_at: number | null;
  /** The poster's display name (shown to administrators only) and user id. */
  created_by: string;
  created_by_id: string | null;
  created_at: number;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    status_page: StatusPageTable;
    status_page_component: StatusPageComponentTable;
    status_page_notice: StatusPageNoticeTable;
  }
}
