import type { Kysely, Migration } from 'kysely';
import { epochType } from '../../db/dialect.js';

/** 故障处理方案 (runbooks) with their versions and runs, and incident tasks (组织排除). */
export const runbookMigrations: Record<string, Migration> = {
  '2026-12-10-0600-create-incident-runbooks': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('incident_runbook')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('type_ids', 'text', (c) => c.notNull())
        .addColumn('ci_classes', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('published_version_id', 'text')
        .addColumn('owner_id', 'text')
        .addColumn('org_unit_id', 'text')
        .addColumn('document_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .addColumn('updated_by', 'text')
        .execute();
      await db.schema
        .createTable('incident_runbook_version')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('runbook_id', 'text', (c) => c.notNull().references('incident_runbook.id').onDelete('cascade'))
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('major', 'integer', (c) => c.notNull())
        .addColumn('minor', 'integer', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('change_note', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('submitted_at', epochType)
        .addColumn('approval_request_id', 'text')
        .addColumn('approved_by', 'text')
        .addColumn('approved_at', epochType)
        .addColumn('published_at', epochType)
        .addColumn('filed_label', 'text')
        .execute();
      // One label per runbook: two drafts started at once cannot both be 1.1.
      await db.schema.createIndex('incident_runbook_version_label').on('incident_runbook_version').columns(['runbook_id', 'label']).unique().execute();

      await db.schema
        .createTable('incident_runbook_run')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('runbook_id', 'text', (c) => c.notNull())
        .addColumn('runbook_version_id', 'text', (c) => c.notNull())
        .addColumn('started_by', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', epochType, (c) => c.notNull())
        .addColumn('finished_at', epochType)
        .addColumn('note', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('incident_runbook_run_incident').on('incident_runbook_run').columns(['incident_id', 'started_at']).execute();
      await db.schema
        .createTable('incident_runbook_step_run')
        .addColumn('run_id', 'text', (c) => c.notNull().references('incident_runbook_run.id').onDelete('cascade'))
        .addColumn('idx', 'integer', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('actor_id', 'text')
        .addColumn('started_at', epochType)
        .addColumn('finished_at', epochType)
        .addColumn('output', 'text', (c) => c.notNull())
        .addColumn('result', 'text')
        .addColumn('note', 'text', (c) => c.notNull())
        .addColumn('agent_command_id', 'text')
        .addColumn('ci_id', 'text')
        .addColumn('exit_code', 'integer')
        .addColumn('check_result', 'text')
        .addColumn('task_id', 'text')
        .addPrimaryKeyConstraint('incident_runbook_step_run_pk', ['run_id', 'idx'])
        .execute();

      await db.schema
        .createTable('incident_task')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('incident_id', 'text', (c) => c.notNull().references('incident.id').onDelete('cascade'))
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('assignee_id', 'text', (c) => c.notNull())
        .addColumn('due_at', epochType)
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('done_at', epochType)
        .addColumn('done_by', 'text')
        .addColumn('result_note', 'text', (c) => c.notNull())
        .addColumn('run_id', 'text')
        .addColumn('step_index', 'integer')
        .execute();
      await db.schema.createIndex('incident_task_incident').on('incident_task').columns(['incident_id', 'created_at']).execute();
      // 我的任务: a person's open tasks.
      await db.schema.createIndex('incident_task_assignee').on('incident_task').columns(['assignee_id', 'status', 'created_at']).execute();
    },
    async down(db: Kysely<any>) {
      for (const t of ['incident_task', 'incident_runbook_step_run', 'incident_runbook_run', 'incident_runbook_version', 'incident_runbook']) {
        await db.schema.dropTable(t).ifExists().execute();
      }
    },
  },
};
