import { IdParams } from '@yunwei/contracts/common';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { IncidentAlertList, IncidentClassification, IncidentClassify } from '@yunwei/contracts/incident-alerts';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { IncidentAlertsService } from './incident-alerts.service.js';
import { IncidentClassificationService } from './incident-classification.service.js';
import { registerIncidentMail } from './incident-mail.js';

const runtimes = new WeakMap<ModuleContext, { alerts: IncidentAlertsService; classification: IncidentClassificationService }>();

/** The alert → incident link and the type suggestion of one app. */
export function incidentAlertsOf(ctx: ModuleContext) {
  let r = runtimes.get(ctx);
  if (!r) {
    r = { alerts: new IncidentAlertsService(ctx), classification: new IncidentClassificationService(ctx) };
    runtimes.set(ctx, r);
  }
  return r;
}

/**
 * Routes of the alert link and the classification, and what runs with them: alert changes are heard from now on,
 * missed ones are reconciled when the node starts serving (and every minute by the job below); inbound mail to the
 * incident mailboxes becomes incidents.
 */
export function incidentAlertsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const { alerts, classification } = incidentAlertsOf(ctx);
  const tags = ['incidents'];
  alerts.attach();
  registerIncidentMail(ctx);
  app.addHook('onListen', () => {
    alerts.reconcile().catch((error: unknown) => ctx.log.error({ err: error }, 'incidents: reconciling alerts with incidents failed'));
  });
  app.addHook('onClose', async () => {
    alerts.detach();
    await alerts.idle();
  });

  app.get('/api/incidents/:id/alerts', { config: { permission: P.read }, schema: { tags, summary: 'The alerts linked to an incident (its alert group), with rule, CI, severity, state and times', params: IdParams, response: { 200: IncidentAlertList } } }, (req) => alerts.alerts(actorOf(req), req.params.id));
  app.get('/api/incidents/:id/classification', { config: { permission: P.read }, schema: { tags, summary: 'The suggested fault type with its reason, and the current type and nature', params: IdParams, response: { 200: IncidentClassification } } }, (req) => classification.get(actorOf(req), req.params.id));
  app.post('/api/incidents/:id/classify', { config: { permission: P.write }, schema: { tags, summary: 'Confirm or change the fault type and nature (409 on an older version)', params: IdParams, body: IncidentClassify, response: { 200: IncidentClassification } } }, (req) => classification.classify(actorOf(req), req.params.id, req.body));
}

/** Every minute: alerts whose change was not heard (a node stopped, an event lost) reach their incidents. */
export function incidentAlertJobs(ctx: ModuleContext): JobDefinition[] {
  return [{ name: 'incidents.alert-sync', cron: '* * * * *', leaseMs: 5 * 60_000, run: async () => void (await incidentAlertsOf(ctx).alerts.reconcile()) }];
}
