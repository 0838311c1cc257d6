import { STATUS_PAGE_PERMISSIONS as P } from '@yunwei/contracts/status-pages';
import { defineModule } from '../../platform/module.js';
import { statusPagesMigrations } from './status-pages.migrations.js';
import { statusPagesRoutes } from './status-pages.routes.js';
import './status-pages.tables.js';

/** Public status pages of business systems: chosen components, uptime and notices, readable without sign-in once published. */
export const statusPagesModule = defineModule({
  id: 'statuspage',
  name: { zh: '状态页', en: 'Status pages' },
  skills: ['L3-2.1.1', 'L4-2.3.1'],
  permissions: [
    { id: P.read, name: { zh: '查看状态页配置', en: 'View status page settings' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.write, name: { zh: '管理状态页并发布公告', en: 'Manage status pages and post notices' }, grants: ['system_admin', 'operator'] },
  ],
  migrations: statusPagesMigrations,
  routes: statusPagesRoutes,
});
