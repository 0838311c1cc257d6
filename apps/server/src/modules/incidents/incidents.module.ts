import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { defineModule } from '../../platform/module.js';
import { causeTimelineRoutes } from './cause-timeline.routes.js';
import { incidentDocumentMigrations } from './incident-documents.migrations.js';
import { incidentDocumentsRoutes } from './incident-documents.routes.js';
import './incident-documents.tables.js';
import { incidentStatsRoutes } from './incident-stats.routes.js';
import { incidentAlertMigrations } from './incident-alerts.migrations.js';
import { incidentAlertJobs, incidentAlertsRoutes } from './incident-alerts.routes.js';
import { incidentHypothesesRoutes } from './incident-hypotheses.js';
import { IncidentSlaNotices } from './incident-sla-notices.js';
import { incidentVerificationMigrations } from './incident-verification.migrations.js';
import './incident-verification.tables.js';
import { incidentMigrations } from './incidents.migrations.js';
import { incidentsRoutes } from './incidents.routes.js';
import './incidents.tables.js';
import { incidentsOf } from './runtime.js';
import { PROBLEM_PERMISSIONS, RISK_PERMISSIONS } from '@yunwei/contracts/incident-problems';
import { problemMigrations } from './problems.migrations.js';
import { problemsRoutes } from './problems.routes.js';
import { risksOf } from './problems.runtime.js';
import './problems.tables.js';
import { seedPreventionPlanType } from './risk-plan.js';
import { risksRoutes } from './risks.routes.js';
import { systemActor } from '../../platform/actor.js';
import { RUNBOOK_PERMISSIONS } from '@yunwei/contracts/incident-runbooks';
import { runbookMigrations } from './runbooks.migrations.js';
import { runbooksRoutes } from './runbooks.routes.js';
import './runbooks.tables.js';

/**
 * 故障管理: incidents recorded from the web, the API, alerts, self-service 报障 and inbound mail; classified by
 * fault type and nature with the impact scope from the CMDB; handled through the ITIL life cycle with SLA
 * clocks on the business calendar.
 */
export const incidentsModule = defineModule({
  id: 'incidents',
  name: { zh: '故障管理', en: 'Incidents' },
  skills: ['L4-2.3.1', 'L4-2.3.2', 'L3-2.3.1', 'L3-2.3.2', 'L2-2.3.1', 'L1-2.3.1', 'L1-2.3.2', 'L3-2.3.3', 'L2-2.3.2'],
  permissions: [
    { id: P.read, name: { zh: '查看故障', en: 'Read incidents' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.write, name: { zh: '登记、处理故障（指派、转派、挂起、解决、关闭）', en: 'Record and handle incidents (assign, transfer, hold, resolve, close)' }, grants: ['system_admin', 'security_admin', 'operator'] },
    // Staff who are not administrators get a role with only this permission: they report faults and follow their own reports.
    { id: P.report, name: { zh: '自助报障（只看自己的报障）', en: 'Report faults (self-service: only their own reports)' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.configure, name: { zh: '配置故障类型、性质、优先级矩阵与 SLA', en: 'Configure fault types, natures, the priority matrix and SLAs' }, grants: ['system_admin'] },
    { id: PROBLEM_PERMISSIONS.read, name: { zh: '查看问题与已知错误', en: 'Read problems and known errors' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: PROBLEM_PERMISSIONS.write, name: { zh: '管理问题（根因分析、已知错误、关联故障）', en: 'Manage problems (root-cause analysis, known errors, linked incidents)' }, grants: ['system_admin', 'operator'] },
    { id: RISK_PERMISSIONS.read, name: { zh: '查看隐患台账与故障预防方案', en: 'Read the latent-risk register and the fault prevention plan' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: RUNBOOK_PERMISSIONS.write, name: { zh: '编写故障处理方案（步骤、适用范围、提交审批）', en: 'Write runbooks (steps, scope, submit for approval)' }, grants: ['system_admin', 'operator'] },
    { id: RUNBOOK_PERMISSIONS.publish, name: { zh: '发布故障处理方案（未配置审批流程时）', en: 'Publish runbooks (when no approval flow is configured)' }, grants: ['system_admin'] },
    { id: RISK_PERMISSIONS.write, name: { zh: '管理隐患（登记、采集、整改、接受）', en: 'Manage latent risks (record, collect, mitigate, accept)' }, grants: ['system_admin', 'operator'] },
  ],
  migrations: { ...incidentMigrations, ...incidentVerificationMigrations, ...incidentAlertMigrations, ...incidentDocumentMigrations, ...problemMigrations, ...runbookMigrations },
  routes: (app, ctx) => {
    incidentsRoutes(app, ctx);
    incidentHypothesesRoutes(app, ctx);
    causeTimelineRoutes(app, ctx);
    incidentAlertsRoutes(app, ctx);
    incidentDocumentsRoutes(app, ctx);
    incidentStatsRoutes(app, ctx);
    problemsRoutes(app, ctx);
    risksRoutes(app, ctx);
    runbooksRoutes(app, ctx);
  },
  // SLA warnings and breaches: each notice claimed once across nodes by a conditional UPDATE of the incident's bits.
  jobs: (ctx) => [{ name: 'incidents.sla', cron: '* * * * *', leaseMs: 5 * 60_000, run: async () => void (await new IncidentSlaNotices(ctx).run()) }, ...incidentAlertJobs(ctx), { name: 'incidents.risks.collect', cron: '17 3 * * *', leaseMs: 30 * 60_000, run: async () => void (await risksOf(ctx).collect(systemActor('risks'))) }],
  onStart: async (ctx) => {
    await incidentsOf(ctx).config.seed();
    await seedPreventionPlanType(ctx);
  },
});
