import { IdParams } from '@yunwei/contracts/common';
import {
  AGENT_COMMAND_PERMISSIONS as C,
  AgentCommand,
  AgentCommandCreate,
  AgentCommandDispatched,
  AgentCommandKey,
  AgentCommandList,
  AgentCommandNext,
  AgentCommandNextQuery,
  AgentCommandOutputAck,
  AgentCommandOutputChunk,
  AgentCommandQuery,
  AgentCommandResult,
  AgentCommandResultAck,
} from '@yunwei/contracts/agent-commands';
import { AGENTS_PERMISSIONS as P } from '@yunwei/contracts/agents';
import { actorOf } from '../../platform/http/request-actor.js';
import type { ModuleContext, YunweiApp } from '../../platform/module.js';
import { agentAuthHook, agentOf } from './agent-auth.js';
import { agentCommandsOf } from './agent-commands.service.js';
import { AgentsRepository } from './agents.repository.js';

/** The command channel's routes: people dispatch and follow commands, agents fetch them and report. */
export function agentCommandsRoutes(app: YunweiApp, ctx: ModuleContext): void {
  const commands = agentCommandsOf(ctx);
  const tags = ['agents'];

  // Long polls on every node wake when a command is queued on another one.
  ctx.events.share('agents.command.changed');
  app.addHook('preClose', async () => commands.close());

  // ---------------------------------------------------------------- people
  app.post(
    '/api/agents/commands',
    { config: { permission: C.commandRun }, schema: { tags, summary: 'Run a command (argv, no shell) on the agent of a host CI; it waits for the agent, which runs it only if its policy allows remote execution', body: AgentCommandCreate, response: { 200: AgentCommandDispatched } } },
    (req) => commands.dispatch(actorOf(req), req.body),
  );
  app.get(
    '/api/agents/commands/:id',
    { config: { permission: P.agentRead }, schema: { tags, summary: 'A command with its output from ?offset= (poll with nextOffset to follow it live)', params: IdParams, querystring: AgentCommandQuery, response: { 200: AgentCommand } } },
    (req) => commands.get(actorOf(req), req.params.id, req.query.offset ?? 0),
  );
  app.post(
    '/api/agents/commands/:id/cancel',
    { config: { permission: C.commandRun }, schema: { tags, summary: 'Cancel a queued or running command', params: IdParams, response: { 200: AgentCommand } } },
    (req) => commands.cancel(actorOf(req), req.params.id),
  );
  app.get(
    '/api/agents/:id/commands',
    { config: { permission: P.agentRead }, schema: { tags, summary: 'The newest commands of an agent (the end of each output)', params: IdParams, response: { 200: AgentCommandList } } },
    async (req) => ({ items: await commands.listOfAgent(actorOf(req), req.params.id) }),
  );

  // ---------------------------------------------------------------- agents (their own credential)
  const onRequest = agentAuthHook(new AgentsRepository(ctx.db));
  const agent = { credential: 'agent' };
  app.get(
    '/api/agent/commands/key',
    { config: agent, onRequest, schema: { tags, summary: "The server's Ed25519 public key agents verify commands with (pinned by the agent)", response: { 200: AgentCommandKey } } },
    async () => {
      const key = await commands.signing.key();
      return { publicKey: key.publicKey, fingerprint: key.fingerprint };
    },
  );
  app.get(
    '/api/agent/commands/next',
    { config: agent, onRequest, schema: { tags, summary: 'Long poll: the next signed command for this agent, or null after ?wait= seconds (max 30)', querystring: AgentCommandNextQuery, response: { 200: AgentCommandNext } } },
    async (req) => {
      // An agent that stops hangs up: its poll must not take a command it will never run.
      const gone = new AbortController();
      const socket = req.raw.socket;
      const hangUp = () => gone.abort();
      socket.once('close', hangUp);
      try {
        return { command: await commands.next(agentOf(req), req.query.wait ?? 25, gone.signal) };
      } finally {
        socket.off('close', hangUp);
      }
    },
  );
  app.post(
    '/api/agent/commands/:id/output',
    { config: agent, onRequest, schema: { tags, summary: 'A chunk of a running command’s output (in sequence; a repeat is ignored); answers whether to stop it', params: IdParams, body: AgentCommandOutputChunk, response: { 200: AgentCommandOutputAck } } },
    (req) => commands.output(agentOf(req), req.params.id, req.body),
  );
  app.post(
    '/api/agent/commands/:id/result',
    { config: agent, onRequest, schema: { tags, summary: 'How a command ended (exit code, timed out, cancelled, refused with the reason)', params: IdParams, body: AgentCommandResult, response: { 200: AgentCommandResultAck } } },
    async (req) => ({ status: await commands.result(agentOf(req), req.params.id, req.body) }),
  );
}
