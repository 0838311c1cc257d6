import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const dashboardsMigrations: Record<string, Migration> = {
  '2026-11-26-2350-create-dashboard': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('dashboard')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('shared', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('owner_id', 'text')
        .addColumn('panels', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('dashboard_owner').on('dashboard').column('owner_id').execute();
    },
  },
};
