import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const incidentAlertMigrations: Record<string, Migration> = {
  '2026-12-10-0500-incident-alerts': {
    async up(db: Kysely<any>) {
      // 自动创建故障 on alert rules (JSON RuleIncidentOption; null: off).
      await db.schema.alterTable('alert_rule').addColumn('incident', 'text').execute();
      await db.schema.alterTable('incident').addColumn('suggested_type_id', 'text').execute();
      await db.schema.alterTable('incident').addColumn('suggested_reason', 'text').execute();
      await db.schema
        .createTable('incident_alert')
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('linked_at', epochType, (c) => c.notNull())
        .addColumn('resolved_noted_at', epochType)
        .addPrimaryKeyConstraint('incident_alert_pk', ['incident_id', 'alert_id'])
        .execute();
      await db.schema.createIndex('incident_alert_alert').on('incident_alert').column('alert_id').execute();
      await db.schema
        .createTable('incident_alert_key')
        .addColumn('group_key', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('incident_alert_key').ifExists().execute();
      await db.schema.dropTable('incident_alert').ifExists().execute();
      await db.schema.alterTable('incident').dropColumn('suggested_reason').execute();
      await db.schema.alterTable('incident').dropColumn('suggested_type_id').execute();
      await db.schema.alterTable('alert_rule').dropColumn('incident').execute();
    },
  },
};
