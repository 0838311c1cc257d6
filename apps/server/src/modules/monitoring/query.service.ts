import type {
  MatrixResult,
  QueryRangeQuery,
  Resolution,
  SeriesInfo,
  SeriesListQuery,
  SeriesQuery,
  TopkQuery,
  UtilisationGroup,
  UtilisationQuery,
  UtilisationResult,
  VectorResult,
} from '@yunwei/contracts/monitoring';
import type { Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { MetricScopes, SeriesFilter } from './metric-scope.js';
import { MetricsRepository, type SeriesRow } from './metrics.repository.js';
import { BUCKET_MS, chooseResolution, gridStart, MAX_POINTS, planTiers } from './query-plan.js';
import { exactMetric, parseDuration, parsePromTime, parseSelector, SelectorError, seriesMatches, type Matcher } from './selector.js';
import { promMetric } from './series.js';
import type { MonitoringSettingsService } from './settings.service.js';
import { addBucket, busiest, mergeBuckets, summarise, type Bucket } from './utilisation.js';

/** Series read as candidates for one selector (before label matching). */
const MAX_CANDIDATES = 200_000;
/** Series one range query, top-N or analysis may cover. */
const MAX_QUERY_SERIES = 10_000;
const HOUR_MS = 3_600_000;

export interface Series {
  id: number;
  metric: string;
  labels: Record<string, string>;
  ciId: string | null;
  createdAt: number;
  lastSeen: number;
}

function toSeries(row: SeriesRow): Series {
  return { id: row.id, metric: row.metric, labels: JSON.parse(row.labels) as Record<string, string>, ciId: row.ci_id, createdAt: Number(row.created_at), lastSeen: Number(row.last_seen) };
}

/** How Prometheus writes sample values: decimal text, NaN and ±Inf spelled its way. */
function formatValue(v: number): string {
  if (Number.isNaN(v)) {
    return 'NaN';
  }
  if (!Number.isFinite(v)) {
    return v > 0 ? '+Inf' : '-Inf';
  }
  return String(v);
}

function aggregate(b: Bucket, agg: 'avg' | 'min' | 'max' | 'sum' | 'count'): number {
  switch (agg) {
    case 'avg':
      return b.sum / b.count;
    case 'min':
      return b.min;
    case 'max':
      return b.max;
    case 'sum':
      return b.sum;
    case 'count':
      return b.count;
  }
}

/** Reading the store: series selection, range queries over raw samples or rollups, top-N, utilisation. */
export class QueryService {
  private readonly repo: MetricsRepository;

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db'>,
    private readonly settings: MonitoringSettingsService,
    readonly scopes: MetricScopes,
  ) {
    this.repo = new MetricsRepository(ctx.db);
  }

  parse(selector: string, field: string): Matcher[] {
    try {
      return parseSelector(selector);
    } catch (error) {
      if (error instanceof SelectorError) {
        throw invalidField(field, error.text);
      }
      throw error;
    }
  }

  /**
   * Every stored series the selector matches that `visible` lets through (null: all). Series outside the
   * reader's scope are dropped here, before any aggregation, and do not count towards `limit`.
   */
  async select(selector: string, field: string, limit = MAX_QUERY_SERIES, visible: SeriesFilter = null): Promise<Series[]> {
    const matchers = this.parse(selector, field);
    const exact = exactMetric(matchers);
    let metrics: string[] | null = exact === null ? null : [exact];
    const nameMatchers = matchers.filter((m) => m.label === '__name__');
    if (metrics === null && nameMatchers.length) {
      metrics = (await this.repo.metricNames()).filter((name) => seriesMatches(nameMatchers, name, {}));
    }
    const rows = await this.repo.seriesOf(metrics, MAX_CANDIDATES + 1);
    if (rows.length > MAX_CANDIDATES) {
      throw new AppError('YW_MONITORING_QUERY_TOO_LARGE', { field, candidates: MAX_CANDIDATES });
    }
    const out: Series[] = [];
    for (const row of rows) {
      if (visible !== null && !visible(row.ci_id)) {
        continue;
      }
      const s = toSeries(row);
      if (seriesMatches(matchers, s.metric, s.labels)) {
        out.push(s);
        if (out.length > limit) {
          throw new AppError('YW_MONITORING_QUERY_TOO_LARGE', { field, series: limit });
        }
      }
    }
    return out;
  }

  /** GET /api/v1/series: label sets of the matching series (active in [start, end] when given). */
  async series(actor: Actor, q: SeriesQuery): Promise<{ status: 'success'; data: Record<string, string>[] }> {
    const selectors = [...(q.match ?? []), ...(q['match[]'] ?? [])];
    if (selectors.length === 0) {
      throw invalidField('querystring.match', { zh: '至少需要一个序列选择器', en: 'at least one series selector is required' });
    }
    const start = q.start === undefined ? null : this.#time(q.start, 'querystring.start');
    const end = q.end === undefined ? null : this.#time(q.end, 'querystring.end');
    const limit = q.limit ?? MAX_QUERY_SERIES;
    const visible = await this.scopes.filterFor(actor);
    const seen = new Map<number, Record<string, string>>();
    for (const [i, selector] of selectors.entries()) {
      const field = q.match && i < q.match.length ? 'querystring.match' : 'querystring.match[]';
      for (const s of await this.select(selector, field, MAX_QUERY_SERIES, visible)) {
        if ((start === null || s.lastSeen >= start) && (end === null || s.createdAt <= end)) {
          seen.set(s.id, promMetric(s.metric, s.labels));
        }
      }
    }
    return { status: 'success', data: [...seen.values()].slice(0, limit) };
  }

  /** GET /api/monitoring/series: series with their ids and CI, paged. */
  async list(actor: Actor, q: SeriesListQuery): Promise<{ items: SeriesInfo[]; total: number }> {
    const visible = await this.scopes.filterFor(actor);
    let all: Series[];
    if (q.match) {
      all = await this.select(q.match, 'querystring.match', MAX_CANDIDATES, visible);
      if (q.ciId !== undefined) {
        all = all.filter((s) => s.ciId === q.ciId);
      }
    } else if (q.ciId !== undefined) {
      all = visible === null || visible(q.ciId) ? (await this.repo.seriesOfCi(q.ciId, MAX_CANDIDATES)).map(toSeries) : [];
    } else {
      all = (await this.repo.seriesOf(null, MAX_CANDIDATES)).filter((row) => visible === null || visible(row.ci_id)).map(toSeries);
    }
    const offset = q.offset ?? 0;
    const items = all.slice(offset, offset + (q.limit ?? 100)).map((s) => ({ id: s.id, metric: s.metric, labels: s.labels, ciId: s.ciId, createdAt: s.createdAt, lastSeen: s.lastSeen }));
    return { items, total: all.length };
  }

  /** GET /api/v1/query_range: per series, `agg` of the samples in each step (point t covers [t, t + step)). */
  async queryRange(actor: Actor, q: QueryRangeQuery, now = Date.now()): Promise<MatrixResult> {
    const { start, end } = this.#range(q.start, q.end, HOUR_MS, now);
    let step: number;
    if (q.step === undefined) {
      step = Math.max(1000, Math.ceil((end - start) / 250 / 1000) * 1000);
    } else {
      const parsed = parseDuration(q.step);
      if (parsed === null || parsed <= 0) {
        throw invalidField('querystring.step', { zh: '必须是正的时长（15s、5m、1h）或秒数', en: 'must be a positive duration (15s, 5m, 1h) or seconds' });
      }
      step = parsed;
    }
    const retention = await this.settings.retention();
    const resolution = q.resolution ?? chooseResolution({ start, end, step, now, retention });
    if (resolution !== 'raw' && step % BUCKET_MS[resolution] !== 0) {
      throw invalidField('querystring.step', { zh: `读取 ${resolution} 汇总数据时必须是 ${resolution} 的整数倍`, en: `must be a multiple of ${resolution} to read ${resolution} rollups` });
    }
    const grid = gridStart(start, resolution);
    if (Math.floor((end - grid) / step) + 1 > MAX_POINTS) {
      throw new AppError('YW_MONITORING_QUERY_TOO_LARGE', { field: 'querystring.step', maxPoints: MAX_POINTS });
    }
    const series = await this.select(q.query, 'querystring.query', MAX_QUERY_SERIES, await this.scopes.filterFor(actor));
    const buckets = await this.buckets(
      series.map((s) => s.id),
      resolution,
      grid,
      end,
      step,
    );
    const agg = q.agg ?? 'avg';
    const result: MatrixResult['data']['result'] = [];
    for (const s of series) {
      const list = buckets.get(s.id);
      if (list?.length) {
        result.push({ metric: promMetric(s.metric, s.labels), values: list.map((b) => [b.ts / 1000, formatValue(aggregate(b, agg))] as [number, string]) });
      }
    }
    return { status: 'success', data: { resultType: 'matrix', resolution, result } };
  }

  /** GET /api/v1/topk: the k series with the highest average (or maximum) over [start, end]. */
  async topk(actor: Actor, q: TopkQuery, now = Date.now()): Promise<VectorResult> {
    const { start, end } = this.#range(q.start, q.end, HOUR_MS, now);
    const retention = await this.settings.retention();
    const resolution = q.resolution ?? chooseResolution({ start, end, step: null, now, retention });
    const grid = gridStart(start, resolution);
    const series = await this.select(q.query, 'querystring.query', MAX_QUERY_SERIES, await this.scopes.filterFor(actor));
    const buckets = await this.buckets(
      series.map((s) => s.id),
      resolution,
      grid,
      end,
      end + 1 - grid,
    );
    const by = q.by ?? 'avg';
    const ranked: { s: (typeof series)[number]; v: number }[] = [];
    for (const s of series) {
      const merged = mergeBuckets([buckets.get(s.id) ?? []])[0];
      if (merged && merged.count > 0) {
        ranked.push({ s, v: by === 'max' ? merged.max : merged.sum / merged.count });
      }
    }
    ranked.sort((a, b) => b.v - a.v);
    const result = ranked.slice(0, q.k ?? 10).map(({ s, v }) => ({ metric: promMetric(s.metric, s.labels), value: [end / 1000, formatValue(v)] as [number, string] }));
    return { status: 'success', data: { resultType: 'vector', resolution, result } };
  }

  /**
   * GET /api/monitoring/utilisation (L3-2.1.2): per series or per value of label `by`: average, p95,
   * maximum, trend per day and headroom to a threshold, and the k busiest. Short ranges read raw
   * samples; longer ones 5-minute (or 1-hour) rollups, whose bucket averages p95 and the trend use.
   */
  async utilisation(actor: Actor, q: UtilisationQuery, now = Date.now()): Promise<UtilisationResult> {
    const end = q.end ?? now;
    const start = q.start ?? end - 7 * 86_400_000;
    if (start > end) {
      throw invalidField('querystring.start', { zh: '不能晚于结束时间', en: 'must not be after end' });
    }
    const retention = await this.settings.retention();
    const resolution = q.resolution ?? chooseResolution({ start, end, step: null, now, retention });
    const grid = gridStart(start, resolution);
    const series = await this.select(q.query, 'querystring.query', MAX_QUERY_SERIES, await this.scopes.filterFor(actor));
    const buckets = await this.buckets(
      series.map((s) => s.id),
      resolution,
      grid,
      end,
      resolution === 'raw' ? 0 : BUCKET_MS[resolution],
    );
    const groups = new Map<string, { key: Record<string, string>; lists: Bucket[][] }>();
    for (const s of series) {
      const key = q.by ? { [q.by]: s.labels[q.by] ?? '' } : promMetric(s.metric, s.labels);
      const id = JSON.stringify(key);
      const group = groups.get(id) ?? { key, lists: [] };
      group.lists.push(buckets.get(s.id) ?? []);
      groups.set(id, group);
    }
    const threshold = q.threshold ?? null;
    const stats: UtilisationGroup[] = [...groups.values()].map((g) => ({ key: g.key, series: g.lists.length, ...summarise(mergeBuckets(g.lists), threshold) }));
    stats.sort((a, b) => JSON.stringify(a.key).localeCompare(JSON.stringify(b.key)));
    const rank = q.rank ?? 'p95';
    return { query: q.query, start, end, resolution, threshold, by: q.by ?? null, rank, groups: stats, top: busiest(stats, q.k ?? 5, rank) };
  }

  /**
   * Buckets of `step` ms on the grid, per series, from the stores the resolution reads; the newest part
   * (not yet rolled up) from finer stores. step 0 (raw only): one bucket per sample.
   */
  async buckets(seriesIds: readonly number[], resolution: Resolution, grid: number, end: number, step: number): Promise<Map<number, Bucket[]>> {
    const out = new Map<number, Map<number, Bucket>>();
    if (seriesIds.length === 0) {
      return new Map();
    }
    const state = await this.repo.rollupState(this.ctx.db);
    const watermark = (level: '5m' | '1h') => {
      const s = state.get(level);
      return s === undefined || s.done_until === null ? null : Math.min(s.done_until, s.dirty_from ?? Infinity);
    };
    const tiers = planTiers(resolution, grid, end, { '5m': watermark('5m'), '1h': watermark('1h') });
    const read = (tier: (typeof tiers)[number]) =>
      tier.source === 'raw'
        ? this.repo.rawBuckets(seriesIds, tier.from, tier.to, grid, step)
        : this.repo.rollupBuckets(tier.source === '5m' ? 'metric_rollup_5m' : 'metric_rollup_1h', seriesIds, tier.from, tier.to, grid, step);
    if (tiers.length === 1) {
      // One store (every raw-resolution query): no bucket spans two tiers, nothing to merge.
      const part = await read(tiers[0]!);
      for (const list of part.values()) {
        list.sort((a, b) => a.ts - b.ts);
      }
      return part;
    }
    for (const tier of tiers) {
      const part = await read(tier);
      for (const [id, list] of part) {
        let byTs = out.get(id);
        if (!byTs) {
          byTs = new Map();
          out.set(id, byTs);
        }
        for (const b of list) {
          addBucket(byTs, b);
        }
      }
    }
    return new Map([...out].map(([id, byTs]) => [id, [...byTs.values()].sort((a, b) => a.ts - b.ts)]));
  }

  #time(text: string, field: string): number {
    const t = parsePromTime(text);
    if (t === null) {
      throw invalidField(field, { zh: '必须是 Unix 秒或 RFC 3339 时间', en: 'must be Unix seconds or an RFC 3339 time' });
    }
    return t;
  }

  #range(startText: string | undefined, endText: string | undefined, defaultRange: number, now: number): { start: number; end: number } {
    const end = endText === undefined ? now : this.#time(endText, 'querystring.end');
    const start = startText === undefined ? end - defaultRange : this.#time(startText, 'querystring.start');
    if (start > end) {
      throw invalidField('querystring.end', { zh: '不能早于开始时间', en: 'must not be before start' });
    }
    return { start, end };
  }
}
