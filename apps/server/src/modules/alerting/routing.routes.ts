import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  AlertGroupList,
  EscalationPolicy,
  EscalationPolicyCreate,
  EscalationPolicyList,
  EscalationPolicyUpdate,
  MaintenanceCreate,
  MaintenanceList,
  MaintenanceUpdate,
  MaintenanceWindow,
  NotificationPolicy,
  NotificationPolicyCreate,
  NotificationPolicyList,
  NotificationPolicyOrder,
  NotificationPolicyUpdate,
  Silence,
  SilenceCreate,
  SilenceList,
  SilenceListQuery,
} from '@yunwei/contracts/alert-routing';
import { ALERTING_PERMISSIONS as P } from '@yunwei/contracts/alerting';
import { unitsReached } from '../../platform/data-scope.js';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { notifyOf } from '../notify/runtime.js';
import { deliveriesWithin } from './delivery-scope.js';
import { listGroups } from './group-list.js';
import { routingOf } from './routing.runtime.js';

const ok = { ok: true as const };

export function routingRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const r = routingOf(ctx);
  const tags = ['alerting'];
  const alertRead = { permission: P.alertRead };
  const policyRead = { permission: P.policyRead };
  const policyWrite = { permission: P.policyWrite };

  // The dispatcher runs in the serving process (not in tests that only inject requests), on one node of a cluster.
  app.addHook('onListen', () => ctx.cluster.singleton('alerting.dispatcher', { start: () => r.dispatcher.start(), stop: () => r.dispatcher.close() }));
  app.addHook('preClose', async () => r.dispatcher.close());

  // A limited reader of the delivery log sees the messages about their units' alerts (see delivery-scope.ts).
  notifyOf(ctx).deliveries.scopeSource('alert-group', deliveriesWithin);

  // silences
  app.get('/api/alerting/silences', { config: alertRead, schema: { tags, summary: 'Silences (active first; filter by state)', querystring: SilenceListQuery, response: { 200: SilenceList } } }, (req) => r.silences.list(actorOf(req), req.query));
  app.get('/api/alerting/silences/:id', { config: alertRead, schema: { tags, params: IdParams, response: { 200: Silence } } }, (req) => r.silences.get(actorOf(req), req.params.id));
  app.post('/api/alerting/silences', { config: { permission: P.silenceWrite }, schema: { tags, summary: 'Silence the alerts matching every matcher from startsAt to endsAt', body: SilenceCreate, response: { 200: Silence } } }, (req) =>
    r.silences.create(actorOf(req), req.body),
  );
  app.post('/api/alerting/silences/:id/expire', { config: { permission: P.silenceWrite }, schema: { tags, summary: 'End a silence now', params: IdParams, response: { 200: Silence } } }, (req) => r.silences.expire(actorOf(req), req.params.id));

  // maintenance windows
  const maintenanceWrite = { permission: P.maintenanceWrite };
  app.get('/api/alerting/maintenance', { config: alertRead, schema: { tags, response: { 200: MaintenanceList } } }, (req) => r.maintenance.list(actorOf(req)));
  app.get('/api/alerting/maintenance/:id', { config: alertRead, schema: { tags, params: IdParams, response: { 200: MaintenanceWindow } } }, (req) => r.maintenance.get(actorOf(req), req.params.id));
  app.post('/api/alerting/maintenance', { config: maintenanceWrite, schema: { tags, summary: 'Create a one-off or recurring maintenance window', body: MaintenanceCreate, response: { 200: MaintenanceWindow } } }, (req) =>
    r.maintenance.create(actorOf(req), req.body),
  );
  app.patch('/api/alerting/maintenance/:id', { config: maintenanceWrite, schema: { tags, params: IdParams, body: MaintenanceUpdate, response: { 200: MaintenanceWindow } } }, (req) => r.maintenance.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/alerting/maintenance/:id', { config: maintenanceWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await r.maintenance.remove(actorOf(req), req.params.id);
    return ok;
  });

  // notification policies
  app.get('/api/alerting/policies', { config: policyRead, schema: { tags, summary: 'Notification policies in evaluation order (the default last)', response: { 200: NotificationPolicyList } } }, () => r.policies.list());
  app.get('/api/alerting/policies/:id', { config: policyRead, schema: { tags, params: IdParams, response: { 200: NotificationPolicy } } }, (req) => r.policies.get(req.params.id));
  app.post('/api/alerting/policies', { config: policyWrite, schema: { tags, body: NotificationPolicyCreate, response: { 200: NotificationPolicy } } }, (req) => r.policies.create(actorOf(req), req.body));
  app.put('/api/alerting/policies/order', { config: policyWrite, schema: { tags, summary: 'Set the evaluation order of the policies', body: NotificationPolicyOrder, response: { 200: NotificationPolicyList } } }, (req) =>
    r.policies.reorder(actorOf(req), req.body),
  );
  app.patch('/api/alerting/policies/:id', { config: policyWrite, schema: { tags, params: IdParams, body: NotificationPolicyUpdate, response: { 200: NotificationPolicy } } }, (req) => r.policies.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/alerting/policies/:id', { config: policyWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await r.policies.remove(actorOf(req), req.params.id);
    return ok;
  });

  // escalation policies
  app.get('/api/alerting/escalations', { config: policyRead, schema: { tags, response: { 200: EscalationPolicyList } } }, () => r.escalations.list());
  app.get('/api/alerting/escalations/:id', { config: policyRead, schema: { tags, params: IdParams, response: { 200: EscalationPolicy } } }, (req) => r.escalations.get(req.params.id));
  app.post('/api/alerting/escalations', { config: policyWrite, schema: { tags, body: EscalationPolicyCreate, response: { 200: EscalationPolicy } } }, (req) => r.escalations.create(actorOf(req), req.body));
  app.patch('/api/alerting/escalations/:id', { config: policyWrite, schema: { tags, params: IdParams, body: EscalationPolicyUpdate, response: { 200: EscalationPolicy } } }, (req) =>
    r.escalations.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/alerting/escalations/:id', { config: policyWrite, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await r.escalations.remove(actorOf(req), req.params.id);
    return ok;
  });

  // groups (read-only: what the dispatcher holds)
  app.get('/api/alerting/groups', { config: policyRead, schema: { tags, summary: 'Alert groups with an episode running, their timers and escalation', response: { 200: AlertGroupList } } }, (req) => listGroups(ctx.db, unitsReached(actorOf(req), P.policyRead)));
}

