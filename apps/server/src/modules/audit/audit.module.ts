import { AUDIT_PERMISSIONS as P } from '@yunwei/contracts/audit';
import { defineModule } from '../../platform/module.js';
import { anchorJobs } from './audit-anchor.job.js';
import { auditRoutes } from './audit.routes.js';
import { AuditService } from './audit.service.js';

export const auditModule = defineModule({
  id: 'audit',
  name: { zh: '审计日志', en: 'Audit trail' },
  skills: [],
  permissions: [
    { id: P.logRead, name: { zh: '查看审计日志', en: 'Read the audit trail' }, grants: ['audit_admin'] },
    { id: P.logExport, name: { zh: '导出审计日志', en: 'Export the audit trail' }, grants: ['audit_admin'] },
    { id: P.logVerify, name: { zh: '校验审计日志完整性', en: 'Verify the audit trail' }, grants: ['audit_admin', 'security_admin'] },
  ],
  routes: auditRoutes,
  jobs: (ctx) => [{ name: 'audit.retention-purge', cron: '17 3 * * *', run: async () => void (await new AuditService(ctx).purgeExpired()) }, ...anchorJobs(ctx)],
});
