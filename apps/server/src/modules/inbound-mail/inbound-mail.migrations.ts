import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const inboundMailMigrations: Record<string, Migration> = {
  '2026-12-10-0300-create-inbound-mail': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('inbound_mail')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('message_id', 'text', (c) => c.unique())
        .addColumn('received_at', epochType, (c) => c.notNull())
        .addColumn('envelope_from', 'text')
        .addColumn('envelope_to', 'text', (c) => c.notNull())
        .addColumn('header_from', 'text')
        .addColumn('from_name', 'text', (c) => c.notNull())
        .addColumn('header_to', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('text_body', 'text', (c) => c.notNull())
        .addColumn('text_truncated', 'integer', (c) => c.notNull())
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addColumn('size', 'integer', (c) => c.notNull())
        .addColumn('parse_error', 'text')
        .addColumn('raw_key', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason_code', 'text')
        .addColumn('reason_params', 'text')
        .addColumn('sender_user_id', 'text')
        .addColumn('sender_assigned_by', 'text')
        .addColumn('handler', 'text')
        .addColumn('result', 'text')
        .addColumn('processed_at', epochType)
        .addColumn('claimed_until', epochType)
        .execute();
      // The list: newest first, filtered by status; the pending pass reads `received` rows.
      await db.schema.createIndex('inbound_mail_received').on('inbound_mail').columns(['received_at', 'id']).execute();
      await db.schema.createIndex('inbound_mail_status_received').on('inbound_mail').columns(['status', 'received_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('inbound_mail').execute();
    },
  },
};
