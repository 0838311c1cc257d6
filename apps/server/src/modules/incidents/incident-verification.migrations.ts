import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const incidentVerificationMigrations: Record<string, Migration> = {
  '2026-12-10-0900-create-incident-verifications-and-hypotheses': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('incident_verification')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('verifier_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('evidence', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_verification_incident').on('incident_verification').columns(['incident_id', 'at']).execute();
      await db.schema
        .createTable('incident_hypothesis')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('ci_id', 'text')
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('link', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('proposed_by', 'text')
        .addColumn('decided_by', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('decided_at', epochType)
        .execute();
      // One hypothesis per event and incident.
      await db.schema.createIndex('incident_hypothesis_event').on('incident_hypothesis').columns(['incident_id', 'event_id']).unique().execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('incident_hypothesis').ifExists().execute();
      await db.schema.dropTable('incident_verification').ifExists().execute();
    },
  },
};
