import type { IncidentPriority, IncidentSource, IncidentStatus } from '@yunwei/contracts/incidents';

/** 故障类型: a configurable tree (硬件 / 软件 / 网络 / … / 环境 → 电力). Data, not code. */
export interface IncidentTypeTable {
  id: string;
  parent_id: string | null;
  code: string;
  name_zh: string;
  name_en: string;
  description: string;
  /** JSON IncidentTypeRule[]: what suggests this type for an alert. */
  rules: string;
  sort: number;
  enabled: number;
  builtin: number;
  created_at: number;
  updated_at: number;
}

/** 故障性质 (设备故障, 配置错误, 容量不足 …) with guidance for the handler who judges it. */
export interface IncidentNatureTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  guidance_zh: string;
  guidance_en: string;
  sort: number;
  enabled: number;
  builtin: number;
  created_at: number;
  updated_at: number;
}

/** The one configuration row (id 1): priority matrix, SLA targets, working hours, pause reasons. JSON IncidentConfigInput. */
export interface IncidentConfigTable {
  id: number;
  config: string;
  updated_at: number | null;
  updated_by: string | null;
}

/** The last number handed out per year (INC-2026-000042), allocated by one conditional UPDATE. */
export interface IncidentNumberSeqTable {
  year: number;
  last_seq: number;
}

export interface IncidentTable {
  id: string;
  number: string;
  title: string;
  description: string;
  status: IncidentStatus;
  source: IncidentSource;
  impact: number;
  urgency: number;
  priority: IncidentPriority;
  type_id: string | null;
  nature_id: string | null;
  reporter_id: string | null;
  assignee_id: string | null;
  /** The handling group: an org unit. */
  group_id: string | null;
  /** Data scope: the unit of the first affected CI, else the reporter's unit; null: the whole organisation. */
  org_unit_id: string | null;
  major: number;
  /** JSON { commander, techLead, communications } user ids. */
  major_roles: string;
  /** JSON { businessSystems: {id,name}[], affectedCount, degraded: string[] }, computed from the CMDB when the CIs change. */
  impact_scope: string;
  detected_at: number;
  acknowledged_at: number | null;
  mitigated_at: number | null;
  resolved_at: number | null;
  resolved_by: string | null;
  closed_at: number | null;
  cancelled_at: number | null;
  /** The pause reason code while on hold. */
  pause_reason: string | null;
  resolution: string;
  /** SLA notices already sent (a bit set: 1 response warning, 2 response breach, 4 resolution warning, 8 resolution breach). */
  sla_notified: number;
  /** For incidents opened by an alert group: its key (one incident per group). */
  alert_group_key: string | null;
  version: number;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

/** Affected CIs (business systems among them too), kept for the list filter and the impact. */
export interface IncidentCiTable {
  incident_id: string;
  ci_id: string;
}

/** Clock pauses (挂起 for a reason that pauses the SLA): [from, to), to null while still on hold. */
export interface IncidentPauseTable {
  id: string;
  incident_id: string;
  reason: string;
  from_at: number;
  to_at: number | null;
}

/** The incident's own history: transitions, assignments, comments, SLA notices — worded on read. */
export interface IncidentActivityTable {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  actor_id: string | null;
  /** JSON: what the kind needs to be worded (from/to status, names, fields changed). */
  data: string;
  note: string;
}

declare module '../../db/schema.js' {
  interface Database {
    incident_type: IncidentTypeTable;
    incident_nature: IncidentNatureTable;
    incident_config: IncidentConfigTable;
    incident_number_seq: IncidentNumberSeqTable;
    incident: IncidentTable;
    incident_ci: IncidentCiTable;
    incident_pause: IncidentPauseTable;
    incident_activity: IncidentActivityTable;
  }
}
