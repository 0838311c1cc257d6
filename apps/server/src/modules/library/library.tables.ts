import type { LibraryDocumentStatus, LibraryLinkKind, LibraryReviewOutcome, LibraryVersionStatus } from '@yunwei/contracts/library';

/** A kind of document (监控制度, 应急预案 …): its numbering, approval flow and review period. Data, not code. */
export interface DocumentTypeTable {
  /** Stable machine name (`[a-z][a-z0-9_]*`). */
  code: string;
  name_zh: string;
  name_en: string;
  /** Unique: numbers read `<prefix>-<year>-<seq>`. */
  number_prefix: string;
  /** The approval flow's code (no foreign key: flows belong to the approvals module); null: no review. */
  flow_code: string | null;
  review_months: number;
  built_in: number;
  created_at: number;
  updated_at: number;
}

/** The last sequence number handed out per type and year (numbers are allocated by one conditional UPDATE). */
export interface DocumentNumberSeqTable {
  type_code: string;
  year: number;
  last_seq: number;
}

export interface DocumentTable {
  id: string;
  type_code: string;
  title: string;
  /** `<prefix>-<year>-<seq 3 digits>`, unique, never reused. */
  number: string;
  /** The unit the document belongs to (data scope); null: the whole organisation. */
  org_unit_id: string | null;
  owner_id: string;
  status: LibraryDocumentStatus;
  published_version_id: string | null;
  latest_version_id: string;
  /** When the published version is due for review (null: nothing published). */
  review_due_at: number | null;
  /** The `review_due_at` its owner was last reminded of (once per period). */
  review_reminded_due: number | null;
  retired_at: number | null;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

/**
 * What the list's full-text filter reads (a table of its own: lists without `q` never read the texts).
 * Trigram-indexed: `document_search_trgm` (pg_trgm GIN) on PostgreSQL, the FTS5 table `document_fts` kept
 * in step by triggers on SQLite (library-search.ts).
 */
export interface DocumentSearchTable {
  document_id: string;
  /** Lower-cased title, number and body texts of the published and newest versions. */
  search_text: string;
}

export interface DocumentVersionTable {
  id: string;
  document_id: string;
  /** `v<major>.<minor>`. */
  label: string;
  major: number;
  minor: number;
  /** The editor's ProseMirror JSON. */
  body: string;
  /** Its plain text, block per line. */
  body_text: string;
  change_note: string;
  status: LibraryVersionStatus;
  author_id: string;
  updated_by: string | null;
  approval_request_id: string | null;
  last_review_outcome: LibraryReviewOutcome | null;
  created_at: number;
  updated_at: number;
  published_at: number | null;
}

/** A thing a document is about (a CI, a business system, a check, an alert, another document). */
export interface DocumentLinkTable {
  id: string;
  document_id: string;
  target_kind: LibraryLinkKind;
  target_id: string;
  created_at: number;
  created_by: string;
}

/** Who changed what, per document (also in the audit trail, which is not indexed per target). */
export interface DocumentEventTable {
  id: string;
  document_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  action: string;
  version_label: string | null;
  detail: string;
}

declare module '../../db/schema.js' {
  interface Database {
    document_type: DocumentTypeTable;
    document_number_seq: DocumentNumberSeqTable;
    document: DocumentTable;
    document_search: DocumentSearchTable;
    document_version: DocumentVersionTable;
    document_link: DocumentLinkTable;
    document_event: DocumentEventTable;
  }
}
