import type { AgentCommandStatus } from '@yunwei/contracts/agent-commands';

/** A command queued for a host agent, signed by the server; its status only moves forward. */
export interface AgentCommandTable {
  id: string;
  agent_id: string;
  /** The host CI it was dispatched on (its unit scopes the command). */
  ci_id: string | null;
  /** JSON array: the executable and its arguments. */
  argv: string;
  cwd: string | null;
  /** JSON object of extra environment variables, or null. */
  env: string | null;
  timeout_ms: number;
  /** The user who asked for it (null: a system actor). */
  requested_by: string | null;
  /** JSON `{ type, id?, label? }` or null. */
  purpose: string | null;
  status: AgentCommandStatus;
  exit_code: number | null;
  /** Why it was refused / failed without an exit code (canonical English). */
  reason: string | null;
  /** The output kept: all of it up to the cap, else its head. */
  output: string;
  /** The tail of an output longer than the cap ('' otherwise). */
  output_tail: string;
  /** Characters printed in all. */
  output_size: number;
  /** The last chunk sequence appended (a chunk at or below it is a repeat). */
  output_seq: number;
  created_at: number;
  expires_at: number;
  started_at: number | null;
  finished_at: number | null;
  /** base64 Ed25519 signature of the command's canonical payload. */
  signature: string;
}

/** The server's Ed25519 key pair for signing commands: one row, shared by every node of a cluster. */
export interface AgentCommandKeyTable {
  id: string;
  /** SPKI DER, base64. */
  public_key: string;
  /** PKCS#8 DER base64, sealed with the master key (`ctx.secrets`). */
  private_key_sealed: string;
  created_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    agent_command: AgentCommandTable;
    agent_command_key: AgentCommandKeyTable;
  }
}
