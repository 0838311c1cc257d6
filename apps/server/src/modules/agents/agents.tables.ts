/** A one-time enrolment token: shown once, stored as its sha-256, consumed by the first enrolment. */
export interface AgentEnrolmentTokenTable {
  id: string;
  name: string;
  prefix: string;
  token_hash: string;
  expires_at: number;
  used_at: number | null;
  agent_id: string | null;
  revoked_at: number | null;
  /** The org unit a host CI created by this token's enrolment goes in (null: none); it scopes the token too. */
  org_unit_id: string | null;
  created_by: string;
  created_at: number;
}

/** An enrolled agent: its long-lived credential is stored as its sha-256 only. */
export interface AgentTable {
  id: string;
  hostname: string;
  machine_id: string;
  /** The host CI it reports for (no foreign key: the CMDB is another module; a deleted CI is re-found). */
  ci_id: string | null;
  version: string;
  os: string;
  ip: string;
  interval_seconds: number;
  credential_hash: string;
  enrolment_token_id: string;
  enrolled_at: number;
  last_contact_at: number | null;
  revoked_at: number | null;
  /** 1/0: the agent's local policy allows remote commands (reported on every push and poll); null: never said. */
  remote_exec: number | null;
}

/** The latest inventory an agent sent (one row per agent, replaced on change). */
export interface AgentInventoryTable {
  agent_id: string;
  ci_id: string;
  collected_at: number;
  received_at: number;
  hash: string;
  /** JSON of `HostInventoryData`. */
  body: string;
}

declare module '../../db/schema.js' {
  interface Database {
    agent_enrolment_token: AgentEnrolmentTokenTable;
    agent: AgentTable;
    agent_inventory: AgentInventoryTable;
  }
}
