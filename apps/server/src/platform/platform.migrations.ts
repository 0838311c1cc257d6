import type { Kysely, Migration } from 'kysely';
import { epochType, withSerialKey } from '../db/dialect.js';
import { keyedAuditChainMigration } from './audit/audit-chain.migration.js';

/** Tables of the platform services themselves (audit trail, jobs, cluster membership and leases). */
export const platformMigrations: Record<string, Migration> = {
  '2026-11-26-0900-create-audit-log': {
    async up(db: Kysely<any>) {
      await withSerialKey(db, db.schema.createTable('audit_log'), 'id')
        .addColumn('ts', epochType, (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text')
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('before', 'text', (c) => c.notNull())
        .addColumn('after', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_ts').on('audit_log').column('ts').execute();
      await db.schema.createIndex('audit_log_action').on('audit_log').columns(['action', 'ts']).execute();
      await db.schema
        .createTable('audit_chain')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('head_id', epochType, (c) => c.notNull())
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('anchor_id', epochType, (c) => c.notNull())
        .addColumn('anchor_hash', 'text', (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('audit_chain').execute();
      await db.schema.dropTable('audit_log').execute();
    },
  },
  '2026-11-26-0901-create-job': {
    async up(db: Kysely<any>) {
      await withSerialKey(db, db.schema.createTable('job'), 'id')
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('max_attempts', 'integer', (c) => c.notNull())
        .addColumn('run_at', epochType, (c) => c.notNull())
        .addColumn('lease_until', epochType)
        .addColumn('last_error', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('finished_at', epochType)
        .execute();
      await db.schema.createIndex('job_due').on('job').columns(['status', 'run_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('job').execute();
    },
  },
  '2026-12-06-1400-audit-keyed-chain': keyedAuditChainMigration,
  '2026-12-07-0300-create-cluster': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('cluster_node')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('pid', 'integer', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('schema_version', 'text', (c) => c.notNull())
        .addColumn('started_at', epochType, (c) => c.notNull())
        .addColumn('heartbeat_at', epochType, (c) => c.notNull())
        .addColumn('stopped_at', epochType)
        .execute();
      await db.schema
        .createTable('cluster_lease')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('token', epochType, (c) => c.notNull())
        .addColumn('acquired_at', epochType, (c) => c.notNull())
        .addColumn('expires_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('cluster_lease').execute();
      await db.schema.dropTable('cluster_node').execute();
    },
  },
  '2026-12-07-0301-create-rate-limit-window': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('rate_limit_window')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('count', 'integer', (c) => c.notNull())
        .addColumn('window_start', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('rate_limit_window').execute();
    },
  },
  '2026-12-08-0100-cluster-node-key-check': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('cluster_node').addColumn('key_check', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('cluster_node').dropColumn('key_check').execute();
    },
  },
};
