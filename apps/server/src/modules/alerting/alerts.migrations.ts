import { sql, type Kysely, type Migration } from 'kysely';
import { epochType, withSerialKey } from '../../db/dialect.js';
import { annotationsByNameMigration } from './annotations-by-name.migration.js';
import { rulePackBindingMigration } from './rule-pack-binding.migration.js';

export const alertsMigrations: Record<string, Migration> = {
  '2026-11-27-0100-create-alerts': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alert_rule')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('for_s', 'integer', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('pack', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('alert')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('rule_name', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('annotations', 'text', (c) => c.notNull())
        .addColumn('value', 'double precision')
        .addColumn('threshold', 'double precision')
        .addColumn('ci_id', 'text')
        .addColumn('started_at', epochType, (c) => c.notNull())
        .addColumn('firing_at', epochType)
        .addColumn('acked_at', epochType)
        .addColumn('acked_by', 'text')
        .addColumn('resolved_at', epochType)
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('notify_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
      // One open alert per fingerprint: a second evaluator (or a replay) cannot duplicate it.
      await db.schema.createIndex('alert_open_fingerprint').on('alert').column('fingerprint').unique().where(sql.ref('state'), '<>', 'resolved').execute();
      await db.schema.createIndex('alert_rule_state_idx').on('alert').columns(['rule_id', 'state']).execute();
      await db.schema.createIndex('alert_updated').on('alert').column('updated_at').execute();

      await withSerialKey(db, db.schema.createTable('alert_event'), 'id')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('from_state', 'text')
        .addColumn('to_state', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('note', 'text')
        .execute();
      await db.schema.createIndex('alert_event_alert').on('alert_event').columns(['alert_id', 'id']).execute();

      await db.schema
        .createTable('alert_rule_state')
        .addColumn('rule_id', 'text', (c) => c.notNull())
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('history', 'text', (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_rule_state_pk', ['rule_id', 'fingerprint'])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['alert_rule_state', 'alert_event', 'alert', 'alert_rule']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  '2026-12-06-2100-alert-annotations-by-name': annotationsByNameMigration,
  '2026-12-07-0920-rule-pack-binding': rulePackBindingMigration,
};
