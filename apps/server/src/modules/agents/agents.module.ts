import { AGENTS_PERMISSIONS as P } from '@yunwei/contracts/agents';
import { defineModule } from '../../platform/module.js';
import { agentsMigrations } from './agents.migrations.js';
import { agentsRoutes } from './agents.routes.js';
import './agents.tables.js';

/** Host agents: one-time enrolment tokens, agent credentials, host metrics and inventory into the CMDB. */
export const agentsModule = defineModule({
  id: 'agents',
  name: { zh: '主机代理', en: 'Host agents' },
  skills: ['L4-2.1.1', 'L4-2.1.2'],
  permissions: [
    { id: P.agentRead, name: { zh: '查看主机代理、注册令牌与主机资产清单', en: 'View host agents, enrolment tokens and host inventories' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.agentWrite, name: { zh: '吊销主机代理', en: 'Revoke host agents' }, grants: ['system_admin', 'operator'] },
    { id: P.tokenWrite, name: { zh: '创建与吊销代理注册令牌', en: 'Create and revoke agent enrolment tokens' }, grants: ['system_admin'] },
  ],
  migrations: agentsMigrations,
  routes: agentsRoutes,
});
