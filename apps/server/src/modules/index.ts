import type { ModuleDefinition } from '../platform/module.js';
import { accessModule } from './access/access.module.js';
import { agentsModule } from './agents/agents.module.js';
import { alertingModule } from './alerting/alerting.module.js';
import { approvalsModule } from './approvals/approvals.module.js';
import { auditModule } from './audit/audit.module.js';
import { checksModule } from './checks/checks.module.js';
import { cmdbModule } from './cmdb/cmdb.module.js';
import { dashboardsModule } from './dashboards/dashboards.module.js';
import { homeModule } from './home/home.module.js';
import { identityModule } from './identity/identity.module.js';
import { incidentsModule } from './incidents/incidents.module.js';
import { inboundMailModule } from './inbound-mail/inbound-mail.module.js';
import { inspectionsModule } from './inspections/inspections.module.js';
import { libraryModule } from './library/library.module.js';
import { monitoringModule } from './monitoring/monitoring.module.js';
import { notifyModule } from './notify/notify.module.js';
import { oncallModule } from './oncall/oncall.module.js';
import { orgModule } from './org/org.module.js';
import { reportsModule } from './reports/reports.module.js';
import { standardModule } from './standard/standard.module.js';
import { statusPagesModule } from './status-pages/status-pages.module.js';

/**
 * Every module of Yunwei, in start-up order (a module's onStart may rely on those before it).
 * Adding a module is one line here.
 */
export const MODULES: readonly ModuleDefinition[] = [
  orgModule,
  accessModule,
  identityModule,
  auditModule,
  cmdbModule,
  monitoringModule,
  checksModule,
  inspectionsModule,
  dashboardsModule,
  agentsModule,
  // notify and oncall go here (alerting sends through them)
  notifyModule,
  oncallModule,
  alertingModule,
  // approvals reminds through notify and resolves on-call approvers through oncall
  approvalsModule,
  // the document library submits its versions to approvals
  libraryModule,
  // home reads the state of the modules above
  homeModule,
  // status pages read checks, the CMDB and alerting
  statusPagesModule,
  // reports read the data providers of the modules above
  reportsModule,
  // incidents read the CMDB, the business calendar (oncall) and alerts
  incidentsModule,
  // inbound mail hands messages to the handlers other modules register (incidents)
  inboundMailModule,
  standardModule(() => MODULES),
];
