import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import {
  AGENT_COMMAND_LIMITS as L,
  AGENT_COMMAND_PERMISSIONS as C,
  type AgentCommand,
  type AgentCommandCreate,
  type AgentCommandDispatched,
  type AgentCommandOutputChunk,
  type AgentCommandPurpose,
  type AgentCommandResult,
  type AgentCommandStatus,
  type SignedAgentCommand,
} from '@yunwei/contracts/agent-commands';
import { AGENTS_PERMISSIONS as P } from '@yunwei/contracts/agents';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { AgentCommandsRepository, type AgentCommandRow, type AgentCommandView } from './agent-commands.repository.js';
import type { AgentRow } from './agents.repository.js';
import { agentStatus } from './agents.service.js';
import { CommandSigning } from './command-signing.js';

declare module '../../platform/events.js' {
  interface EventMap {
    /** A command was queued, started, printed output or ended (a wake-up: read the `agent_command` row). Shared across nodes. */
    'agents.command.changed': { commandId: string; agentId: string; status: AgentCommandStatus };
  }
}

const HALF = L.outputMax / 2;
/** A waiting long poll looks at the queue at least this often (events across nodes are best effort). */
const RECHECK_MS = 5_000;

/** Output after `data` is appended: all of it up to the cap, then the first and the last half-cap characters. */
export function appendOutput(row: Pick<AgentCommandRow, 'output' | 'output_tail' | 'output_size'>, data: string): Pick<AgentCommandRow, 'output' | 'output_tail' | 'output_size'> {
  const size = row.output_size + data.length;
  if (row.output_tail === '' && row.output.length + data.length <= L.outputMax) {
    return { output: row.output + data, output_tail: '', output_size: size };
  }
  if (row.output_tail === '') {
    const all = row.output + data;
    return { output: all.slice(0, HALF), output_tail: all.slice(HALF).slice(-HALF), output_size: size };
  }
  return { output: row.output, output_tail: (row.output_tail + data).slice(-HALF), output_size: size };
}

/** The output from `offset` on (positions count every character printed, the cut ones too). */
export function outputFrom(row: Pick<AgentCommandRow, 'output' | 'output_tail' | 'output_size'>, offset: number): { output: string; offset: number; nextOffset: number; truncated: boolean } {
  const size = row.output_size;
  const from = Math.min(Math.max(offset, 0), size);
  if (row.output_tail === '') {
    return { output: row.output.slice(from), offset: from, nextOffset: row.output.length, truncated: false };
  }
  const headEnd = row.output.length;
  const tailStart = size - row.output_tail.length;
  const cut = (n: number) => `\n[… ${n} characters cut: only the first and the last ${HALF} are kept …]\n`;
  let output: string;
  if (from < headEnd) {
    output = row.output.slice(from) + cut(tailStart - headEnd) + row.output_tail;
  } else if (from < tailStart) {
    output = cut(tailStart - from) + row.output_tail;
  } else {
    output = row.output_tail.slice(from - tailStart);
  }
  return { output, offset: from, nextOffset: size, truncated: true };
}

function view(row: AgentCommandView, offset = 0): AgentCommand {
  const out = outputFrom(row, offset);
  return {
    id: row.id,
    agentId: row.agent_id,
    agentHostname: row.agent_hostname,
    ciId: row.ci_id,
    ciName: row.ci_name,
    argv: fromJson<string[]>(row.argv),
    cwd: row.cwd,
    timeoutMs: row.timeout_ms,
    purpose: row.purpose ? fromJson<AgentCommandPurpose>(row.purpose) : null,
    status: row.status,
    exitCode: row.exit_code,
    reason: row.reason,
    requestedBy: row.requested_by,
    requestedByName: row.requested_by_name,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    output: out.output,
    offset: out.offset,
    nextOffset: out.nextOffset,
    outputSize: row.output_size,
    outputTruncated: out.truncated,
    agentRemoteExec: row.agent_remote_exec === null ? null : row.agent_remote_exec === 1,
  };
}

function signed(row: AgentCommandRow): SignedAgentCommand {
  return {
    id: row.id,
    agentId: row.agent_id,
    argv: fromJson<string[]>(row.argv),
    ...(row.cwd !== null ? { cwd: row.cwd } : {}),
    ...(row.env !== null ? { env: fromJson<Record<string, string>>(row.env) } : {}),
    timeoutMs: row.timeout_ms,
    issuedAt: row.created_at,
    expiresAt: row.expires_at,
    signature: row.signature,
  };
}

