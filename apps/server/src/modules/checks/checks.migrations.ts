import { sql, type Kysely, type Migration } from 'kysely';
import { epochType, withSerialKey } from '../../db/dialect.js';

export const checksMigrations: Record<string, Migration> = {
  '2026-11-26-2100-create-checks': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('check_definition')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('settings', 'text', (c) => c.notNull())
        .addColumn('secrets', 'text')
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('ci_id', 'text')
        .addColumn('interval_s', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_definition_ci').on('check_definition').column('ci_id').execute();

      await db.schema
        .createTable('check_state')
        .addColumn('check_id', 'text', (c) => c.primaryKey())
        .addColumn('up', 'integer', (c) => c.notNull())
        .addColumn('checked_at', epochType, (c) => c.notNull())
        .addColumn('latency_ms', 'double precision')
        .addColumn('message', 'text')
        .addColumn('values', 'text', (c) => c.notNull())
        .execute();

      await withSerialKey(db, db.schema.createTable('check_result'), 'id')
        .addColumn('check_id', 'text', (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .addColumn('up', 'integer', (c) => c.notNull())
        .addColumn('latency_ms', 'double precision')
        .addColumn('message', 'text')
        .addColumn('values', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('check_result_check_at').on('check_result').columns(['check_id', 'at']).execute();
      await db.schema.createIndex('check_result_at').on('check_result').column('at').execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['check_result', 'check_state', 'check_definition']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
  // A check without a CI belongs to an org unit of its own (null: the whole organisation); a check on a
  // CI belongs to the CI's unit, so the column stays null there (data scopes, issue 3 follow-up).
  '2026-11-27-0600-check-org-unit': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('check_definition').addColumn('org_unit_id', 'text').execute();
      await db.schema.createIndex('check_definition_org_unit').on('check_definition').column('org_unit_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropIndex('check_definition_org_unit').execute();
      await db.schema.alterTable('check_definition').dropColumn('org_unit_id').execute();
    },
  },
  // Issue 11 (one form, as in Uptime Kuma): retries and the check's own alert rule and notification
  // policy; results say what happened as a code with parameters (any language) beside the English
  // text older rows keep; failures in a row per result and state (pending until past the retries);
  // hourly up/total counts for the day and month uptime, filled from the history already stored.
  '2026-12-07-1500-check-alerting-messages-uptime': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('check_definition').addColumn('retries', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      for (const column of ['alert_rule_id', 'notify_policy_id', 'escalation_policy_id']) {
        await db.schema.alterTable('check_definition').addColumn(column, 'text').execute();
      }
      for (const table of ['check_state', 'check_result']) {
        await db.schema.alterTable(table).addColumn('message_code', 'text').execute();
        await db.schema.alterTable(table).addColumn('message_params', 'text').execute();
        await db.schema.alterTable(table).addColumn('fail_streak', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      }
      // A check down before this has failed at least once in a row (retries were 0 then: still down).
      await db.updateTable('check_state').set({ fail_streak: 1 }).where('up', '=', 0).execute();

      await db.schema
        .createTable('check_uptime_hour')
        .addColumn('check_id', 'text', (c) => c.notNull())
        .addColumn('hour_start', epochType, (c) => c.notNull())
        .addColumn('up', 'integer', (c) => c.notNull())
        .addColumn('total', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('check_uptime_hour_pk', ['check_id', 'hour_start'])
        .execute();
      await sql`insert into check_uptime_hour (check_id, hour_start, up, total)
        select check_id, (at / 3600000) * 3600000, sum(up), count(*) from check_result group by check_id, at / 3600000`.execute(db);
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('check_uptime_hour').execute();
      for (const table of ['check_state', 'check_result']) {
        for (const column of ['message_code', 'message_params', 'fail_streak']) {
          await db.schema.alterTable(table).dropColumn(column).execute();
        }
      }
      for (const column of ['retries', 'alert_rule_id', 'notify_policy_id', 'escalation_policy_id']) {
        await db.schema.alterTable('check_definition').dropColumn(column).execute();
      }
    },
  },
};
