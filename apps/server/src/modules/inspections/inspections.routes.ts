import Type from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, Ok } from '@yunwei/contracts/common';
import { DOCUMENT_FORMAT_NAMES, DOCUMENT_FORMATS } from '@yunwei/contracts/documents';
import {
  Coverage,
  CoverageQuery,
  INSPECTION_PERMISSIONS as P,
  InspectionRecord,
  InspectionRecordList,
  InspectionRecordQuery,
  InspectionResult,
  InspectionResultFill,
  InspectionRun,
  InspectionSchedule,
  InspectionScheduleCreate,
  InspectionScheduleList,
  InspectionScheduleUpdate,
  InspectionSign,
  InspectionTemplate,
  InspectionTemplateCreate,
  InspectionTemplateList,
  InspectionTemplateUpdate,
  InspectionVerify,
  MonitoringPolicy,
  MonitoringPolicyCreate,
  MonitoringPolicyList,
  MonitoringPolicyUpdate,
  MonitoringRegime,
  MonitoringRegimeQuery,
  PHOTO_MAX_BYTES,
  PHOTO_TYPES,
  RecordResultParams,
} from '@yunwei/contracts/inspections';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import { coverageWorkbook, recordListWorkbook, recordWorkbook } from './exports.js';
import { recordFile } from './record-document.js';
import { registerInspectionsProviders } from './report-providers.js';
import { inspectionsOf } from './runtime.js';

