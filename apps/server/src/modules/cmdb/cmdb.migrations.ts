import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const cmdbMigrations: Record<string, Migration> = {
  '2026-11-26-1100-create-cmdb-class': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cmdb_class')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull())
        .addColumn('subtypes', 'text', (c) => c.notNull())
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('cmdb_class').execute();
    },
  },
  '2026-11-26-1101-create-cmdb-ci': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cmdb_ci')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('class_id', 'text', (c) => c.notNull().references('cmdb_class.id'))
        .addColumn('subtype', 'text')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('org_unit_id', 'text')
        .addColumn('attributes', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      // Names are unique within a class (imports rely on it to refuse duplicates).
      await db.schema.createIndex('cmdb_ci_class_name').on('cmdb_ci').columns(['class_id', 'name']).unique().execute();
      await db.schema.createIndex('cmdb_ci_name').on('cmdb_ci').column('name').execute();
      await db.schema.createIndex('cmdb_ci_org_unit').on('cmdb_ci').column('org_unit_id').execute();
      await db.schema.createIndex('cmdb_ci_owner').on('cmdb_ci').column('owner_id').execute();
      await db.schema.createIndex('cmdb_ci_ip').on('cmdb_ci').column('ip').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('cmdb_ci').execute();
    },
  },
  '2026-11-26-1102-create-cmdb-group': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cmdb_group')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('min_up', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('cmdb_group_member')
        .addColumn('group_id', 'text', (c) => c.notNull().references('cmdb_group.id'))
        .addColumn('ci_id', 'text', (c) => c.notNull().references('cmdb_ci.id'))
        .addPrimaryKeyConstraint('cmdb_group_member_pk', ['group_id', 'ci_id'])
        .execute();
      await db.schema.createIndex('cmdb_group_member_ci').on('cmdb_group_member').column('ci_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('cmdb_group_member').execute();
      await db.schema.dropTable('cmdb_group').execute();
    },
  },
  '2026-11-26-1103-create-cmdb-relation': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cmdb_relation')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('source_id', 'text', (c) => c.notNull().references('cmdb_ci.id'))
        .addColumn('target_ci_id', 'text', (c) => c.references('cmdb_ci.id'))
        .addColumn('target_group_id', 'text', (c) => c.references('cmdb_group.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('propagates', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      // One relation of a type between the same two ends (NULLs are distinct on both databases, so
      // each index only constrains its own kind of target).
      await db.schema.createIndex('cmdb_relation_ci_unique').on('cmdb_relation').columns(['source_id', 'target_ci_id', 'type']).unique().execute();
      await db.schema.createIndex('cmdb_relation_group_unique').on('cmdb_relation').columns(['source_id', 'target_group_id', 'type']).unique().execute();
      await db.schema.createIndex('cmdb_relation_target_ci').on('cmdb_relation').column('target_ci_id').execute();
      await db.schema.createIndex('cmdb_relation_target_group').on('cmdb_relation').column('target_group_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('cmdb_relation').execute();
    },
  },
};
