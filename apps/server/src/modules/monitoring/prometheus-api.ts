/**
 * The rest of the Prometheus HTTP API a Grafana "Prometheus" data source uses, over Yunwei's store:
 * instant queries (`/api/v1/query`), label names and values (`/api/v1/labels`,
 * `/api/v1/label/:name/values`), and the POST (form-encoded) variants of query, query_range and series
 * that Grafana sends by default. Answers and errors use Prometheus' envelope
 * (`{status:'success',data}` / `{status:'error',errorType,error}`; Yunwei's error code is kept as `code`).
 */
import {
  InstantQuery,
  InstantResult,
  LabelNameParams,
  LabelsQuery,
  MatrixResult,
  MONITORING_PERMISSIONS as P,
  PromError,
  QueryRangeQuery,
  SeriesQuery,
  SeriesResult,
  StringListResult,
} from '@yunwei/contracts/monitoring';
import type { ErrorCode } from '@yunwei/contracts/errors';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyError } from 'fastify';
import { sql, type Kysely } from 'kysely';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { invalidField, isAppError } from '../../platform/errors.js';
import { errorBody } from '../../platform/http/error-handler.js';
import { localeFrom } from '../../platform/http/locale.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { YunweiApp } from '../../platform/module.js';
import { aggregateValues, groupKey, InstantQueryError, parseInstantQuery } from './instant-query.js';
import { MetricsRepository } from './metrics.repository.js';
import type { MonitoringRuntime } from './runtime.js';
import { parsePromTime } from './selector.js';
import { promMetric } from './series.js';

/** Prometheus' default lookback: an instant query sees a series' newest sample of the last 5 minutes. */
export const LOOKBACK_MS = 5 * 60_000;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function formatValue(v: number): string {
  return Number.isNaN(v) ? 'NaN' : Number.isFinite(v) ? String(v) : v > 0 ? '+Inf' : '-Inf';
}

function time(text: string | undefined, field: string, fallback: number): number {
  if (text === undefined) {
    return fallback;
  }
  const t = parsePromTime(text);
  if (t === null) {
    throw invalidField(field, { zh: '必须是 Unix 秒或 RFC 3339 时间', en: 'must be Unix seconds or an RFC 3339 time' });
  }
  return t;
}

