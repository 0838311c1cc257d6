import { INSPECTION_PERMISSIONS as P } from '@yunwei/contracts/inspections';
import { defineModule } from '../../platform/module.js';
import { inspectionsMigrations } from './inspections.migrations.js';
import { inspectionsRoutes } from './inspections.routes.js';
import './inspections.tables.js';
import { inspectionsOf } from './runtime.js';

const everyone = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;

/**
 * Inspections (巡检: templates, schedules, signed records) and the monitoring policy (监控制度) with its
 * coverage view. One module: the policy's inspection frequency is met by this module's records, and
 * both read the metrics store the same way (a CI's series by its id).
 */
export const inspectionsModule = defineModule({
  id: 'inspections',
  name: { zh: '巡检与监控制度', en: 'Inspections and monitoring policy' },
  skills: ['L4-2.1.1', 'L4-2.1.2', 'L1-2.1.1'],
  permissions: [
    { id: P.templateRead, name: { zh: '查看巡检模板与巡检计划', en: 'View inspection templates and schedules' }, grants: everyone },
    { id: P.templateWrite, name: { zh: '管理巡检模板', en: 'Manage inspection templates' }, grants: ['system_admin', 'operator'] },
    { id: P.scheduleWrite, name: { zh: '管理巡检计划', en: 'Manage inspection schedules' }, grants: ['system_admin', 'operator'] },
    { id: P.recordRead, name: { zh: '查看和导出巡检记录', en: 'View and export inspection records' }, grants: everyone },
    { id: P.recordRun, name: { zh: '执行巡检、填写并签字', en: 'Run inspections, fill them in and sign them off' }, grants: ['system_admin', 'operator'] },
    { id: P.policyRead, name: { zh: '查看监控制度与覆盖情况', en: 'View the monitoring policy and its coverage' }, grants: everyone },
    { id: P.policyWrite, name: { zh: '制定监控制度', en: 'Define the monitoring policy' }, grants: ['system_admin'] },
  ],
  migrations: inspectionsMigrations,
  routes: inspectionsRoutes,
  jobs: (ctx) => [
    // Every minute: fire the schedules that are due (each due time claimed once, see ScheduleService).
    { name: 'inspections.fire-due', cron: '* * * * *', leaseMs: 10 * 60_000, maxAttempts: 1, run: async () => void (await inspectionsOf(ctx).schedules.fireDue(inspectionsOf(ctx).now())) },
  ],
  onStart: (ctx) => inspectionsOf(ctx).templates.seedBuiltins(),
});
