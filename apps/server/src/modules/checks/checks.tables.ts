import type { Generated } from 'kysely';

/** A check definition. Settings hold no secrets; those are sealed together in `secrets`. */
export interface CheckDefinitionTable {
  id: string;
  name: string;
  type: string;
  /** JSON of the type's settings, secrets removed. */
  settings: string;
  /** `ctx.secrets`-sealed JSON object of the secret settings that are set, or null. */
  secrets: string | null;
  /** What it probes in one line (`tcp://db1:5432`), kept for lists and search. */
  target: string;
  /** CMDB configuration item (plain text: no foreign key across modules). */
  ci_id: string | null;
  /** Org unit of a check without a CI (null: the whole organisation); a check on a CI has the CI's unit. */
  org_unit_id: string | null;
  interval_s: number;
  timeout_ms: number;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** The latest result of each check (one row per check once it has run). */
export interface CheckStateTable {
  check_id: string;
  up: number;
  checked_at: number;
  latency_ms: number | null;
  message: string | null;
  /** JSON object: value name → number. */
  values: string;
}

/** Result history, kept CHECK_LIMITS.historyDays. */
export interface CheckResultTable {
  id: Generated<number>;
  check_id: string;
  at: number;
  up: number;
  latency_ms: number | null;
  message: string | null;
  values: string;
}

declare module '../../db/schema.js' {
  interface Database {
    check_definition: CheckDefinitionTable;
    check_state: CheckStateTable;
    check_result: CheckResultTable;
  }
}
