import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id, Name } from './common.js';
import { WrittenDocument } from './documents.js';

/**
 * Monitoring: the metrics store (series, samples, rollups), its ingestion paths (JSON push,
 * Prometheus remote-write, scraping of Prometheus exporters) and its query API.
 *
 * Units: `/api/v1/*` follows Prometheus (times are Unix seconds or RFC 3339, results carry Unix seconds);
 * `/api/monitoring/*` follows Yunwei (epoch milliseconds).
 */
export const MONITORING_PERMISSIONS = {
  metricRead: 'monitoring.metric.read',
  metricWrite: 'monitoring.metric.write',
  scrapeRead: 'monitoring.scrape.read',
  scrapeWrite: 'monitoring.scrape.write',
  mappingRead: 'monitoring.mapping.read',
  mappingWrite: 'monitoring.mapping.write',
  settingsRead: 'monitoring.settings.read',
  settingsWrite: 'monitoring.settings.write',
} as const satisfies Record<string, PermissionId>;

/** Limits of what is stored; the ingestion paths enforce them. */
export const METRIC_LIMITS = {
  metricNameLength: 200,
  labelNameLength: 128,
  labelValueLength: 1024,
  labelsPerSeries: 32,
  samplesPerPush: 50_000,
  /** How far ahead of the server's clock a sample may be stamped. */
  futureMs: 10 * 60_000,
  /** Nothing before 2000-01-01: catches seconds sent as milliseconds. */
  minTs: 946_684_800_000,
} as const;

export const METRIC_NAME_PATTERN = '^[a-zA-Z_:][a-zA-Z0-9_:]*$';
export const LABEL_NAME_PATTERN = '^[a-zA-Z_][a-zA-Z0-9_]*$';

const Labels = Type.Record(Type.String(), Type.String({ maxLength: METRIC_LIMITS.labelValueLength }), { maxProperties: METRIC_LIMITS.labelsPerSeries });
const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

// ---------------------------------------------------------------- push

export const MetricSampleInput = Type.Object(
  {
    metric: Type.String({ minLength: 1, maxLength: METRIC_LIMITS.metricNameLength, pattern: METRIC_NAME_PATTERN }),
    labels: Type.Optional(Labels),
    /** Epoch milliseconds; default: when the server receives it. */
    ts: Type.Optional(Epoch),
    value: Type.Number(),
  },
  { additionalProperties: false },
);
export type MetricSampleInput = Static<typeof MetricSampleInput>;

export const MetricPush = Type.Object(
  { samples: Type.Array(MetricSampleInput, { minItems: 1, maxItems: METRIC_LIMITS.samplesPerPush }) },
  { additionalProperties: false },
);
export type MetricPush = Static<typeof MetricPush>;
export const MetricPushResult = Type.Object({ accepted: Type.Integer() });

// ---------------------------------------------------------------- Prometheus-compatible query API

const PromTime = Type.String({ minLength: 1, maxLength: 40, description: 'Unix seconds (may be fractional) or RFC 3339' });
const Selector = Type.String({ minLength: 1, maxLength: 2000, description: 'a series selector: metric{label="v",l2=~"re",l3!="x",l4!~"y"}' });

export const SeriesQuery = Type.Object(
  {
    match: Type.Optional(Type.Array(Selector, { minItems: 1, maxItems: 20 })),
    'match[]': Type.Optional(Type.Array(Selector, { minItems: 1, maxItems: 20 })),
    start: Type.Optional(PromTime),
    end: Type.Optional(PromTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type SeriesQuery = Static<typeof SeriesQuery>;
export const SeriesResult = Type.Object({ status: Type.Literal('success'), data: Type.Array(Type.Record(Type.String(), Type.String())) });

export const AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'count'] as const;
export type Aggregation = (typeof AGGREGATIONS)[number];
export const RESOLUTIONS = ['raw', '5m', '1h'] as const;
export type Resolution = (typeof RESOLUTIONS)[number];

const ResolutionParam = Type.Enum(RESOLUTIONS, { description: 'force a resolution (default: chosen by range and step)' });

export const QueryRangeQuery = Type.Object(
  {
    query: Selector,
    start: Type.Optional(PromTime),
    end: Type.Optional(PromTime),
    step: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'a duration (15s, 5m, 1h, 1d) or seconds' })),
    agg: Type.Optional(Type.Enum(AGGREGATIONS)),
    resolution: Type.Optional(ResolutionParam),
  },
  { additionalProperties: false },
);
export type QueryRangeQuery = Static<typeof QueryRangeQuery>;

