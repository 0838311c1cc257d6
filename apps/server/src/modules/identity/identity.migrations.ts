import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const identityMigrations: Record<string, Migration> = {
  '2026-11-26-1020-create-user': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('user')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('email', 'text', (c) => c.notNull())
        .addColumn('phone', 'text', (c) => c.notNull())
        .addColumn('org_unit_id', 'text', (c) => c.references('org_unit.id'))
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('password_changed_at', epochType)
        .addColumn('must_change_password', 'integer', (c) => c.notNull())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', epochType)
        .addColumn('mfa_secret', 'text')
        .addColumn('mfa_pending_secret', 'text')
        .addColumn('last_login_at', epochType)
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('user_org_unit').on('user').column('org_unit_id').execute();
      await db.schema
        .createTable('password_history')
        .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('password_history_user').on('password_history').columns(['user_id', 'created_at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('password_history').execute();
      await db.schema.dropTable('user').execute();
    },
  },
  '2026-11-26-1040-create-session-and-token': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('session')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('csrf_token', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('user_agent', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('last_seen_at', epochType, (c) => c.notNull())
        .addColumn('expires_at', epochType, (c) => c.notNull())
        .addColumn('revoked_at', epochType)
        .execute();
      await db.schema.createIndex('session_user').on('session').column('user_id').execute();
      await db.schema
        .createTable('api_token')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('user_id', 'text', (c) => c.notNull().references('user.id').onDelete('cascade'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('scopes', 'text', (c) => c.notNull())
        .addColumn('expires_at', epochType, (c) => c.notNull())
        .addColumn('last_used_at', epochType)
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('revoked_at', epochType)
        .execute();
      await db.schema.createIndex('api_token_user').on('api_token').column('user_id').execute();
      await db.schema
        .createTable('security_policy')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('policy', 'text', (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('security_policy').execute();
      await db.schema.dropTable('api_token').execute();
      await db.schema.dropTable('session').execute();
    },
  },
  // Replay protection: the 30-second TOTP step of the last code accepted for the user (issue 10).
  '2026-12-06-1100-user-mfa-last-step': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('user').addColumn('mfa_last_step', 'integer').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('user').dropColumn('mfa_last_step').execute();
    },
  },
};
