import type { Kysely, Migration } from 'kysely';
import { ROUTING_DEFAULTS } from '@yunwei/contracts/alert-routing';
import { epochType, withSerialKey } from '../../db/dialect.js';
import { DEFAULT_POLICY_ID, defaultPolicyMigration } from './default-policy.migration.js';
import { deliveryAlertsMigration } from './routing-scope.migration.js';

export { DEFAULT_POLICY_ID };

export const routingMigrations: Record<string, Migration> = {
  '2026-11-27-0200-create-alert-routing': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('alert_silence')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('starts_at', epochType, (c) => c.notNull())
        .addColumn('ends_at', epochType, (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_by_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_silence_ends').on('alert_silence').column('ends_at').execute();

      await db.schema
        .createTable('alert_maintenance')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('schedule', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('alert_escalation_policy')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('comment', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('repeat', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('alert_notification_policy')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('matchers', 'text', (c) => c.notNull())
        .addColumn('group_by', 'text', (c) => c.notNull())
        .addColumn('group_wait_s', 'integer', (c) => c.notNull())
        .addColumn('group_interval_s', 'integer', (c) => c.notNull())
        .addColumn('repeat_interval_s', 'integer', (c) => c.notNull())
        .addColumn('escalation_policy_id', 'text')
        .addColumn('continue_matching', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      const now = Date.now();
      await db
        .insertInto('alert_notification_policy')
        .values({
          id: DEFAULT_POLICY_ID,
          name: '默认策略',
          position: 1_000_000,
          matchers: '[]',
          group_by: '["alertname"]',
          group_wait_s: ROUTING_DEFAULTS.groupWaitSeconds,
          group_interval_s: ROUTING_DEFAULTS.groupIntervalSeconds,
          repeat_interval_s: ROUTING_DEFAULTS.repeatIntervalSeconds,
          escalation_policy_id: null,
          continue_matching: 0,
          enabled: 1,
          is_default: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();

      await db.schema
        .createTable('alert_group')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('group_key', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', epochType)
        .addColumn('last_notified_at', epochType)
        .addColumn('next_flush_at', epochType)
        .addColumn('notified', 'text', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_group_key').on('alert_group').columns(['policy_id', 'group_key']).unique().execute();

      await db.schema
        .createTable('alert_escalation_state')
        .addColumn('group_id', 'text', (c) => c.primaryKey())
        .addColumn('policy_id', 'text', (c) => c.notNull())
        .addColumn('started_at', epochType, (c) => c.notNull())
        .addColumn('next_step', 'integer', (c) => c.notNull())
        .addColumn('next_at', epochType)
        .addColumn('reached', 'text', (c) => c.notNull())
        .addColumn('stopped_at', epochType)
        .addColumn('stop_reason', 'text')
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('alert_suppression')
        .addColumn('alert_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('ref_id', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('since', epochType, (c) => c.notNull())
        .addPrimaryKeyConstraint('alert_suppression_pk', ['alert_id', 'kind', 'ref_id'])
        .execute();

      await withSerialKey(db, db.schema.createTable('alert_dispatch_log'), 'id')
        .addColumn('group_id', 'text', (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('step', 'integer')
        .addColumn('channel_id', 'text', (c) => c.notNull())
        .addColumn('recipients', 'text')
        .addColumn('delivery_id', 'text')
        .addColumn('alert_ids', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alert_dispatch_log_group').on('alert_dispatch_log').columns(['group_id', 'at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['alert_dispatch_log', 'alert_suppression', 'alert_escalation_state', 'alert_group', 'alert_notification_policy', 'alert_escalation_policy', 'alert_maintenance', 'alert_silence']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  '2026-12-06-1300-alert-delivery-alerts': deliveryAlertsMigration,
  '2026-12-07-0910-builtin-default-policy': defaultPolicyMigration,
};