const PromMetric = Type.Record(Type.String(), Type.String());
export const MatrixResult = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    resultType: Type.Literal('matrix'),
    /** Which store answered: raw samples or a rollup (Yunwei extension). */
    resolution: Type.String(),
    result: Type.Array(Type.Object({ metric: PromMetric, values: Type.Array(Type.Tuple([Type.Number(), Type.String()])) })),
  }),
});
export type MatrixResult = Static<typeof MatrixResult>;

export const TopkQuery = Type.Object(
  {
    query: Selector,
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 10 })),
    start: Type.Optional(PromTime),
    end: Type.Optional(PromTime),
    by: Type.Optional(Type.Union([Type.Literal('avg'), Type.Literal('max')])),
    resolution: Type.Optional(ResolutionParam),
  },
  { additionalProperties: false },
);
export type TopkQuery = Static<typeof TopkQuery>;
export const VectorResult = Type.Object({
  status: Type.Literal('success'),
  data: Type.Object({
    resultType: Type.Literal('vector'),
    resolution: Type.String(),
    result: Type.Array(Type.Object({ metric: PromMetric, value: Type.Tuple([Type.Number(), Type.String()]) })),
  }),
});
export type VectorResult = Static<typeof VectorResult>;

// ---------------------------------------------------------------- Yunwei monitoring API

export const SeriesListQuery = Type.Object(
  {
    match: Type.Optional(Selector),
    ciId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 100 })),
  },
  { additionalProperties: false },
);
export type SeriesListQuery = Static<typeof SeriesListQuery>;
export const SeriesInfo = Type.Object({
  id: Type.Integer(),
  metric: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  ciId: Type.Union([Type.String(), Type.Null()]),
  createdAt: Epoch,
  lastSeen: Epoch,
});
export type SeriesInfo = Static<typeof SeriesInfo>;
export const SeriesList = Type.Object({ items: Type.Array(SeriesInfo), total: Type.Integer() });

/** Limits of the 最新数据 (latest data) search. */
export const LATEST_LIMITS = { searchLength: 200, searchWords: 8, pageSize: 200, ciNames: 100 } as const;

export const LatestQuery = Type.Object(
  {
    /**
     * Words, all of which must match: a plain word is found (ignoring case) in the metric name, a label
     * value or the name of the series' CI; `label=text` in that label's value (`ci=` also in the CI name).
     */
    search: Type.Optional(Type.String({ maxLength: LATEST_LIMITS.searchLength })),
    /** A series selector the series must also match. */
    match: Type.Optional(Selector),
    ciId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LATEST_LIMITS.pageSize, default: 50 })),
  },
  { additionalProperties: false },
);
export type LatestQuery = Static<typeof LatestQuery>;
export const LatestSeries = Type.Object({
  id: Type.Integer(),
  metric: Type.String(),
  labels: Type.Record(Type.String(), Type.String()),
  /** The series' CI; `name` null when the id names no CI. */
  ci: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  /** The newest stored sample (null: none left, e.g. past retention). */
  ts: Nullable(Epoch),
  /** Its value when finite; `valueText` spells every value the Prometheus way (NaN, +Inf). */
  value: Nullable(Type.Number()),
  valueText: Nullable(Type.String()),
  lastSeen: Epoch,
});
export type LatestSeries = Static<typeof LatestSeries>;
export const LatestList = Type.Object({
  items: Type.Array(LatestSeries),
  /** Series matching the search within the reader's scope. */
  total: Type.Integer(),
  /** The server's clock when answering (ages are measured from it). */
  at: Epoch,
});
export type LatestList = Static<typeof LatestList>;

