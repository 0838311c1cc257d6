import { IdParams, Ok } from '@yunwei/contracts/common';
import { ORG_PERMISSIONS, OrgUnit, OrgUnitCreate, OrgUnitList, OrgUnitUpdate } from '@yunwei/contracts/org';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { OrgService } from './org.service.js';

export function orgRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const org = new OrgService(ctx);
  const tags = ['org'];
  const read = { permission: ORG_PERMISSIONS.unitRead };
  const write = { permission: ORG_PERMISSIONS.unitWrite };

  app.get('/api/org-units', { config: read, schema: { tags, summary: 'List organisation units (flat; build the tree from parentId)', response: { 200: OrgUnitList } } }, () => org.list());
  app.get('/api/org-units/:id', { config: read, schema: { tags, params: IdParams, response: { 200: OrgUnit } } }, (req) => org.get(req.params.id));
  app.post('/api/org-units', { config: write, schema: { tags, body: OrgUnitCreate, response: { 200: OrgUnit } } }, (req) => org.create(actorOf(req), req.body));
  app.patch('/api/org-units/:id', { config: write, schema: { tags, params: IdParams, body: OrgUnitUpdate, response: { 200: OrgUnit } } }, (req) => org.update(actorOf(req), req.params.id, req.body));
  app.delete('/api/org-units/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await org.remove(actorOf(req), req.params.id);
    return { ok: true as const };
  });
}
