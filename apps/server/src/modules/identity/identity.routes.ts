import { AssignmentSet, AssignmentView, ACCESS_PERMISSIONS } from '@yunwei/contracts/access';
import { IdParams, Ok } from '@yunwei/contracts/common';
import Type from 'typebox';
import {
  ApiTokenCreate,
  ApiTokenCreated,
  ApiTokenList,
  IDENTITY_PERMISSIONS as P,
  PasswordReset,
  SecurityPolicy,
  SecurityPolicyUpdate,
  User,
  UserCreate,
  UserList,
  UserQuery,
  UserUpdate,
} from '@yunwei/contracts/identity';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { PolicyService } from './policy.service.js';
import { TokenService } from './token.service.js';
import { UserService } from './user.service.js';

const ok = { ok: true as const };

export function userRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const users = new UserService(ctx);
  const tags = ['users'];
  const read = { permission: P.userRead };
  const write = { permission: P.userWrite };

  app.get('/api/users', { config: read, schema: { tags, querystring: UserQuery, response: { 200: UserList } } }, (req) => users.list(actorOf(req), req.query));
  app.get('/api/users/:id', { config: read, schema: { tags, params: IdParams, response: { 200: User } } }, (req) => users.get(actorOf(req), req.params.id));
  app.post('/api/users', { config: write, schema: { tags, body: UserCreate, response: { 200: User } } }, (req) => users.create(actorOf(req), req.body));
  app.patch('/api/users/:id', { config: write, schema: { tags, params: IdParams, body: UserUpdate, response: { 200: User } } }, (req) => users.update(actorOf(req), req.params.id, req.body));
  app.post('/api/users/:id/reset-password', { config: write, schema: { tags, params: IdParams, body: PasswordReset, response: { 200: Ok } } }, async (req) => {
    await users.resetPassword(actorOf(req), req.params.id, req.body.password, req.body.revokeTokens ?? true);
    return ok;
  });
  app.post(
    '/api/users/:id/reset-mfa',
    { config: { permission: P.mfaReset }, schema: { tags, summary: "Reset a user's MFA (lost authenticator): clears it and ends their sessions", params: IdParams, response: { 200: Ok } } },
    async (req) => {
      await users.resetMfa(actorOf(req), req.params.id);
      return ok;
    },
  );
  app.post('/api/users/:id/unlock', { config: write, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await users.unlock(actorOf(req), req.params.id);
    return ok;
  });
  app.put(
    '/api/users/:id/roles',
    { config: { permission: ACCESS_PERMISSIONS.assignmentWrite }, schema: { tags, summary: "Replace a user's roles (with data scopes)", params: IdParams, body: AssignmentSet, response: { 200: Type.Array(AssignmentView) } } },
    (req) => users.setRoles(actorOf(req), req.params.id, req.body.assignments),
  );
}

export function policyRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const policy = new PolicyService(ctx);
  const tags = ['security-policy'];
  app.get('/api/security-policy', { config: { permission: P.policyRead }, schema: { tags, response: { 200: SecurityPolicy } } }, () => policy.get());
  app.patch('/api/security-policy', { config: { permission: P.policyWrite }, schema: { tags, body: SecurityPolicyUpdate, response: { 200: SecurityPolicy } } }, (req) => policy.update(actorOf(req), req.body));
}

export function tokenRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const tokens = new TokenService(ctx);
  const tags = ['tokens'];
  const use = { permission: P.tokenUse };
  app.get('/api/tokens', { config: use, schema: { tags, summary: 'My API tokens', response: { 200: ApiTokenList } } }, (req) => tokens.list(actorOf(req)));
  app.post('/api/tokens', { config: use, schema: { tags, summary: 'Create an API token (the secret is shown once)', body: ApiTokenCreate, response: { 200: ApiTokenCreated } } }, (req) => tokens.create(actorOf(req), req.body));
  app.delete('/api/tokens/:id', { config: use, schema: { tags, params: IdParams, response: { 200: Ok } } }, async (req) => {
    await tokens.revoke(actorOf(req), req.params.id);
    return ok;
  });
}
