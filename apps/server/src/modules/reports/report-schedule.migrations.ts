import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const reportScheduleMigrations: Record<string, Migration> = {
  '2026-12-09-0400-create-report-schedules': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('report_schedule')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('cadence', 'text', (c) => c.notNull())
        .addColumn('day_of_week', 'integer', (c) => c.notNull())
        .addColumn('day_of_month', 'integer', (c) => c.notNull())
        .addColumn('hour', 'integer', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('formats', 'text', (c) => c.notNull())
        .addColumn('channel_id', 'text')
        .addColumn('emails', 'text', (c) => c.notNull())
        .addColumn('user_ids', 'text', (c) => c.notNull())
        .addColumn('library_type_code', 'text')
        .addColumn('library_document_id', 'text')
        .addColumn('owner_id', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('next_run_at', epochType)
        .addColumn('last_run_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      // The job looks for due schedules every minute.
      await db.schema.createIndex('report_schedule_due').on('report_schedule').column('next_run_at').execute();

      await db.schema
        .createTable('report_schedule_run')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('report_schedule.id').onDelete('cascade'))
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('triggered_by', 'text')
        .addColumn('period_from', epochType, (c) => c.notNull())
        .addColumn('period_to', epochType, (c) => c.notNull())
        .addColumn('period_label', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('files', 'text', (c) => c.notNull())
        .addColumn('missing', 'text', (c) => c.notNull())
        .addColumn('document_id', 'text')
        .addColumn('version_label', 'text')
        .addColumn('delivery_ids', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('report_schedule_run_schedule_at').on('report_schedule_run').columns(['schedule_id', 'at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('report_schedule_run').ifExists().execute();
      await db.schema.dropTable('report_schedule').ifExists().execute();
    },
  },
};
