import { sql, type CreateTableBuilder, type Kysely, type Migration } from 'kysely';
import { dialectOf, epochType, withSerialKey } from '../../db/dialect.js';
import { AHEAD_DAYS, createDayPartition, createPartitionedSampleTable, daysBetween } from './partitions.js';
import { DAY_MS } from './query-plan.js';
import { DEFAULT_NEW_SERIES_PER_MINUTE, DEFAULT_RETENTION } from './settings.service.js';

/**
 * Sample and rollup tables are clustered on (series_id, time): on SQLite `WITHOUT ROWID`, so the
 * primary-key b-tree is the table (no second index, half the writes). On PostgreSQL the rollups are
 * plain tables; raw samples are partitioned by day since 2026-11-27-0500 (partitions.ts). No foreign
 * key from samples to series: it would cost a lookup per sample.
 */
function clustered<T extends string>(db: Kysely<any>, table: CreateTableBuilder<T, never>): CreateTableBuilder<T, never> {
  return dialectOf(db) === 'sqlite' ? table.modifyEnd(sql`without rowid`) : table;
}

function rollupTable(db: Kysely<any>, name: string) {
  return clustered(
    db,
    db.schema
      .createTable(name)
      .addColumn('series_id', 'bigint', (c) => c.notNull())
      .addColumn('bucket_ts', epochType, (c) => c.notNull())
      .addColumn('min', 'double precision', (c) => c.notNull())
      .addColumn('max', 'double precision', (c) => c.notNull())
      .addColumn('sum', 'double precision', (c) => c.notNull())
      .addColumn('count', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${name}_pk`, ['series_id', 'bucket_ts']),
  );
}

export const monitoringMigrations: Record<string, Migration> = {
  '2026-11-26-1200-create-metric-store': {
    async up(db: Kysely<any>) {
      await withSerialKey(db, db.schema.createTable('metric_series'), 'id')
        .addColumn('metric', 'text', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull().unique())
        .addColumn('ci_id', 'text')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('last_seen', epochType, (c) => c.notNull())
        .execute();
      await db.schema.createIndex('metric_series_metric').on('metric_series').column('metric').execute();
      await db.schema.createIndex('metric_series_ci').on('metric_series').column('ci_id').execute();

      await clustered(
        db,
        db.schema
          .createTable('metric_sample')
          .addColumn('series_id', 'bigint', (c) => c.notNull())
          .addColumn('ts', epochType, (c) => c.notNull())
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addPrimaryKeyConstraint('metric_sample_pk', ['series_id', 'ts']),
      ).execute();
      await rollupTable(db, 'metric_rollup_5m').execute();
      await rollupTable(db, 'metric_rollup_1h').execute();

      await db.schema
        .createTable('metric_rollup_state')
        .addColumn('level', 'text', (c) => c.primaryKey())
        .addColumn('done_until', epochType)
        .addColumn('dirty_from', epochType)
        .addColumn('dirty_seq', 'integer', (c) => c.notNull())
        .execute();
      await db
        .insertInto('metric_rollup_state')
        .values([
          { level: '5m', done_until: null, dirty_from: null, dirty_seq: 0 },
          { level: '1h', done_until: null, dirty_from: null, dirty_seq: 0 },
        ])
        .execute();
    },
    async down(db: Kysely<any>) {
      for (const table of ['metric_rollup_state', 'metric_rollup_1h', 'metric_rollup_5m', 'metric_sample', 'metric_series']) {
        await db.schema.dropTable(table).execute();
      }
    },
  },

  '2026-11-26-1201-create-scrape-target': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('scrape_target')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull().unique())
        .addColumn('interval_s', 'integer', (c) => c.notNull())
        .addColumn('timeout_ms', 'integer', (c) => c.notNull())
        .addColumn('labels', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('last_scrape_at', epochType)
        .addColumn('last_duration_ms', 'integer')
        .addColumn('last_up', 'integer')
        .addColumn('last_error', 'text')
        .addColumn('last_samples', 'integer')
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('scrape_target').execute();
    },
  },

  '2026-11-26-1202-create-metric-ci-rule-and-settings': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('metric_ci_rule')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('priority', 'integer', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('pattern', 'text', (c) => c.notNull())
        .addColumn('ci_template', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('created_at', epochType, (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('monitoring_settings')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('raw_retention_days', 'integer', (c) => c.notNull())
        .addColumn('rollup_5m_retention_days', 'integer', (c) => c.notNull())
        .addColumn('rollup_1h_retention_days', 'integer', (c) => c.notNull())
        .addColumn('updated_at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('monitoring_settings').execute();
      await db.schema.dropTable('metric_ci_rule').execute();
    },
  },

  /**
   * PostgreSQL: `metric_sample` becomes a table partitioned by day on ts (partitions.ts), its primary
   * key covering `value` (index-only range reads). Existing rows are copied (new table, copy, swap,
   * inside the migration's transaction). Partitions are made for the raw retention window and the days
   * ahead; older or stray rows land in the default partition, which retention and the partition job
   * clear. SQLite: nothing changes.
   */
  '2026-11-27-0500-partition-metric-sample': {
    async up(db: Kysely<any>) {
      if (dialectOf(db) !== 'postgres') {
        return;
      }
      await sql`alter table metric_sample rename to metric_sample_unpartitioned`.execute(db);
      await sql`alter index metric_sample_pk rename to metric_sample_unpartitioned_pk`.execute(db);
      await createPartitionedSampleTable(db);
      const settings = await db.selectFrom('monitoring_settings').select('raw_retention_days').where('id', '=', 1).executeTakeFirst();
      const now = Date.now();
      const rawDays = Number(settings?.raw_retention_days ?? DEFAULT_RETENTION.raw);
      for (const day of daysBetween(now - (rawDays + 1) * DAY_MS, now + (AHEAD_DAYS + 1) * DAY_MS)) {
        await createDayPartition(db, day);
      }
      await sql`insert into metric_sample (series_id, ts, value) select series_id, ts, value from metric_sample_unpartitioned`.execute(db);
      await sql`drop table metric_sample_unpartitioned`.execute(db);
    },
    async down(db: Kysely<any>) {
      if (dialectOf(db) !== 'postgres') {
        return;
      }
      await clustered(
        db,
        db.schema
          .createTable('metric_sample_unpartitioned')
          .addColumn('series_id', 'bigint', (c) => c.notNull())
          .addColumn('ts', epochType, (c) => c.notNull())
          .addColumn('value', 'double precision', (c) => c.notNull())
          .addPrimaryKeyConstraint('metric_sample_unpartitioned_pk', ['series_id', 'ts']),
      ).execute();
      await sql`insert into metric_sample_unpartitioned (series_id, ts, value) select series_id, ts, value from metric_sample`.execute(db);
      await sql`drop table metric_sample`.execute(db);
      await sql`alter table metric_sample_unpartitioned rename to metric_sample`.execute(db);
      await sql`alter index metric_sample_unpartitioned_pk rename to metric_sample_pk`.execute(db);
    },
  },

  /**
   * SQLite: the staging table for fresh samples (sample-writer.worker.mjs). A rowid table, so a batch
   * appends to its last pages instead of dirtying one page per series of the clustered `metric_sample`;
   * the worker moves its rows into `metric_sample` in series order every few seconds. The index lets
   * reads find a series' fresh samples; it stays small because the table does. PostgreSQL: nothing.
   */
  '2026-11-27-0900-create-metric-sample-head': {
    async up(db: Kysely<any>) {
      if (dialectOf(db) !== 'sqlite') {
        return;
      }
      await db.schema
        .createTable('metric_sample_head')
        .addColumn('series_id', 'integer', (c) => c.notNull())
        .addColumn('ts', 'integer', (c) => c.notNull())
        .addColumn('value', 'real', (c) => c.notNull())
        .execute();
      // (series_id) alone, not (series_id, ts): a third smaller, so fewer pages per batch. A series' staged
      // rows are in time order within it anyway: the writer stages only samples newer than the series'
      // newest, so rowid order is ts order.
      await db.schema.createIndex('metric_sample_head_series').on('metric_sample_head').column('series_id').execute();
    },
    async down(db: Kysely<any>) {
      if (dialectOf(db) !== 'sqlite') {
        return;
      }
      await sql`insert into metric_sample (series_id, ts, value) select series_id, ts, value from metric_sample_head where true
        on conflict (series_id, ts) do update set value = excluded.value`.execute(db);
      await db.schema.dropTable('metric_sample_head').execute();
    },
  },

  /** The budget of new series per credential and minute (issue 10: one token could create series without bound). */
  '2026-12-06-1500-monitoring-series-budget': {
    async up(db: Kysely<any>) {
      await db.schema
        .alterTable('monitoring_settings')
        .addColumn('new_series_per_minute', 'integer', (c) => c.notNull().defaultTo(DEFAULT_NEW_SERIES_PER_MINUTE))
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.alterTable('monitoring_settings').dropColumn('new_series_per_minute').execute();
    },
  },

  /** The new-series budgets move from one node's memory to the database: a cluster's nodes share them (issue 12). */
  '2026-12-08-0110-monitoring-series-budget-table': {
    async up(db: Kysely<any>) {
      await db.schema
        .createTable('series_budget')
        .addColumn('credential', 'text', (c) => c.primaryKey())
        .addColumn('milli_tokens', epochType, (c) => c.notNull())
        .addColumn('at', epochType, (c) => c.notNull())
        .execute();
    },
    async down(db: Kysely<any>) {
      await db.schema.dropTable('series_budget').execute();
    },
  },
};
