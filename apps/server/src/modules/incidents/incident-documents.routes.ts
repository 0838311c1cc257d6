import { IdParams } from '@yunwei/contracts/common';
import { DOCUMENT_FORMAT_NAMES, DOCUMENT_FORMATS } from '@yunwei/contracts/documents';
import { IncidentAnalysis, IncidentAnalysisInput, IncidentFiled } from '@yunwei/contracts/incident-reports';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { IncidentDocuments } from './incident-documents.js';
import { IncidentProcedure } from './incident-procedure.js';

/** 故障分析报告 and 故障处理规程: downloads, the report's lessons and follow-ups, filing into the library. */
export function incidentDocumentsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const documents = new IncidentDocuments(ctx);
  const procedure = new IncidentProcedure(ctx);
  const tags = ['incidents'];
  const read = { permission: P.read };
  const write = { permission: P.write };
  const manage = { permission: P.configure };
  for (const format of DOCUMENT_FORMATS) {
    app.get(`/api/incidents/:id/analysis-report.${format}`, { config: read, schema: { tags, summary: `故障分析报告 (fault analysis report) of the incident as a ${DOCUMENT_FORMAT_NAMES[format]} file`, params: IdParams } }, async (req, reply) =>
      sendDocument(reply, await documents.analysisFile(actorOf(req), req.params.id, format, req.locale)),
    );
    app.get(`/api/incidents/procedure.${format}`, { config: read, schema: { tags, summary: `故障处理规程 (fault handling procedure) generated from the configuration, as a ${DOCUMENT_FORMAT_NAMES[format]} file` } }, async (req, reply) =>
      sendDocument(reply, await procedure.file(actorOf(req), format, req.locale)),
    );
  }
  app.get('/api/incidents/:id/analysis', { config: read, schema: { tags, summary: "The analysis report's lessons learned and follow-up actions, and the library document it is filed as", params: IdParams, response: { 200: IncidentAnalysis } } }, (req) => documents.analysis(actorOf(req), req.params.id));
  app.put('/api/incidents/:id/analysis', { config: write, schema: { tags, summary: "Save the analysis report's lessons learned and follow-up actions (409 on an older version)", params: IdParams, body: IncidentAnalysisInput, response: { 200: IncidentAnalysis } } }, (req) => documents.saveAnalysis(actorOf(req), req.params.id, req.body));
  app.post('/api/incidents/:id/analysis-report/file', { config: write, schema: { tags, summary: 'File the fault analysis report into the document library (one document per incident, a new version each time) and submit it for approval', params: IdParams, response: { 200: IncidentFiled } } }, (req) => documents.fileAnalysis(actorOf(req), req.params.id));
  app.post('/api/incidents/procedure/file', { config: manage, schema: { tags, summary: 'File the fault handling procedure into the document library (a new version each time) and submit it for approval', response: { 200: IncidentFiled } } }, (req) => procedure.fileIntoLibrary(actorOf(req)));
}
