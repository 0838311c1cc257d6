import type { Generated } from 'kysely';

/** A silence: alerts whose labels match every matcher are not notified between `starts_at` and `ends_at`. */
export interface AlertSilenceTable {
  id: string;
  /** JSON array of `{ name, op, value }`. */
  matchers: string;
  starts_at: number;
  ends_at: number;
  comment: string;
  created_by: string;
  created_by_id: string | null;
  created_at: number;
  updated_at: number;
}

/** A maintenance window over CIs, CI classes and business systems, one-off or recurring. */
export interface AlertMaintenanceTable {
  id: string;
  name: string;
  comment: string;
  /** JSON `MaintenanceScope`. */
  scope: string;
  /** JSON `MaintenanceSchedule`. */
  schedule: string;
  enabled: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

/** Ordered routing of alerts into groups; the built-in default one (is_default 1) is always evaluated last. */
export interface AlertNotificationPolicyTable {
  id: string;
  name: string;
  /** English name (the built-in policy has one); null: `name` in both languages. */
  name_en: string | null;
  position: number;
  matchers: string;
  /** JSON array of label names. */
  group_by: string;
  group_wait_s: number;
  group_interval_s: number;
  repeat_interval_s: number;
  escalation_policy_id: string | null;
  continue_matching: number;
  /** 1: its messages also go to the enabled default channels (looked up at each send). */
  notify_default_channels: number;
  enabled: number;
  /** 1: the built-in default policy (always last, cannot be deleted). */
  is_default: number;
  created_at: number;
  updated_at: number;
}

export interface AlertEscalationPolicyTable {
  id: string;
  name: string;
  comment: string;
  /** JSON array of `EscalationStep`. */
  steps: string;
  repeat: number;
  created_at: number;
  updated_at: number;
}

/**
 * A group of alerts routed by one policy with the same group-by label values, with its durable
 * timers: an "episode" starts when the first alert arrives (first_seen_at) and ends with the
 * resolved notification (first_seen_at back to null).
 */
export interface AlertGroupTable {
  id: string;
  policy_id: string;
  /** Canonical JSON of the group-by label values (unique per policy). */
  group_key: string;
  labels: string;
  first_seen_at: number | null;
  last_notified_at: number | null;
  next_flush_at: number | null;
  /** JSON array of `<alert id>|<severity>` of the alerts open at the last notification. */
  notified: string;
  /** Bumped at every write: the compare-and-set that keeps two dispatchers from sending twice. */
  version: number;
  created_at: number;
  updated_at: number;
}

/** Where a group's escalation stands (one row per group while its episode lasts). */
export interface AlertEscalationStateTable {
  group_id: string;
  policy_id: string;
  started_at: number;
  /** Index of the next step to run, counted over all cycles (step = next_step mod steps). */
  next_step: number;
  next_at: number | null;
  /** JSON array of the targets reached so far (they hear the group's later notifications). */
  reached: string;
  stopped_at: number | null;
  stop_reason: string | null;
  updated_at: number;
}

/** Why an open alert is not notified, kept current by the dispatcher (read by the alert API). */
export interface AlertSuppressionTable {
  alert_id: string;
  kind: 'silence' | 'maintenance' | 'inhibited';
  ref_id: string;
  reason: string;
  since: number;
}

/** What the dispatcher sent: one row per message handed to the notify module. */
export interface AlertDispatchLogTable {
  id: Generated<number>;
  group_id: string;
  at: number;
  /** 'firing' (first), 'update' (alerts came or went), 'repeat', 'resolved', 'escalation'. */
  kind: string;
  step: number | null;
  channel_id: string;
  /** JSON array of recipients (e-mail addresses or phone numbers), or null for the channel's own. */
  recipients: string | null;
  delivery_id: string | null;
  /** JSON array of the ids of the alerts the message is about (firing and resolved). */
  alert_ids: string;
  title: string;
}

/** The alerts one delivery of a group message is about, with their CIs: the delivery log's data scope. */
export interface AlertDeliveryAlertTable {
  delivery_id: string;
  alert_id: string;
  /** The alert's CI when sent (null: no CI; '?' when unknown: an alert purged before this table existed). */
  ci_id: string | null;
  at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    alert_silence: AlertSilenceTable;
    alert_maintenance: AlertMaintenanceTable;
    alert_notification_policy: AlertNotificationPolicyTable;
    alert_escalation_policy: AlertEscalationPolicyTable;
    alert_group: AlertGroupTable;
    alert_escalation_state: AlertEscalationStateTable;
    alert_suppression: AlertSuppressionTable;
    alert_dispatch_log: AlertDispatchLogTable;
    alert_delivery_alert: AlertDeliveryAlertTable;
  }
}
