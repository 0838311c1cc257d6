import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const inspectionsMigrations: Record<string, Migration> = {
  '2026-11-26-2358-create-inspection-tables': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('inspection_template')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('builtin_key', 'text', (c) => c.unique())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('inspection_template_version')
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addPrimaryKeyConstraint('inspection_template_version_pk', ['template_id', 'version'])
        .execute();
      await db.schema
        .createTable('inspection_schedule')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('template_id', 'text', (c) => c.notNull().references('inspection_template.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('time', 'text')
        .addColumn('weekday', 'integer')
        .addColumn('cron', 'text', (c) => c.notNull())
        .addColumn('responsible_role', 'text')
        .addColumn('responsible_user_id', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('next_run_at', epochType)
        .addColumn('last_run_at', epochType)
        .addColumn('last_record_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('inspection_schedule_due').on('inspection_schedule').columns(['enabled', 'next_run_at']).execute();
      await db.schema
        .createTable('inspection_record')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('template_id', 'text', (c) => c.notNull())
        .addColumn('template_name', 'text', (c) => c.notNull())
        .addColumn('template_version', 'integer', (c) => c.notNull())
        .addColumn('items', 'text', (c) => c.notNull())
        .addColumn('schedule_id', 'text')
        .addColumn('schedule_name', 'text')
        .addColumn('due_at', epochType)
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('started_by', 'text')
        .addColumn('started_by_name', 'text', (c) => c.notNull())
        .addColumn('responsible_role', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('conclusion', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('signed_by', 'text')
        .addColumn('signed_by_name', 'text')
        .addColumn('signed_at', epochType)
        .addColumn('sign_seq', 'integer', (c) => c.unique())
        .addColumn('prev_hash', 'text')
        .addColumn('hash', 'text')
        .execute();
      // One record per schedule and due time, whatever the number of runners.
      await db.schema.createIndex('inspection_record_schedule_due').on('inspection_record').columns(['schedule_id', 'due_at']).unique().execute();
      await db.schema.createIndex('inspection_record_template').on('inspection_record').columns(['template_id', 'created_at']).execute();
      await db.schema.createIndex('inspection_record_created').on('inspection_record').column('created_at').execute();
      await db.schema
        .createTable('inspection_result')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('record_id', 'text', (c) => c.notNull().references('inspection_record.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('ci_id', 'text', (c) => c.notNull())
        .addColumn('ci_name', 'text', (c) => c.notNull())
        .addColumn('item_key', 'text', (c) => c.notNull())
        .addColumn('item_name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('limit_text', 'text', (c) => c.notNull())
        .addColumn('verdict', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('photo_file', 'text')
        .addColumn('photo_type', 'text')
        .addColumn('photo_size', 'integer')
        .addColumn('photo_sha256', 'text')
        .addColumn('filled_by', 'text')
        .addColumn('filled_at', epochType)
        .execute();
      await db.schema.createIndex('inspection_result_record').on('inspection_result').columns(['record_id', 'position']).execute();
      await db.schema.createIndex('inspection_result_ci').on('inspection_result').column('ci_id').execute();
      await db.schema
        .createTable('monitoring_policy')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('metrics', 'text', (c) => c.notNull())
        .addColumn('checks', 'text', (c) => c.notNull())
        .addColumn('inspections', 'text', (c) => c.notNull())
        .addColumn('responsible_role', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['monitoring_policy', 'inspection_result', 'inspection_record', 'inspection_schedule', 'inspection_template_version', 'inspection_template']) {
        await db.schema.dropTable(t).execute();
      }
    },
  },
  // The monitoring regime written from a policy states how often it is reviewed.
  '2026-12-07-1930-monitoring-policy-review-months': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('monitoring_policy').addColumn('review_months', 'integer', (c) => c.notNull().defaultTo(12)).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('monitoring_policy').dropColumn('review_months').execute();
    },
  },
};