export const CiNamesQuery = Type.Object(
  { ids: Type.String({ minLength: 1, maxLength: LATEST_LIMITS.ciNames * 65, description: `up to ${LATEST_LIMITS.ciNames} CI ids, comma-separated` }) },
  { additionalProperties: false },
);
export type CiNamesQuery = Static<typeof CiNamesQuery>;
/** Names of the CIs (of those asked) whose series the reader may see. */
export const CiNames = Type.Object({ items: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })) });
export type CiNames = Static<typeof CiNames>;

export const UtilisationQuery = Type.Object(
  {
    query: Selector,
    /** Epoch ms; default: 7 days before `end`. */
    start: Type.Optional(Epoch),
    /** Epoch ms; default: now. */
    end: Type.Optional(Epoch),
    /** The level that must not be crossed (e.g. 80 for CPU %): headroom = threshold − p95. */
    threshold: Type.Optional(Type.Number()),
    /** Group series by this label (e.g. host, instance); default: one group per series. */
    by: Type.Optional(Type.String({ minLength: 1, maxLength: 128, pattern: LABEL_NAME_PATTERN })),
    /** How many busiest groups to list. */
    k: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 5 })),
    rank: Type.Optional(Type.Union([Type.Literal('p95'), Type.Literal('avg'), Type.Literal('max')])),
    resolution: Type.Optional(ResolutionParam),
  },
  { additionalProperties: false },
);
export type UtilisationQuery = Static<typeof UtilisationQuery>;

export const UtilisationGroup = Type.Object({
  /** The grouping label's value, or the series' labels (with __name__). */
  key: Type.Record(Type.String(), Type.String()),
  series: Type.Integer(),
  /** Points analysed (samples, or rollup buckets for long ranges). */
  points: Type.Integer(),
  avg: Nullable(Type.Number()),
  p95: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  min: Nullable(Type.Number()),
  /** Least-squares slope, in the metric's unit per day. */
  trendPerDay: Nullable(Type.Number()),
  /** threshold − p95 (null without a threshold). */
  headroom: Nullable(Type.Number()),
  /** When the trend reaches the threshold at this rate (epoch ms), if it rises towards it. */
  thresholdEta: Nullable(Epoch),
});
export type UtilisationGroup = Static<typeof UtilisationGroup>;
export const UtilisationResult = Type.Object({
  query: Type.String(),
  start: Epoch,
  end: Epoch,
  resolution: Type.String(),
  threshold: Nullable(Type.Number()),
  by: Nullable(Type.String()),
  rank: Type.String(),
  groups: Type.Array(UtilisationGroup),
  /** The k busiest groups by `rank`, busiest first. */
  top: Type.Array(UtilisationGroup),
});
export type UtilisationResult = Static<typeof UtilisationResult>;

// ---------------------------------------------------------------- utilisation analysis report

/** The resources the written analysis judges, each a percentage with its own threshold. */
export const REPORT_RESOURCES = ['cpu', 'memory', 'fs'] as const;
export type ReportResource = (typeof REPORT_RESOURCES)[number];
/** expand (需扩容): over the threshold or reaching it within 30 days; watch (关注): near it, peaks over it, or reaching it within 90 days. */
export const UTILISATION_VERDICTS = ['expand', 'watch', 'normal', 'no_data'] as const;
export type UtilisationVerdict = (typeof UTILISATION_VERDICTS)[number];

const Percent = Type.Number({ minimum: 1, maximum: 100 });
export const UtilisationReportQuery = Type.Object(
  {
    /** Epoch ms; default: 7 days before `end`. */
    start: Type.Optional(Epoch),
    /** Epoch ms; default: now. */
    end: Type.Optional(Epoch),
    cpuThreshold: Type.Optional(Percent),
    memoryThreshold: Type.Optional(Percent),
    fsThreshold: Type.Optional(Percent),
  },
  { additionalProperties: false },
);
export type UtilisationReportQuery = Static<typeof UtilisationReportQuery>;

