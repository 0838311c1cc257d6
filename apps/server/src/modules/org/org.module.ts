import { ORG_PERMISSIONS } from '@yunwei/contracts/org';
import { defineModule } from '../../platform/module.js';
import { orgMigrations } from './org.migrations.js';
import { orgRoutes } from './org.routes.js';
import './org.tables.js';

export const orgModule = defineModule({
  id: 'org',
  name: { zh: '组织机构', en: 'Organisation' },
  skills: ['L4-1.1.2', 'L3-1.1.2'],
  permissions: [
    { id: ORG_PERMISSIONS.unitRead, name: { zh: '查看组织机构', en: 'View organisation units' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: ORG_PERMISSIONS.unitWrite, name: { zh: '管理组织机构', en: 'Manage organisation units' }, grants: ['system_admin'] },
  ],
  migrations: orgMigrations,
  routes: orgRoutes,
});
