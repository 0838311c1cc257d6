import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const agentCommandsMigrations: Record<string, Migration> = {
  '2026-12-10-0200-agent-commands': {
    async up(db: Kysely<any>) {
      await db.schema.alterTable('agent').addColumn('remote_exec', 'integer').execute();
      await db.schema
        .createTable('agent_command')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('agent_id', 'text', (c) => c.notNull().references('agent.id'))
        .addColumn('ci_id', 'text')
        .addColumn('argv', 'text', (c) => c.notNull())
        .addColumn('cwd', 'text')
        .addColumn('env', 'text')
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('requested_by', 'text')
        .addColumn('purpose', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('exit_code', 'integer')
        .addColumn('reason', 'text')
        .addColumn('output', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('output_tail', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('output_size', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('output_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('expires_at', epochType, (c) => c.notNull())
        .addColumn('started_at', epochType)
        .addColumn('finished_at', epochType)
        .addColumn('signature', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('agent_command_agent_status').on('agent_command').columns(['agent_id', 'status', 'created_at']).execute();
      await db.schema
        .createTable('agent_command_key')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('private_key_sealed', 'text', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('agent_command_key').execute();
      await db.schema.dropTable('agent_command').execute();
      await db.schema.alterTable('agent').dropColumn('remote_exec').execute();
    },
  },
};
