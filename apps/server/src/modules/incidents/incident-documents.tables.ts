/** 经验教训 and 后续措施 of an incident's 故障分析报告, edited by the handlers (one row per incident). */
export interface IncidentAnalysisTable {
  incident_id: string;
  lessons: string;
  /** JSON { text, ownerId, dueAt }[]. */
  follow_ups: string;
  version: number;
  updated_at: number;
  updated_by: string | null;
}

/** The library document a generated document is filed as: `procedure` (故障处理规程) or an incident id (its 故障分析报告). */
export interface IncidentLibraryDocumentTable {
  subject: string;
  document_id: string;
}

declare module '../../db/schema.js' {
  interface Database {
    incident_analysis: IncidentAnalysisTable;
    incident_library_document: IncidentLibraryDocumentTable;
  }
}
