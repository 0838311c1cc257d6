import type { Generated } from 'kysely';
import type { AlertState } from '@yunwei/contracts/alerting';

/** An alert rule. `spec` is the kind's JSON (see contracts `RuleSpec`). */
export interface AlertRuleTable {
  id: string;
  name: string;
  /** English name (rule packs' rules have one); null: `name` in both languages. */
  name_en: string | null;
  description: string;
  kind: string;
  spec: string;
  severity: string;
  for_s: number;
  /** JSON object of extra labels. */
  labels: string;
  /** JSON `{ zh: { summary, description }, en: {…} }` templates. */
  annotations: string;
  /** JSON `RuleTarget`. */
  target: string;
  enabled: number;
  /** The rule pack it came from (null: written by hand). */
  pack: string | null;
  /** JSON `RuleIncidentOption` (自动创建故障, added by the incidents module's migration), null: off. */
  incident: string | null;
  created_at: number;
  updated_at: number;
}

/**
 * An alert: one (rule, label set) while open. Owned by the evaluator (A); the routing half (B) reads it
 * and remembers `notify_seq`, which A bumps at every change it must hear about.
 */
export interface AlertTable {
  id: string;
  /** SHA-256 of the rule id and the sorted labels, severity excluded (an escalation is the same alert). */
  fingerprint: string;
  rule_id: string;
  rule_name: string;
  /** The rule's English name when the alert last changed (null: it had none). */
  rule_name_en: string | null;
  severity: string;
  state: string;
  labels: string;
  annotations: string;
  value: number | null;
  threshold: number | null;
  ci_id: string | null;
  started_at: number;
  firing_at: number | null;
  acked_at: number | null;
  acked_by: string | null;
  resolved_at: number | null;
  updated_at: number;
  notify_seq: number;
}

/** Every transition of an alert (a timeline; the audit trail has them too). */
export interface AlertEventTable {
  id: Generated<number>;
  alert_id: string;
  at: number;
  from_state: string | null;
  to_state: string;
  actor_id: string | null;
  note: string | null;
}

/**
 * What the evaluator must not forget across a restart besides the open alerts: the recent breach
 * history per (rule, fingerprint) for "n of the last m" rules. Rows exist only while a breach is in it.
 */
export interface AlertRuleStateTable {
  rule_id: string;
  fingerprint: string;
  /** Breach bits of the last evaluations, newest last, as a string of 0/1. */
  history: string;
  updated_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    alert_rule: AlertRuleTable;
    alert: AlertTable;
    alert_event: AlertEventTable;
    alert_rule_state: AlertRuleStateTable;
  }
}

declare module '../../platform/events.js' {
  interface EventMap {
    /** An alert changed state or severity (published after the commit; a wake-up, not the data: read the `alert` table). */
    'alerting.alert.changed': { alertId: string; state: AlertState; at: number };
  }
}
