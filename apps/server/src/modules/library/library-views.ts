import type { Kysely } from 'kysely';
import type { PermissionId } from '@yunwei/contracts/access';
import {
  LIBRARY_PERMISSIONS as P,
  type LibraryActions,
  type LibraryBody,
  type LibraryDiff,
  type LibraryDocumentDetail,
  type LibraryDocumentList,
  type LibraryDocumentListItem,
  type LibraryDocumentQuery,
  type LibraryLink,
  type LibraryVersionDetail,
  type LibraryVersionSummary,
} from '@yunwei/contracts/library';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { requireReach, unitsReached } from '../../platform/data-scope.js';
import { AppError } from '../../platform/errors.js';
import { bodyLines } from './library-body.js';
import { sideBySide } from './library-diff.js';
import type { LinkTarget, LinkTargets } from './library-links.js';
import type { DocumentRow, LibraryRepository, VersionRef, VersionRow } from './library.repository.js';

const HISTORY_LIMIT = 200;

type Person = { id: string; name: string };
type DocumentEvent = Awaited<ReturnType<LibraryRepository['events']>>[number];

const person = (id: string | null, name: string | null | undefined): Person | null => (id ? { id, name: name ?? id } : null);

/**
 * The read side of the library: the list, the detail view (versions, links, history, what the reader may do
 * next), versions and their diff. Data scope as for LibraryService: outside the reader's units a document is
 * not found (404).
 */
