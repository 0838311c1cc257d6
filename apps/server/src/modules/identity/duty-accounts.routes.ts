import { DutyAccountsCreate, DutyAccountsCreated, DutyAccountsStatus } from '@yunwei/contracts/duty-accounts';
import { IDENTITY_PERMISSIONS as P } from '@yunwei/contracts/identity';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { actorOf } from '../../platform/http/request-actor.js';
import { DutyAccountsService } from './duty-accounts.service.js';

/** The first-day set-up of the security and audit administrator accounts (三员分立). */
export function dutyAccountRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const setup = new DutyAccountsService(ctx);
  const tags = ['setup'];
  const config = { permission: P.dutySetup };
  app.get(
    '/api/setup/duty-accounts',
    { config, schema: { tags, summary: 'Who holds the security and audit duties, and whether the caller may still create their accounts', response: { 200: DutyAccountsStatus } } },
    (req) => setup.status(actorOf(req)),
  );
  app.post(
    '/api/setup/duty-accounts',
    {
      config,
      schema: {
        tags,
        summary: 'Create the security and/or audit administrator with a one-time password (shown once); 409 once someone else holds the duty',
        body: DutyAccountsCreate,
        response: { 200: DutyAccountsCreated },
      },
    },
    (req) => setup.create(actorOf(req), req.body),
  );
}
