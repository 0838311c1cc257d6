import { CMDB_PERMISSIONS as P } from '@yunwei/contracts/cmdb';
import { defineModule } from '../../platform/module.js';
import { ClassService } from './class.service.js';
import { cmdbMigrations } from './cmdb.migrations.js';
import { cmdbRoutes } from './cmdb.routes.js';
import './cmdb.tables.js';

/** Configuration management: CI classes, CIs, relations, redundancy groups, impact analysis, import / export. */
export const cmdbModule = defineModule({
  id: 'cmdb',
  name: { zh: '配置管理（CMDB）', en: 'Configuration management (CMDB)' },
  skills: ['L3-2.3.2'],
  permissions: [
    { id: P.ciRead, name: { zh: '查看配置项、关系与影响分析', en: 'View CIs, relations and impact analysis' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.ciWrite, name: { zh: '管理配置项、关系与冗余组', en: 'Manage CIs, relations and redundancy groups' }, grants: ['system_admin', 'operator'] },
    { id: P.ciImport, name: { zh: '批量导入配置项', en: 'Import CIs from spreadsheets' }, grants: ['system_admin', 'operator'] },
    { id: P.classWrite, name: { zh: '管理配置项类别与自定义属性', en: 'Manage CI classes and custom attributes' }, grants: ['system_admin'] },
  ],
  migrations: cmdbMigrations,
  routes: cmdbRoutes,
  // The built-in classes follow the code (like the built-in roles), so they are there before any request.
  onStart: (ctx) => new ClassService(ctx).seedBuiltins(),
});
