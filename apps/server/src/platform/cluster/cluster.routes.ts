import { CLUSTER_PERMISSIONS, ClusterState } from '@yunwei/contracts/cluster';
import type { ModuleContext, YunweiApp } from '../module.js';

/** The node registry: which Yunwei processes serve this database and which work each holds. */
export function clusterRoutes(app: YunweiApp, ctx: ModuleContext): void {
  app.get(
    '/api/cluster',
    { config: { permission: CLUSTER_PERMISSIONS.read }, schema: { tags: ['platform'], summary: 'Nodes of this Yunwei cluster, their version, last heartbeat and the work each holds', response: { 200: ClusterState } } },
    async () => ({ database: ctx.dialect, leaseMs: ctx.cluster.leaseMs, nodes: await ctx.cluster.nodes() }),
  );
}
