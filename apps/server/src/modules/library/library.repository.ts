import { type Kysely, sql } from 'kysely';
import type { LibraryDocumentQuery } from '@yunwei/contracts/library';
import type { Database } from '../../db/schema.js';
import { documentsContaining } from './library-search.js';
import type { DocumentEventTable, DocumentLinkTable, DocumentTable, DocumentTypeTable, DocumentVersionTable } from './library.tables.js';

const IN_CHUNK = 500;

/** A document row with the names a reader sees. */
export interface DocumentRow extends DocumentTable {
  type_name_zh: string;
  type_name_en: string;
  type_flow_code: string | null;
  type_review_months: number;
  unit_name: string | null;
  owner_name: string | null;
  updated_by_name: string | null;
}

export interface VersionRef {
  id: string;
  document_id: string;
  label: string;
  status: DocumentVersionTable['status'];
}

export type VersionRow = DocumentVersionTable & { author_name: string | null; updated_by_name: string | null };

/** Kysely queries of the document library; methods that write take the executor. */
export class LibraryRepository {
  constructor(private readonly db: Kysely<Database>) {}

  // ------------------------------------------------------------ types

  types(db: Kysely<Database> = this.db) {
    return db
      .selectFrom('document_type as t')
      .selectAll('t')
      .select((eb) => eb.selectFrom('document as d').select(eb.fn.countAll<number>().as('n')).whereRef('d.type_code', '=', 't.code').as('document_count'))
      .orderBy('t.built_in', 'desc')
      .orderBy('t.created_at')
      .orderBy('t.code')
      .execute();
  }

  type(code: string, db: Kysely<Database> = this.db): Promise<DocumentTypeTable | undefined> {
    return db.selectFrom('document_type').selectAll().where('code', '=', code).executeTakeFirst();
  }

  async typeByPrefix(prefix: string, db: Kysely<Database> = this.db): Promise<DocumentTypeTable | undefined> {
    return db.selectFrom('document_type').selectAll().where('number_prefix', '=', prefix).executeTakeFirst();
  }

  async insertType(db: Kysely<Database>, row: DocumentTypeTable): Promise<void> {
    await db.insertInto('document_type').values(row).execute();
  }

  /** Inserts a built-in type unless its code (or its prefix) is already there (start-up seeding, any node). */
  async seedType(db: Kysely<Database>, row: DocumentTypeTable): Promise<void> {
    await db.insertInto('document_type').values(row).onConflict((oc) => oc.doNothing()).execute();
  }

  async updateType(db: Kysely<Database>, code: string, patch: Partial<DocumentTypeTable>): Promise<void> {
    await db.updateTable('document_type').set(patch).where('code', '=', code).execute();
  }

  async deleteType(db: Kysely<Database>, code: string): Promise<void> {
    await db.deleteFrom('document_type').where('code', '=', code).execute();
  }

