import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

export const approvalsMigrations: Record<string, Migration> = {
  '2026-12-08-0200-create-approvals': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('approval_flow')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('code', 'text', (c) => c.notNull().unique())
        .addColumn('name_zh', 'text', (c) => c.notNull())
        .addColumn('name_en', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('escalation_user_id', 'text')
        .addColumn('notify_channel_id', 'text')
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('approval_request')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('flow_id', 'text', (c) => c.notNull())
        .addColumn('flow_code', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('subject_type', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('submitter_id', 'text', (c) => c.notNull())
        .addColumn('org_unit_id', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('current_step', 'integer', (c) => c.notNull())
        .addColumn('version', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('decided_at', epochType)
        .execute();
      await db.schema.createIndex('approval_request_submitter').on('approval_request').columns(['submitter_id', 'created_at']).execute();
      await db.schema.createIndex('approval_request_subject').on('approval_request').columns(['subject_type', 'subject_id', 'status']).execute();

      await db.schema
        .createTable('approval_task')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('approval_request.id').onDelete('cascade'))
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .addColumn('assignee_id', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('origin', 'text', (c) => c.notNull())
        .addColumn('added_by', 'text')
        .addColumn('before_task_id', 'text')
        .addColumn('due_at', epochType)
        .addColumn('reminded_at', epochType)
        .addColumn('escalate_at', epochType)
        .addColumn('escalated_at', epochType)
        .addColumn('decided_at', epochType)
        .addColumn('comment', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_task_request').on('approval_task').columns(['request_id', 'step']).execute();
      await db.schema.createIndex('approval_task_assignee').on('approval_task').columns(['assignee_id', 'status']).execute();
      await db.schema.createIndex('approval_task_due').on('approval_task').columns(['status', 'due_at']).execute();

      await db.schema
        .createTable('approval_event')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('request_id', 'text', (c) => c.notNull().references('approval_request.id').onDelete('cascade'))
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('actor_name', 'text')
        .addColumn('step', 'integer')
        .addColumn('comment', 'text')
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('approval_event_request').on('approval_event').columns(['request_id', 'at']).execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('approval_event').execute();
      await db.schema.dropTable('approval_task').execute();
      await db.schema.dropTable('approval_request').execute();
      await db.schema.dropTable('approval_flow').execute();
    },
  },
};
