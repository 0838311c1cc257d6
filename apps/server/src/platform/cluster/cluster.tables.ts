/** A Yunwei process that has joined the database: what it runs and when it last said it was alive. */
export interface ClusterNodeTable {
  id: string;
  hostname: string;
  pid: number;
  /** The server's release (package version). */
  version: string;
  /** The newest migration this node knows: nodes of one cluster agree on it. */
  schema_version: string;
  /** A fingerprint of the node's master key (derived, not the key): every node must hold the same key. */
  key_check: string | null;
  started_at: number;
  heartbeat_at: number;
  /** Set when the node stopped cleanly; a node that died keeps its last heartbeat. */
  stopped_at: number | null;
}

/** A piece of work one node at a time may do: held until `expires_at`, renewed by the holder's heartbeat. */
export interface ClusterLeaseTable {
  name: string;
  holder: string;
  /** Grows by one each time the lease changes hands (a fencing token: a write may name the token it holds). */
  token: number;
  acquired_at: number;
  expires_at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    cluster_node: ClusterNodeTable;
    cluster_lease: ClusterLeaseTable;
  }
}
