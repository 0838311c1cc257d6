import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id } from './common.js';

export { canonicalJson, signedCommandText, type CommandPayload } from './agent-command-payload.js';

/**
 * The agent command channel: signed commands the server queues for a host agent, run by the agent
 * (never through a shell) with their output streamed back.
 *
 * People (permission `agents.command.run` to run, `agents.agent.read` to read; data scope: the host CI's unit):
 *   POST /api/agents/commands                 run a command on a host CI's agent
 *   GET  /api/agents/commands/:id?offset=N    a command with its output from offset N (poll to follow live)
 *   POST /api/agents/commands/:id/cancel      cancel a queued or running command
 *   GET  /api/agents/:id/commands             the commands of one agent, newest first
 * Agents (`Authorization: Bearer ywa_…`):
 *   GET  /api/agent/commands/key              the server's Ed25519 public key (pinned on first sight)
 *   GET  /api/agent/commands/next?wait=25     long poll: the next signed command, or null after `wait` seconds
 *   POST /api/agent/commands/:id/output       a chunk of output `{ seq, data }` (a repeated seq is ignored)
 *   POST /api/agent/commands/:id/result       how it ended
 *
 * The agent runs a command only when its local policy allows remote execution (off by default; the install
 * command's `--allow-remote-exec` turns it on) and its signature verifies with the pinned server key.
 */
export const AGENT_COMMAND_PERMISSIONS = {
  commandRun: 'agents.command.run',
} as const satisfies Record<string, PermissionId>;

export const AGENT_COMMAND_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'timed_out', 'cancelled', 'refused', 'expired'] as const;
export type AgentCommandStatus = (typeof AGENT_COMMAND_STATUSES)[number];
/** Statuses a command never leaves. */
export const AGENT_COMMAND_FINAL: readonly AgentCommandStatus[] = ['succeeded', 'failed', 'timed_out', 'cancelled', 'refused', 'expired'];

export const AGENT_COMMAND_LIMITS = {
  argvItems: 64,
  argLength: 4096,
  envVars: 32,
  /** Output kept per command (characters): the head and the tail of longer output, with what was cut said between. */
  outputMax: 1024 * 1024,
  chunkMax: 64 * 1024,
  timeoutMsMax: 6 * 3600_000,
  timeoutMsDefault: 60_000,
  /** A command not picked up by its agent within this is expired (the agent refuses it after too). */
  validityMsDefault: 10 * 60_000,
  waitSecondsMax: 30,
} as const;

/** What asked for a command, so a page can link back (e.g. `{ type: 'incident.runbook-step', id, label }`). */
export const AgentCommandPurpose = Type.Object(
  {
    type: Type.String({ minLength: 1, maxLength: 64 }),
    id: Type.Optional(Type.String({ maxLength: 64 })),
    label: Type.Optional(Type.String({ maxLength: 200 })),
  },
  { additionalProperties: false },
);
export type AgentCommandPurpose = Static<typeof AgentCommandPurpose>;

const Argv = Type.Array(Type.String({ maxLength: AGENT_COMMAND_LIMITS.argLength }), { minItems: 1, maxItems: AGENT_COMMAND_LIMITS.argvItems });
export const ENV_NAME_PATTERN = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
const Env = Type.Record(Type.String({ pattern: ENV_NAME_PATTERN }), Type.String({ maxLength: AGENT_COMMAND_LIMITS.argLength }), { maxProperties: AGENT_COMMAND_LIMITS.envVars, additionalProperties: false });

