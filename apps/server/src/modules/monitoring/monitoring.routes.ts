import { IdParams, Ok } from '@yunwei/contracts/common';
import { DOCUMENT_FORMAT_NAMES, DOCUMENT_FORMATS } from '@yunwei/contracts/documents';
import {
  CiNames,
  CiNamesQuery,
  CiRuleChange,
  CiRuleCreate,
  CiRuleList,
  CiRuleUpdate,
  LatestList,
  LatestQuery,
  MatrixResult,
  MetricPush,
  MetricPushResult,
  MONITORING_PERMISSIONS as P,
  MonitoringSettings,
  MonitoringSettingsUpdate,
  QueryRangeQuery,
  ScrapeResult,
  ScrapeTarget,
  ScrapeTargetCreate,
  ScrapeTargetList,
  ScrapeTargetUpdate,
  SeriesList,
  SeriesListQuery,
  SeriesQuery,
  SeriesResult,
  TopkQuery,
  UtilisationQuery,
  UtilisationReport,
  UtilisationReportQuery,
  UtilisationResult,
  VectorResult,
} from '@yunwei/contracts/monitoring';
import type { FastifyReply } from 'fastify';
import { sendDocument } from '../../platform/documents/send-document.js';
import { AppError, isAppError } from '../../platform/errors.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { MonitoringOverview } from '@yunwei/contracts/dashboards';
import { pushSamples, RemoteRefCache, remoteSamples } from './ingest-input.js';
import { LatestService } from './latest.service.js';
import { liveRoutes } from './live.routes.js';
import { OverviewService } from './overview.js';
import { prometheusApiRoutes } from './prometheus-api.js';
import { decodeRemoteWrite, MAX_SAMPLES, MAX_UNCOMPRESSED, RemoteWriteError, RemoteWriteTooLargeError } from './remote-write.js';
import { registerMonitoringProviders, statusAnalysis } from './report-providers.js';
import { monitoringOf } from './runtime.js';
import { StatusAnalysis, StatusAnalysisQuery } from '@yunwei/contracts/reports';

/** Remote-write series validated once per process (see RemoteRefCache). */
const remoteRefs = new RemoteRefCache();

/** Runs the ingest guard; a refusal for the new-series budget tells the sender when to retry (Retry-After). */
async function admitted(reply: FastifyReply, admit: () => Promise<void>): Promise<void> {
  try {
    await admit();
  } catch (error) {
    const retry = isAppError(error) && error.code === 'YW_MONITORING_SERIES_BUDGET' ? error.details?.retryAfterSeconds : undefined;
    if (typeof retry === 'number') {
      void reply.header('retry-after', String(retry));
    }
    throw error;
  }
}

/** Bodies of the ingestion routes may be larger than the API's default 1 MiB (50,000 JSON samples ≈ 5 MiB). */
const INGEST_BODY_LIMIT = 16 * 1024 * 1024;