export const UtilisationFinding = Type.Object({
  ciId: Type.String(),
  ciName: Type.String(),
  resource: Type.Enum(REPORT_RESOURCES),
  /** The file system's mount point (fs only). */
  mount: Nullable(Type.String()),
  threshold: Type.Number(),
  avg: Nullable(Type.Number()),
  p95: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  trendPerDay: Nullable(Type.Number()),
  /** 0 when the p95 is already over the threshold; null when the trend does not reach it. */
  daysToThreshold: Nullable(Type.Number()),
  verdict: Type.Enum(UTILISATION_VERDICTS),
  /** The judgement and what to do, in the reader's language. */
  recommendation: Type.String(),
});
export type UtilisationFinding = Static<typeof UtilisationFinding>;

export const UtilisationReport = Type.Object({
  start: Epoch,
  end: Epoch,
  generatedAt: Epoch,
  thresholds: Type.Object({ cpu: Type.Number(), memory: Type.Number(), fs: Type.Number() }),
  /** Most urgent first (expand, watch, no data, normal). */
  findings: Type.Array(UtilisationFinding),
  /** The written analysis (shown on screen and downloaded as .docx). */
  document: WrittenDocument,
});
export type UtilisationReport = Static<typeof UtilisationReport>;

// ---------------------------------------------------------------- scrape targets

const TargetLabels = Type.Record(Type.String(), Type.String({ minLength: 1, maxLength: 256 }), { maxProperties: 16 });

