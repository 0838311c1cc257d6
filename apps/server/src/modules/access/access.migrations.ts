import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const accessMigrations: Record<string, Migration> = {
  '2026-11-26-1010-create-role': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('role')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull().unique())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('role_permission')
        .addColumn('role_id', 'text', (c) => c.notNull().references('role.id').onDelete('cascade'))
        .addColumn('permission', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('role_permission_pk', ['role_id', 'permission'])
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('role_permission').execute();
      await db.schema.dropTable('role').execute();
    },
  },
  '2026-11-26-1030-create-user-role': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('user_role')
        .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('role_id', 'text', (c) => c.notNull().references('role.id'))
        .addColumn('org_scope', 'text')
        .addPrimaryKeyConstraint('user_role_pk', ['user_id', 'role_id'])
        .execute();
      await db.schema.createIndex('user_role_role').on('user_role').column('role_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('user_role').execute();
    },
  },
};