export async function monitoringRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  const m = monitoringOf(ctx);
  registerMonitoringProviders(ctx, m);
  const tags = ['monitoring'];
  const metricWrite = { permission: P.metricWrite };
  const metricRead = { permission: P.metricRead };

  // Scrapes run in the process that serves (not in tests that only inject requests); queued samples
  // are written before the app closes.
  app.addHook('onListen', async () => m.scheduler.start());
  app.addHook('onClose', async () => m.close());

  // ---------------------------------------------------------------- ingestion
  app.post(
    '/api/v1/metrics',
    { config: metricWrite, bodyLimit: INGEST_BODY_LIMIT, schema: { tags, summary: 'Push samples (JSON; ts in epoch ms, default now)', body: MetricPush, response: { 200: MetricPushResult } } },
    async (req, reply) => {
      const samples = pushSamples(req.body, Date.now());
      await admitted(reply, () => m.guard.admit({ actor: actorOf(req) }, samples, 'push'));
      await m.ingest.write(samples);
      return { accepted: samples.length };
    },
  );

  // Prometheus remote-write 1.0: snappy-compressed protobuf, in a scope of its own for the body parser.
  await app.register(async (scope) => {
    scope.addContentTypeParser('application/x-protobuf', { parseAs: 'buffer', bodyLimit: INGEST_BODY_LIMIT }, (_req, body, done) => done(null, body));
    scope.post(
      '/api/v1/write',
      {
        config: metricWrite,
        bodyLimit: INGEST_BODY_LIMIT,
        schema: { tags, summary: 'Prometheus remote-write receiver (Content-Type: application/x-protobuf, Content-Encoding: snappy)', response: { 204: { type: 'null' } } },
      },
      async (req, reply) => {
        const encoding = req.headers['content-encoding'];
        if (encoding !== undefined && encoding.toLowerCase() !== 'snappy') {
          throw new AppError('YW_UNSUPPORTED_MEDIA_TYPE', { field: 'headers.content-encoding', expected: 'snappy' });
        }
        if (!Buffer.isBuffer(req.body)) {
          throw new AppError('YW_UNSUPPORTED_MEDIA_TYPE', { field: 'headers.content-type', expected: 'application/x-protobuf' });
        }
        let converted;
        try {
          // Refuses an oversized snappy header before decompressing, and more than MAX_SAMPLES before
          // decoding any of them: a small body can expand to 32 MiB of valid protobuf.
          converted = remoteSamples(decodeRemoteWrite(req.body, MAX_UNCOMPRESSED, remoteRefs.isKnown, MAX_SAMPLES), Date.now(), remoteRefs);
        } catch (error) {
          if (error instanceof RemoteWriteTooLargeError) {
            throw new AppError('YW_BODY_TOO_LARGE', { field: 'body', reason: error.message, max: error.limit });
          }
          if (error instanceof RemoteWriteError) {
            throw new AppError('YW_MONITORING_REMOTE_WRITE_MALFORMED', { field: 'body', reason: error.message });
          }
          throw error;
        }
        await admitted(reply, () => m.guard.admit({ actor: actorOf(req) }, converted.samples, 'remote_write'));
        if (converted.dropped) {
          m.guard.dropped('remote_write', converted.byReason);
          req.log.debug({ dropped: converted.dropped, reasons: converted.reasons }, 'remote-write: samples dropped');
        }
        await m.ingest.write(converted.samples);
        return reply.code(204).send();
      },
    );
  });

  // ---------------------------------------------------------------- Prometheus-compatible queries
  app.get('/api/v1/series', { config: metricRead, schema: { tags, summary: 'Series matching selectors (match or match[])', querystring: SeriesQuery, response: { 200: SeriesResult } } }, (req) => m.queries.series(actorOf(req), req.query));
  app.get(
    '/api/v1/query_range',
    { config: metricRead, schema: { tags, summary: 'Range query of a series selector, aggregated per step from raw samples or rollups', querystring: QueryRangeQuery, response: { 200: MatrixResult } } },
    (req) => m.queries.queryRange(actorOf(req), req.query),
  );
  app.get('/api/v1/topk', { config: metricRead, schema: { tags, summary: 'The k series with the highest average or maximum over a range', querystring: TopkQuery, response: { 200: VectorResult } } }, (req) => m.queries.topk(actorOf(req), req.query));
  // Instant queries, labels and the POST forms Grafana sends (Prometheus' envelope, in a scope of their own).
  await prometheusApiRoutes(app, ctx.db, m);

  // ---------------------------------------------------------------- Yunwei monitoring API
  app.get('/api/monitoring/series', { config: metricRead, schema: { tags, summary: 'Stored series with ids and CIs', querystring: SeriesListQuery, response: { 200: SeriesList } } }, (req) => m.queries.list(actorOf(req), req.query));
  app.get(
    '/api/monitoring/utilisation',
    { config: metricRead, schema: { tags, summary: 'Resource utilisation: avg, p95, max, trend, headroom, busiest (times in epoch ms)', querystring: UtilisationQuery, response: { 200: UtilisationResult } } },
    (req) => m.queries.utilisation(actorOf(req), req.query),
  );
  // The written analysis (L3-2.1.2): on screen, and as a Word or PDF file whose download is audited.
  app.get(
    '/api/monitoring/utilisation/report',
    { config: metricRead, schema: { tags, summary: 'Utilisation analysis report: per host resource p95, peak, trend, days to threshold, a judgement (expand / watch / normal) and a recommendation', querystring: UtilisationReportQuery, response: { 200: UtilisationReport } } },
    (req) => m.reports.build(actorOf(req), req.query, req.locale),
  );
  for (const format of DOCUMENT_FORMATS) {
    app.get(`/api/monitoring/utilisation/report.${format}`, { config: metricRead, schema: { tags, summary: `The utilisation analysis report as a ${DOCUMENT_FORMAT_NAMES[format]} file (.${format})`, querystring: UtilisationReportQuery } }, async (req, reply) =>
      sendDocument(reply, await m.reports.file(actorOf(req), req.query, req.locale, format)),
    );
  }
  // 运行状态分析 (L3-2.1.2): 正常 / 关注 / 异常 per CI and business system with the reasons, for the utilisation page.
  app.get(
    '/api/monitoring/utilisation/status',
    { config: metricRead, schema: { tags, summary: 'Running status analysis: normal / watch / abnormal per CI and business system, with reasons (utilisation against thresholds, check availability)', querystring: StatusAnalysisQuery, response: { 200: StatusAnalysis } } },
    (req) => statusAnalysis(ctx, m, actorOf(req), req.query, req.locale),
  );
  const latest = new LatestService(ctx.db, m.queries);
  app.get(
    '/api/monitoring/latest',
    { config: metricRead, schema: { tags, summary: '最新数据: series found by name, labels and CI name, with their newest sample and CI name (paged; times in epoch ms)', querystring: LatestQuery, response: { 200: LatestList } } },
    (req) => latest.latest(actorOf(req), req.query),
  );
  app.get('/api/monitoring/ci-names', { config: metricRead, schema: { tags, summary: 'Names of CIs whose series you may read (up to 100 ids)', querystring: CiNamesQuery, response: { 200: CiNames } } }, (req) =>
    latest.ciNames(actorOf(req), req.query.ids),
  );
  const overview = new OverviewService(ctx);
  app.get(
    '/api/monitoring/overview',
    { config: metricRead, schema: { tags, summary: 'CIs up/down/unknown, problems now, business-system health', response: { 200: MonitoringOverview } } },
    (req) => overview.overview(actorOf(req)),
  );
  await liveRoutes(app, ctx, m);

  const scrapeRead = { permission: P.scrapeRead };
  const scrapeWrite = { permission: P.scrapeWrite };
  app.get('/api/monitoring/scrape-targets', { config: scrapeRead, schema: { tags, response: { 200: ScrapeTargetList } } }, () => m.scrapes.list());
  app.get('/api/monitoring/scrape-targets/:id', { config: scrapeRead, schema: { tags, params: IdParams, response: { 200: ScrapeTarget } } }, (req) => m.scrapes.get(req.params.id));
  app.post('/api/monitoring/scrape-targets', { config: scrapeWrite, schema: { tags, body: ScrapeTargetCreate, response: { 200: ScrapeTarget } } }, (req) => m.scrapes.create(actorOf(req), req.body));
  app.patch('/api/monitoring/scrape-targets/:id', { config: scrapeWrite, schema: { tags, params: IdParams, body: ScrapeTargetUpdate, response: { 200: ScrapeTarget } } }, (req) =>
    m.scrapes.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/monitoring/scrape-targets/:id', { config: scrapeWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await m.scrapes.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.post('/api/monitoring/scrape-targets/:id/scrape', { config: scrapeWrite, schema: { tags, summary: 'Scrape the target now', params: IdParams, response: { 200: ScrapeResult } } }, (req) =>
    m.scrapes.scrapeNow(req.params.id),
  );

  const mappingRead = { permission: P.mappingRead };
  const mappingWrite = { permission: P.mappingWrite };
  app.get('/api/monitoring/ci-rules', { config: mappingRead, schema: { tags, summary: 'Series → CI mapping rules, in the order they apply', response: { 200: CiRuleList } } }, () => m.ciRules.list());
  app.post('/api/monitoring/ci-rules', { config: mappingWrite, schema: { tags, body: CiRuleCreate, response: { 200: CiRuleChange } } }, (req) => m.ciRules.create(actorOf(req), req.body));
  app.patch('/api/monitoring/ci-rules/:id', { config: mappingWrite, schema: { tags, params: IdParams, body: CiRuleUpdate, response: { 200: CiRuleChange } } }, (req) =>
    m.ciRules.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/monitoring/ci-rules/:id', { config: mappingWrite, schema: { tags, params: IdParams, response: { 200: CiRuleChange } } }, async (req) => ({
    rule: null,
    remapped: await m.ciRules.remove(actorOf(req), req.params.id),
  }));

  app.get('/api/monitoring/settings', { config: { permission: P.settingsRead }, schema: { tags, response: { 200: MonitoringSettings } } }, () => m.settings.get());
  app.patch('/api/monitoring/settings', { config: { permission: P.settingsWrite }, schema: { tags, body: MonitoringSettingsUpdate, response: { 200: MonitoringSettings } } }, (req) =>
    m.settings.update(actorOf(req), req.body),
  );
}