  async documentsOfType(db: Kysely<Database>, code: string): Promise<number> {
    const row = await db.selectFrom('document').select((eb) => eb.fn.countAll<number>().as('n')).where('type_code', '=', code).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async flow(code: string, db: Kysely<Database> = this.db): Promise<{ code: string; name_zh: string; name_en: string; enabled: number } | undefined> {
    return db.selectFrom('approval_flow').select(['code', 'name_zh', 'name_en', 'enabled']).where('code', '=', code).executeTakeFirst();
  }

  async flows(db: Kysely<Database> = this.db): Promise<{ code: string; name_zh: string; name_en: string }[]> {
    return db.selectFrom('approval_flow').select(['code', 'name_zh', 'name_en']).execute();
  }

  /**
   * The next number of `typeCode` in `year`, in the caller's transaction: the counter row is created when
   * missing and bumped by one UPDATE … RETURNING, which PostgreSQL serialises on the row lock (SQLite has one
   * writer), so two documents never get one number.
   */
  async nextSeq(db: Kysely<Database>, typeCode: string, year: number): Promise<number> {
    await db.insertInto('document_number_seq').values({ type_code: typeCode, year, last_seq: 0 }).onConflict((oc) => oc.columns(['type_code', 'year']).doNothing()).execute();
    const row = await db
      .updateTable('document_number_seq')
      .set((eb) => ({ last_seq: eb('last_seq', '+', 1) }))
      .where('type_code', '=', typeCode)
      .where('year', '=', year)
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    return Number(row.last_seq);
  }

  // ------------------------------------------------------------ documents

  #documents(db: Kysely<Database>) {
    return db
      .selectFrom('document as d')
      .innerJoin('document_type as t', 't.code', 'd.type_code')
      .leftJoin('org_unit as o', 'o.id', 'd.org_unit_id')
      .leftJoin('user as ow', 'ow.id', 'd.owner_id')
      .leftJoin('user as ub', 'ub.id', 'd.updated_by')
      .selectAll('d')
      .select(['t.name_zh as type_name_zh', 't.name_en as type_name_en', 't.flow_code as type_flow_code', 't.review_months as type_review_months', 'o.name as unit_name', 'ow.display_name as owner_name', 'ub.display_name as updated_by_name']);
  }

  document(id: string, db: Kysely<Database> = this.db): Promise<DocumentRow | undefined> {
    return this.#documents(db).where('d.id', '=', id).executeTakeFirst();
  }

