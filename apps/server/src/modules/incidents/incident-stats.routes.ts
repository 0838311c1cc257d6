import { IncidentStats, IncidentStatsQuery } from '@yunwei/contracts/incident-reports';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { registerIncidentProviders } from './incident-providers.js';
import { IncidentStatsService } from './incident-stats.js';

export function incidentStatsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const stats = new IncidentStatsService(ctx);
  registerIncidentProviders(ctx);
  const tags = ['incidents'];
  const read = { permission: P.read };
  app.get('/api/incidents/stats', { config: read, schema: { tags, summary: 'Incident statistics over a period: by priority, type, nature, CI class and business system; MTTA/MTTR trend; SLA compliance; recurring faults', querystring: IncidentStatsQuery, response: { 200: IncidentStats } } }, (req) => stats.stats(actorOf(req), req.query, req.locale));
  app.get('/api/incidents/stats.xlsx', { config: read, schema: { tags, summary: 'The incident statistics as an Excel workbook (one sheet per table)', querystring: IncidentStatsQuery } }, async (req, reply) => {
    const file = await stats.workbook(actorOf(req), req.query, req.locale);
    await ctx.audit.recordNow({ actor: actorOf(req), action: 'incidents.stats.export', targetType: 'incident', targetId: 'stats', after: { filename: file.filename, from: req.query.from, to: req.query.to } });
    return sendDocument(reply, file);
  });
}
