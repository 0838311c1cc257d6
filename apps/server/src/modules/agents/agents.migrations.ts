import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const agentsMigrations: Record<string, Migration> = {
  '2026-11-26-2300-create-agent-tables': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('agent_enrolment_token')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('expires_at', epochType, (c) => c.notNull())
        .addColumn('used_at', epochType)
        .addColumn('agent_id', 'text')
        .addColumn('revoked_at', epochType)
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('agent')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('machine_id', 'text', (c) => c.notNull())
        .addColumn('ci_id', 'text')
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('os', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('interval_seconds', 'integer', (c) => c.notNull())
        .addColumn('credential_hash', 'text', (c) => c.notNull().unique())
        .addColumn('enrolment_token_id', 'text', (c) => c.notNull())
        .addColumn('enrolled_at', epochType, (c) => c.notNull())
        .addColumn('last_contact_at', epochType)
        .addColumn('revoked_at', epochType)
        .execute();
      await db.schema.createIndex('agent_machine').on('agent').column('machine_id').execute();
      await db.schema.createIndex('agent_ci').on('agent').column('ci_id').execute();
      await db.schema
        .createTable('agent_inventory')
        .addColumn('agent_id', 'text', (c) => c.primaryKey().references('agent.id'))
        .addColumn('ci_id', 'text', (c) => c.notNull())
        .addColumn('collected_at', epochType, (c) => c.notNull())
        .addColumn('received_at', epochType, (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_inventory_ci').on('agent_inventory').column('ci_id').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('agent_inventory').execute();
      await db.schema.dropTable('agent').execute();
      await db.schema.dropTable('agent_enrolment_token').execute();
    },
  },
  // The org unit a token's new host CI is created in (data scopes): null = none (the whole organisation).
  '2026-11-27-0610-enrolment-token-org-unit': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('agent_enrolment_token').addColumn('org_unit_id', 'text').execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('agent_enrolment_token').dropColumn('org_unit_id').execute();
    },
  },
};