export const ScrapeTarget = Type.Object({
  id: Id,
  name: Type.String(),
  url: Type.String(),
  intervalSeconds: Type.Integer(),
  timeoutMs: Type.Integer(),
  labels: Type.Record(Type.String(), Type.String()),
  enabled: Type.Boolean(),
  lastScrapeAt: Nullable(Epoch),
  lastDurationMs: Nullable(Type.Integer()),
  lastUp: Nullable(Type.Boolean()),
  lastError: Nullable(Type.String()),
  lastSamples: Nullable(Type.Integer()),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type ScrapeTarget = Static<typeof ScrapeTarget>;
export const ScrapeTargetList = Type.Array(ScrapeTarget);

export const ScrapeTargetCreate = Type.Object(
  {
    name: Name(64),
    url: Type.String({ minLength: 8, maxLength: 2000, pattern: '^https?://[^\\s]+$', description: 'http(s) URL of the exporter, e.g. http://10.0.0.5:9100/metrics' }),
    // Defaults (30 s, 10 s) are applied on create: a schema default would also fill in updates.
    intervalSeconds: Type.Optional(Type.Integer({ minimum: 5, maximum: 3600, description: 'default 30' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 60_000, description: 'default 10000, at most the interval' })),
    labels: Type.Optional(TargetLabels),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type ScrapeTargetCreate = Static<typeof ScrapeTargetCreate>;
export const ScrapeTargetUpdate = Type.Partial(ScrapeTargetCreate, { additionalProperties: false, minProperties: 1 });
export type ScrapeTargetUpdate = Static<typeof ScrapeTargetUpdate>;

export const ScrapeResult = Type.Object({
  targetId: Id,
  up: Type.Boolean(),
  at: Epoch,
  durationMs: Type.Integer(),
  samples: Type.Integer(),
  /** Samples dropped as invalid (bad names, NaN/Inf values). */
  dropped: Type.Integer(),
  error: Nullable(Type.String()),
});
export type ScrapeResult = Static<typeof ScrapeResult>;

// ---------------------------------------------------------------- series → CI mapping rules

export const CiRule = Type.Object({
  id: Id,
  /** Lower runs first; the first matching rule sets the series' CI. */
  priority: Type.Integer(),
  /** The label to look at (`__name__` for the metric name). */
  label: Type.String(),
  /** A regular expression that must match the whole label value. */
  pattern: Type.String(),
  /** The CI id, with `$1`, `$<name>` replaced by the pattern's groups. */
  ciTemplate: Type.String(),
  enabled: Type.Boolean(),
  createdAt: Epoch,
  updatedAt: Epoch,
});
export type CiRule = Static<typeof CiRule>;
export const CiRuleList = Type.Array(CiRule);
export const CiRuleCreate = Type.Object(
  {
    priority: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000, description: 'default 100' })),
    label: Type.String({ minLength: 1, maxLength: 128, pattern: LABEL_NAME_PATTERN }),
    pattern: Type.String({ minLength: 1, maxLength: 500 }),
    ciTemplate: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\u0000-\\u001f]+$' }),
    enabled: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);
export type CiRuleCreate = Static<typeof CiRuleCreate>;
export const CiRuleUpdate = Type.Partial(CiRuleCreate, { additionalProperties: false, minProperties: 1 });
export type CiRuleUpdate = Static<typeof CiRuleUpdate>;
/** A rule change re-maps stored series: how many changed. */
export const CiRuleChange = Type.Object({ rule: Nullable(CiRule), remapped: Type.Integer() });

// ---------------------------------------------------------------- settings

export const MonitoringSettings = Type.Object({
  rawRetentionDays: Type.Integer(),
  rollup5mRetentionDays: Type.Integer(),
  rollup1hRetentionDays: Type.Integer(),
  /**
   * How many new series one credential (API token, user session, agent) may create per minute, through
   * push and remote-write; a request over it is refused whole (429 YW_MONITORING_SERIES_BUDGET).
   */
  newSeriesPerMinute: Type.Integer(),
  updatedAt: Nullable(Epoch),
});
export type MonitoringSettings = Static<typeof MonitoringSettings>;
export const MonitoringSettingsUpdate = Type.Object(
  {
    rawRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    rollup5mRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    rollup1hRetentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
    newSeriesPerMinute: Type.Optional(Type.Integer({ minimum: 10, maximum: 10_000_000 })),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type MonitoringSettingsUpdate = Static<typeof MonitoringSettingsUpdate>;

// ---------------------------------------------------------------- Prometheus HTTP API extras (Grafana)

export const InstantQuery = Type.Object(
  {
    /** A series selector, a number, or `sum|avg|min|max|count [by|without (labels)] (selector)`. */
    query: Type.String({ minLength: 1, maxLength: 2000 }),
    /** Evaluation time (default: now). */
    time: Type.Optional(PromTime),
    /** Accepted for compatibility (queries are not cancelled). */
    timeout: Type.Optional(Type.String({ maxLength: 20 })),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type InstantQuery = Static<typeof InstantQuery>;
export const InstantResult = Type.Object({
  status: Type.Literal('success'),
  data: Type.Union([
    Type.Object({ resultType: Type.Literal('vector'), result: Type.Array(Type.Object({ metric: PromMetric, value: Type.Tuple([Type.Number(), Type.String()]) })) }),
    Type.Object({ resultType: Type.Literal('scalar'), result: Type.Tuple([Type.Number(), Type.String()]) }),
  ]),
});
export type InstantResult = Static<typeof InstantResult>;

export const LabelsQuery = Type.Object(
  {
    'match[]': Type.Optional(Type.Array(Selector, { minItems: 1, maxItems: 20 })),
    start: Type.Optional(PromTime),
    end: Type.Optional(PromTime),
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100_000 })),
  },
  { additionalProperties: false },
);
export type LabelsQuery = Static<typeof LabelsQuery>;
export const LabelNameParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: METRIC_LIMITS.labelNameLength }) });
export const StringListResult = Type.Object({ status: Type.Literal('success'), data: Type.Array(Type.String()) });
/** Errors of the Prometheus-compatible routes: Prometheus' envelope (plus Yunwei's code). */
export const PromError = Type.Object({ status: Type.Literal('error'), errorType: Type.String(), error: Type.String(), code: Type.Optional(Type.String()) });
