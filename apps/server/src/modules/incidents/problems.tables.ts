import type { ProblemStatus, RiskLevel, RiskSource, RiskStatus } from '@yunwei/contracts/incident-problems';

/** 问题: the common cause behind one or many incidents, its analysis, workaround and permanent fix. */
export interface ProblemTable {
  id: string;
  /** PRB-YYYY-NNNNNN. */
  number: string;
  title: string;
  description: string;
  status: ProblemStatus;
  owner_id: string | null;
  type_id: string | null;
  /** JSON string[]: the CIs at fault. */
  ci_ids: string;
  root_cause: string;
  /** JSON FiveWhy[] (up to 5). */
  five_whys: string;
  /** JSON Fishbone: category → causes. */
  fishbone: string;
  workaround: string;
  permanent_fix: string;
  /** JSON KnownErrorMatch: which new incidents the known error is shown on. */
  match: string;
  known_error_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  version: number;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
}

export interface ProblemIncidentTable {
  problem_id: string;
  incident_id: string;
  linked_at: number;
  linked_by: string | null;
}

export interface ProblemNumberSeqTable {
  year: number;
  last_seq: number;
}

/** 隐患: a latent risk, collected (de-duplicated by source + source key) or recorded by hand. */
export interface LatentRiskTable {
  id: string;
  title: string;
  description: string;
  source: RiskSource;
  /** What the risk is about within its source (`<ci>|<resource>|<mount>`, a check id …); a manual risk: its own id. Unique with source. */
  source_key: string;
  /** JSON RiskSourceRef { id, label, link } or null. */
  source_ref: string | null;
  ci_id: string | null;
  likelihood: number;
  impact: number;
  /** likelihood × impact. */
  score: number;
  level: RiskLevel;
  owner_id: string | null;
  due_at: number | null;
  status: RiskStatus;
  measures: string;
  /** The last collection that saw the condition (null: manual). */
  last_seen_at: number | null;
  /** 1 when a collection no longer saw the condition after the risk was closed or accepted: seeing it again is new. */
  condition_cleared: number;
  closed_at: number | null;
  version: number;
  created_at: number;
  created_by: string | null;
  updated_at: number;
  updated_by: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    problem: ProblemTable;
    problem_incident: ProblemIncidentTable;
    problem_number_seq: ProblemNumberSeqTable;
    latent_risk: LatentRiskTable;
  }
}
