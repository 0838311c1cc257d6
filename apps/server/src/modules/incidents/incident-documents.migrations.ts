import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const incidentDocumentMigrations: Record<string, Migration> = {
  '2026-12-10-0800-create-incident-analysis': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('incident_analysis')
        .addColumn('incident_id', 'text', (c) => c.primaryKey().references('incident.id').onDelete('cascade'))
        .addColumn('lessons', 'text', (c) => c.notNull())
        .addColumn('follow_ups', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('incident_library_document')
        .addColumn('subject', 'text', (c) => c.primaryKey())
        .addColumn('document_id', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('incident_library_document').ifExists().execute();
      await db.schema.dropTable('incident_analysis').ifExists().execute();
    },
  },
  // The list's filters at 100,000 incidents (bench/incident-list): status + priority counted from the index,
  // one type newest first without a sort. (An index on org_unit_id was tried and left out: SQLite then merges
  // the scoped reader's OR by index and sorts every match instead of walking the newest first.)
  '2026-12-10-0801-incident-list-indexes': {
    async up(db: Kysely<any>) {
      await db.schema.createIndex('incident_status_priority_detected').on('incident').columns(['status', 'priority', 'detected_at']).execute();
      await db.schema.createIndex('incident_type_detected').on('incident').columns(['type_id', 'detected_at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const name of ['incident_type_detected', 'incident_status_priority_detected']) {
        await db.schema.dropIndex(name).ifExists().execute();
      }
    },
  },
};
