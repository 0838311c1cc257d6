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
  /** Failed probes in a row tolerated before the check counts as down (its alert rule: retries + 1 in a row). */
  retries: number;
  /** The check's own alert rule, notification policy and the escalation policy naming its channels (alerting module ids). */
  alert_rule_id: string | null;
  notify_policy_id: string | null;
  escalation_policy_id: string | null;
  created_at: number;
  updated_at: number;
}

/** The latest result of each check (one row per check once it has run). */
export interface CheckStateTable {
  check_id: string;
  up: number;
  checked_at: number;
  latency_ms: number | null;
  /** English text (older rows have only this). */
  message: string | null;
  /** A code of CHECK_MESSAGES and its JSON parameters: the message in any language. */
  message_code: string | null;
  message_params: string | null;
  /** Failed results in a row up to this one (0 when up; 0 with up = 0 on rows older than the column: unknown). */
  fail_streak: number;
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
  message_code: string | null;
  message_params: string | null;
  fail_streak: Generated<number>;
  values: string;
}

/** UP and all results of a check per hour (kept CHECK_LIMITS.uptimeDays): uptime over a day or a month without reading every result. */
export interface CheckUptimeHourTable {
  check_id: string;
  /** Epoch ms of the hour's start (UTC). */
  hour_start: number;
  up: number;
  total: number;
}

declare module '../../db/schema.js' {
  interface Database {
    check_definition: CheckDefinitionTable;
    check_state: CheckStateTable;
    check_result: CheckResultTable;
    check_uptime_hour: CheckUptimeHourTable;
  }
}