const ScheduleQuery = Type.Object({ templateId: Type.Optional(Type.String({ maxLength: 64 })) }, { additionalProperties: false });
const stamp = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export async function inspectionsRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  const m = inspectionsOf(ctx);
  registerInspectionsProviders(ctx);
  const tags = ['inspections'];
  const templateRead = { permission: P.templateRead };
  const templateWrite = { permission: P.templateWrite };
  const scheduleWrite = { permission: P.scheduleWrite };
  const recordRead = { permission: P.recordRead };
  const recordRun = { permission: P.recordRun };
  const policyRead = { permission: P.policyRead };
  const policyWrite = { permission: P.policyWrite };

  // ---------------------------------------------------------------- templates
  app.get('/api/inspections/templates', { config: templateRead, schema: { tags, response: { 200: InspectionTemplateList } } }, (req) => m.templates.list(actorOf(req)));
  app.get('/api/inspections/templates/:id', { config: templateRead, schema: { tags, params: IdParams, response: { 200: InspectionTemplate } } }, (req) => m.templates.get(actorOf(req), req.params.id));
  app.post('/api/inspections/templates', { config: templateWrite, schema: { tags, body: InspectionTemplateCreate, response: { 200: InspectionTemplate } } }, (req) => m.templates.create(actorOf(req), req.body));
  app.patch('/api/inspections/templates/:id', { config: templateWrite, schema: { tags, summary: 'Change a template (a change of scope, name or items is a new version)', params: IdParams, body: InspectionTemplateUpdate, response: { 200: InspectionTemplate } } }, (req) =>
    m.templates.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/inspections/templates/:id', { config: templateWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await m.templates.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });

  // ---------------------------------------------------------------- schedules
  app.get('/api/inspections/schedules', { config: templateRead, schema: { tags, querystring: ScheduleQuery, response: { 200: InspectionScheduleList } } }, (req) => m.schedules.list(actorOf(req), req.query.templateId));
  app.post('/api/inspections/schedules', { config: scheduleWrite, schema: { tags, body: InspectionScheduleCreate, response: { 200: InspectionSchedule } } }, (req) => m.schedules.create(actorOf(req), req.body, m.now()));
  app.patch('/api/inspections/schedules/:id', { config: scheduleWrite, schema: { tags, params: IdParams, body: InspectionScheduleUpdate, response: { 200: InspectionSchedule } } }, (req) =>
    m.schedules.update(actorOf(req), req.params.id, req.body, m.now()),
  );
  app.delete('/api/inspections/schedules/:id', { config: scheduleWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await m.schedules.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.post('/api/inspections/schedules/:id/run', { config: recordRun, schema: { tags, summary: 'Run a schedule now, out of turn', params: IdParams, response: { 200: InspectionRecord } } }, (req) =>
    m.schedules.runNow(actorOf(req), req.params.id, m.now()),
  );

  // ---------------------------------------------------------------- records
  app.get('/api/inspections/records', { config: recordRead, schema: { tags, querystring: InspectionRecordQuery, response: { 200: InspectionRecordList } } }, (req) => m.records.list(actorOf(req), req.query));
  app.get('/api/inspections/records/export', { config: recordRead, schema: { tags, summary: 'Records as XLSX (same filters, up to 500)', querystring: InspectionRecordQuery } }, async (req, reply) => {
    const list = await m.records.list(actorOf(req), { ...req.query, limit: req.query.limit ?? 500 });
    const body = await recordListWorkbook(list.items);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="inspection-records-${stamp(m.now())}.xlsx"`).send(body);
  });
  app.get('/api/inspections/records/:id', { config: recordRead, schema: { tags, params: IdParams, response: { 200: InspectionRecord } } }, (req) => m.records.get(actorOf(req), req.params.id));
  app.get('/api/inspections/records/:id/export', { config: recordRead, schema: { tags, summary: 'One record as XLSX (abnormal rows highlighted)', params: IdParams } }, async (req, reply) => {
    // The workbook is a Chinese document (headings, verdicts): its rows' details are written in Chinese too.
    const record = await m.records.get({ ...actorOf(req), locale: 'zh-CN' }, req.params.id);
    const body = await recordWorkbook(record);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="inspection-${stamp(record.createdAt)}-${record.id}.xlsx"`).send(body);
  });
  // The same record as a written document (Word / PDF) in the reader's language; the download is audited.
  for (const format of DOCUMENT_FORMATS) {
    app.get(`/api/inspections/records/:id/export.${format}`, { config: recordRead, schema: { tags, summary: `One record as a ${DOCUMENT_FORMAT_NAMES[format]} document (.${format}; abnormal rows highlighted)`, params: IdParams } }, async (req, reply) =>
      sendDocument(reply, await recordFile(ctx, m.records, actorOf(req), req.params.id, req.locale, format)),
    );
  }
  app.get('/api/inspections/records/:id/verify', { config: recordRead, schema: { tags, summary: 'Recompute a signed record’s SHA-256 (tamper check)', params: IdParams, response: { 200: InspectionVerify } } }, (req) =>
    m.records.verify(actorOf(req), req.params.id),
  );
  app.post('/api/inspections/records', { config: recordRun, schema: { tags, summary: 'Run a template now', body: InspectionRun, response: { 200: InspectionRecord } } }, async (req) => (await m.records.run(actorOf(req), req.body.templateId, m.now()))!);
  app.patch('/api/inspections/records/:id/results/:resultId', { config: recordRun, schema: { tags, summary: 'Fill a manual item (verdict, note) or annotate an automatic one', params: RecordResultParams, body: InspectionResultFill, response: { 200: InspectionResult } } }, (req) =>
    m.records.fill(actorOf(req), req.params.id, req.params.resultId, req.body),
  );
  app.post('/api/inspections/records/:id/sign', { config: recordRun, schema: { tags, summary: 'Sign the record off (password again); it is immutable afterwards', params: IdParams, body: InspectionSign, response: { 200: InspectionRecord } } }, (req) =>
    m.records.sign(actorOf(req), req.params.id, req.body.password, req.body.conclusion),
  );
  app.get('/api/inspections/records/:id/results/:resultId/photo', { config: recordRead, schema: { tags, params: RecordResultParams } }, async (req, reply) => {
    const photo = await m.records.photo(actorOf(req), req.params.id, req.params.resultId);
    return reply.header('content-type', photo.type).send(photo.body);
  });
  // The photo is the raw request body (image/jpeg, image/png, image/webp), in a scope of its own for the body parser.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser([...PHOTO_TYPES], { parseAs: 'buffer', bodyLimit: PHOTO_MAX_BYTES }, (_req, body, done) => done(null, body));
    scope.put(
      '/api/inspections/records/:id/results/:resultId/photo',
      { config: recordRun, bodyLimit: PHOTO_MAX_BYTES, schema: { tags, summary: 'Attach a photo to an item (raw JPEG / PNG / WebP body, ≤ 5 MiB)', params: RecordResultParams, response: { 200: InspectionResult } } },
      (req) => m.records.putPhoto(actorOf(req), req.params.id, req.params.resultId, String(req.headers['content-type'] ?? ''), Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0)),
    );
  });

  // ---------------------------------------------------------------- monitoring policy and coverage
  app.get('/api/inspections/policies', { config: policyRead, schema: { tags, response: { 200: MonitoringPolicyList } } }, (req) => m.policies.list(actorOf(req)));
  app.get('/api/inspections/policies/:id', { config: policyRead, schema: { tags, params: IdParams, response: { 200: MonitoringPolicy } } }, (req) => m.policies.get(actorOf(req), req.params.id));
  app.post('/api/inspections/policies', { config: policyWrite, schema: { tags, body: MonitoringPolicyCreate, response: { 200: MonitoringPolicy } } }, (req) => m.policies.create(actorOf(req), req.body, m.now()));
  app.patch('/api/inspections/policies/:id', { config: policyWrite, schema: { tags, params: IdParams, body: MonitoringPolicyUpdate, response: { 200: MonitoringPolicy } } }, (req) =>
    m.policies.update(actorOf(req), req.params.id, req.body, m.now()),
  );
  app.delete('/api/inspections/policies/:id', { config: policyWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await m.policies.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.get('/api/inspections/coverage', { config: policyRead, schema: { tags, summary: 'Every CI a policy applies to: required vs. present, and why not covered', querystring: CoverageQuery, response: { 200: Coverage } } }, (req) =>
    m.policies.coverage(actorOf(req), req.query, m.now()),
  );
  // The routine monitoring regime (L1-2.1.1) written from the policies, rules and alert routing: on screen, and as an audited Word or PDF download.
  app.get('/api/inspections/regime', { config: policyRead, schema: { tags, summary: 'The monitoring regime (监控制度) written from the enabled policies, their alert rules and the alert routing', querystring: MonitoringRegimeQuery, response: { 200: MonitoringRegime } } }, (req) =>
    m.regime.build(actorOf(req), req.query, req.locale, m.now()),
  );
  for (const format of DOCUMENT_FORMATS) {
    app.get(`/api/inspections/regime.${format}`, { config: policyRead, schema: { tags, summary: `The monitoring regime as a ${DOCUMENT_FORMAT_NAMES[format]} file (.${format})`, querystring: MonitoringRegimeQuery } }, async (req, reply) =>
      sendDocument(reply, await m.regime.file(actorOf(req), req.query, req.locale, format, m.now())),
    );
  }
  app.get('/api/inspections/coverage/export', { config: policyRead, schema: { tags, summary: 'Coverage as XLSX', querystring: CoverageQuery } }, async (req, reply) => {
    const body = await coverageWorkbook(await m.policies.coverage(actorOf(req), req.query, m.now()));
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="monitoring-coverage-${stamp(m.now())}.xlsx"`).send(body);
  });
}
