import { ONCALL_PERMISSIONS as P } from '@yunwei/contracts/oncall';
import { defineModule } from '../../platform/module.js';
import { oncallMigrations } from './oncall.migrations.js';
import { oncallRoutes } from './oncall.routes.js';
import { oncallOf } from './runtime.js';
import './oncall.tables.js';

const EVERYONE = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;

/** On-call schedules (rotations, hand-over, overrides) and the business calendar (holidays, 调休). */
export const oncallModule = defineModule({
  id: 'oncall',
  name: { zh: '值班排班', en: 'On-call' },
  skills: ['L3-2.1.3'],
  permissions: [
    { id: P.scheduleRead, name: { zh: '查看值班排班与工作日历', en: 'View on-call schedules and the business calendar' }, grants: EVERYONE },
    { id: P.scheduleWrite, name: { zh: '管理值班排班', en: 'Manage on-call schedules' }, grants: ['system_admin', 'operator'] },
    { id: P.calendarWrite, name: { zh: '维护工作日历（节假日与调休）', en: 'Edit the business calendar (holidays and make-up workdays)' }, grants: ['system_admin'] },
  ],
  migrations: oncallMigrations,
  routes: oncallRoutes,
  onStart: (ctx) => oncallOf(ctx).calendar.seed(),
});
