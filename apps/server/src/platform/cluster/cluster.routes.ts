import { CLUSTER_PERMISSIONS, ClusterState } from '@yunwei/contracts/cluster';
import type { ModuleContext, YunweiApp } from '../module.js';
import { filesMarker } from './files-marker.js';

/** The node registry: which Yunwei processes serve this database and which work each holds. */
export function clusterRoutes(app: YunweiApp, ctx: ModuleContext): void {
  app.get(
    '/api/cluster',
    { config: { permission: CLUSTER_PERMISSIONS.read }, schema: { tags: ['platform'], summary: 'Nodes of this Yunwei cluster, their version, last heartbeat, the work each holds and whether they share the file store', response: { 200: ClusterState } } },
    async () => {
      const nodes = await ctx.cluster.nodes();
      const withFiles = await Promise.all(nodes.map(async (node) => ({ ...node, sharesFiles: node.alive ? (await ctx.files.get(filesMarker(node.id)).catch(() => null)) !== null : null })));
      return { database: ctx.dialect, leaseMs: ctx.cluster.leaseMs, serverTime: Date.now(), nodes: withFiles };
    },
  );
}
