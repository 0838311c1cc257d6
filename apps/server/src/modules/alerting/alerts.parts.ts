import type { Migration } from 'kysely';
import type { JobDefinition } from '../../platform/jobs/job-runner.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { alertsMigrations as migrations } from './alerts.migrations.js';
import { alertRoutes } from './alerts.routes.js';
import './alerts.tables.js';

// What the alerts half of the alerting module adds to it (see alerting.module.ts).
export const alertsMigrations: Record<string, Migration> = migrations;
export async function alertsRoutes(app: YunweiApp, ctx: ModuleContext): Promise<void> {
  alertRoutes(app, ctx);
}
export function alertsJobs(_ctx: ModuleContext): JobDefinition[] {
  return [];
}
