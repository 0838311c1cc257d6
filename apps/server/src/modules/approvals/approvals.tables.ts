/** A configured approval flow. `steps` is JSON ApprovalStep[] (see @yunwei/contracts/approvals). */
export interface ApprovalFlowTable {
  id: string;
  code: string;
  name_zh: string;
  name_en: string;
  steps: string;
  /** Reminded too when a task stays open twice its due time. */
  escalation_user_id: string | null;
  /** Where reminders go; null: the default notification channels. */
  notify_channel_id: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** One thing submitted for approval, with the flow's steps as they were at submission. */
export interface ApprovalRequestTable {
  id: string;
  /** Plain text (no foreign key): a request outlives its flow. */
  flow_id: string;
  flow_code: string;
  /** JSON ApprovalStep[]: the flow's steps copied at submission. */
  steps: string;
  subject_type: string;
  subject_id: string;
  title: string;
  submitter_id: string;
  org_unit_id: string | null;
  /** pending | approved | rejected | withdrawn */
  status: string;
  current_step: number;
  /** Bumped by every decision with a conditional UPDATE: two deciders at once, one wins. */
  version: number;
  created_at: number;
  decided_at: number | null;
}

/** One person's part in one step of a request. */
export interface ApprovalTaskTable {
  id: string;
  request_id: string;
  step: number;
  /** Order within the step (依次 activates them by position). */
  position: number;
  assignee_id: string;
  /** waiting | pending | approved | rejected | transferred | skipped | cancelled */
  status: string;
  /** flow | transfer | add_before | add_after */
  origin: string;
  /** Who handed it over (转办) or added it (加签). */
  added_by: string | null;
  /** 加签 before: the task that waits for this one to be approved (it does not count for the step itself). */
  before_task_id: string | null;
  due_at: number | null;
  reminded_at: number | null;
  /** Set by the reminder: when the task, still open, is escalated (its due time plus the step's due period). */
  escalate_at: number | null;
  escalated_at: number | null;
  decided_at: number | null;
  comment: string | null;
  created_at: number;
}

/** The history of a request, in order. */
export interface ApprovalEventTable {
  id: string;
  request_id: string;
  action: string;
  actor_id: string | null;
  /** The actor's display name at the time (the history reads the same after a rename). */
  actor_name: string | null;
  step: number | null;
  comment: string | null;
  /** JSON object. */
  detail: string;
  at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    approval_flow: ApprovalFlowTable;
    approval_request: ApprovalRequestTable;
    approval_task: ApprovalTaskTable;
    approval_event: ApprovalEventTable;
  }
}
