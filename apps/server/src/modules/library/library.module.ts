import { LIBRARY_PERMISSIONS as P } from '@yunwei/contracts/library';
import { LIBRARY_TEMPLATE_PERMISSIONS } from '@yunwei/contracts/library-templates';
import { defineModule } from '../../platform/module.js';
import { libraryTemplateMigrations } from './library-template.migrations.js';
import './library-template.tables.js';
import { libraryMigrations } from './library.migrations.js';
import { libraryRoutes } from './library.routes.js';
import './library.tables.js';
import { libraryOf } from './library.runtime.js';

/**
 * The document library (文档库): typed operations documents written in the editor or imported from Word,
 * approved through the approval engine, published and versioned with a side-by-side diff, reviewed
 * periodically, linked to CIs, business systems, checks and alerts, searched, downloaded as Word or PDF.
 */
export const libraryModule = defineModule({
  id: 'library',
  name: { zh: '文档库', en: 'Document library' },
  skills: [],
  permissions: [
    { id: P.read, name: { zh: '查看文档库', en: 'Read the document library' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.write, name: { zh: '编写文档、提交审批', en: 'Write documents and submit them for approval' }, grants: ['system_admin', 'operator'] },
    // Publishing makes a document the one in force: the administrators who run the system decide it.
    { id: P.publish, name: { zh: '发布、废止文档', en: 'Publish and retire documents' }, grants: ['system_admin'] },
    { id: P.typeManage, name: { zh: '管理文档类型（编号、审批流程、复审周期）', en: 'Manage document types (numbering, approval flow, review period)' }, grants: ['system_admin'] },
    // Templates are the writers' tool (which numbers a report shows, in which words), not configuration:
    // the people who write documents keep them, unlike types, which decide numbering and approval.
    { id: LIBRARY_TEMPLATE_PERMISSIONS.manage, name: { zh: '管理文档模板（含数据占位符）', en: 'Manage document templates (with data placeholders)' }, grants: ['system_admin', 'operator'] },
  ],
  migrations: { ...libraryMigrations, ...libraryTemplateMigrations },
  routes: libraryRoutes,
  jobs: (ctx) => [{ name: 'library.review-reminders', cron: '*/15 * * * *', leaseMs: 10 * 60_000, run: async () => void (await libraryOf(ctx).reminders.run()) }],
  onStart: async (ctx) => {
    await libraryOf(ctx).types.seed();
    await libraryOf(ctx).templates.seed();
  },
});
