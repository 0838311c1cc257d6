import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { PermissionId } from '@yunwei/contracts/access';
import {
  LIBRARY_LIMITS,
  LIBRARY_PERMISSIONS as P,
  LIBRARY_SUBJECT_TYPE,
  type LibraryBody,
  type LibraryDiff,
  type LibraryDocumentCreate,
  type LibraryDocumentDetail,
  type LibraryDocumentList,
  type LibraryDocumentQuery,
  type LibraryDocumentUpdate,
  type LibraryLink,
  type LibraryLinkInput,
  type LibraryNewVersion,
  type LibraryVersionDetail,
} from '@yunwei/contracts/library';
import { isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope, systemActor } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { ApprovalOutcome, ApprovalOutcomeRequest, ApprovalsRuntime } from '../approvals/runtime.js';
import { bodyText, EMPTY_BODY, validateBody } from './library-body.js';
import { LinkTargets } from './library-links.js';
import { LibraryViews } from './library-views.js';
import { type DocumentRow, LibraryRepository, type VersionRow } from './library.repository.js';
import type { DocumentTable, DocumentVersionTable } from './library.tables.js';

type Db = Kysely<Database>;

const bodyDigest = (json: string) => ({ sha256: createHash('sha256').update(json).digest('hex'), bytes: Buffer.byteLength(json, 'utf8') });

/** v1.0 → v1.1, or v2.0 with `major`. */
export function nextLabel(newest: { major: number; minor: number }, major: boolean): { major: number; minor: number; label: string } {
  const next = major ? { major: Number(newest.major) + 1, minor: 0 } : { major: Number(newest.major), minor: Number(newest.minor) + 1 };
  return { ...next, label: `v${next.major}.${next.minor}` };
}

