import type { FastifyRequest } from 'fastify';
import { AGENT_CREDENTIAL_PREFIX } from '@yunwei/contracts/agents';
import { sha256Hex } from '../../platform/crypto.js';
import { AppError } from '../../platform/errors.js';
import type { AgentRow, AgentsRepository } from './agents.repository.js';

const authenticated = new WeakMap<FastifyRequest, AgentRow>();

/**
 * The `onRequest` hook of the agent-side routes. Those routes declare `credential: 'agent'`: the
 * platform's guard skips them (an agent is not a user: no session, no API token, no permissions) and
 * this hook is their own check:
 * `Authorization: Bearer ywa_…`, looked up by hash on every request, so a revoked agent gets a 401 at
 * once. It runs before the body is read.
 */
export function agentAuthHook(repo: AgentsRepository) {
  return async (request: FastifyRequest): Promise<void> => {
    const header = request.headers.authorization;
    const secret = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
    if (!secret.startsWith(AGENT_CREDENTIAL_PREFIX)) {
      throw new AppError('YW_AGENT_CREDENTIAL_INVALID');
    }
    const agent = await repo.findAgentByCredential(sha256Hex(secret));
    if (!agent || agent.revoked_at !== null) {
      throw new AppError('YW_AGENT_CREDENTIAL_INVALID', agent ? { revoked: true } : undefined);
    }
    authenticated.set(request, agent);
  };
}

/** The agent a request authenticated as (only on routes with the hook). */
export function agentOf(request: FastifyRequest): AgentRow {
  const agent = authenticated.get(request);
  if (!agent) {
    throw new AppError('YW_AGENT_CREDENTIAL_INVALID');
  }
  return agent;
}
