import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { IdParams, Ok } from '@yunwei/contracts/common';
import { DOCX_TYPE } from '@yunwei/contracts/documents';
import {
  LIBRARY_LIMITS,
  LIBRARY_PERMISSIONS as P,
  LibraryDiff,
  LibraryDiffQuery,
  LibraryDocumentCreate,
  LibraryDocumentDetail,
  LibraryDocumentList,
  LibraryDocumentQuery,
  LibraryDocumentUpdate,
  LibraryDownloadQuery,
  LibraryImportResult,
  LibraryLink,
  LibraryLinkCreate,
  LibraryLinkParams,
  LibraryNewVersion,
  LibraryPublish,
  LibraryRetire,
  LibrarySubmit,
  LibraryType,
  LibraryTypeCreate,
  LibraryTypeList,
  LibraryTypeParams,
  LibraryTypeUpdate,
  LibraryVersionDetail,
  LibraryVersionParams,
} from '@yunwei/contracts/library';
import {
  LIBRARY_TEMPLATE_PERMISSIONS,
  LibraryProviderList,
  LibraryTemplate,
  LibraryTemplateCreate,
  LibraryTemplateGenerate,
  LibraryTemplateList,
  LibraryTemplateQuery,
  LibraryTemplateUpdate,
} from '@yunwei/contracts/library-templates';
import { sendDocument } from '../../platform/documents/send-document.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { queuedImport, refuseWhenImportsBusy } from '../../platform/uploads/import-queue.js';
import { libraryOf } from './library.runtime.js';

/** The editor's JSON is at most 2 MB; the rest of a body (title, note, links) fits in the margin. */
const DOCUMENT_BODY_LIMIT = LIBRARY_LIMITS.bodyBytes + 256 * 1024;

