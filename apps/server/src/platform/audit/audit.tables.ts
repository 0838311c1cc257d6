import type { Generated } from 'kysely';

export interface AuditLogTable {
  id: Generated<number>;
  ts: number;
  actor_id: string | null;
  actor_name: string;
  ip: string;
  action: string;
  target_type: string;
  target_id: string | null;
  outcome: 'success' | 'failure';
  /** Canonical JSON text (sorted keys), exactly what the hash covers. */
  before: string;
  after: string;
  prev_hash: string;
  hash: string;
}

/** One row (id = 1): the head of the chain, and the anchor left by the last retention purge. */
export interface AuditChainTable {
  id: number;
  head_id: number;
  head_hash: string;
  anchor_id: number;
  anchor_hash: string;
}

declare module '../../db/schema.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_chain: AuditChainTable;
  }
}
