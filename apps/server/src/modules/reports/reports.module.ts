import { REPORTS_PERMISSIONS as P } from '@yunwei/contracts/reports';
import { defineModule } from '../../platform/module.js';
import { ReportScheduleRunner } from './report-schedule-runner.js';
import { reportScheduleMigrations } from './report-schedule.migrations.js';
import { reportScheduleRoutes } from './report-schedule.routes.js';
import './report-schedule.tables.js';
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
  permissions: [
    { id: P.read, name: { zh: '查看运行报告与性能评估报告', en: 'View running status and performance reports' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.manageSchedules, name: { zh: '管理定时报告（生成、发送、归档）', en: 'Manage scheduled reports (generate, mail, file)' }, grants: ['system_admin', 'operator'] },
  ],
  migrations: reportScheduleMigrations,
  routes: (app, ctx) => {
    reportsRoutes(app, ctx);
    reportScheduleRoutes(app, ctx);
  },
  // 定时报告: due schedules are claimed one by one (a conditional UPDATE), so a run happens once even beside the lease.
  jobs: (ctx) => [{ name: 'reports.schedules', cron: '* * * * *', leaseMs: 30 * 60_000, run: async () => void (await new ReportScheduleRunner(ctx).runDue()) }],
});