export class LibraryViews {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly repo: LibraryRepository,
    private readonly targets: LinkTargets,
    private readonly now: () => number,
  ) {}

  async list(actor: Actor, query: LibraryDocumentQuery): Promise<LibraryDocumentList> {
    const now = this.now();
    const { rows, total } = await this.repo.list(query, unitsReached(actor, P.read), now);
    const refs = await this.repo.versionRefs(rows.flatMap((r) => [r.latest_version_id, ...(r.published_version_id ? [r.published_version_id] : [])]));
    return { items: rows.map((r) => this.listItem(actor, r, refs, now)), total };
  }

  async get(actor: Actor, id: string): Promise<LibraryDocumentDetail> {
    const row = await this.#reachable(actor, id);
    return this.detail(actor, row);
  }

  /** The detail of a document just written (the write has checked the writer's reach). */
  async fresh(actor: Actor, id: string): Promise<LibraryDocumentDetail> {
    const row = await this.repo.document(id);
    if (!row) {
      throw new AppError('YW_LIBRARY_DOCUMENT_NOT_FOUND', { id });
    }
    return this.detail(actor, row);
  }

  async version(actor: Actor, id: string, versionId: string): Promise<LibraryVersionDetail> {
    const row = await this.#reachable(actor, id);
    const v = await this.#version(id, versionId);
    return { ...this.versionSummary(v), documentId: row.id, number: row.number, title: row.title, body: fromJson<LibraryBody>(v.body) };
  }

  /** The version with its document, for a download. */
  async readVersion(actor: Actor, id: string, versionId: string): Promise<{ document: DocumentRow; version: VersionRow }> {
    const document = await this.#reachable(actor, id);
    return { document, version: await this.#version(id, versionId) };
  }

  async diff(actor: Actor, id: string, leftId: string, rightId: string): Promise<LibraryDiff> {
    await this.#reachable(actor, id);
    const [left, right] = await Promise.all([this.#version(id, leftId, 'query.left'), this.#version(id, rightId, 'query.right')]);
    const result = sideBySide(bodyLines(fromJson<LibraryBody>(left.body)), bodyLines(fromJson<LibraryBody>(right.body)));
    return { left: { id: left.id, label: left.label }, right: { id: right.id, label: right.label }, ...result };
  }

  listItem(actor: Actor, r: DocumentRow, refs: ReadonlyMap<string, Pick<VersionRef, 'id' | 'label' | 'status'>>, now: number): LibraryDocumentListItem {
    const ref = (id: string | null) => {
      const v = id ? refs.get(id) : undefined;
      return v ? { id: v.id, label: v.label, status: v.status } : null;
    };
    const reviewDueAt = r.review_due_at === null ? null : Number(r.review_due_at);
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      type: { code: r.type_code, name: actor.locale === 'en' ? r.type_name_en : r.type_name_zh },
      status: r.status,
      orgUnit: r.org_unit_id ? { id: r.org_unit_id, name: r.unit_name ?? r.org_unit_id } : null,
      owner: person(r.owner_id, r.owner_name)!,
      publishedVersion: ref(r.published_version_id),
      latestVersion: ref(r.latest_version_id) ?? { id: r.latest_version_id, label: '', status: 'draft' },
      reviewDueAt,
      reviewOverdue: r.status !== 'retired' && reviewDueAt !== null && reviewDueAt <= now,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
      updatedBy: person(r.updated_by, r.updated_by_name),
    };
  }

  versionSummary(v: Omit<VersionRow, 'body' | 'body_text'>): LibraryVersionSummary {
    return {
      id: v.id,
      label: v.label,
      status: v.status,
      changeNote: v.change_note,
      author: person(v.author_id, v.author_name)!,
      updatedBy: person(v.updated_by, v.updated_by_name),
      approvalRequestId: v.approval_request_id,
      lastReviewOutcome: v.last_review_outcome,
      createdAt: Number(v.created_at),
      updatedAt: Number(v.updated_at),
      publishedAt: v.published_at === null ? null : Number(v.published_at),
    };
  }

  /** The document's links; a target the reader may not see keeps its id but not its name or address. */
  async links(actor: Actor, id: string): Promise<LibraryLink[]> {
    const rows = await this.repo.links(id);
    const byKind = new Map<string, Map<string, LinkTarget>>();
    for (const kind of new Set(rows.map((r) => r.target_kind))) {
      byKind.set(kind, await this.targets.find(kind, rows.filter((r) => r.target_kind === kind).map((r) => r.target_id)));
    }
    return rows.map((r) => {
      const target = byKind.get(r.target_kind)?.get(r.target_id);
      const visible = target !== undefined && this.targets.visible(actor, r.target_kind, target);
      return {
        id: r.id,
        kind: r.target_kind,
        targetId: r.target_id,
        name: visible ? target.name : null,
        href: visible ? target.href : null,
        createdAt: Number(r.created_at),
        createdBy: person(r.created_by, r.created_by_name)!,
      };
    });
  }

  async detail(actor: Actor, row: DocumentRow): Promise<LibraryDocumentDetail> {
    const now = this.now();
    const versions = await this.repo.versionSummaries(row.id);
    const refs = new Map(versions.map((v) => [v.id, { id: v.id, label: v.label, status: v.status }]));
    const latest = versions.find((v) => v.id === row.latest_version_id)!;
    const body = await this.db.selectFrom('document_version').select('body').where('id', '=', row.latest_version_id).executeTakeFirstOrThrow();
    const events = await this.repo.events(row.id, HISTORY_LIMIT);
    const item = this.listItem(actor, row, refs, now);
    const reviewRequestId = latest.status === 'in_review' ? latest.approval_request_id : null;
    return {
      ...item,
      type: { code: row.type_code, name: item.type.name, flowCode: row.type_flow_code, reviewMonths: Number(row.type_review_months) },
      versions: versions.map((v) => this.versionSummary(v)),
      body: fromJson<LibraryBody>(body.body),
      links: await this.links(actor, row.id),
      approvalRequestId: reviewRequestId,
      history: events.map(historyEntry),
      actions: await this.#actions(actor, row, latest, reviewRequestId),
      retiredAt: row.retired_at === null ? null : Number(row.retired_at),
    };
  }

  async #reachable(actor: Actor, id: string): Promise<DocumentRow> {
    const row = await this.repo.document(id);
    if (!row) {
      throw new AppError('YW_LIBRARY_DOCUMENT_NOT_FOUND', { id });
    }
    requireReach(actor, row.org_unit_id, P.read, P.read, () => new AppError('YW_LIBRARY_DOCUMENT_NOT_FOUND', { id }));
    return row;
  }

  async #version(documentId: string, versionId: string, field?: string): Promise<VersionRow> {
    const v = await this.repo.version(documentId, versionId);
    if (!v) {
      throw new AppError('YW_LIBRARY_VERSION_NOT_FOUND', { id: versionId, ...(field ? { field } : {}) });
    }
    return v;
  }

  /** What the reader may do next with the document, given its latest version's state and the reader's scope. */
  async #actions(actor: Actor, row: DocumentRow, latest: Pick<VersionRow, 'status'>, reviewRequestId: string | null): Promise<LibraryActions> {
    const live = row.status !== 'retired';
    const may = (permission: PermissionId) => live && inScope(actor, permission, row.org_unit_id);
    const submittedByMe = reviewRequestId
      ? (await this.db.selectFrom('approval_request').select('id').where('id', '=', reviewRequestId).where('submitter_id', '=', actor.userId).where('status', '=', 'pending').executeTakeFirst()) !== undefined
      : false;
    return {
      edit: may(P.write) && latest.status === 'draft',
      submit: may(P.write) && latest.status === 'draft',
      publish: may(P.publish) && latest.status === 'approved',
      retire: may(P.publish) && latest.status !== 'in_review',
      newVersion: may(P.write) && row.status === 'published',
      link: may(P.write),
      withdraw: live && submittedByMe,
    };
  }
}

function historyEntry(e: DocumentEvent): LibraryDocumentDetail['history'][number] {
  return {
    at: Number(e.at),
    actor: e.actor_id ? { id: e.actor_id, name: e.actor_display_name ?? e.actor_name } : null,
    action: e.action,
    versionLabel: e.version_label,
    detail: e.detail,
  };
}
