import { DASHBOARD_PERMISSIONS as P } from '@yunwei/contracts/dashboards';
import { defineModule } from '../../platform/module.js';
import { dashboardsMigrations } from './dashboards.migrations.js';
import { dashboardsRoutes } from './dashboards.routes.js';
import './dashboards.tables.js';

const everyone = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;

/** Custom monitoring dashboards: panels over series selectors, private or shared. */
export const dashboardsModule = defineModule({
  id: 'dashboards',
  name: { zh: '监控大屏', en: 'Dashboards' },
  skills: ['L3-2.1.1', 'L3-2.1.2'],
  permissions: [
    { id: P.read, name: { zh: '查看监控仪表盘', en: 'View dashboards' }, grants: everyone },
    { id: P.write, name: { zh: '创建和修改自己的仪表盘', en: 'Create and change own dashboards' }, grants: everyone },
    { id: P.share, name: { zh: '共享仪表盘', en: 'Share dashboards' }, grants: ['system_admin', 'operator'] },
    { id: P.manage, name: { zh: '管理他人的共享仪表盘', en: "Manage other people's shared dashboards" }, grants: ['system_admin'] },
  ],
  migrations: dashboardsMigrations,
  routes: dashboardsRoutes,
});
