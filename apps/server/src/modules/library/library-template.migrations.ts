import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const libraryTemplateMigrations: Record<string, Migration> = {
  '2026-12-09-0300-create-document-templates': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('document_template')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type_code', 'text', (c) => c.notNull().references('document_type.code'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('default_period', 'text', (c) => c.notNull())
        .addColumn('default_scope', 'text', (c) => c.notNull())
        .addColumn('seed_key', 'text', (c) => c.unique())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .addUniqueConstraint('document_template_type_name', ['type_code', 'name'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('document_template').execute();
    },
  },
};
