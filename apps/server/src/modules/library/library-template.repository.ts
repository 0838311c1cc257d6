import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { DocumentTemplateTable } from './library-template.tables.js';

export type TemplateRow = DocumentTemplateTable & { type_name_zh: string; type_name_en: string; created_by_name: string | null; updated_by_name: string | null };

/** Queries of the document templates (no rules here: LibraryTemplatesService holds them). */
export class LibraryTemplateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  #select(db: Kysely<Database>) {
    return db
      .selectFrom('document_template as t')
      .innerJoin('document_type as y', 'y.code', 't.type_code')
      .leftJoin('user as c', 'c.id', 't.created_by')
      .leftJoin('user as u', 'u.id', 't.updated_by')
      .selectAll('t')
      .select(['y.name_zh as type_name_zh', 'y.name_en as type_name_en', 'c.display_name as created_by_name', 'u.display_name as updated_by_name']);
  }

  /** Built-in templates first, then by name. */
  async list(typeCode: string | undefined, db: Kysely<Database> = this.db): Promise<TemplateRow[]> {
    let q = this.#select(db);
    if (typeCode !== undefined) {
      q = q.where('t.type_code', '=', typeCode);
    }
    return (await q.orderBy('t.type_code').orderBy('t.created_at').orderBy('t.id').execute()) as TemplateRow[];
  }

  async get(id: string, db: Kysely<Database> = this.db): Promise<TemplateRow | undefined> {
    return (await this.#select(db).where('t.id', '=', id).executeTakeFirst()) as TemplateRow | undefined;
  }

  async countOfType(typeCode: string, db: Kysely<Database> = this.db): Promise<number> {
    const row = await db.selectFrom('document_template').select((eb) => eb.fn.countAll<number>().as('n')).where('type_code', '=', typeCode).executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insert(db: Kysely<Database>, row: DocumentTemplateTable): Promise<void> {
    await db.insertInto('document_template').values(row).execute();
  }

  /** A built-in template, once: a node that finds it there (or an administrator's edit of it) leaves it. */
  async seed(db: Kysely<Database>, row: DocumentTemplateTable): Promise<void> {
    await db.insertInto('document_template').values(row).onConflict((oc) => oc.doNothing()).execute();
  }

  async update(db: Kysely<Database>, id: string, patch: Partial<DocumentTemplateTable>): Promise<void> {
    await db.updateTable('document_template').set(patch).where('id', '=', id).execute();
  }

  async delete(db: Kysely<Database>, id: string): Promise<void> {
    await db.deleteFrom('document_template').where('id', '=', id).execute();
  }
}