export class PrometheusApi {
  readonly #repo: MetricsRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly m: Pick<MonitoringRuntime, 'queries'>,
  ) {
    this.#repo = new MetricsRepository(db);
  }

  /** GET /api/v1/query: a number, a selector (newest sample within the lookback) or an aggregation of one. */
  async query(actor: Actor, q: InstantQuery, now = Date.now()): Promise<InstantResult> {
    const at = time(q.time, 'querystring.time', now);
    let expr;
    try {
      expr = parseInstantQuery(q.query);
    } catch (error) {
      if (error instanceof InstantQueryError) {
        throw invalidField('querystring.query', { zh: `不支持的查询：${error.message}`, en: error.message });
      }
      throw error;
    }
    if (expr.kind === 'scalar') {
      return { status: 'success', data: { resultType: 'scalar', result: [at / 1000, formatValue(expr.value)] } };
    }
    const series = await this.m.queries.select(expr.selector, 'querystring.query', undefined, await this.m.queries.scopes.filterFor(actor));
    const latest = new Map<number, number>();
    // Samples in (at − lookback, at], ordered by (series, ts): the last one per series wins.
    for (const s of await this.#repo.rawSamples(
      series.map((s) => s.id),
      at - LOOKBACK_MS + 1,
      at + 1,
    )) {
      latest.set(s.series_id, s.value);
    }
    const vector: { metric: Record<string, string>; value: number }[] = [];
    for (const s of series) {
      const v = latest.get(s.id);
      if (v !== undefined) {
        vector.push({ metric: promMetric(s.metric, s.labels), value: v });
      }
    }
    let out = vector;
    if (expr.kind === 'aggregate') {
      const groups = new Map<string, { metric: Record<string, string>; values: number[] }>();
      for (const { metric, value } of vector) {
        const key = groupKey(metric, expr.grouping);
        const id = JSON.stringify(Object.entries(key).sort(([a], [b]) => (a < b ? -1 : 1)));
        const g = groups.get(id) ?? { metric: key, values: [] };
        g.values.push(value);
        groups.set(id, g);
      }
      out = [...groups.values()].map((g) => ({ metric: g.metric, value: aggregateValues(expr.op, g.values) }));
    }
    const limited = q.limit ? out.slice(0, q.limit) : out;
    return { status: 'success', data: { resultType: 'vector', result: limited.map((r) => ({ metric: r.metric, value: [at / 1000, formatValue(r.value)] as [number, string] })) } };
  }

  /**
   * Series active in [start, end] (both optional) that the actor may see, for the label routes without
   * match[]: with a restricted grant, those without a CI or with a CI in one of the units it reaches.
   */
  #visibleIn(actor: Actor, start: number | null, end: number | null) {
    const units = this.m.queries.scopes.units(actor);
    const reach =
      units === null
        ? sql`true`
        : units.size === 0
          ? sql`s.ci_id is null`
          : sql`(s.ci_id is null or s.ci_id in (select c.id from cmdb_ci c where c.org_unit_id in (${sql.join([...units])})))`;
    return sql`${start === null ? sql`true` : sql`s.last_seen >= ${start}`} and ${end === null ? sql`true` : sql`s.created_at <= ${end}`} and ${reach}`;
  }

  async #matching(actor: Actor, selectors: readonly string[], start: number | null, end: number | null) {
    const out = new Map<number, Record<string, string>>();
    const visible = await this.m.queries.scopes.filterFor(actor);
    for (const selector of selectors) {
      for (const s of await this.m.queries.select(selector, 'querystring.match[]', undefined, visible)) {
        if ((start === null || s.lastSeen >= start) && (end === null || s.createdAt <= end)) {
          out.set(s.id, promMetric(s.metric, s.labels));
        }
      }
    }
    return [...out.values()];
  }

  /** GET /api/v1/labels: label names of the (matching) series, sorted, __name__ included. */
  async labels(actor: Actor, q: LabelsQuery): Promise<{ status: 'success'; data: string[] }> {
    const start = q.start === undefined ? null : time(q.start, 'querystring.start', 0);
    const end = q.end === undefined ? null : time(q.end, 'querystring.end', 0);
    const names = new Set<string>();
    if (q['match[]']) {
      for (const metric of await this.#matching(actor, q['match[]'], start, end)) {
        Object.keys(metric).forEach((k) => names.add(k));
      }
    } else {
      const keys =
        dialectOf(this.db) === 'postgres'
          ? sql<{ k: string }>`select distinct jsonb_object_keys(s.labels::jsonb) as k from metric_series s where ${this.#visibleIn(actor, start, end)}`
          : sql<{ k: string }>`select distinct j.key as k from metric_series s, json_each(s.labels) j where ${this.#visibleIn(actor, start, end)}`;
      (await keys.execute(this.db)).rows.forEach((r) => names.add(r.k));
      const any = await sql<{ n: number }>`select 1 as n from metric_series s where ${this.#visibleIn(actor, start, end)} limit 1`.execute(this.db);
      if (any.rows.length) {
        names.add('__name__');
      }
    }
    const sorted = [...names].sort();
    return { status: 'success', data: q.limit ? sorted.slice(0, q.limit) : sorted };
  }

  /** GET /api/v1/label/:name/values: the values a label takes (metric names for __name__), sorted. */
  async labelValues(actor: Actor, name: string, q: LabelsQuery): Promise<{ status: 'success'; data: string[] }> {
    if (name !== '__name__' && !LABEL_NAME.test(name)) {
      throw invalidField('params.name', { zh: '必须是标签名（[a-zA-Z_][a-zA-Z0-9_]*）', en: 'must be a label name ([a-zA-Z_][a-zA-Z0-9_]*)' });
    }
    const start = q.start === undefined ? null : time(q.start, 'querystring.start', 0);
    const end = q.end === undefined ? null : time(q.end, 'querystring.end', 0);
    const values = new Set<string>();
    if (q['match[]']) {
      for (const metric of await this.#matching(actor, q['match[]'], start, end)) {
        if (metric[name] !== undefined) {
          values.add(metric[name]);
        }
      }
    } else {
      const column =
        name === '__name__' ? sql`s.metric` : dialectOf(this.db) === 'postgres' ? sql`(s.labels::jsonb ->> ${name})` : sql`json_extract(s.labels, ${`$."${name}"`})`;
      const rows = await sql<{ v: string | null }>`select distinct ${column} as v from metric_series s where ${this.#visibleIn(actor, start, end)}`.execute(this.db);
      rows.rows.forEach((r) => r.v !== null && values.add(String(r.v)));
    }
    const sorted = [...values].sort();
    return { status: 'success', data: q.limit ? sorted.slice(0, q.limit) : sorted };
  }
}

interface AjvLikeError {
  instancePath: string;
  message?: string;
  params: Record<string, unknown>;
}

/**
 * A body the parsers refused (malformed JSON, an unsupported content type, too large): the client's
 * mistake, answered in the envelope like any bad parameter — the app's handler would send Yunwei's
 * envelope, which the routes' 400 schema (PromError) cannot serialise (a 500). Prometheus itself
 * answers a body it cannot read with 400 bad_data.
 */
