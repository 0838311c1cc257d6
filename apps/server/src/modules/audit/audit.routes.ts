import { AUDIT_PERMISSIONS as P, AuditExportQuery, AuditList, AuditQuery, AuditVerifyResult } from '@yunwei/contracts/audit';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { AuditService } from './audit.service.js';

export function auditRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const audit = new AuditService(ctx);
  const tags = ['audit'];
  app.get('/api/audit', { config: { permission: P.logRead }, schema: { tags, summary: 'Search the audit trail (newest first)', querystring: AuditQuery, response: { 200: AuditList } } }, (req) => audit.search(req.query));
  app.get('/api/audit/export', { config: { permission: P.logExport }, schema: { tags, summary: 'Export the audit trail as CSV or XLSX', querystring: AuditExportQuery } }, async (req, reply) => {
    const file = await audit.export(actorOf(req), req.query);
    return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.stream);
  });
  app.post('/api/audit/verify', { config: { permission: P.logVerify }, schema: { tags, summary: 'Verify the hash chain; names the first broken entry', response: { 200: AuditVerifyResult } } }, (req) => audit.verify(actorOf(req)));
}
