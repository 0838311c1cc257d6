import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const oncallMigrations: Record<string, Migration> = {
  '2026-11-27-0400-create-business-calendar': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('business_calendar_day')
        .addColumn('date', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('name_zh', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('name_en', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('business_calendar_day').execute();
    },
  },
  '2026-11-27-0410-create-oncall-schedules': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('oncall_schedule')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('time_zone', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('oncall_rotation')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('oncall_schedule.id').onDelete('cascade'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('members', 'text', (c) => c.notNull())
        .addColumn('unit', 'text', (c) => c.notNull())
        .addColumn('length', 'integer', (c) => c.notNull())
        .addColumn('handover_time', 'text', (c) => c.notNull())
        .addColumn('start_date', 'text', (c) => c.notNull())
        .addColumn('applies', 'text', (c) => c.notNull())
        .addColumn('window_start', 'text')
        .addColumn('window_end', 'text')
        .execute();
      await db.schema.createIndex('oncall_rotation_schedule').on('oncall_rotation').columns(['schedule_id', 'position']).execute();
      await db.schema
        .createTable('oncall_override')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('schedule_id', 'text', (c) => c.notNull().references('oncall_schedule.id').onDelete('cascade'))
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('start_at', epochType, (c) => c.notNull())
        .addColumn('end_at', epochType, (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .execute();
      await db.schema.createIndex('oncall_override_schedule_end').on('oncall_override').columns(['schedule_id', 'end_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('oncall_override').execute();
      await db.schema.dropTable('oncall_rotation').execute();
      await db.schema.dropTable('oncall_schedule').execute();
    },
  },
};
