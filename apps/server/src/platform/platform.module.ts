import { CLUSTER_PERMISSIONS } from '@yunwei/contracts/cluster';
import { clusterRoutes } from './cluster/cluster.routes.js';
import { defineModule } from './module.js';
import { platformMigrations } from './platform.migrations.js';
import './audit/audit.tables.js';
import './jobs/job.tables.js';
import './http/rate-limit-store.js';

export const PLATFORM_PERMISSIONS = { metricsRead: 'platform.metrics.read' } as const;

/** The platform's own tables, permissions and the node registry (its other routes are composed in app.ts). */
export const platformModule = defineModule({
  id: 'platform',
  name: { zh: '平台', en: 'Platform' },
  skills: [],
  permissions: [
    { id: PLATFORM_PERMISSIONS.metricsRead, name: { zh: '读取运行指标（/metrics）', en: 'Read process metrics (/metrics)' }, grants: ['system_admin'] },
    { id: CLUSTER_PERMISSIONS.read, name: { zh: '查看集群节点', en: 'View cluster nodes' }, grants: ['system_admin'] },
  ],
  migrations: platformMigrations,
  routes: clusterRoutes,
});