/** `months` calendar months after `at` (the day clamped to the month's last). */
export function addMonths(at: number, months: number): number {
  const d = new Date(at);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

/**
 * Documents of the library and their life cycle (see contracts/library.ts). Data scope: a document's org
 * unit, for reads (outside: 404) and writes (readable but not writable: 403). Every write runs with its audit
 * entry and its history event in one transaction; state changes are claimed by conditional UPDATEs, so two
 * people (or nodes) never both move a version on.
 */
export class LibraryService {
  readonly repo: LibraryRepository;
  readonly targets: LinkTargets;
  readonly #views: LibraryViews;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly approvals: Pick<ApprovalsRuntime, 'submit'>,
    private readonly now: () => number = Date.now,
  ) {
    this.repo = new LibraryRepository(ctx.db);
    this.targets = new LinkTargets(ctx.db);
    this.#views = new LibraryViews(ctx.db, this.repo, this.targets, now);
  }

  // ------------------------------------------------------------ reads (built by LibraryViews)

  list(actor: Actor, query: LibraryDocumentQuery): Promise<LibraryDocumentList> {
    return this.#views.list(actor, query);
  }

  get(actor: Actor, id: string): Promise<LibraryDocumentDetail> {
    return this.#views.get(actor, id);
  }

  version(actor: Actor, id: string, versionId: string): Promise<LibraryVersionDetail> {
    return this.#views.version(actor, id, versionId);
  }

  /** The version with its document, for a download. */
  readVersion(actor: Actor, id: string, versionId: string): Promise<{ document: DocumentRow; version: VersionRow }> {
    return this.#views.readVersion(actor, id, versionId);
  }

  diff(actor: Actor, id: string, leftId: string, rightId: string): Promise<LibraryDiff> {
    return this.#views.diff(actor, id, leftId, rightId);
  }

  // ------------------------------------------------------------ writes

  async create(actor: Actor, input: LibraryDocumentCreate): Promise<LibraryDocumentDetail> {
    const owner = this.#person(actor);
    const body = input.body ?? EMPTY_BODY;
    validateBody(body);
    const bodyJson = toJson(body);
    const text = bodyText(body);
    const now = this.now();
    const id = uuidv7();
    const versionId = uuidv7();
    await this.#write(async (trx) => {
      const type = await this.repo.type(input.typeCode, trx);
      if (!type) {
        throw new AppError('YW_LIBRARY_TYPE_NOT_FOUND', { field: 'body.typeCode', code: input.typeCode });
      }
      const unit = input.orgUnitId === undefined ? await this.repo.userUnit(owner, trx) : input.orgUnitId;
      await this.#requirePlacement(trx, actor, unit, 'body.orgUnitId');
      const year = new Date(now).getUTCFullYear();
      const seq = await this.repo.nextSeq(trx, type.code, year);
      const number = `${type.number_prefix}-${year}-${String(seq).padStart(3, '0')}`;
      const doc: DocumentTable = {
        id,
        type_code: type.code,
        title: input.title.trim(),
        number,
        org_unit_id: unit,
        owner_id: owner,
        status: 'draft',
        published_version_id: null,
        latest_version_id: versionId,
        review_due_at: null,
        review_reminded_due: null,
        retired_at: null,
        created_at: now,
        updated_at: now,
        updated_by: owner,
      };
      await this.repo.insertDocument(trx, doc);
      await this.repo.insertVersion(trx, {
        id: versionId,
        document_id: id,
        label: 'v1.0',
        major: 1,
        minor: 0,
        body: bodyJson,
        body_text: text,
        ...newDraft(input.changeNote, owner, now),
      });
      await this.repo.setSearchText(trx, id, searchText(doc.title, number, [text]));
      for (const [i, link] of (input.links ?? []).entries()) {
        await this.#insertLink(trx, actor, doc, link, `body.links.${i}`);
      }
      await this.#event(trx, actor, id, 'create', 'v1.0', input.changeNote?.trim() ?? '');
      await this.ctx.audit.record(trx, { actor, action: 'library.document.create', targetType: 'library_document', targetId: id, after: { ...docAudit(doc), version: 'v1.0', body: bodyDigest(bodyJson), links: input.links ?? [] } });
    });
    return this.#views.fresh(actor, id);
  }

  /** Edits the draft in place; a version under review or approved is locked (edit makes a new draft after publishing). */
  async update(actor: Actor, id: string, input: LibraryDocumentUpdate): Promise<LibraryDocumentDetail> {
    if (input.body) {
      validateBody(input.body);
    }
    await this.#write(async (trx) => {
      const doc = await this.#writable(trx, actor, id, P.write);
      const version = await this.#latest(trx, doc);
      if (version.status !== 'draft') {
        throw stateError('YW_LIBRARY_VERSION_LOCKED', version.status, { version: version.label });
      }
      if (input.baseUpdatedAt !== undefined && input.baseUpdatedAt !== Number(version.updated_at)) {
        throw new AppError('YW_LIBRARY_DRAFT_CHANGED', { field: 'body.baseUpdatedAt', updatedAt: Number(version.updated_at) });
      }
      const now = this.now();
      const owner = this.#person(actor);
      const changed: string[] = [];
      const docPatch: Partial<DocumentTable> = { updated_at: now, updated_by: owner };
      const versionPatch: Partial<DocumentVersionTable> = { updated_at: now, updated_by: owner };
      if (input.title !== undefined && input.title.trim() !== doc.title) {
        docPatch.title = input.title.trim();
        changed.push('title');
      }
      if (input.orgUnitId !== undefined && input.orgUnitId !== doc.org_unit_id) {
        await this.#requirePlacement(trx, actor, input.orgUnitId, 'body.orgUnitId');
        docPatch.org_unit_id = input.orgUnitId;
        changed.push('orgUnitId');
      }
      if (input.changeNote !== undefined && input.changeNote.trim() !== version.change_note) {
        versionPatch.change_note = input.changeNote.trim();
        changed.push('changeNote');
      }
      const bodyJson = input.body ? toJson(input.body) : null;
      if (input.body && bodyJson !== version.body) {
        versionPatch.body = bodyJson!;
        versionPatch.body_text = bodyText(input.body);
        changed.push('body');
      }
      // Compare-and-set on the state read: a submit that slipped in between wins, this edit is refused.
      const claimed = await trx.updateTable('document_version').set(versionPatch).where('id', '=', version.id).where('status', '=', 'draft').where('updated_at', '=', version.updated_at).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        throw new AppError('YW_LIBRARY_DRAFT_CHANGED', { field: 'body.baseUpdatedAt' });
      }
      await this.repo.updateDocument(trx, id, docPatch);
      await this.#reindex(trx, id);
      await this.#event(trx, actor, id, 'update', version.label, changed.join(', '));
      await this.ctx.audit.record(trx, {
        actor,
        action: 'library.document.update',
        targetType: 'library_document',
        targetId: id,
        before: { ...docAudit(doc), version: version.label, changeNote: version.change_note, body: bodyDigest(version.body) },
        after: { ...docAudit({ ...doc, ...docPatch }), version: version.label, changeNote: versionPatch.change_note ?? version.change_note, body: bodyDigest(versionPatch.body ?? version.body), changed },
      });
    });
    return this.#views.fresh(actor, id);
  }

  /** Sends the draft for approval (the type's flow), or approves it at once when the type has none. */
  async submit(actor: Actor, id: string, comment?: string): Promise<LibraryDocumentDetail> {
    await this.#write(async (trx) => {
      const doc = await this.#writable(trx, actor, id, P.write);
      const version = await this.#latest(trx, doc);
      const type = await this.repo.type(doc.type_code, trx);
      await this.#claim(trx, version, 'draft', type?.flow_code ? 'in_review' : 'approved');
      const now = this.now();
      let requestId: string | null = null;
      if (type?.flow_code) {
        const typeName = type.name_zh;
        requestId = await this.approvals.submit(actor, { flowCode: type.flow_code, subjectType: LIBRARY_SUBJECT_TYPE, subjectId: version.id, title: `${typeName}《${doc.title}》${version.label}（${doc.number}）`.slice(0, 200), orgUnitId: doc.org_unit_id }, trx);
        await this.repo.updateVersion(trx, version.id, { approval_request_id: requestId, updated_at: now });
        await this.repo.updateDocument(trx, id, { status: 'in_review', updated_at: now, updated_by: actor.userId });
      } else {
        await this.repo.updateVersion(trx, version.id, { last_review_outcome: 'approved', updated_at: now });
        await this.repo.updateDocument(trx, id, { status: 'approved', updated_at: now, updated_by: actor.userId });
      }
      await this.#event(trx, actor, id, type?.flow_code ? 'submit' : 'approved', version.label, comment?.trim() ?? '');
      await this.ctx.audit.record(trx, { actor, action: 'library.document.submit', targetType: 'library_document', targetId: id, after: { version: version.label, flowCode: type?.flow_code ?? null, approvalRequestId: requestId, comment: comment ?? null } });
    });
    return this.#views.fresh(actor, id);
  }

  /**
   * The approval engine's callback, in the transaction that decided the request: approved → the version is
   * approved (ready to publish); rejected or withdrawn → back to an editable draft.
   */
  async settle(trx: Transaction<Database>, versionId: string, outcome: ApprovalOutcome, request: ApprovalOutcomeRequest): Promise<void> {
    const version = await this.repo.versionRow(trx, versionId);
    // A request that is not this version's current review (or a version moved on meanwhile) changes nothing:
    // throwing here would undo the approvers' decision.
    if (!version || version.approval_request_id !== request.id || version.status !== 'in_review') {
      return;
    }
    const next = outcome === 'approved' ? 'approved' : 'draft';
    await this.#claim(trx, version, 'in_review', next);
    await this.repo.updateVersion(trx, version.id, { last_review_outcome: outcome, updated_at: request.decidedAt });
    await this.repo.updateDocument(trx, version.document_id, { status: next, updated_at: request.decidedAt });
    const decider = request.decidedBy ? await trx.selectFrom('user').select(['id', 'username']).where('id', '=', request.decidedBy).executeTakeFirst() : undefined;
    const actor = decider ? { ...systemActor('library'), kind: 'user' as const, userId: decider.id, username: decider.username } : systemActor('library');
    await this.#event(trx, actor, version.document_id, outcome, version.label, '');
    await this.ctx.audit.record(trx, { actor: systemActor('library'), action: 'library.version.review-outcome', targetType: 'library_document', targetId: version.document_id, after: { version: version.label, outcome, approvalRequestId: request.id, decidedBy: request.decidedBy } });
  }

  /** Publishes the approved version: the one in force before is superseded, the review clock restarts. */
  async publish(actor: Actor, id: string, comment?: string): Promise<LibraryDocumentDetail> {
    await this.#write(async (trx) => {
      const doc = await this.#writable(trx, actor, id, P.publish);
      const version = await this.#latest(trx, doc);
      await this.#claim(trx, version, 'approved', 'published');
      const now = this.now();
      const type = await this.repo.type(doc.type_code, trx);
      const reviewDue = addMonths(now, Number(type?.review_months ?? 12));
      if (doc.published_version_id && doc.published_version_id !== version.id) {
        await trx.updateTable('document_version').set({ status: 'superseded', updated_at: now }).where('id', '=', doc.published_version_id).where('status', '=', 'published').execute();
      }
      await this.repo.updateVersion(trx, version.id, { published_at: now, updated_at: now });
      await this.repo.updateDocument(trx, id, { status: 'published', published_version_id: version.id, review_due_at: reviewDue, review_reminded_due: null, updated_at: now, updated_by: actor.userId });
      await this.#reindex(trx, id);
      await this.#event(trx, actor, id, 'publish', version.label, comment?.trim() ?? '');
      await this.ctx.audit.record(trx, { actor, action: 'library.document.publish', targetType: 'library_document', targetId: id, before: { publishedVersionId: doc.published_version_id }, after: { version: version.label, publishedVersionId: version.id, reviewDueAt: reviewDue, comment: comment ?? null } });
    });
    return this.#views.fresh(actor, id);
  }

  /** Retires the document (not while a version is under review: withdraw it first). */
  async retire(actor: Actor, id: string, reason?: string): Promise<LibraryDocumentDetail> {
    await this.#write(async (trx) => {
      const doc = await this.#writable(trx, actor, id, P.publish);
      const version = await this.#latest(trx, doc);
      if (version.status === 'in_review') {
        throw stateError('YW_LIBRARY_ILLEGAL_TRANSITION', 'in_review', { action: 'retire' });
      }
      const now = this.now();
      const claimed = await trx.updateTable('document').set({ status: 'retired', retired_at: now, updated_at: now, updated_by: actor.userId }).where('id', '=', id).where('status', '=', doc.status).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        throw new AppError('YW_CONFLICT', { id });
      }
      await this.#event(trx, actor, id, 'retire', version.label, reason?.trim() ?? '');
      await this.ctx.audit.record(trx, { actor, action: 'library.document.retire', targetType: 'library_document', targetId: id, before: { status: doc.status }, after: { status: 'retired', reason: reason ?? null } });
    });
    return this.#views.fresh(actor, id);
  }

  /**
   * The next draft version of a published document (v1.1 after v1.0, v2.0 with `major`), starting from the
   * published body — or from `body` (a report generated for the next period, a template filled again), in the
   * same transaction, so that no unchanged draft is left behind when the new body is refused.
   */
  async newVersion(actor: Actor, id: string, input: LibraryNewVersion, body?: LibraryBody): Promise<LibraryDocumentDetail> {
    if (body) {
      validateBody(body);
    }
    await this.#write(async (trx) => {
      const doc = await this.#writable(trx, actor, id, P.write);
      if (doc.status !== 'published' || !doc.published_version_id) {
        throw stateError('YW_LIBRARY_ILLEGAL_TRANSITION', doc.status, { action: 'newVersion' }, { zh: '只有已发布且没有进行中版本的文档可以创建新版本', en: 'only a published document without a version in progress gets a new version' });
      }
      const published = (await this.repo.versionRow(trx, doc.published_version_id))!;
      const newest = (await this.repo.newestVersion(trx, id)) ?? { major: 1, minor: 0 };
      const next = nextLabel(newest, input.major === true);
      const now = this.now();
      const owner = this.#person(actor);
      const versionId = uuidv7();
      await this.repo.insertVersion(trx, {
        id: versionId,
        document_id: id,
        label: next.label,
        major: next.major,
        minor: next.minor,
        ...(body ? { body: toJson(body), body_text: bodyText(body) } : { body: published.body, body_text: published.body_text }),
        ...newDraft(input.changeNote, owner, now),
      });
      const claimed = await trx.updateTable('document').set({ status: 'draft', latest_version_id: versionId, updated_at: now, updated_by: owner }).where('id', '=', id).where('status', '=', 'published').where('latest_version_id', '=', doc.latest_version_id).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) {
        throw new AppError('YW_CONFLICT', { id });
      }
      await this.#event(trx, actor, id, 'new_version', next.label, input.changeNote?.trim() ?? '');
      await this.ctx.audit.record(trx, { actor, action: 'library.document.new-version', targetType: 'library_document', targetId: id, after: { version: next.label, from: published.label, major: input.major === true, ...(body ? { body: bodyDigest(toJson(body)) } : {}) } });
    });
    return this.#views.fresh(actor, id);
  }

  async addLink(actor: Actor, id: string, input: LibraryLinkInput): Promise<LibraryLink> {
    let linkId = '';
    await this.#write(async (trx) => {
      const doc = await this.#writable(trx, actor, id, P.write);
      if ((await this.repo.linkCount(trx, id)) >= LIBRARY_LIMITS.links) {
        throw invalidField('body', { zh: `一个文档最多关联 ${LIBRARY_LIMITS.links} 个对象`, en: `a document links at most ${LIBRARY_LIMITS.links} items` });
      }
      linkId = await this.#insertLink(trx, actor, doc, input, 'body');
      await this.repo.updateDocument(trx, id, { updated_at: this.now(), updated_by: actor.userId });
    });
    const link = (await this.#views.links(actor, id)).find((l) => l.id === linkId);
    return link!;
  }

  async removeLink(actor: Actor, id: string, linkId: string): Promise<void> {
    await this.#write(async (trx) => {
      await this.#writable(trx, actor, id, P.write);
      const link = await this.repo.link(trx, id, linkId);
      if (!link) {
        throw new AppError('YW_LIBRARY_LINK_NOT_FOUND', { id: linkId });
      }
      // The history names what was unlinked, as it named what was linked (a target since deleted keeps its id).
      const kind = link.target_kind;
      const name = (await this.targets.find(kind, [link.target_id], trx)).get(link.target_id)?.name ?? link.target_id;
      await this.repo.deleteLink(trx, linkId);
      await this.repo.updateDocument(trx, id, { updated_at: this.now(), updated_by: actor.userId });
      await this.#event(trx, actor, id, 'unlink', null, `${kind}: ${name}`);
      await this.ctx.audit.record(trx, { actor, action: 'library.link.delete', targetType: 'library_document', targetId: id, before: { kind, targetId: link.target_id, name } });
    });
  }

  // ------------------------------------------------------------ helpers

  async #insertLink(trx: Db, actor: Actor, doc: DocumentTable, input: LibraryLinkInput, field: string): Promise<string> {
    if (input.kind === 'document' && input.targetId === doc.id) {
      throw invalidField(`${field}.targetId`, { zh: '文档不能关联自己', en: 'a document cannot link to itself' });
    }
    const target = (await this.targets.find(input.kind, [input.targetId], trx)).get(input.targetId);
    if (!target || !this.targets.visible(actor, input.kind, target)) {
      throw invalidField(`${field}.targetId`, { zh: '找不到要关联的对象（或它不在您的数据范围内）', en: 'no such item to link (or it is outside your data scope)' });
    }
    if (await this.repo.linkExists(trx, doc.id, input.kind, input.targetId)) {
      throw new AppError('YW_LIBRARY_LINK_EXISTS', { field: `${field}.targetId` });
    }
    const id = uuidv7();
    await this.repo.insertLink(trx, { id, document_id: doc.id, target_kind: input.kind, target_id: input.targetId, created_at: this.now(), created_by: this.#person(actor) });
    await this.#event(trx, actor, doc.id, 'link', null, `${input.kind}: ${target.name}`);
    await this.ctx.audit.record(trx, { actor, action: 'library.link.create', targetType: 'library_document', targetId: doc.id, after: { kind: input.kind, targetId: input.targetId, name: target.name } });
    return id;
  }

  /** Moves a version from `from` to `to` only if it is still in `from` (else 409 naming the state it is in). */
  async #claim(trx: Db, version: DocumentVersionTable, from: DocumentVersionTable['status'], to: DocumentVersionTable['status']): Promise<void> {
    if (version.status !== from) {
      throw stateError(version.status === 'in_review' && from === 'draft' ? 'YW_LIBRARY_VERSION_LOCKED' : 'YW_LIBRARY_ILLEGAL_TRANSITION', version.status, { expected: from, version: version.label });
    }
    const done = await trx.updateTable('document_version').set({ status: to }).where('id', '=', version.id).where('status', '=', from).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) {
      throw new AppError('YW_CONFLICT', { state: 'changed', expected: from, version: version.label });
    }
  }

  /** The document for a write with `permission` (outside the reader's units: 404; readable only: 403; retired: 409). */
  async #writable(trx: Db, actor: Actor, id: string, permission: PermissionId): Promise<DocumentTable> {
    const doc = await this.repo.documentRow(trx, id);
    if (!doc) {
      throw new AppError('YW_LIBRARY_DOCUMENT_NOT_FOUND', { id });
    }
    requireReach(actor, doc.org_unit_id, permission, P.read, () => new AppError('YW_LIBRARY_DOCUMENT_NOT_FOUND', { id }));
    if (doc.status === 'retired') {
      throw stateError('YW_LIBRARY_RETIRED', 'retired', {});
    }
    return doc;
  }

  async #latest(trx: Db, doc: DocumentTable): Promise<DocumentVersionTable> {
    return (await this.repo.versionRow(trx, doc.latest_version_id))!;
  }

  /** Where a document may be placed: an existing unit (or null, the whole organisation) within the write scope. */
  async #requirePlacement(trx: Db, actor: Actor, unit: string | null, field: string): Promise<void> {
    if (unit !== null && !(await this.repo.orgUnitExists(unit, trx))) {
      throw new AppError('YW_ORG_NOT_FOUND', { field, id: unit });
    }
    if (!inScope(actor, P.write, unit)) {
      throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write, field });
    }
  }

  /** The person writing: documents have owners and authors, so API tokens of a person count as that person. */
  #person(actor: Actor): string {
    if (!actor.userId) {
      throw new AppError('YW_FORBIDDEN', { explanation: { zh: '文档须由用户编写', en: 'documents are written by people' } });
    }
    return actor.userId;
  }

  async #reindex(trx: Db, id: string): Promise<void> {
    const doc = (await this.repo.documentRow(trx, id))!;
    const ids = [...new Set([doc.latest_version_id, ...(doc.published_version_id ? [doc.published_version_id] : [])])];
    const texts = await trx.selectFrom('document_version').select('body_text').where('id', 'in', ids).execute();
    await this.repo.setSearchText(trx, id, searchText(doc.title, doc.number, texts.map((t) => t.body_text)));
  }

  async #event(trx: Db, actor: Actor, documentId: string, action: string, versionLabel: string | null, detail: string): Promise<void> {
    await this.repo.insertEvent(trx, { id: uuidv7(), document_id: documentId, at: this.now(), actor_id: actor.userId, actor_name: actor.username, action, version_label: versionLabel, detail: detail.slice(0, 2000) });
  }

  async #write(work: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(work);
    } catch (error) {
      if (isUniqueViolation(error)) {
        // A second new version or link at the same moment: nothing was written.
        throw new AppError('YW_CONFLICT');
      }
      throw error;
    }
  }

}

