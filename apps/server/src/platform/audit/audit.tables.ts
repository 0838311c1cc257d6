import type { Generated } from 'kysely';
import type { ChainState } from './audit-hash.js';

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

/**
 * One row (id = 1), created by a migration (genesis): the head of the chain, the anchor left by the
 * last retention purge, the counts and the switch to keyed hashes, all under `seal` (see ChainState).
 */
export interface AuditChainTable extends ChainState {
  id: number;
  /** chainSeal() of the fields above, or a `broken:` marker once the writer found it invalid. */
  seal: string;
  /** The last head exported to the anchor file (a JSON line), and when: not sealed, for display and pacing. */
  exported_at: number | null;
  exported: string | null;
}

declare module '../../db/schema.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_chain: AuditChainTable;
  }
}
