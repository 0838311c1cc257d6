import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const problemMigrations: Record<string, Migration> = {
  '2026-12-10-0700-create-problems': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('problem')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('type_id', 'text')
        .addColumn('ci_ids', 'text', (c) => c.notNull())
        .addColumn('root_cause', 'text', (c) => c.notNull())
        .addColumn('five_whys', 'text', (c) => c.notNull())
        .addColumn('fishbone', 'text', (c) => c.notNull())
        .addColumn('workaround', 'text', (c) => c.notNull())
        .addColumn('permanent_fix', 'text', (c) => c.notNull())
        .addColumn('match', 'text', (c) => c.notNull())
        .addColumn('known_error_at', epochType)
        .addColumn('resolved_at', epochType)
        .addColumn('closed_at', epochType)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema.createIndex('problem_status_updated').on('problem').columns(['status', 'updated_at']).execute();
      await db.schema
        .createTable('problem_incident')
        .addColumn('problem_id', 'text', (c) => c.notNull().references('problem.id').onDelete('cascade'))
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('linked_at', epochType, (c) => c.notNull())
        .addColumn('linked_by', 'text')
        .addPrimaryKeyConstraint('problem_incident_pk', ['problem_id', 'incident_id'])
        .execute();
      await db.schema.createIndex('problem_incident_incident').on('problem_incident').columns(['incident_id', 'problem_id']).execute();
      await db.schema
        .createTable('problem_number_seq')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['problem_incident', 'problem_number_seq', 'problem']) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
  '2026-12-10-0710-create-latent-risks': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('latent_risk')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('source_key', 'text', (c) => c.notNull())
        .addColumn('source_ref', 'text')
        .addColumn('ci_id', 'text')
        .addColumn('likelihood', 'integer', (c) => c.notNull())
        .addColumn('impact', 'integer', (c) => c.notNull())
        .addColumn('score', 'integer', (c) => c.notNull())
        .addColumn('level', 'text', (c) => c.notNull())
        .addColumn('owner_id', 'text')
        .addColumn('due_at', epochType)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('measures', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', epochType)
        .addColumn('condition_cleared', 'integer', (c) => c.notNull())
        .addColumn('closed_at', epochType)
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      // Collecting twice finds the same row: one risk per (source, what it is about).
      await db.schema.createIndex('latent_risk_source_key').on('latent_risk').columns(['source', 'source_key']).unique().execute();
      await db.schema.createIndex('latent_risk_status_score').on('latent_risk').columns(['status', 'score']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('latent_risk').ifExists().execute();
    },
  },
};
