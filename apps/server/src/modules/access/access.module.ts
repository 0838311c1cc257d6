import { ACCESS_PERMISSIONS as P } from '@yunwei/contracts/access';
import { defineModule } from '../../platform/module.js';
import { accessMigrations } from './access.migrations.js';
import { accessRoutes } from './access.routes.js';
import { AccessService } from './access.service.js';
import './access.tables.js';

export const accessModule = defineModule({
  id: 'access',
  name: { zh: '角色与权限', en: 'Roles & permissions' },
  skills: ['L4-1.1.2', 'L3-1.1.2'],
  permissions: [
    { id: P.roleRead, name: { zh: '查看角色与权限', en: 'View roles and permissions' }, grants: ['system_admin', 'security_admin', 'audit_admin'] },
    { id: P.roleWrite, name: { zh: '管理角色', en: 'Manage roles' }, grants: ['security_admin'], reserved: true },
    { id: P.assignmentWrite, name: { zh: '为用户分配角色', en: 'Assign roles to users' }, grants: ['security_admin'], reserved: true },
  ],
  migrations: accessMigrations,
  routes: accessRoutes,
  // Built-in roles follow the modules' grants, so a new module's permissions reach them at once.
  onStart: (ctx) => new AccessService(ctx).syncBuiltinRoles(),
});
