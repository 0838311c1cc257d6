import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const statusPagesMigrations: Record<string, Migration> = {
  '2026-12-07-0900-create-status-pages': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('status_page')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('slug', 'text', (c) => c.notNull().unique())
        .addColumn('title_zh', 'text', (c) => c.notNull())
        .addColumn('title_en', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description_zh', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('description_en', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('business_ci_id', 'text', (c) => c.notNull())
        .addColumn('published', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_page_business_ci').on('status_page').column('business_ci_id').execute();

      await db.schema
        .createTable('status_page_component')
        .addColumn('page_id', 'text', (c) => c.notNull().references('status_page.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('status_page_component_pk', ['page_id', 'position'])
        .execute();

      await db.schema
        .createTable('status_page_notice')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('page_id', 'text', (c) => c.notNull().references('status_page.id').onDelete('cascade'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('starts_at', epochType, (c) => c.notNull())
        .addColumn('ends_at', epochType)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_by_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('status_page_notice_page_starts').on('status_page_notice').columns(['page_id', 'starts_at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['status_page_notice', 'status_page_component', 'status_page']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
};
