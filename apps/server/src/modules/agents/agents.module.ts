import { AGENT_COMMAND_PERMISSIONS as C } from '@yunwei/contracts/agent-commands';
import { AGENTS_PERMISSIONS as P } from '@yunwei/contracts/agents';
import { defineModule } from '../../platform/module.js';
import { agentCommandsMigrations } from './agent-commands.migrations.js';
import { agentCommandsRoutes } from './agent-commands.routes.js';
import { agentCommandsOf } from './agent-commands.service.js';
import { agentsMigrations } from './agents.migrations.js';
import { agentsRoutes } from './agents.routes.js';
import './agents.tables.js';
import './agent-commands.tables.js';

/** Host agents: one-time enrolment tokens, agent credentials, host metrics and inventory into the CMDB. */
export const agentsModule = defineModule({
  id: 'agents',
  name: { zh: '主机代理', en: 'Host agents' },
  skills: ['L4-2.1.1', 'L4-2.1.2'],
  permissions: [
    { id: P.agentRead, name: { zh: '查看主机代理、注册令牌与主机资产清单', en: 'View host agents, enrolment tokens and host inventories' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] },
    { id: P.agentWrite, name: { zh: '吊销主机代理', en: 'Revoke host agents' }, grants: ['system_admin', 'operator'] },
    // A remote shell on the hosts: system administrators only.
    { id: C.commandRun, name: { zh: '在主机上远程执行命令（经代理）', en: 'Run commands on hosts (through their agents)' }, grants: ['system_admin'] },
    { id: P.tokenWrite, name: { zh: '创建与吊销代理注册令牌', en: 'Create and revoke agent enrolment tokens' }, grants: ['system_admin'] },
  ],
  migrations: { ...agentsMigrations, ...agentCommandsMigrations },
  routes: (app, ctx) => {
    agentsRoutes(app, ctx);
    agentCommandsRoutes(app, ctx);
  },
  // The command-signing key pair: created once, by the first node (insert-if-absent), before any agent asks.
  onStart: async (ctx) => void (await agentCommandsOf(ctx).signing.key()),
});
