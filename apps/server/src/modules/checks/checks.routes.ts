import { IdParams, Ok } from '@yunwei/contracts/common';
import { Check, CheckCreate, CheckList, CheckListQuery, CheckResult, CheckResultList, CheckResultsQuery, CHECKS_PERMISSIONS as P, CheckSchedulerStats, CheckUpdate } from '@yunwei/contracts/checks';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { registerChecksProviders } from './report-providers.js';
import { checksOf } from './runtime.js';

export function checksRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const checks = checksOf(ctx);
  registerChecksProviders(ctx);
  const tags = ['checks'];
  const read = { permission: P.checkRead };
  const write = { permission: P.checkWrite };

  // Checks run in the process that serves (not in tests that only inject requests); they stop, and
  // their last results are written, before the app (and the metrics writer) closes.
  app.addHook('onListen', async () => checks.start());
  app.addHook('preClose', async () => checks.close());

  app.get('/api/checks', { config: read, schema: { tags, summary: 'Checks with their latest status (filter by CI, type, status, text)', querystring: CheckListQuery, response: { 200: CheckList } } }, (req) =>
    checks.service.list(actorOf(req), req.query),
  );
  app.get('/api/checks/scheduler', { config: read, schema: { tags, summary: "This server's check scheduler: start-time jitter, runs, slots", response: { 200: CheckSchedulerStats } } }, () =>
    checks.stats(),
  );
  app.get('/api/checks/:id', { config: read, schema: { tags, params: IdParams, response: { 200: Check } } }, (req) => checks.service.get(actorOf(req), req.params.id));
  app.post('/api/checks', { config: write, schema: { tags, summary: 'Create a check (settings per type; secrets are write-only)', body: CheckCreate, response: { 200: Check } } }, (req) =>
    checks.service.create(actorOf(req), req.body),
  );
  app.patch('/api/checks/:id', { config: write, schema: { tags, params: IdParams, body: CheckUpdate, response: { 200: Check } } }, (req) => checks.service.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/checks/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await checks.service.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.post('/api/checks/:id/run', { config: { permission: P.checkRun }, schema: { tags, summary: 'Run the check now and store its result', params: IdParams, response: { 200: CheckResult } } }, (req) =>
    checks.runNow(actorOf(req), req.params.id),
  );
  app.get(
    '/api/checks/:id/results',
    { config: read, schema: { tags, summary: 'Result history (oldest first; default the last 24 hours)', params: IdParams, querystring: CheckResultsQuery, response: { 200: CheckResultList } } },
    (req) => checks.service.results(actorOf(req), req.params.id, req.query),
  );
}
