import { IdParams, Ok } from '@yunwei/contracts/common';
import {
  AGENTS_PERMISSIONS as P,
  Agent,
  AgentEnroll,
  AgentEnrolled,
  AgentInventory,
  AgentInventoryResult,
  AgentList,
  AgentMetrics,
  AgentMetricsResult,
  CiIdParams,
  EnrolmentTokenCreate,
  EnrolmentTokenCreated,
  EnrolmentTokenList,
  HostInventory,
} from '@yunwei/contracts/agents';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { agentAuthHook, agentOf } from './agent-auth.js';
import { agentDownloadRoutes } from './agent-downloads.js';
import { AgentsService } from './agents.service.js';

/** Replayed batches and full package lists are larger than the API's default 1 MiB. */
const AGENT_BODY_LIMIT = 16 * 1024 * 1024;

export function agentsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const agents = new AgentsService(ctx);
  const tags = ['agents'];

  // ---------------------------------------------------------------- people
  app.get('/api/agents', { config: { permission: P.agentRead }, schema: { tags, summary: 'Enrolled agents with their status (online / offline / revoked)', response: { 200: AgentList } } }, async (req) => ({
    items: await agents.list(actorOf(req)),
  }));
  app.post('/api/agents/:id/revoke', { config: { permission: P.agentWrite }, schema: { tags, summary: 'Revoke an agent: its credential stops working at once', params: IdParams, response: { 200: Agent } } }, (req) =>
    agents.revoke(actorOf(req), req.params.id),
  );
  app.get(
    '/api/agents/enrolment-tokens',
    { config: { permission: P.agentRead }, schema: { tags, summary: 'Enrolment tokens (secrets are never shown again)', response: { 200: EnrolmentTokenList } } },
    async (req) => ({ items: await agents.listTokens(actorOf(req)) }),
  );
  app.post(
    '/api/agents/enrolment-tokens',
    { config: { permission: P.tokenWrite }, schema: { tags, summary: 'Create a one-time enrolment token (its secret is in this response only)', body: EnrolmentTokenCreate, response: { 200: EnrolmentTokenCreated } } },
    (req) => agents.createToken(actorOf(req), req.body),
  );
  app.delete('/api/agents/enrolment-tokens/:id', { config: { permission: P.tokenWrite }, schema: { tags, summary: 'Revoke an unused enrolment token', params: IdParams, response: { 200: Ok } } }, async (req) => {
    await agents.revokeToken(actorOf(req), req.params.id);
    return { ok: true as const };
  });
  app.get('/api/agents/inventory/:ciId', { config: { permission: P.agentRead }, schema: { tags, summary: 'The latest inventory agents reported for a host CI', params: CiIdParams, response: { 200: HostInventory } } }, (req) =>
    agents.inventoryOfCi(actorOf(req), req.params.ciId),
  );

  // ---------------------------------------------------------------- agents
  // Not people's routes: enrolment is public, authenticated by the one-time token in the body
  // (rate-limited against guessing); the others declare `credential: 'agent'` (the platform guard
  // lets them through without looking for a session) and are checked by agentAuthHook.
  app.post(
    '/api/agent/enroll',
    {
      config: { public: true, rateLimit: { max: 30, timeWindow: '1 minute' } },
      schema: { tags, summary: 'Enrol a host with a one-time token; returns the agent credential (once)', body: AgentEnroll, response: { 200: AgentEnrolled } },
    },
    (req) => agents.enroll(req.body, req.ip),
  );
  const onRequest = agentAuthHook(agents.repository);
  app.post(
    '/api/agent/metrics',
    {
      config: { credential: 'agent' },
      onRequest,
      bodyLimit: AGENT_BODY_LIMIT,
      schema: { tags, summary: 'Host samples of the agent (Bearer agent credential; client timestamps, replays are idempotent)', body: AgentMetrics, response: { 200: AgentMetricsResult } },
    },
    async (req) => ({ accepted: await agents.pushMetrics(agentOf(req), req.body) }),
  );
  app.post(
    '/api/agent/inventory',
    {
      config: { credential: 'agent' },
      onRequest,
      bodyLimit: AGENT_BODY_LIMIT,
      schema: { tags, summary: 'Host inventory of the agent; creates / updates its host CI', body: AgentInventory, response: { 200: AgentInventoryResult } },
    },
    (req) => agents.pushInventory(agentOf(req), req.body, req.ip),
  );

  // ---------------------------------------------------------------- hosts installing the agent (public)
  agentDownloadRoutes(app, ctx);
}