function bodyParserError(error: FastifyError): { status: number; code: ErrorCode } | null {
  if (typeof error.code !== 'string' || !error.code.startsWith('FST_ERR_CTP_')) {
    return null;
  }
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, code: 'YW_BODY_TOO_LARGE' };
  }
  return { status: 400, code: error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'YW_UNSUPPORTED_MEDIA_TYPE' : 'YW_MALFORMED_BODY' };
}

/** Prometheus' error envelope for this scope's routes; what is not a client error goes to the app's handler. */
function promErrors(scope: YunweiApp): void {
  scope.setErrorHandler((error: FastifyError, request, reply) => {
    const locale = request.locale ?? localeFrom(request.headers['accept-language']);
    if (isAppError(error) && error.status < 500) {
      const body = errorBody(error.code, locale, error.details);
      return reply.status(error.status).send({ status: 'error', errorType: error.code === 'YW_MONITORING_QUERY_TOO_LARGE' ? 'execution' : 'bad_data', error: body.message, code: error.code });
    }
    if (error.validation) {
      const e = error.validation[0] as AjvLikeError | undefined;
      const child = (e?.params.missingProperty ?? e?.params.additionalProperty) as string | undefined;
      const field = [error.validationContext ?? 'body', e?.instancePath.replace(/^\//, '').replace(/\//g, '.'), child].filter(Boolean).join('.');
      const message = e?.params.additionalProperty ? 'is not a known parameter' : (e?.message ?? 'is invalid');
      return reply.status(400).send({ status: 'error', errorType: 'bad_data', error: `${field}: ${message}`, code: 'YW_VALIDATION' });
    }
    const parser = bodyParserError(error);
    if (parser) {
      const body = errorBody(parser.code, locale);
      return reply.status(parser.status).send({ status: 'error', errorType: 'bad_data', error: `${body.message}: ${error.message}`, code: parser.code });
    }
    throw error;
  });
}

/** `a=1&match[]=x&match[]=y` → { a: '1', 'match[]': ['x', 'y'] } (array parameters always arrays). */
export function parseForm(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [k, v] of new URLSearchParams(text)) {
    if (k.endsWith('[]') || k === 'match') {
      ((out[k] ??= []) as string[]).push(v);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Form fields that are numbers in the schemas (a form has only strings; the body validator does not coerce). */
function coerceLimit(body: Record<string, string | string[]>): Record<string, unknown> {
  return typeof body.limit === 'string' && /^\d+$/.test(body.limit) ? { ...body, limit: Number(body.limit) } : body;
}

export async function prometheusApiRoutes(app: YunweiApp, db: Kysely<Database>, m: MonitoringRuntime): Promise<void> {
  const api = new PrometheusApi(db, m);
  const tags = ['monitoring'];
  const config = { permission: P.metricRead };
  const errors = { 400: PromError, 413: PromError };
  await app.register(async (plain) => {
    const scope = plain.withTypeProvider<TypeBoxTypeProvider>();
    promErrors(scope);
    scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 256 * 1024 }, (_req, body, done) => done(null, coerceLimit(parseForm(body as string))));

    const instant = { tags, summary: 'Instant query: a series selector (newest sample within 5 minutes), a number, or sum|avg|min|max|count [by|without] of a selector', response: { 200: InstantResult, ...errors } };
    scope.get('/api/v1/query', { config, schema: { ...instant, querystring: InstantQuery } }, (req) => api.query(actorOf(req), req.query));
    scope.post('/api/v1/query', { config, schema: { ...instant, body: InstantQuery } }, (req) => api.query(actorOf(req), req.body));
    scope.post(
      '/api/v1/query_range',
      { config, schema: { tags, summary: 'Range query (form-encoded POST, as Grafana sends it)', body: QueryRangeQuery, response: { 200: MatrixResult, ...errors } } },
      (req) => m.queries.queryRange(actorOf(req), req.body),
    );
    scope.post('/api/v1/series', { config, schema: { tags, summary: 'Series (form-encoded POST)', body: SeriesQuery, response: { 200: SeriesResult, ...errors } } }, (req) => m.queries.series(actorOf(req), req.body));

    const labels = { tags, response: { 200: StringListResult, ...errors } };
    scope.get('/api/v1/labels', { config, schema: { ...labels, summary: 'Label names', querystring: LabelsQuery } }, (req) => api.labels(actorOf(req), req.query));
    scope.post('/api/v1/labels', { config, schema: { ...labels, summary: 'Label names (form-encoded POST)', body: LabelsQuery } }, (req) => api.labels(actorOf(req), req.body));
    scope.get('/api/v1/label/:name/values', { config, schema: { ...labels, summary: 'Values of a label (__name__: metric names)', params: LabelNameParams, querystring: LabelsQuery } }, (req) =>
      api.labelValues(actorOf(req), req.params.name, req.query),
    );
  });
}
