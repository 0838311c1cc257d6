import { ACCESS_PERMISSIONS as P, PermissionCatalogue, Role, RoleCreate, RoleList, RoleQuery, RoleUpdate } from '@yunwei/contracts/access';
import { IdParams, Ok } from '@yunwei/contracts/common';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { AccessService } from './access.service.js';

export function accessRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const access = new AccessService(ctx);
  const tags = ['roles'];
  const read = { permission: P.roleRead };
  const write = { permission: P.roleWrite };

  // Any signed-in user may read the catalogue: the token dialog labels scopes with it.
  app.get('/api/permissions', { config: { authenticated: true }, schema: { tags, summary: 'Every permission, grouped by module', response: { 200: PermissionCatalogue } } }, () => access.catalogue());
  app.get('/api/roles', { config: read, schema: { tags, querystring: RoleQuery, response: { 200: RoleList } } }, (req) => access.listRoles(req.query));
  app.get('/api/roles/:id', { config: read, schema: { tags, params: IdParams, response: { 200: Role } } }, (req) => access.getRole(req.params.id));
  app.post('/api/roles', { config: write, schema: { tags, body: RoleCreate, response: { 200: Role } } }, (req) => access.createRole(actorOf(req), req.body));
  app.patch('/api/roles/:id', { config: write, schema: { tags, params: IdParams, body: RoleUpdate, response: { 200: Role } } }, (req) => access.updateRole(actorOf(req), req.params.id, req.body));
  app.delete('/api/roles/:id', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await access.deleteRole(actorOf(req), req.params.id);
    return { ok: true as const };
  });
}
