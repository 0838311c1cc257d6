import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';
import { createSearchIndex, dropSearchIndex } from './library-search.js';

export const libraryMigrations: Record<string, Migration> = {
  '2026-12-09-0200-create-library': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('document_type')
        .addColumn('code', 'text', (c) => c.primaryKey())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('number_prefix', 'text', (c) => c.notNull().unique())
        .addColumn('flow_code', 'text')
        .addColumn('review_months', 'integer', (c) => c.notNull())
        .addColumn('built_in', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('document_number_seq')
        .addColumn('type_code', 'text', (c) => c.notNull())
        .addColumn('year', 'integer', (c) => c.notNull())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('document_number_seq_pk', ['type_code', 'year'])
        .execute();

      await db.schema
        .createTable('document')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type_code', 'text', (c) => c.notNull().references('document_type.code'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('org_unit_id', 'text')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('published_version_id', 'text')
        .addColumn('latest_version_id', 'text', (c) => c.notNull())
        .addColumn('review_due_at', epochType)
        .addColumn('review_reminded_due', epochType)
        .addColumn('retired_at', epochType)
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      // The list: newest change first (paged by offset), filtered by type, status and unit.
      await db.schema.createIndex('document_updated').on('document').columns(['updated_at', 'id']).execute();
      await db.schema.createIndex('document_type_updated').on('document').columns(['type_code', 'updated_at']).execute();
      await db.schema.createIndex('document_status_updated').on('document').columns(['status', 'updated_at']).execute();
      await db.schema.createIndex('document_unit').on('document').column('org_unit_id').execute();
      await db.schema.createIndex('document_review_due').on('document').column('review_due_at').execute();

      await db.schema
        .createTable('document_search')
        .addColumn('document_id', 'text', (c) => c.primaryKey().references('document.id').onDelete('cascade'))
        .addColumn('search_text', 'text', (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('document_version')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('major', 'integer', (c) => c.notNull())
        .addColumn('minor', 'integer', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('body_text', 'text', (c) => c.notNull())
        .addColumn('change_note', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('author_id', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .addColumn('approval_request_id', 'text')
        .addColumn('last_review_outcome', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('published_at', epochType)
        .addUniqueConstraint('document_version_label', ['document_id', 'label'])
        .execute();

      await db.schema
        .createTable('document_link')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
        .addColumn('target_kind', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addUniqueConstraint('document_link_target', ['document_id', 'target_kind', 'target_id'])
        .execute();
      await db.schema.createIndex('document_link_by_target').on('document_link').columns(['target_kind', 'target_id']).execute();

      await db.schema
        .createTable('document_event')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull().references('document.id').onDelete('cascade'))
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('version_label', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('document_event_document').on('document_event').columns(['document_id', 'at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['document_event', 'document_link', 'document_version', 'document_search', 'document', 'document_number_seq', 'document_type']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  // Trigram index of the search texts (pg_trgm GIN / SQLite FTS5 trigram), built over the existing rows.
  '2026-12-09-0500-library-search-trigram': {
    up: (db: Kysely<any>) => createSearchIndex(db),
    down: (db: Kysely<any>) => dropSearchIndex(db),
  },
};
