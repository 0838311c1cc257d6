import type { Migration } from 'kysely';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { routingMigrations as migrations } from './routing.migrations.js';
import { purgeRouting } from './routing-retention.js';
import { routingRoutes as routes } from './routing.routes.js';
import './routing.tables.js';

// What the routing half of the alerting module adds to it (see alerting.module.ts).
export const routingMigrations: Record<string, Migration> = migrations;
export async function routingRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  routes(app, ctx);
}
export function routingJobs(ctx: ModuleContext): JobDefinition[] {
  return [{ name: 'alerting.routing-purge', cron: '41 3 * * *', leaseMs: 30 * 60_000, run: async () => void (await purgeRouting(ctx.db)) }];
}