/**
 * The agent command queue. People (and other modules, with the person as actor) dispatch commands to
 * the agent of a host CI; the agent long-polls for them, streams their output and says how they ended.
 * Every command is signed by the server's key; the agent verifies it and runs it only when its own
 * policy allows remote execution. Data scope: a command belongs to its host CI's unit.
 */
export class AgentCommandsService {
  readonly repo: AgentCommandsRepository;
  readonly signing: CommandSigning;
  readonly #waiters = new Map<string, Set<() => void>>();
  #closing = false;

  constructor(private readonly ctx: ModuleContext) {
    this.repo = new AgentCommandsRepository(ctx.db);
    this.signing = new CommandSigning(ctx.db, ctx.secrets);
    ctx.events.on('agents.command.changed', (e) => {
      if (e.status === 'queued') {
        this.#wake(e.agentId);
      }
    });
  }

  // ---------------------------------------------------------------- people and other modules

  /**
   * Queues `argv` for the agent of host CI `ciId`, signed, and audits it with the argv (in `trx` when
   * given: the caller's change and the command commit together). A CI without an agent is refused
   * (`body.ciId`); an offline or revoked agent, or one that does not allow remote execution, is not:
   * the command waits (and expires after its validity) — `warning` says so.
   */
  async dispatch(actor: Actor, input: AgentCommandCreate, trx?: Kysely<Database>): Promise<AgentCommandDispatched> {
    const run = async (db: Kysely<Database>): Promise<{ id: string; agentId: string; warning: string | null }> => {
      const { ci, agent } = await this.repo.hostOfCi(db, input.ciId);
      if (!ci) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'body.ciId', id: input.ciId });
      }
      requireReach(actor, ci.org_unit_id, C.commandRun, P.agentRead, () => new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'body.ciId', id: input.ciId }));
      if (!agent) {
        throw invalidField('body.ciId', { zh: `主机“${ci.name}”没有安装代理，无法远程执行命令`, en: `The host "${ci.name}" has no agent: commands cannot be run on it` });
      }
      if (!input.argv[0]?.trim()) {
        throw invalidField('body.argv', { zh: '请填写要执行的程序', en: 'name the program to run' });
      }
      const key = await this.signing.key(db);
      const now = Date.now();
      const id = uuidv7();
      const timeoutMs = input.timeoutMs ?? L.timeoutMsDefault;
      const expiresAt = now + (input.validForMs ?? L.validityMsDefault);
      const payload = { id, agentId: agent.id, argv: input.argv, cwd: input.cwd, env: input.env, timeoutMs, issuedAt: now, expiresAt };
      const row: AgentCommandRow = {
        id,
        agent_id: agent.id,
        ci_id: input.ciId,
        argv: toJson(input.argv),
        cwd: input.cwd ?? null,
        env: input.env ? toJson(input.env) : null,
        timeout_ms: timeoutMs,
        requested_by: actor.userId,
        purpose: input.purpose ? toJson(input.purpose) : null,
        status: 'queued',
        exit_code: null,
        reason: null,
        output: '',
        output_tail: '',
        output_size: 0,
        output_seq: 0,
        created_at: now,
        expires_at: expiresAt,
        started_at: null,
        finished_at: null,
        signature: key.sign(payload),
      };
      const warning = this.#warning(agent, now);
      await this.repo.insert(db, row);
      await this.ctx.audit.record(db, {
        actor,
        action: 'agents.command.dispatch',
        targetType: 'agent_command',
        targetId: id,
        after: { host: agent.hostname, ci: ci.name, agentId: agent.id, argv: input.argv, cwd: input.cwd ?? null, envNames: Object.keys(input.env ?? {}), timeoutMs, expiresAt, purpose: input.purpose ?? null, warning },
      });
      return { id, agentId: agent.id, warning };
    };
    const done = trx ? await run(trx) : await this.ctx.db.transaction().execute(run);
    this.#announce(done.id, done.agentId, 'queued');
    if (trx) {
      // The caller commits later: wake the agent again once it likely has (its poll also re-reads every few seconds).
      setTimeout(() => this.#announce(done.id, done.agentId, 'queued'), 300).unref();
    }
    return { id: done.id, status: 'queued', warning: done.warning };
  }

  /** A command with its output from `offset` (poll with the answer's `nextOffset` to follow it live). */
  async get(actor: Actor, id: string, offset = 0): Promise<AgentCommand> {
    await this.repo.sweep({ id }, Date.now());
    return view(await this.#readable(actor, id), offset);
  }

  /** Cancels a queued command (it never runs) or a running one (the agent stops it at its next report). */
  async cancel(actor: Actor, id: string): Promise<AgentCommand> {
    const row = await this.#readable(actor, id);
    requireReach(actor, row.unit_id, C.commandRun, P.agentRead, () => new AppError('YW_AGENT_COMMAND_NOT_FOUND', { id }));
    const moved = await this.ctx.db.transaction().execute(async (trx) => {
      const ok = await this.repo.move(trx, id, ['queued', 'running'], 'cancelled', { finished_at: Date.now(), reason: `cancelled by ${actor.username}` });
      if (ok) {
        await this.ctx.audit.record(trx, { actor, action: 'agents.command.cancel', targetType: 'agent_command', targetId: id, before: { host: row.agent_hostname, argv: fromJson<string[]>(row.argv), status: row.status } });
      }
      return ok;
    });
    if (moved) {
      this.#announce(id, row.agent_id, 'cancelled');
    }
    return view((await this.repo.find(id))!);
  }

  /** The newest commands of one agent (at most 100). */
  async listOfAgent(actor: Actor, agentId: string): Promise<AgentCommand[]> {
    const agent = await this.ctx.db
      .selectFrom('agent as a')
      .leftJoin('cmdb_ci as c', 'c.id', 'a.ci_id')
      .select(['a.id', 'c.org_unit_id as unit_id'])
      .where('a.id', '=', agentId)
      .executeTakeFirst();
    if (!agent) {
      throw new AppError('YW_AGENT_NOT_FOUND', { id: agentId });
    }
    requireReach(actor, agent.unit_id, P.agentRead, P.agentRead, () => new AppError('YW_AGENT_NOT_FOUND', { id: agentId }));
    await this.repo.sweep({ agentId }, Date.now());
    // Each command follows its own CI's unit; the list shows the output's end only.
    return (await this.repo.listOfAgent(agentId, 100)).map((r) => view(r, Math.max(0, r.output_size - 4096)));
  }

  async #readable(actor: Actor, id: string): Promise<AgentCommandView> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_AGENT_COMMAND_NOT_FOUND', { id });
    }
    requireReach(actor, row.unit_id, P.agentRead, P.agentRead, () => new AppError('YW_AGENT_COMMAND_NOT_FOUND', { id }));
    return row;
  }

  #warning(agent: AgentRow, now: number): string | null {
    const status = agentStatus(agent, now);
    if (status === 'revoked') {
      return 'the agent is revoked: the command waits until the host is enrolled again, and expires if it is not';
    }
    if (agent.remote_exec !== 1) {
      return 'the agent does not allow remote execution (installed without --allow-remote-exec): the command waits and expires unless that changes';
    }
    return status === 'offline' ? 'the agent is offline: the command waits until it is back, and expires if it is not' : null;
  }

  // ---------------------------------------------------------------- the agent's side

  /**
   * The next command for this agent, signed, waiting up to `waitSeconds` for one; null when none came.
   * `gone`: the agent hung up (it stopped): a command is then left queued rather than handed to nobody.
   */
  async next(agent: AgentRow, waitSeconds: number, gone?: AbortSignal): Promise<SignedAgentCommand | null> {
    if (agent.remote_exec !== 1) {
      // It polls only when its policy allows remote execution.
      await this.repo.setRemoteExec(agent.id, true);
    }
    const deadline = Date.now() + Math.min(waitSeconds, L.waitSecondsMax) * 1000;
    for (;;) {
      if (gone?.aborted) {
        return null;
      }
      const now = Date.now();
      await this.repo.sweep({ agentId: agent.id }, now);
      const row = await this.repo.nextQueued(agent.id, now);
      if (row && !gone?.aborted) {
        if (await this.repo.move(this.ctx.db, row.id, ['queued'], 'running', { started_at: now })) {
          this.#announce(row.id, agent.id, 'running');
          return signed(row);
        }
        continue; // cancelled (or taken) meanwhile
      }
      const left = deadline - Date.now();
      if (left <= 0 || this.#closing) {
        return null;
      }
      await this.#wait(agent.id, Math.min(left, RECHECK_MS), gone);
    }
  }

  /** Appends a chunk in order (a repeated sequence is ignored); `cancel` tells the agent to stop the command. */
  async output(agent: AgentRow, id: string, chunk: AgentCommandOutputChunk): Promise<{ cancel: boolean }> {
    for (let attempt = 0; ; attempt++) {
      const row = await this.#own(agent, id);
      if (row.status !== 'running') {
        return { cancel: row.status === 'cancelled' };
      }
      if (chunk.seq === 0 || chunk.seq <= row.output_seq || chunk.data === '') {
        return { cancel: false };
      }
      if (await this.repo.writeOutput(id, row.output_seq, { ...appendOutput(row, chunk.data), output_seq: chunk.seq })) {
        this.#announce(id, agent.id, 'running');
        return { cancel: false };
      }
      if (attempt > 5) {
        throw new AppError('YW_CONFLICT', { id });
      }
    }
  }

  /** How the command ended, as the agent saw it. A command already ended (cancelled, expired) stays as it is. */
  async result(agent: AgentRow, id: string, result: AgentCommandResult): Promise<AgentCommand['status']> {
    const row = await this.#own(agent, id);
    const status: AgentCommandStatus =
      result.ending === 'exited' ? (result.exitCode === 0 ? 'succeeded' : 'failed') : result.ending === 'failed' ? 'failed' : result.ending;
    const from: AgentCommandStatus[] = result.ending === 'refused' ? ['queued', 'running'] : ['running'];
    const patch = { exit_code: result.exitCode ?? null, reason: result.reason?.slice(0, 2000) ?? null, finished_at: Date.now() };
    if (await this.repo.move(this.ctx.db, id, from, status, patch)) {
      this.#announce(id, agent.id, status);
      return status;
    }
    if (row.status === 'cancelled' && row.exit_code === null && result.exitCode !== undefined) {
      // Keep how the stopped process ended, the status stays cancelled.
      await this.ctx.db.updateTable('agent_command').set({ exit_code: result.exitCode }).where('id', '=', id).where('status', '=', 'cancelled').execute();
    }
    return (await this.repo.findRow(id))!.status;
  }

  /** Only the command's own agent may report on it; to any other it does not exist. */
  async #own(agent: AgentRow, id: string): Promise<AgentCommandRow> {
    const row = await this.repo.findRow(id);
    if (!row || row.agent_id !== agent.id) {
      throw new AppError('YW_AGENT_COMMAND_NOT_FOUND', { id });
    }
    return row;
  }

  // ---------------------------------------------------------------- waking long polls

  #announce(commandId: string, agentId: string, status: AgentCommandStatus): void {
    this.ctx.events.emit('agents.command.changed', { commandId, agentId, status });
  }

  #wait(agentId: string, ms: number, gone?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      let set = this.#waiters.get(agentId);
      if (!set) {
        set = new Set();
        this.#waiters.set(agentId, set);
      }
      const done = () => {
        clearTimeout(timer);
        gone?.removeEventListener('abort', done);
        set.delete(done);
        if (!set.size) {
          this.#waiters.delete(agentId);
        }
        resolve();
      };
      const timer = setTimeout(done, ms);
      gone?.addEventListener('abort', done);
      set.add(done);
    });
  }

  #wake(agentId: string): void {
    for (const done of [...(this.#waiters.get(agentId) ?? [])]) {
      done();
    }
  }

  /** Answers every waiting long poll (the server is stopping). */
  close(): void {
    this.#closing = true;
    for (const agentId of [...this.#waiters.keys()]) {
      this.#wake(agentId);
    }
  }
}

const services = new WeakMap<ModuleContext, AgentCommandsService>();

/**
 * The command channel of one app, for other modules (e.g. incident runbooks):
 * `agentCommandsOf(ctx).dispatch(actor, { ciId, argv, timeoutMs?, purpose }, trx?)`, `.get(actor, id, offset?)`,
 * `.cancel(actor, id)`; `ctx.events.on('agents.command.changed', …)` hears of output and endings.
 */
export function agentCommandsOf(ctx: ModuleContext): AgentCommandsService {
  let service = services.get(ctx);
  if (!service) {
    service = new AgentCommandsService(ctx);
    services.set(ctx, service);
  }
  return service;
}
