import Type from 'typebox';
import { IdParams, Ok } from '@yunwei/contracts/common';
import { Dashboard, DashboardCreate, DashboardList, DashboardUpdate, DASHBOARD_PERMISSIONS as P } from '@yunwei/contracts/dashboards';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { DashboardService } from './dashboards.service.js';

const ListQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });

export function dashboardsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const service = new DashboardService(ctx);
  const tags = ['dashboards'];
  const read = { permission: P.read };
  const write = { permission: P.write };
  app.get('/api/dashboards', { config: read, schema: { tags, summary: 'Your dashboards and the shared ones', querystring: ListQuery, response: { 200: DashboardList } } }, (req) => service.list(actorOf(req), req.query.q));
  app.get('/api/dashboards/:id', { config: read, schema: { tags, params: IdParams, response: { 200: Dashboard } } }, (req) => service.get(actorOf(req), req.params.id));
  app.post('/api/dashboards', { config: write, schema: { tags, body: DashboardCreate, response: { 200: Dashboard } } }, (req) => service.create(actorOf(req), req.body));
  app.patch('/api/dashboards/:id', { config: write, schema: { tags, summary: 'Change a dashboard (panels, when given, replace the whole set)', params: IdParams, body: DashboardUpdate, response: { 200: Dashboard } } }, (req) =>
    service.update(actorOf(req), req.params.id, req.body),
  );
  app.delete('/api/dashboards/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await service.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
}