export const AgentCommandCreate = Type.Object(
  {
    /** The host CI whose agent runs it. */
    ciId: Id,
    /** The executable and its arguments: run as is, never through a shell. */
    argv: Argv,
    cwd: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    env: Type.Optional(Env),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: AGENT_COMMAND_LIMITS.timeoutMsMax })),
    /** How long the command waits for its agent before it expires (default 10 min). */
    validForMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 24 * 3600_000 })),
    purpose: Type.Optional(AgentCommandPurpose),
  },
  { additionalProperties: false },
);
export type AgentCommandCreate = Static<typeof AgentCommandCreate>;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const AgentCommand = Type.Object({
  id: Id,
  agentId: Id,
  agentHostname: Type.String(),
  ciId: Nullable(Id),
  ciName: Nullable(Type.String()),
  argv: Type.Array(Type.String()),
  cwd: Nullable(Type.String()),
  timeoutMs: Type.Integer(),
  purpose: Nullable(AgentCommandPurpose),
  status: Type.Enum(AGENT_COMMAND_STATUSES),
  exitCode: Nullable(Type.Integer()),
  /** Why the agent refused it, or why it failed without an exit code (canonical English). */
  reason: Nullable(Type.String()),
  requestedBy: Nullable(Id),
  requestedByName: Nullable(Type.String()),
  createdAt: Epoch,
  expiresAt: Epoch,
  startedAt: Nullable(Epoch),
  finishedAt: Nullable(Epoch),
  /** The output from `offset` (the query's), with a note where a long output was cut. */
  output: Type.String(),
  /** Where this output starts, and the offset to ask for next to follow it. */
  offset: Type.Integer({ minimum: 0 }),
  nextOffset: Type.Integer({ minimum: 0 }),
  /** Characters the command printed in all (more than is kept when it was cut). */
  outputSize: Type.Integer({ minimum: 0 }),
  outputTruncated: Type.Boolean(),
  /** Whether the agent said it allows remote execution (null: it never said). */
  agentRemoteExec: Nullable(Type.Boolean()),
});
export type AgentCommand = Static<typeof AgentCommand>;
export const AgentCommandList = Type.Object({ items: Type.Array(AgentCommand) });
export type AgentCommandList = Static<typeof AgentCommandList>;
export const AgentCommandQuery = Type.Object({ offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 2 ** 31 })) }, { additionalProperties: false });
export const AgentCommandDispatched = Type.Object({
  id: Id,
  status: Type.Enum(AGENT_COMMAND_STATUSES),
  /** Said when the agent is offline, revoked or does not allow remote execution: the command waits (and may expire). */
  warning: Nullable(Type.String()),
});
export type AgentCommandDispatched = Static<typeof AgentCommandDispatched>;

// ---------------------------------------------------------------- agent side

export const SignedAgentCommand = Type.Object({
  id: Id,
  agentId: Id,
  argv: Type.Array(Type.String()),
  cwd: Type.Optional(Type.String()),
  env: Type.Optional(Type.Record(Type.String(), Type.String())),
  timeoutMs: Type.Integer(),
  issuedAt: Epoch,
  expiresAt: Epoch,
  /** base64 Ed25519 signature of the canonical JSON of the fields above (`signedCommandText`). */
  signature: Type.String(),
});
export type SignedAgentCommand = Static<typeof SignedAgentCommand>;
export const AgentCommandNext = Type.Object({ command: Nullable(SignedAgentCommand) });
export const AgentCommandNextQuery = Type.Object({ wait: Type.Optional(Type.Integer({ minimum: 0, maximum: AGENT_COMMAND_LIMITS.waitSecondsMax })) }, { additionalProperties: false });
/** The server's public key: SPKI DER, base64. */
export const AgentCommandKey = Type.Object({ publicKey: Type.String(), fingerprint: Type.String() });
export type AgentCommandKey = Static<typeof AgentCommandKey>;

export const AgentCommandOutputChunk = Type.Object(
  {
    /** 1, 2, 3…: chunks are appended in this order; one already received is ignored. 0: a heartbeat without data. */
    seq: Type.Integer({ minimum: 0, maximum: 1e9 }),
    data: Type.String({ maxLength: AGENT_COMMAND_LIMITS.chunkMax }),
  },
  { additionalProperties: false },
);
export type AgentCommandOutputChunk = Static<typeof AgentCommandOutputChunk>;
/** `cancel`: the command was cancelled: the agent stops it. */
export const AgentCommandOutputAck = Type.Object({ cancel: Type.Boolean() });

export const AGENT_COMMAND_ENDINGS = ['exited', 'timed_out', 'cancelled', 'refused', 'failed'] as const;
export const AgentCommandResult = Type.Object(
  {
    ending: Type.Enum(AGENT_COMMAND_ENDINGS),
    exitCode: Type.Optional(Nullable(Type.Integer({ minimum: -1e6, maximum: 1e6 }))),
    reason: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
);
export type AgentCommandResult = Static<typeof AgentCommandResult>;
export const AgentCommandResultAck = Type.Object({ status: Type.Enum(AGENT_COMMAND_STATUSES) });
