/** One time series: a metric name and its label set (canonical JSON, keys sorted). */
export interface MetricSeriesTable {
  id: number;
  metric: string;
  labels: string;
  /** SHA-256 of metric + labels: the unique key ingestion resolves series by. */
  hash: string;
  /** The CMDB configuration item this series belongs to (plain text: no foreign key across modules). */
  ci_id: string | null;
  created_at: number;
  /** When a sample last arrived (refreshed at most once a minute). */
  last_seen: number;
}

/** Raw samples; primary key (series_id, ts): a second write of the same point replaces the value. */
export interface MetricSampleTable {
  series_id: number;
  ts: number;
  value: number;
}

/** Aggregates of raw samples per series and bucket (5 minutes or 1 hour, bucket_ts = its start). */
export interface MetricRollupTable {
  series_id: number;
  bucket_ts: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

/** Progress of the rollup job per level ('5m', '1h'). */
export interface MetricRollupStateTable {
  level: string;
  /** Buckets starting before this are computed (null: nothing yet). */
  done_until: number | null;
  /** Late samples arrived at or after this time: recompute from here. */
  dirty_from: number | null;
  /** Bumped by every writer of dirty_from, so the job clears only what it has seen. */
  dirty_seq: number;
}

export interface ScrapeTargetTable {
  id: string;
  name: string;
  url: string;
  interval_s: number;
  timeout_ms: number;
  /** JSON object of labels added to every scraped series. */
  labels: string;
  enabled: number;
  last_scrape_at: number | null;
  last_duration_ms: number | null;
  last_up: number | null;
  last_error: string | null;
  last_samples: number | null;
  created_at: number;
  updated_at: number;
}

export interface MetricCiRuleTable {
  id: string;
  priority: number;
  label: string;
  pattern: string;
  ci_template: string;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** One row (id = 1) once an administrator changes a default. */
export interface MonitoringSettingsTable {
  id: number;
  raw_retention_days: number;
  rollup_5m_retention_days: number;
  rollup_1h_retention_days: number;
  new_series_per_minute: number;
  updated_at: number;
}

/** One credential's new-series token bucket (thousandths of a series, so the refill stays in integers). */
export interface SeriesBudgetTable {
  credential: string;
  milli_tokens: number;
  /** When the bucket was last refilled (epoch ms). */
  at: number;
}

declare module '../../db/schema.js' {
  interface Database {
    metric_series: MetricSeriesTable;
    metric_sample: MetricSampleTable;
    /** SQLite only: fresh samples not yet moved into metric_sample (sample-writer.worker.mjs). */
    metric_sample_head: MetricSampleTable;
    metric_rollup_5m: MetricRollupTable;
    metric_rollup_1h: MetricRollupTable;
    metric_rollup_state: MetricRollupStateTable;
    scrape_target: ScrapeTargetTable;
    metric_ci_rule: MetricCiRuleTable;
    monitoring_settings: MonitoringSettingsTable;
    series_budget: SeriesBudgetTable;
  }
}
