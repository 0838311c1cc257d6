import { REPORTS_PERMISSIONS as P } from '@yunwei/contracts/reports';
import { defineModule } from '../../platform/module.js';
import { reportsRoutes } from './reports.routes.js';

/**
 * Reports from live data: 系统运行状况报告 (L2-2.1.2) and 系统性能评估报告 (L2-2.2.3), put together from
 * the data providers the other modules register (platform/documents/providers.ts). Reading a report
 * needs `reports.report.read` (held like the metrics' read); each section also needs its data's own
 * read permission and shows only the reader's data scope — a section they may not read says so.
 */
export const reportsModule = defineModule({
  id: 'reports',
  name: { zh: '报表', en: 'Reports' },
  skills: ['L2-2.1.2', 'L2-2.2.3'],
  permissions: [{ id: P.read, name: { zh: '查看运行报告与性能评估报告', en: 'View running status and performance reports' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] }],
  routes: reportsRoutes,
});
