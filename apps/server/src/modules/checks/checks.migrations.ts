import type { Kysely, Migration } from 'kysely';
import { epochType, withSerialKey } from '../../db/dialect.js';

export const checksMigrations: Record<string, Migration> = {
  '2026-11-26-2100-create-checks': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('check_definition')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text')
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('ci_id', 'text')
        .addColumn('interval_s', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_definition_ci').on('check_definition').column('ci_id').execute();

      await db.schema
        .createTable('check_state')
        .addColumn('check_id', 'text', (c) => c.primaryKey())
        .addColumn('up', 'integer', (c) => c.notNull())
        .addColumn('checked_at', epochType, (c) => c.notNull())
        .addColumn('latency_ms', 'double precision')
        .addColumn('message', 'text')
        .addColumn('values', 'text', (c) => c.notNull())
        .execute();

      await withSerialKey(db, db.schema.createTable('check_result'), 'id')
        .addColumn('check_id', 'text', (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('up', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision')
        .addColumn('message', 'text')
        .addColumn('values', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_result_check_at').on('check_result').columns(['check_id', 'at']).execute();
      await db.schema.createIndex('check_result_at').on('check_result').column('at').execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['check_result', 'check_state', 'check_definition']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  // A check without a CI belongs to an org unit of its own (null: the whole organisation); a check on a
  // CI belongs to the CI's unit, so the column stays null there (data scopes, issue 3 follow-up).
  '2026-11-27-0600-check-org-unit': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('check_definition').addColumn('org_unit_id', 'text').execute();
      await db.schema.createIndex('check_definition_org_unit').on('check_definition').column('org_unit_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('check_definition_org_unit').execute();
      await db.schema.alterTable('check_definition').dropColumn('org_unit_id').execute();
    },
  },
};