  /** The bare row (writes: read inside the transaction, no joins). */
  documentRow(db: Kysely<Database>, id: string): Promise<DocumentTable | undefined> {
    return db.selectFrom('document').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /**
   * A page of documents, newest change first. `units`: the reader's units (null: all). `q` matches the
   * lower-cased search text (title, number, bodies) as a substring, so Chinese words are found inside sentences
   * (`documentsContaining`).
   */
  async list(query: LibraryDocumentQuery, units: ReadonlySet<string> | null, now: number): Promise<{ rows: DocumentRow[]; total: number }> {
    let base = this.db.selectFrom('document as d');
    if (units !== null) {
      if (units.size === 0) {
        return { rows: [], total: 0 };
      }
      base = base.where('d.org_unit_id', 'in', [...units]);
    }
    if (query.type) {
      base = base.where('d.type_code', '=', query.type);
    }
    if (query.status) {
      base = base.where('d.status', '=', query.status);
    }
    if (query.orgUnitId) {
      base = base.where('d.org_unit_id', '=', query.orgUnitId);
    }
    if (query.reviewOverdue) {
      base = base.where('d.review_due_at', '<=', now).where('d.status', '!=', 'retired');
    }
    if (query.linkKind && query.linkTargetId) {
      const kind = query.linkKind;
      const target = query.linkTargetId;
      base = base.where((eb) => eb.exists(eb.selectFrom('document_link as l').select('l.id').whereRef('l.document_id', '=', 'd.id').where('l.target_kind', '=', kind).where('l.target_id', '=', target)));
    }
    const q = query.q?.trim();
    if (q) {
      // Trigram index for 3+ characters, a scan of the search texts for shorter needles (library-search.ts).
      base = base.where('d.id', 'in', documentsContaining(this.db, q.toLowerCase()));
    }
    const page = base.orderBy('d.updated_at', 'desc').orderBy('d.id', 'desc').limit(query.limit ?? 50).offset(query.offset ?? 0);
    let ids: { id: string }[];
    let total: number;
    if (q) {
      // The page and the number of matches in one pass over the matching search texts.
      const rows = await page.select(['d.id', sql<number>`count(*) over ()`.as('total')]).execute();
      ids = rows;
      total = rows.length > 0 ? Number(rows[0]!.total) : (query.offset ?? 0) === 0 ? 0 : Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    } else {
      // Without one, the count and the page each walk an index.
      total = Number((await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
      ids = await page.select('d.id').execute();
    }
    if (ids.length === 0) {
      return { rows: [], total };
    }
    const rows = await this.#documents(this.db)
      .where(
        'd.id',
        'in',
        ids.map((r) => r.id),
      )
      .execute();
    const order = new Map(ids.map((r, i) => [r.id, i]));
    rows.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { rows, total };
  }

  async insertDocument(db: Kysely<Database>, row: DocumentTable): Promise<void> {
    await db.insertInto('document').values(row).execute();
  }

  async updateDocument(db: Kysely<Database>, id: string, patch: Partial<DocumentTable>): Promise<void> {
    await db.updateTable('document').set(patch).where('id', '=', id).execute();
  }

  async setSearchText(db: Kysely<Database>, documentId: string, text: string): Promise<void> {
    await db
      .insertInto('document_search')
      .values({ document_id: documentId, search_text: text })
      .onConflict((oc) => oc.column('document_id').doUpdateSet({ search_text: text }))
      .execute();
  }

  // ------------------------------------------------------------ versions

  #versions(db: Kysely<Database>) {
    return db
      .selectFrom('document_version as v')
      .leftJoin('user as a', 'a.id', 'v.author_id')
      .leftJoin('user as u', 'u.id', 'v.updated_by')
      .selectAll('v')
      .select(['a.display_name as author_name', 'u.display_name as updated_by_name']);
  }

  /** Every version of a document without bodies, newest first. */
  async versionSummaries(documentId: string, db: Kysely<Database> = this.db): Promise<Omit<VersionRow, 'body' | 'body_text'>[]> {
    return db
      .selectFrom('document_version as v')
      .leftJoin('user as a', 'a.id', 'v.author_id')
      .leftJoin('user as u', 'u.id', 'v.updated_by')
      .select([
        'v.id',
        'v.document_id',
        'v.label',
        'v.major',
        'v.minor',
        'v.change_note',
        'v.status',
        'v.author_id',
        'v.updated_by',
        'v.approval_request_id',
        'v.last_review_outcome',
        'v.created_at',
        'v.updated_at',
        'v.published_at',
        'a.display_name as author_name',
        'u.display_name as updated_by_name',
      ])
      .where('v.document_id', '=', documentId)
      .orderBy('v.major', 'desc')
      .orderBy('v.minor', 'desc')
      .execute();
  }

  version(documentId: string, id: string, db: Kysely<Database> = this.db): Promise<VersionRow | undefined> {
    return this.#versions(db).where('v.document_id', '=', documentId).where('v.id', '=', id).executeTakeFirst();
  }

  versionRow(db: Kysely<Database>, id: string): Promise<DocumentVersionTable | undefined> {
    return db.selectFrom('document_version').selectAll().where('id', '=', id).executeTakeFirst();
  }

  /** Labels and states of versions by id (the list's published and latest versions). */
  async versionRefs(ids: readonly string[]): Promise<Map<string, VersionRef>> {
    const out = new Map<string, VersionRef>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const rows = await this.db.selectFrom('document_version').select(['id', 'document_id', 'label', 'status']).where('id', 'in', unique.slice(i, i + IN_CHUNK)).execute();
      for (const row of rows) {
        out.set(row.id, row);
      }
    }
    return out;
  }

  async insertVersion(db: Kysely<Database>, row: DocumentVersionTable): Promise<void> {
    await db.insertInto('document_version').values(row).execute();
  }

  async updateVersion(db: Kysely<Database>, id: string, patch: Partial<DocumentVersionTable>): Promise<void> {
    await db.updateTable('document_version').set(patch).where('id', '=', id).execute();
  }

  /** The version whose approval request is `requestId` (the outcome callback's subject). */
  versionByRequest(db: Kysely<Database>, requestId: string): Promise<DocumentVersionTable | undefined> {
    return db.selectFrom('document_version').selectAll().where('approval_request_id', '=', requestId).executeTakeFirst();
  }

  /** The highest minor number of a major version (new versions count on from the newest). */
  async newestVersion(db: Kysely<Database>, documentId: string): Promise<{ major: number; minor: number } | undefined> {
    return db.selectFrom('document_version').select(['major', 'minor']).where('document_id', '=', documentId).orderBy('major', 'desc').orderBy('minor', 'desc').limit(1).executeTakeFirst();
  }

  // ------------------------------------------------------------ links and history

  links(documentId: string, db: Kysely<Database> = this.db) {
    return db
      .selectFrom('document_link as l')
      .leftJoin('user as u', 'u.id', 'l.created_by')
      .selectAll('l')
      .select('u.display_name as created_by_name')
      .where('l.document_id', '=', documentId)
      .orderBy('l.created_at')
      .orderBy('l.id')
      .execute();
  }

  link(db: Kysely<Database>, documentId: string, id: string): Promise<DocumentLinkTable | undefined> {
    return db.selectFrom('document_link').selectAll().where('document_id', '=', documentId).where('id', '=', id).executeTakeFirst();
  }

  async linkExists(db: Kysely<Database>, documentId: string, kind: string, targetId: string): Promise<boolean> {
    return (await db.selectFrom('document_link').select('id').where('document_id', '=', documentId).where('target_kind', '=', kind as DocumentLinkTable['target_kind']).where('target_id', '=', targetId).executeTakeFirst()) !== undefined;
  }

  async linkCount(db: Kysely<Database>, documentId: string): Promise<number> {
    return Number((await db.selectFrom('document_link').select((eb) => eb.fn.countAll<number>().as('n')).where('document_id', '=', documentId).executeTakeFirstOrThrow()).n);
  }

  async insertLink(db: Kysely<Database>, row: DocumentLinkTable): Promise<void> {
    await db.insertInto('document_link').values(row).execute();
  }

  async deleteLink(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('document_link').where('id', '=', id).execute();
  }

  async insertEvent(db: Kysely<Database>, row: DocumentEventTable): Promise<void> {
    await db.insertInto('document_event').values(row).execute();
  }

  /** The newest `limit` events of a document, newest first. */
  events(documentId: string, limit: number, db: Kysely<Database> = this.db) {
    return db
      .selectFrom('document_event as e')
      .leftJoin('user as u', 'u.id', 'e.actor_id')
      .selectAll('e')
      .select('u.display_name as actor_display_name')
      .where('e.document_id', '=', documentId)
      .orderBy('e.at', 'desc')
      .orderBy('e.id', 'desc')
      .limit(limit)
      .execute();
  }

  // ------------------------------------------------------------ people, units

  async userUnit(userId: string, db: Kysely<Database> = this.db): Promise<string | null> {
    return (await db.selectFrom('user').select('org_unit_id').where('id', '=', userId).executeTakeFirst())?.org_unit_id ?? null;
  }

  async orgUnitExists(id: string, db: Kysely<Database> = this.db): Promise<boolean> {
    return (await db.selectFrom('org_unit').select('id').where('id', '=', id).executeTakeFirst()) !== undefined;
  }

  // ------------------------------------------------------------ review reminders

  /** Published documents whose review date passed and whose owner was not reminded of that date yet. */
  reviewsDue(now: number, limit: number) {
    return this.db
      .selectFrom('document as d')
      .innerJoin('document_type as t', 't.code', 'd.type_code')
      .select(['d.id', 'd.title', 'd.number', 'd.owner_id', 'd.review_due_at', 'd.published_version_id', 't.name_zh as type_name_zh', 't.name_en as type_name_en'])
      .where('d.review_due_at', '<=', now)
      .where('d.status', '!=', 'retired')
      .where((eb) => eb.or([eb('d.review_reminded_due', 'is', null), eb('d.review_reminded_due', '!=', eb.ref('d.review_due_at'))]))
      .orderBy('d.review_due_at')
      .limit(limit)
      .execute();
  }
}
