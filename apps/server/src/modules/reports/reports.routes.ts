import { DOCUMENT_FORMAT_NAMES, TABULAR_FORMATS } from '@yunwei/contracts/documents';
import { Report, ReportEdit, REPORT_KINDS, ReportQuery, REPORTS_PERMISSIONS as P } from '@yunwei/contracts/reports';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { ReportsService } from './reports.service.js';

const SUMMARIES = {
  'running-status': '系统运行状况报告 (running status): status analysis, availability, alerts with MTTA/MTTR, check down-time, top users, inspection findings, conclusions',
  performance: '系统性能评估报告 (performance): utilisation against capacity, daily-peak growth and days-to-full forecast, ranked recommendations',
} as const;

export function reportsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const reports = new ReportsService(ctx);
  const tags = ['reports'];
  const read = { permission: P.read };
  for (const kind of REPORT_KINDS) {
    app.get(`/api/reports/${kind}`, { config: read, schema: { tags, summary: SUMMARIES[kind], querystring: ReportQuery, response: { 200: Report } } }, (req) => reports.build(kind, actorOf(req), req.query, req.locale));
    for (const format of TABULAR_FORMATS) {
      app.get(`/api/reports/${kind}.${format}`, { config: read, schema: { tags, summary: `The ${kind} report as a ${DOCUMENT_FORMAT_NAMES[format]} file (.${format})`, querystring: ReportQuery } }, async (req, reply) =>
        sendDocument(reply, await reports.file(kind, actorOf(req), req.query, req.locale, format)),
      );
      // The same file with the author's 结论与建议 (too long for a query string): a POST that changes nothing but is audited as a download.
      app.post(`/api/reports/${kind}.${format}`, { config: read, schema: { tags, summary: `The ${kind} report as a ${DOCUMENT_FORMAT_NAMES[format]} file with the author's conclusions`, body: ReportEdit } }, async (req, reply) =>
        sendDocument(reply, await reports.file(kind, actorOf(req), req.body, req.locale, format, req.body.conclusions)),
      );
    }
  }
}
