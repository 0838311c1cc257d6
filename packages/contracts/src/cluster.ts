import Type, { type Static } from 'typebox';
import { Epoch } from './common.js';

export const CLUSTER_PERMISSIONS = { read: 'platform.cluster.read' } as const;

/** A Yunwei process that joined the database, and the work it holds (`GET /api/cluster`). */
export const ClusterNode = Type.Object({
  id: Type.String(),
  hostname: Type.String(),
  pid: Type.Integer(),
  /** The server's release. */
  version: Type.String(),
  /** The newest database migration the node knows. */
  schemaVersion: Type.String(),
  startedAt: Epoch,
  heartbeatAt: Epoch,
  /** When it stopped cleanly; null while running or after dying without stopping. */
  stoppedAt: Type.Union([Epoch, Type.Null()]),
  /** Beat within the lease time and not stopped: counted as a member. */
  alive: Type.Boolean(),
  /** The node that answered this request. */
  self: Type.Boolean(),
  /** Singleton work it holds now (e.g. `alerting.evaluator`, `platform.job-schedules`). */
  leases: Type.Array(Type.String()),
  /**
   * Whether the answering node sees the files this node put in the file store (YUNWEI_FILES_DIR): false
   * means the nodes do not share one directory, and files uploaded on one are missing on the other.
   * Null for a node that is not alive.
   */
  sharesFiles: Type.Union([Type.Boolean(), Type.Null()]),
});
export type ClusterNode = Static<typeof ClusterNode>;

export const ClusterState = Type.Object({
  database: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')]),
  /** A node silent this long is gone; its work moves within about this time plus one heartbeat. */
  leaseMs: Type.Integer(),
  /** The answering node's clock: ages are measured against it, not the browser's. */
  serverTime: Epoch,
  nodes: Type.Array(ClusterNode),
});
export type ClusterState = Static<typeof ClusterState>;
