import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const incidentMigrations: Record<string, Migration> = {
  '2026-12-10-0100-create-incidents': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('incident_type')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('parent_id', 'text', (c) => c.references('incident_type.id'))
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('rules', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('incident_nature')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('guidance_zh', 'text', (c) => c.notNull())
        .addColumn('guidance_en', 'text', (c) => c.notNull())
        .addColumn('sort', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('builtin', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('incident_config')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('updated_at', epochType)
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('incident_number_seq')
        .addColumn('year', 'integer', (c) => c.primaryKey())
        .addColumn('last_seq', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('incident')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('number', 'text', (c) => c.notNull().unique())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('impact', 'integer', (c) => c.notNull())
        .addColumn('urgency', 'integer', (c) => c.notNull())
        .addColumn('priority', 'text', (c) => c.notNull())
        .addColumn('type_id', 'text', (c) => c.references('incident_type.id'))
        .addColumn('nature_id', 'text', (c) => c.references('incident_nature.id'))
        .addColumn('reporter_id', 'text')
        .addColumn('assignee_id', 'text')
        .addColumn('group_id', 'text')
        .addColumn('org_unit_id', 'text')
        .addColumn('major', 'integer', (c) => c.notNull())
        .addColumn('major_roles', 'text', (c) => c.notNull())
        .addColumn('impact_scope', 'text', (c) => c.notNull())
        .addColumn('detected_at', epochType, (c) => c.notNull())
        .addColumn('acknowledged_at', epochType)
        .addColumn('mitigated_at', epochType)
        .addColumn('resolved_at', epochType)
        .addColumn('resolved_by', 'text')
        .addColumn('closed_at', epochType)
        .addColumn('cancelled_at', epochType)
        .addColumn('pause_reason', 'text')
        .addColumn('resolution', 'text', (c) => c.notNull())
        .addColumn('sla_notified', 'integer', (c) => c.notNull())
        .addColumn('alert_group_key', 'text')
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      // The list: newest first, filtered by status / priority / assignee (100,000 incidents answer < 100 ms).
      await db.schema.createIndex('incident_detected').on('incident').columns(['detected_at', 'id']).execute();
      await db.schema.createIndex('incident_status_detected').on('incident').columns(['status', 'detected_at']).execute();
      await db.schema.createIndex('incident_assignee').on('incident').columns(['assignee_id', 'status']).execute();
      await db.schema.createIndex('incident_reporter').on('incident').columns(['reporter_id', 'detected_at']).execute();
      await db.schema.createIndex('incident_type_idx').on('incident').column('type_id').execute();
      await db.schema.createIndex('incident_nature_idx').on('incident').column('nature_id').execute();
      // One open incident per alert group (the alert rule's "open an incident" option).
      await db.schema.createIndex('incident_alert_group').on('incident').column('alert_group_key').execute();

      await db.schema
        .createTable('incident_ci')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('ci_id', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('incident_ci_pk', ['incident_id', 'ci_id'])
        .execute();
      await db.schema.createIndex('incident_ci_ci').on('incident_ci').columns(['ci_id', 'incident_id']).execute();

      await db.schema
        .createTable('incident_pause')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('from_at', epochType, (c) => c.notNull())
        .addColumn('to_at', epochType)
        .execute();
      await db.schema.createIndex('incident_pause_incident').on('incident_pause').columns(['incident_id', 'from_at']).execute();

      await db.schema
        .createTable('incident_activity')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('note', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_activity_incident').on('incident_activity').columns(['incident_id', 'at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['incident_activity', 'incident_pause', 'incident_ci', 'incident', 'incident_number_seq', 'incident_config', 'incident_nature', 'incident_type']) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
};
