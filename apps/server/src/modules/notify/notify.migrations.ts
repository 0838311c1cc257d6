import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const notifyMigrations: Record<string, Migration> = {
  '2026-11-27-0300-create-notify': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('notify_channel')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text')
        .addColumn('locale', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('rate_per_minute', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('notify_delivery')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_attempt_at', epochType)
        .addColumn('lease_until', epochType)
        .addColumn('last_error', 'text')
        .addColumn('message', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text', (c) => c.notNull())
        .addColumn('rate_key', 'text')
        .addColumn('source_kind', 'text')
        .addColumn('source_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('sent_at', epochType)
        .addColumn('duration_ms', 'integer')
        .execute();
      // The worker's claim query (due rows) and lease recovery.
      await db.schema.createIndex('notify_delivery_due').on('notify_delivery').columns(['status', 'next_attempt_at']).execute();
      // The rate limit counts a channel's recent deliveries per key.
      await db.schema.createIndex('notify_delivery_rate').on('notify_delivery').columns(['channel_id', 'rate_key', 'created_at']).execute();
      await db.schema.createIndex('notify_delivery_created').on('notify_delivery').column('created_at').execute();
      await db.schema.createIndex('notify_delivery_source').on('notify_delivery').columns(['source_kind', 'source_id']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('notify_delivery').execute();
      await db.schema.dropTable('notify_channel').execute();
    },
  },
};
