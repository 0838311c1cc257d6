import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  CiClass,
  CiClassCreate,
  CiClassList,
  CiClassUpdate,
  Ci,
  CiCreate,
  CiDetail,
  CiExportQuery,
  CiList,
  CiQuery,
  CiRelations,
  CiUpdate,
  CMDB_PERMISSIONS as P,
  DependencyQuery,
  DependencyResult,
  GroupCreate,
  GroupQuery,
  GroupUpdate,
  IMPORT_CONTENT_TYPES,
  IMPORT_LIMITS,
  ImpactQuery,
  ImpactResult,
  ImportQuery,
  ImportReport,
  RedundancyGroup,
  RedundancyGroupList,
  Relation,
  RelationCreate,
  RelationUpdate,
  TemplateQuery,
} from '@yunwei/contracts/cmdb';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { queuedImport, refuseWhenImportsBusy } from '../../platform/uploads/import-queue.js';
import { CiService } from './ci.service.js';
import { ClassService } from './class.service.js';
import { GroupService } from './group.service.js';
import { ImpactService } from './impact.service.js';
import { RelationService } from './relation.service.js';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import { TransferService } from './transfer.service.js';

export async function cmdbRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  const classes = new ClassService(ctx);
  const cis = new CiService(ctx);
  const relations = new RelationService(ctx);
  const groups = new GroupService(ctx);
  const impact = new ImpactService(ctx);
  const transfer = new TransferService(ctx);
  const tags = ['cmdb'];
  const read = { permission: P.ciRead };
  const write = { permission: P.ciWrite };
  const classWrite = { permission: P.classWrite };
  const importing = { permission: P.ciImport };
  const ok = { ok: true as const };

  // ---------------------------------------------------------------- classes
  app.get('/api/cmdb/classes', { config: read, schema: { tags, summary: 'CI classes (built-in first) with attribute definitions and CI counts', response: { 200: CiClassList } } }, () => classes.list());
  app.get('/api/cmdb/classes/:id', { config: read, schema: { tags, params: IdParams, response: { 200: CiClass } } }, (req) => classes.get(req.params.id));
  app.post('/api/cmdb/classes', { config: classWrite, schema: { tags, summary: 'Create a custom class', body: CiClassCreate, response: { 200: CiClass } } }, (req) => classes.create(actorOf(req), req.body));
  app.patch('/api/cmdb/classes/:id', { config: classWrite, schema: { tags, summary: 'Change a custom class (built-in ones are read-only)', params: IdParams, body: CiClassUpdate, response: { 200: CiClass } } }, (req) =>
    classes.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/cmdb/classes/:id', { config: classWrite, schema: { tags, summary: 'Delete a custom class without CIs', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await classes.remove(actorOf(req), req.params.id);
    return ok;
  });

  // ---------------------------------------------------------------- CIs
  app.get('/api/cmdb/cis', { config: read, schema: { tags, summary: 'Search CIs within your data scope', querystring: CiQuery, response: { 200: CiList } } }, (req) => cis.list(actorOf(req), req.query));
  app.get('/api/cmdb/cis/:id', { config: read, schema: { tags, summary: 'A CI with its business systems and redundancy groups', params: IdParams, response: { 200: CiDetail } } }, (req) => cis.get(actorOf(req), req.params.id));
  app.post('/api/cmdb/cis', { config: write, schema: { tags, body: CiCreate, response: { 200: Ci } } }, (req) => cis.create(actorOf(req), req.body));
  app.patch('/api/cmdb/cis/:id', { config: write, schema: { tags, params: IdParams, body: CiUpdate, response: { 200: Ci } } }, (req) => cis.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/cmdb/cis/:id', { config: write, schema: { tags, summary: 'Delete a CI with its relations and group memberships', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await cis.remove(actorOf(req), req.params.id);
    return ok;
  });

  // ---------------------------------------------------------------- relations
  app.get('/api/cmdb/cis/:id/relations', { config: read, schema: { tags, summary: 'Relations of a CI: outgoing (what it relies on) and incoming', params: IdParams, response: { 200: CiRelations } } }, (req) =>
    relations.listOf(actorOf(req), req.params.id),
  );
  app.post('/api/cmdb/relations', { config: write, schema: { tags, summary: 'Relate a CI to a CI or a redundancy group', body: RelationCreate, response: { 200: Relation } } }, (req) => relations.create(actorOf(req), req.body));
  app.patch('/api/cmdb/relations/:id', { config: write, schema: { tags, params: IdParams, body: RelationUpdate, response: { 200: Relation } } }, (req) => relations.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/cmdb/relations/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await relations.remove(actorOf(req), req.params.id);
    return ok;
  });

  // ---------------------------------------------------------------- redundancy groups
  app.get('/api/cmdb/groups', { config: read, schema: { tags, summary: 'Redundancy groups', querystring: GroupQuery, response: { 200: RedundancyGroupList } } }, (req) => groups.list(actorOf(req), req.query));
  app.get('/api/cmdb/groups/:id', { config: read, schema: { tags, params: IdParams, response: { 200: RedundancyGroup } } }, (req) => groups.get(actorOf(req), req.params.id));
  app.post('/api/cmdb/groups', { config: write, schema: { tags, body: GroupCreate, response: { 200: RedundancyGroup } } }, (req) => groups.create(actorOf(req), req.body));
  app.patch('/api/cmdb/groups/:id', { config: write, schema: { tags, params: IdParams, body: GroupUpdate, response: { 200: RedundancyGroup } } }, (req) => groups.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/cmdb/groups/:id', { config: write, schema: { tags, summary: 'Delete a group with the relations that target it', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await groups.remove(actorOf(req), req.params.id);
    return ok;
  });

  // ---------------------------------------------------------------- impact analysis
  app.get(
    '/api/cmdb/cis/:id/impact',
    { config: read, schema: { tags, summary: 'What is affected if this CI (and the `failed` ones) fail', params: IdParams, querystring: ImpactQuery, response: { 200: ImpactResult } } },
    (req) => impact.impact(actorOf(req), req.params.id, req.query),
  );
  app.get(
    '/api/cmdb/cis/:id/dependencies',
    { config: read, schema: { tags, summary: 'What this CI relies on (forward walk)', params: IdParams, querystring: DependencyQuery, response: { 200: DependencyResult } } },
    (req) => impact.dependencies(actorOf(req), req.params.id, req.query),
  );

  // ---------------------------------------------------------------- import / export
  app.get('/api/cmdb/import-template', { config: importing, schema: { tags, summary: 'XLSX import template of a class', querystring: TemplateQuery } }, async (req, reply) => {
    const file = await transfer.template(req.query.classId);
    return reply.header('content-type', XLSX_TYPE).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.body);
  });
  app.get('/api/cmdb/export', { config: read, schema: { tags, summary: 'Export CIs (with classId: in the import format of that class)', querystring: CiExportQuery } }, async (req, reply) => {
    const file = await transfer.export(actorOf(req), req.query);
    return reply.header('content-type', file.contentType).header('content-disposition', `attachment; filename="${file.filename}"`).send(file.stream);
  });
  // The file is the raw request body (XLSX or CSV), in a scope of its own for the body parsers.
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    for (const type of IMPORT_CONTENT_TYPES) {
      scope.addContentTypeParser(type, { parseAs: 'buffer', bodyLimit: IMPORT_LIMITS.bodyBytes }, (_req, body, done) => done(null, body));
    }
    scope.post(
      '/api/cmdb/import',
      {
        config: importing,
        bodyLimit: IMPORT_LIMITS.bodyBytes,
        onRequest: refuseWhenImportsBusy,
        schema: { tags, summary: 'Import CIs of a class from an XLSX or CSV request body; reports every row', querystring: ImportQuery, response: { 200: ImportReport } },
      },
      (req, reply) => queuedImport(reply, () => transfer.import(actorOf(req), req.query, req.body)),
    );
  });
}
