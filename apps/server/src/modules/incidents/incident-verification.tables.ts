/** L4-2.3.2: a verification of a resolved incident by someone other than the resolver, with the evidence seen. */
export interface IncidentVerificationTable {
  id: string;
  incident_id: string;
  at: number;
  verifier_id: string | null;
  /** pass | fail */
  outcome: string;
  note: string;
  /** JSON IncidentEvidence: the checks and alerts as they were when verified. */
  evidence: string;
}

/** 追溯异常原因: a timeline event suspected as the cause; the analyst confirms or rejects it. */
export interface IncidentHypothesisTable {
  id: string;
  incident_id: string;
  event_id: string;
  kind: string;
  at: number;
  ci_id: string | null;
  title: string;
  link: string;
  /** proposed | confirmed | rejected */
  status: string;
  note: string;
  proposed_by: string | null;
  decided_by: string | null;
  created_at: number;
  decided_at: number | null;
}

declare module '../../db/schema.js' {
  interface Database {
    incident_verification: IncidentVerificationTable;
    incident_hypothesis: IncidentHypothesisTable;
  }
}
