import type { IncidentTaskStatus, RunbookRunStatus, RunbookStepStatus, RunbookVersionStatus } from '@yunwei/contracts/incident-runbooks';

/** 故障处理方案: what it is for (fault types, CI classes); its steps live in versions. */
export interface IncidentRunbookTable {
  id: string;
  name: string;
  description: string;
  /** JSON string[]: fault type ids (each matches its descendants). */
  type_ids: string;
  /** JSON string[]: CMDB class codes. */
  ci_classes: string;
  status: 'draft' | 'published';
  published_version_id: string | null;
  owner_id: string | null;
  /** null: the whole organisation. */
  org_unit_id: string | null;
  /** The library document the published versions are filed as (GZFA-…). */
  document_id: string | null;
  created_at: number;
  updated_at: number;
  updated_by: string | null;
}

export interface IncidentRunbookVersionTable {
  id: string;
  runbook_id: string;
  /** 1.0, 1.1, … */
  label: string;
  major: number;
  minor: number;
  /** JSON RunbookStep[]. */
  steps: string;
  status: RunbookVersionStatus;
  change_note: string;
  created_by: string | null;
  created_at: number;
  submitted_at: number | null;
  approval_request_id: string | null;
  approved_by: string | null;
  approved_at: number | null;
  published_at: number | null;
  /** The library version label it was filed as (null until filed). */
  filed_label: string | null;
}

/** One execution of a runbook version on an incident. */
export interface IncidentRunbookRunTable {
  id: string;
  incident_id: string;
  runbook_id: string;
  runbook_version_id: string;
  started_by: string | null;
  status: RunbookRunStatus;
  started_at: number;
  finished_at: number | null;
  note: string;
}

/** Each step of a run: who did what, when, with what output and result. */
export interface IncidentRunbookStepRunTable {
  run_id: string;
  idx: number;
  status: RunbookStepStatus;
  actor_id: string | null;
  started_at: number | null;
  finished_at: number | null;
  /** The command's or the check's output (capped). */
  output: string;
  result: 'ok' | 'not_ok' | null;
  note: string;
  agent_command_id: string | null;
  ci_id: string | null;
  exit_code: number | null;
  /** JSON { status, latencyMs, message, at } of a re-run check. */
  check_result: string | null;
  task_id: string | null;
}

/** 组织排除: work handed to someone else on an incident (often a runbook step). */
export interface IncidentTaskTable {
  id: string;
  incident_id: string;
  title: string;
  description: string;
  assignee_id: string;
  due_at: number | null;
  status: IncidentTaskStatus;
  created_by: string | null;
  created_at: number;
  done_at: number | null;
  done_by: string | null;
  result_note: string;
  run_id: string | null;
  step_index: number | null;
}

declare module '../../db/schema.js' {
  interface Database {
    incident_runbook: IncidentRunbookTable;
    incident_runbook_version: IncidentRunbookVersionTable;
    incident_runbook_run: IncidentRunbookRunTable;
    incident_runbook_step_run: IncidentRunbookStepRunTable;
    incident_task: IncidentTaskTable;
  }
}
