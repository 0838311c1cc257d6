import { CHECKS_PERMISSIONS as P } from '@yunwei/contracts/checks';
import { defineModule } from '../../platform/module.js';
import { checksMigrations } from './checks.migrations.js';
import { checksRoutes } from './checks.routes.js';
import './checks.tables.js';
import { checksOf } from './runtime.js';

/** Agentless checks of the key objects (hosts, devices, databases, services) on a concurrency-limited scheduler. */
export const checksModule = defineModule({
  id: 'checks',
  name: { zh: '无代理检查', en: 'Agentless checks' },
  skills: ['L3-2.1.1'],
  permissions: [
    { id: P.checkRead, name: { zh: '查看检查项及结果', en: 'View checks and their results' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.checkWrite, name: { zh: '管理检查项', en: 'Manage checks' }, grants: ['system_admin', 'operator'] },
    { id: P.checkRun, name: { zh: '立即执行检查', en: 'Run checks now' }, grants: ['system_admin', 'operator'] },
  ],
  migrations: checksMigrations,
  routes: checksRoutes,
  jobs: (ctx) => [{ name: 'checks.history-purge', cron: '23 * * * *', leaseMs: 30 * 60_000, run: async () => void (await checksOf(ctx).service.purgeHistory()) }],
});
