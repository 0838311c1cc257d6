import Type from 'typebox';
import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  Alert,
  AlertAck,
  AlertBulkAck,
  AlertBulkAckResult,
  AlertDetail,
  AlertList,
  AlertListQuery,
  ALERTING_PERMISSIONS as P,
  Rule,
  RuleCreate,
  RuleList,
  RuleListQuery,
  RulePackInstallResult,
  RulePackList,
  RulePackParams,
  RulePreview,
  RuleStats,
  RuleStatsQuery,
  RuleUpdate,
} from '@yunwei/contracts/alerting';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { alertingOf, EVALUATOR_LEASE } from './alerts-runtime.js';
import { liveAlertRoutes } from './live-alerts.routes.js';
import { installPack, listPacks } from './rule-packs.js';

export function alertRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const a = alertingOf(ctx);
  const tags = ['alerting'];
  const read = { permission: P.ruleRead };
  const write = { permission: P.ruleWrite };

  // Live views and the dispatcher on every node hear of alert changes wherever they happen.
  ctx.events.share('alerting.alert.changed');
  // The evaluator runs in the process that serves (tests drive cycles themselves), on one node of a cluster.
  app.addHook('onListen', () => ctx.cluster.singleton(EVALUATOR_LEASE, { start: () => a.start(), stop: () => a.close() }));
  app.addHook('preClose', async () => a.close());

  app.get('/api/alerting/rules', { config: read, schema: { tags, summary: 'Alert rules (filter by kind, enabled, name)', querystring: RuleListQuery, response: { 200: RuleList } } }, (req) => a.rules.list(req.query));
  app.post('/api/alerting/rules/preview', { config: read, schema: { tags, summary: 'Evaluate a draft rule now: the series that would breach and their values', body: RuleCreate, response: { 200: RulePreview } } }, (req) =>
    a.rules.preview(actorOf(req), req.body),
  );
  app.get('/api/alerting/rules/:id', { config: read, schema: { tags, params: IdParams, response: { 200: Rule } } }, (req) => a.rules.get(req.params.id));
  app.post('/api/alerting/rules', { config: write, schema: { tags, summary: 'Create an alert rule', body: RuleCreate, response: { 200: Rule } } }, (req) => a.rules.create(actorOf(req), req.body));
  app.patch('/api/alerting/rules/:id', { config: write, schema: { tags, summary: 'Change a rule (open alerts stay open and are re-evaluated)', params: IdParams, body: RuleUpdate, response: { 200: Rule } } }, (req) =>
    a.rules.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/alerting/rules/:id', { config: write, schema: { tags, summary: 'Delete a rule (its open alerts resolve)', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await a.rules.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.get('/api/alerting/rule-packs', { config: read, schema: { tags, summary: 'Default rule packs (hosts, databases, HTTP services)', response: { 200: RulePackList } } }, () => listPacks(a.rules));
  app.post('/api/alerting/rule-packs/:id/install', { config: write, schema: { tags, summary: 'Install a rule pack (rules already installed are skipped)', params: RulePackParams, response: { 200: RulePackInstallResult } } }, (req) =>
    installPack(a.rules, actorOf(req), req.params.id),
  );

  const alertRead = { permission: P.alertRead };
  app.get('/api/alerting/alerts', { config: alertRead, schema: { tags, summary: 'Alerts (default: open ones; filter by state, severity, rule, CI, text)', querystring: AlertListQuery, response: { 200: AlertList } } }, (req) =>
    a.alerts.list(actorOf(req), req.query),
  );
  app.get('/api/alerting/alerts/:id', { config: alertRead, schema: { tags, summary: 'An alert with its timeline and what suppresses it', params: IdParams, response: { 200: AlertDetail } } }, (req) =>
    a.alerts.get(actorOf(req), req.params.id),
  );
  app.post('/api/alerting/alerts/:id/ack', { config: { permission: P.alertAck }, schema: { tags, summary: 'Acknowledge a firing alert', params: IdParams, body: Type.Optional(AlertAck), response: { 200: Alert } } }, (req) =>
    a.alerts.ack(actorOf(req), req.params.id, req.body?.note),
  );
  app.post('/api/alerting/alerts/ack', { config: { permission: P.alertAck }, schema: { tags, summary: 'Acknowledge several alerts (those not firing are skipped)', body: AlertBulkAck, response: { 200: AlertBulkAckResult } } }, (req) =>
    a.alerts.bulkAck(actorOf(req), req.body.ids, req.body.note),
  );
  app.get('/api/alerting/stats/rules', { config: alertRead, schema: { tags, summary: 'Per rule: times fired, mean time to acknowledge and to resolve (default: last 30 days)', querystring: RuleStatsQuery, response: { 200: RuleStats } } }, (req) =>
    a.alerts.stats(actorOf(req), req.query),
  );
  liveAlertRoutes(app, ctx, a);
}
