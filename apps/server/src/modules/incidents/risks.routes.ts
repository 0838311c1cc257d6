import { IdParams } from '@yunwei/contracts/common';
import {
  RISK_PERMISSIONS as P,
  PreventionPlanFile,
  PreventionPlanFiled,
  Risk,
  RiskCollect,
  RiskCollectResult,
  RiskCreate,
  RiskList,
  RiskListQuery,
  RiskTransition,
  RiskUpdate,
} from '@yunwei/contracts/incident-problems';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { risksOf } from './problems.runtime.js';
import { RiskPlan } from './risk-plan.js';

export function risksRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const risks = risksOf(ctx);
  const plan = new RiskPlan(ctx, risks);
  const tags = ['risks'];
  const read = { permission: P.read };
  const write = { permission: P.write };

  app.get('/api/risks', { config: read, schema: { tags, summary: '隐患台账: latent risks, highest level first', querystring: RiskListQuery, response: { 200: RiskList } } }, (req) => risks.list(actorOf(req), req.query));
  app.post('/api/risks', { config: write, schema: { tags, summary: 'Record a latent risk by hand', body: RiskCreate, response: { 200: Risk } } }, (req) => risks.create(actorOf(req), req.body));
  app.get('/api/risks/export.xlsx', { config: read, schema: { tags, summary: 'The register as an Excel workbook', querystring: RiskListQuery } }, async (req, reply) => sendDocument(reply, await plan.register(actorOf(req), req.query)));
  app.get('/api/risks/prevention-plan.docx', { config: read, schema: { tags, summary: '故障预防方案 as Word, generated from the register' } }, async (req, reply) => sendDocument(reply, await plan.file(actorOf(req), 'docx', actorOf(req).locale)));
  app.get('/api/risks/prevention-plan.pdf', { config: read, schema: { tags, summary: '故障预防方案 as PDF, generated from the register' } }, async (req, reply) => sendDocument(reply, await plan.file(actorOf(req), 'pdf', actorOf(req).locale)));
  app.post('/api/risks/prevention-plan/file', { config: write, schema: { tags, summary: 'File the 故障预防方案 into the document library and submit it for approval (needs library.document.write too)', body: PreventionPlanFile, response: { 200: PreventionPlanFiled } } }, (req) => plan.fileToLibrary(actorOf(req), req.body));
  app.post('/api/risks/collect', { config: write, schema: { tags, summary: 'Collect latent risks from problems, inspections, capacity forecasts, certificates and end-of-support software', body: RiskCollect, response: { 200: RiskCollectResult } } }, (req) => risks.collect(actorOf(req), req.body ?? {}));
  app.get('/api/risks/:id', { config: read, schema: { tags, summary: 'One latent risk', params: IdParams, response: { 200: Risk } } }, (req) => risks.get(actorOf(req), req.params.id));
  app.put('/api/risks/:id', { config: write, schema: { tags, summary: 'Change a latent risk (409 on an older version)', params: IdParams, body: RiskUpdate, response: { 200: Risk } } }, (req) => risks.update(actorOf(req), req.params.id, req.body));
  app.post('/api/risks/:id/transition', { config: write, schema: { tags, summary: 'Take an action: mitigate, close, accept, reopen', params: IdParams, body: RiskTransition, response: { 200: Risk } } }, (req) => risks.transition(actorOf(req), req.params.id, req.body));
}
