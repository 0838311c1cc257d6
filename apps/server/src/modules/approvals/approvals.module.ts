import { APPROVAL_PERMISSIONS as P } from '@yunwei/contracts/approvals';
import { defineModule } from '../../platform/module.js';
import { approvalsMigrations } from './approvals.migrations.js';
import { approvalsRoutes } from './approvals.routes.js';
import './approvals.tables.js';
import { approvalsOf } from './runtime.js';

/**
 * The approval engine every module uses (documents, changes, vault checkouts, processes): flows of
 * 会签 / 或签 / 依次 steps, 退回, 转办, 加签, withdrawal, due times with reminders and escalation.
 */
export const approvalsModule = defineModule({
  id: 'approvals',
  name: { zh: '审批', en: 'Approvals' },
  skills: [],
  permissions: [
    // Flows decide who signs off what: configured by the administrators who run the system's processes.
    { id: P.flowManage, name: { zh: '配置审批流程、查看全部审批', en: 'Configure approval flows, read every request' }, grants: ['system_admin'] },
    // Anyone may be named an approver: every built-in role has a to-do list.
    { id: P.taskUse, name: { zh: '处理我的审批待办', en: 'Act on my approval tasks' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
  ],
  migrations: approvalsMigrations,
  routes: approvalsRoutes,
  jobs: (ctx) => [{ name: 'approvals.reminders', cron: '*/5 * * * *', leaseMs: 10 * 60_000, run: async () => void (await approvalsOf(ctx).reminders.run()) }],
  onStart: (ctx) => approvalsOf(ctx).flows.seedDocumentFlow(),
});