export async function libraryRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  const { types, documents, files, templates, generator } = libraryOf(ctx);
  const tags = ['library'];
  const read = { permission: P.read };
  const write = { permission: P.write };
  const publish = { permission: P.publish };
  const manage = { permission: P.typeManage };
  const ok = { ok: true as const };

  app.get('/api/library/types', { config: read, schema: { tags, summary: 'Document types with their numbering, approval flow and review period', response: { 200: LibraryTypeList } } }, (req) => types.list(actorOf(req)));
  app.post('/api/library/types', { config: manage, schema: { tags, summary: 'Add a document type', body: LibraryTypeCreate, response: { 200: LibraryType } } }, (req) => types.create(actorOf(req), req.body));
  app.patch('/api/library/types/:code', { config: manage, schema: { tags, summary: "Change a type's names, number prefix, approval flow (null: none) or review period", params: LibraryTypeParams, body: LibraryTypeUpdate, response: { 200: LibraryType } } }, (req) =>
    types.update(actorOf(req), req.params.code, req.body),
  );
  app.delete('/api/library/types/:code', { config: manage, schema: { tags, summary: 'Delete a type of your own that no document uses', params: LibraryTypeParams, response: { 200: Ok } } }, async (req) => {
    await types.remove(actorOf(req), req.params.code);
    return ok;
  });

  app.get('/api/library/documents', { config: read, schema: { tags, summary: 'Documents in your data scope, newest change first (q: substring of title, number or text)', querystring: LibraryDocumentQuery, response: { 200: LibraryDocumentList } } }, (req) =>
    documents.list(actorOf(req), req.query),
  );
  app.post('/api/library/documents', { config: write, bodyLimit: DOCUMENT_BODY_LIMIT, schema: { tags, summary: 'Create a document (its v1.0 draft)', body: LibraryDocumentCreate, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.create(actorOf(req), req.body),
  );
  app.get('/api/library/documents/:id', { config: read, schema: { tags, summary: 'A document with its versions, links, history and the newest version’s body', params: IdParams, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.get(actorOf(req), req.params.id),
  );
  app.patch('/api/library/documents/:id', { config: write, bodyLimit: DOCUMENT_BODY_LIMIT, schema: { tags, summary: 'Edit the draft (409 YW_LIBRARY_VERSION_LOCKED under review or approved)', params: IdParams, body: LibraryDocumentUpdate, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.update(actorOf(req), req.params.id, req.body),
  );
  app.post('/api/library/documents/:id/submit', { config: write, schema: { tags, summary: "Submit the draft for approval through the type's flow (no flow: approved at once)", params: IdParams, body: LibrarySubmit, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.submit(actorOf(req), req.params.id, req.body.comment),
  );
  app.post('/api/library/documents/:id/publish', { config: publish, schema: { tags, summary: 'Publish the approved version (the previous one is superseded)', params: IdParams, body: LibraryPublish, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.publish(actorOf(req), req.params.id, req.body.comment),
  );
  app.post('/api/library/documents/:id/retire', { config: publish, schema: { tags, summary: 'Retire the document', params: IdParams, body: LibraryRetire, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.retire(actorOf(req), req.params.id, req.body.reason),
  );
  app.post('/api/library/documents/:id/versions', { config: write, schema: { tags, summary: 'Start a new version of a published document (v1.1, or v2.0 with major)', params: IdParams, body: LibraryNewVersion, response: { 200: LibraryDocumentDetail } } }, (req) =>
    documents.newVersion(actorOf(req), req.params.id, req.body),
  );
  app.get('/api/library/documents/:id/versions/:versionId', { config: read, schema: { tags, summary: 'One version with its body', params: LibraryVersionParams, response: { 200: LibraryVersionDetail } } }, (req) =>
    documents.version(actorOf(req), req.params.id, req.params.versionId),
  );
  app.get('/api/library/documents/:id/versions/:versionId/download', { config: read, schema: { tags, summary: 'One version as Word (.docx) or PDF', params: LibraryVersionParams, querystring: LibraryDownloadQuery } }, async (req, reply) =>
    sendDocument(reply, await files.download(actorOf(req), req.params.id, req.params.versionId, req.query.format, req.locale)),
  );
  app.get('/api/library/documents/:id/diff', { config: read, schema: { tags, summary: 'Two versions side by side, block by block', params: IdParams, querystring: LibraryDiffQuery, response: { 200: LibraryDiff } } }, (req) =>
    documents.diff(actorOf(req), req.params.id, req.query.left, req.query.right),
  );
  app.post('/api/library/documents/:id/links', { config: write, schema: { tags, summary: 'Link the document to a CI, business system, check, alert or document', params: IdParams, body: LibraryLinkCreate, response: { 200: LibraryLink } } }, (req) =>
    documents.addLink(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/library/documents/:id/links/:linkId', { config: write, schema: { tags, summary: 'Remove a link', params: LibraryLinkParams, response: { 200: Ok } } }, async (req) => {
    await documents.removeLink(actorOf(req), req.params.id, req.params.linkId);
    return ok;
  });

  // Templates with data placeholders (library-templates.ts in the contracts).
  const templateManage = { permission: LIBRARY_TEMPLATE_PERMISSIONS.manage };
  app.get('/api/library/providers', { config: read, schema: { tags, summary: 'The data providers a template may name, with their fields (for the editor’s 插入数据 menu)', response: { 200: LibraryProviderList } } }, (req) =>
    templates.listProviders({ ...actorOf(req), locale: req.locale }),
  );
  app.get('/api/library/templates', { config: read, schema: { tags, summary: 'Document templates (of one type with ?type=)', querystring: LibraryTemplateQuery, response: { 200: LibraryTemplateList } } }, (req) =>
    templates.list({ ...actorOf(req), locale: req.locale }, req.query.type),
  );
  app.get('/api/library/templates/:id', { config: read, schema: { tags, summary: 'A template with its body', params: IdParams, response: { 200: LibraryTemplate } } }, (req) => templates.get({ ...actorOf(req), locale: req.locale }, req.params.id));
  app.post('/api/library/templates', { config: templateManage, bodyLimit: DOCUMENT_BODY_LIMIT, schema: { tags, summary: 'Add a template (400 naming an unknown provider or field)', body: LibraryTemplateCreate, response: { 200: LibraryTemplate } } }, (req) =>
    templates.create({ ...actorOf(req), locale: req.locale }, req.body),
  );
  app.patch('/api/library/templates/:id', { config: templateManage, bodyLimit: DOCUMENT_BODY_LIMIT, schema: { tags, summary: 'Change a template (400 naming an unknown provider or field)', params: IdParams, body: LibraryTemplateUpdate, response: { 200: LibraryTemplate } } }, (req) =>
    templates.update({ ...actorOf(req), locale: req.locale }, req.params.id, req.body),
  );
  app.delete('/api/library/templates/:id', { config: templateManage, schema: { tags, summary: 'Delete a template of your own (built-in: 409)', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await templates.remove(actorOf(req), req.params.id);
    return ok;
  });
  app.post('/api/library/templates/:id/generate', { config: write, schema: { tags, summary: 'Generate a document (or a published document’s next version) from the template, its numbers from live data, frozen', params: IdParams, body: LibraryTemplateGenerate, response: { 200: LibraryDocumentDetail } } }, (req) =>
    generator.generate({ ...actorOf(req), locale: req.locale }, req.params.id, req.body),
  );

  // The .docx is the raw request body, in a scope of its own for the body parser (CONTRIBUTING "accept an uploaded file").
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    scope.addContentTypeParser(DOCX_TYPE, { parseAs: 'buffer', bodyLimit: LIBRARY_LIMITS.importBytes }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/library/import',
      {
        config: write,
        bodyLimit: LIBRARY_LIMITS.importBytes,
        onRequest: refuseWhenImportsBusy,
        schema: { tags, summary: 'Convert a Word document (.docx, the raw body) to HTML for the editor; nothing is stored', response: { 200: LibraryImportResult } },
      },
      (req, reply) => queuedImport(reply, () => files.importDocx(req.body as Buffer)),
    );
  });
}
