import { ALERTING_PERMISSIONS as P } from '@yunwei/contracts/alerting';
import { defineModule } from '../../platform/module.js';
import { alertsMigrations, alertsRoutes, alertsJobs } from './alerts.parts.js';
import { registerAlertingProviders } from './report-providers.js';
import { routingMigrations, routingRoutes, routingJobs } from './routing.parts.js';

const EVERYONE = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;
const OPERATORS = ['system_admin', 'operator'] as const;

/**
 * Alerting (L3-2.1.3): two halves in one module.
 * - alerts: rules, their evaluation, alerts and their life cycle, the live list, statistics;
 * - routing: silences, maintenance windows, inhibition, grouping, notification and escalation
 *   policies — deciding who hears about an alert, and when, through the notify module.
 */
export const alertingModule = defineModule({
  id: 'alerting',
  name: { zh: '告警', en: 'Alerting' },
  skills: ['L3-2.1.3', 'L2-2.1.3'],
  permissions: [
    { id: P.ruleRead, name: { zh: '查看告警规则', en: 'View alert rules' }, grants: EVERYONE },
    { id: P.ruleWrite, name: { zh: '管理告警规则', en: 'Manage alert rules' }, grants: OPERATORS },
    { id: P.alertRead, name: { zh: '查看告警', en: 'View alerts' }, grants: EVERYONE },
    { id: P.alertAck, name: { zh: '确认告警', en: 'Acknowledge alerts' }, grants: OPERATORS },
    { id: P.silenceWrite, name: { zh: '管理告警静默', en: 'Manage silences' }, grants: OPERATORS },
    { id: P.maintenanceWrite, name: { zh: '管理维护窗口', en: 'Manage maintenance windows' }, grants: OPERATORS },
    { id: P.policyRead, name: { zh: '查看通知与升级策略', en: 'View notification and escalation policies' }, grants: EVERYONE },
    { id: P.policyWrite, name: { zh: '管理通知与升级策略', en: 'Manage notification and escalation policies' }, grants: OPERATORS },
  ],
  migrations: { ...alertsMigrations, ...routingMigrations },
  routes: async (app, ctx) => {
    registerAlertingProviders(ctx);
    await alertsRoutes(app, ctx);
    await routingRoutes(app, ctx);
  },
  jobs: (ctx) => [...alertsJobs(ctx), ...routingJobs(ctx)],
});
