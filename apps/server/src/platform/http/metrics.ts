import client from 'prom-client';
import type { FastifyInstance } from 'fastify';
import type { EventBus } from '../events.js';
import { PLATFORM_PERMISSIONS } from '../platform.module.js';

/**
 * `/metrics` in Prometheus text format: request counts and latencies per route, process stats, and
 * security counters fed by the event bus (a burst of failed sign-ins is worth an alert).
 */
export function installMetrics(app: FastifyInstance, events: EventBus): void {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry, prefix: 'yunwei_' });
  const requests = new client.Counter({ name: 'yunwei_http_requests_total', help: 'HTTP requests', labelNames: ['method', 'route', 'status'], registers: [registry] });
  const duration = new client.Histogram({
    name: 'yunwei_http_request_duration_seconds',
    help: 'HTTP request latency',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const logins = new client.Counter({ name: 'yunwei_logins_total', help: 'Sign-in attempts by outcome', labelNames: ['outcome', 'reason'], registers: [registry] });
  const lockouts = new client.Counter({ name: 'yunwei_account_lockouts_total', help: 'Accounts locked after failed sign-ins', registers: [registry] });
  events.on('identity.login', ({ outcome, reason }) => logins.inc({ outcome, reason: reason ?? '' }));
  events.on('identity.user.locked', () => lockouts.inc());
  // Ingestion (events declared in modules/monitoring/ingest-guard.ts): what was not stored, and why.
  const dropped = new client.Counter({ name: 'yunwei_samples_dropped_total', help: 'Metric samples received but not stored, by source and reason', labelNames: ['source', 'reason'], registers: [registry] });
  const budget = new client.Counter({ name: 'yunwei_series_budget_refusals_total', help: "Metric writes refused for their credential's new-series budget", labelNames: ['source'], registers: [registry] });
  events.on('monitoring.samples.dropped', ({ source, reason, count }) => dropped.inc({ source, reason }, count));
  events.on('monitoring.series.budget.refused', ({ source }) => budget.inc({ source }));
  app.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: ids in paths would explode the label set.
    const route = request.routeOptions.url ?? 'unmatched';
    requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    duration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', { config: { permission: PLATFORM_PERMISSIONS.metricsRead }, schema: { hide: true } }, async (_req, reply) => {
    return reply.header('content-type', registry.contentType).send(await registry.metrics());
  });
}