const STATE_NAMES: Record<DocumentVersionTable['status'] | 'retired', { zh: string; en: string }> = {
  draft: { zh: '草稿', en: 'draft' },
  in_review: { zh: '审批中', en: 'in review' },
  approved: { zh: '已批准（待发布）', en: 'approved (to be published)' },
  published: { zh: '已发布', en: 'published' },
  superseded: { zh: '已被替代', en: 'superseded' },
  retired: { zh: '已废止', en: 'retired' },
};

/** A 409 about the state a document or version is in: `details.state` for scripts, the state in words for people. */
function stateError(code: 'YW_LIBRARY_VERSION_LOCKED' | 'YW_LIBRARY_ILLEGAL_TRANSITION' | 'YW_LIBRARY_RETIRED', state: keyof typeof STATE_NAMES, facts: Record<string, unknown>, why?: { zh: string; en: string }): AppError {
  const name = STATE_NAMES[state];
  return new AppError(code, { state, ...facts, explanation: { zh: `当前状态：${name.zh}${why ? `；${why.zh}` : ''}`, en: `it is ${name.en}${why ? `; ${why.en}` : ''}` } });
}

function docAudit(d: DocumentTable) {
  return { number: d.number, typeCode: d.type_code, title: d.title, orgUnitId: d.org_unit_id, ownerId: d.owner_id, status: d.status };
}

/** What `q` searches: lower-cased, so that LIKE needs no lower() per row on either database. */
export function searchText(title: string, number: string, texts: readonly string[]): string {
  return [title, number, ...new Set(texts)].join('\n').toLowerCase();
}

/** The columns every new draft version starts with (v1.0 at creation, the next label on 新版本). */
function newDraft(changeNote: string | undefined, owner: string, now: number) {
  return {
    change_note: changeNote?.trim() ?? '',
    status: 'draft' as const,
    author_id: owner,
    updated_by: owner,
    approval_request_id: null,
    last_review_outcome: null,
    created_at: now,
    updated_at: now,
    published_at: null,
  };
}
