import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const orgMigrations: Record<string, Migration> = {
  '2026-11-26-1000-create-org-unit': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('org_unit')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('parent_id', 'text', (c) => c.references('org_unit.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('code', 'text', (c) => c.notNull())
        .addColumn('sort_order', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('org_unit_parent').on('org_unit').column('parent_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('org_unit').execute();
    },
  },
  '2026-12-09-0100-org-unit-leader': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('org_unit').addColumn('leader_id', 'text', (c) => c.references('user.id')).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('org_unit').dropColumn('leader_id').execute();
    },
  },
};
