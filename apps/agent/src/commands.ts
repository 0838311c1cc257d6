/**
 * Remote commands: the agent long-polls the server for commands, verifies each (the server's Ed25519
 * signature with the pinned key, this agent's id, not expired, never seen before), checks the local
 * allowlist, runs it without a shell and streams its output back.
 *
 * Only started when the local policy allows remote execution (`remoteExec.enabled`, written by
 * `enroll --allow-remote-exec`). The server key is pinned at enrolment; an agent enrolled before
 * commands existed pins the key it is first given (trust on first use), and never changes it after.
 */
import { spawn } from 'node:child_process';
import { createPublicKey, verify } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
// Types only from the schemas: the agent's bundle carries just the signed-text function.
import { signedCommandText } from '@yunwei/contracts/agent-command-payload';
import type { AgentCommandResult, SignedAgentCommand } from '@yunwei/contracts/agent-commands';
import { writeConfig, type AgentConfig } from './config.ts';
import { requestJson, sockets, type Outcome } from './http-client.ts';
import { log } from './log.ts';

/** Output is sent at least this often while a command prints… */
const FLUSH_MS = 500;
/** …or as soon as this much is waiting. */
const CHUNK_CHARS = 16 * 1024;
/** A silent command still reports this often (to hear of a cancel). */
const HEARTBEAT_MS = 1_000;
/** SIGTERM first, SIGKILL this long after. */
const KILL_GRACE_MS = 5_000;
const POLL_WAIT_SECONDS = 25;
const RETRY_MS = 5_000;

// ---------------------------------------------------------------- verification

/** Why a command must not run, or null when it may. */
export function verifyCommand(command: SignedAgentCommand, o: { publicKey: string; agentId: string; now: number; seen: { has(id: string): boolean } }): string | null {
  let valid = false;
  try {
    const key = createPublicKey({ key: Buffer.from(o.publicKey, 'base64'), format: 'der', type: 'spki' });
    valid = verify(null, Buffer.from(signedCommandText(command), 'utf8'), key, Buffer.from(command.signature, 'base64'));
  } catch {
    valid = false;
  }
  if (!valid) {
    return 'bad signature: the command was not signed by the server this agent trusts';
  }
  if (command.agentId !== o.agentId) {
    return `the command is for agent ${command.agentId}, not this one`;
  }
  if (o.now > command.expiresAt) {
    return `the command expired at ${new Date(command.expiresAt).toISOString()}`;
  }
  if (o.seen.has(command.id)) {
    return 'the command was received before (replayed)';
  }
  return null;
}

/** Why the local allowlist refuses `argv[0]`, or null. Entries with a slash match the path, others its base name. */
export function allowlistRefusal(argv: readonly string[], allow: readonly string[] | undefined): string | null {
  if (!allow?.length) {
    return null;
  }
  const program = argv[0] ?? '';
  const ok = allow.some((entry) => (entry.includes('/') ? path.resolve(entry) === path.resolve(program) : entry === path.basename(program)));
  return ok ? null : `${program} is not in this host's allowlist (remoteExec.allow in the agent's config)`;
}

function writeFileAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text, { mode: 0o600 });
  renameSync(tmp, file);
}

/** Command ids already received, kept (in a file) until they expire: a replayed command is refused. */
export class SeenCommands {
  readonly #file: string;
  #seen = new Map<string, number>();

  constructor(file: string) {
    this.#file = file;
    try {
      this.#seen = new Map(Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>));
    } catch {
      this.#seen = new Map();
    }
  }

  has(id: string): boolean {
    return this.#seen.has(id);
  }

  remember(id: string, expiresAt: number, now = Date.now()): void {
    for (const [k, until] of this.#seen) {
      // An expired command is refused for its time anyway: it need not be remembered.
      if (until < now) {
        this.#seen.delete(k);
      }
    }
    this.#seen.set(id, expiresAt);
    writeFileAtomic(this.#file, JSON.stringify(Object.fromEntries(this.#seen)));
  }
}

// ---------------------------------------------------------------- running

export interface Ending {
  ending: AgentCommandResult['ending'];
  exitCode: number | null;
  reason?: string;
}

/**
 * Runs argv (no shell) in a process group of its own; output (stdout and stderr as they come) goes to
 * `onOutput`. The timeout and `stop()` end the whole group: SIGTERM, then SIGKILL 5 s later.
 */
export function runProcess(
  command: Pick<SignedAgentCommand, 'argv' | 'cwd' | 'env' | 'timeoutMs'>,
  onOutput: (text: string) => void,
): { done: Promise<Ending>; stop: (why: 'cancelled') => void } {
  let why: 'timed_out' | 'cancelled' | null = null;
  let child: ReturnType<typeof spawn>;
  try {
    child = spawn(command.argv[0]!, command.argv.slice(1), {
      cwd: command.cwd,
      env: { ...process.env, ...command.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
  } catch (error) {
    return { done: Promise.resolve({ ending: 'failed', exitCode: null, reason: `cannot start ${command.argv[0]}: ${(error as Error).message}` }), stop: () => undefined };
  }
  let killTimer: NodeJS.Timeout | undefined;
  const killGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  const end = (reason: 'timed_out' | 'cancelled') => {
    if (why || child.pid === undefined) {
      return;
    }
    why = reason;
    killGroup('SIGTERM');
    killTimer = setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
  };
  const timer = setTimeout(() => end('timed_out'), command.timeoutMs);
  for (const stream of [child.stdout!, child.stderr!]) {
    const decoder = new StringDecoder('utf8');
    stream.on('data', (b: Buffer) => onOutput(decoder.write(b)));
    stream.on('end', () => {
      const rest = decoder.end();
      if (rest) {
        onOutput(rest);
      }
    });
  }
  const done = new Promise<Ending>((resolve) => {
    let failed: Error | null = null;
    child.on('error', (error) => (failed = error));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      clearTimeout(killTimer);
      if (why) {
        resolve({ ending: why, exitCode: code, reason: why === 'timed_out' ? `timed out after ${command.timeoutMs} ms${signal ? ` (${signal})` : ''}` : 'cancelled' });
      } else if (failed) {
        resolve({ ending: 'failed', exitCode: null, reason: `cannot start ${command.argv[0]}: ${(failed as NodeJS.ErrnoException).code ?? failed.message}` });
      } else {
        resolve({ ending: 'exited', exitCode: code, ...(signal ? { reason: `killed by ${signal}` } : {}) });
      }
    });
  });
  return { done, stop: end };
}

// ---------------------------------------------------------------- talking to the server

/** Its own sockets: a long poll must not hold the one socket metrics are pushed on. */
const commandSockets = sockets(2);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export interface CommandLoopOptions {
  config: AgentConfig;
  /** Where the config lives (the key is pinned into it when first seen). */
  configFile: string;
  stateDir: string;
}

/** The agent's command loop: one command at a time; the server queues the rest. */
export class CommandLoop {
  readonly #o: CommandLoopOptions;
  readonly #seen: SeenCommands;
  #stopped = false;
  #current: { stop: (why: 'cancelled') => void } | null = null;
  /** Ends the long poll in flight when the agent stops. */
  readonly #abort = new AbortController();

  constructor(options: CommandLoopOptions) {
    this.#o = options;
    this.#seen = new SeenCommands(path.join(options.stateDir, 'commands-seen.json'));
  }

  #call(method: 'GET' | 'POST', pathname: string, body?: unknown, timeoutMs?: number): Promise<Outcome> {
    return requestJson(this.#o.config.server, method, pathname, body, {
      bearer: this.#o.config.credential,
      sockets: commandSockets,
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(method === 'GET' ? { signal: this.#abort.signal } : {}),
    });
  }

  /** The pinned key; fetched and pinned when this agent has none (enrolled before commands existed). */
  async #key(): Promise<string | null> {
    if (this.#o.config.commandKey) {
      return this.#o.config.commandKey;
    }
    const outcome = await this.#call('GET', '/api/agent/commands/key');
    if (outcome.kind !== 'ok') {
      return null;
    }
    const { publicKey, fingerprint } = outcome.body as { publicKey: string; fingerprint: string };
    this.#o.config.commandKey = publicKey;
    writeConfig(this.#o.configFile, this.#o.config);
    log('warn', 'pinned the server command key on first sight (trust on first use)', { fingerprint });
    return publicKey;
  }

  async run(): Promise<void> {
    log('info', 'remote execution enabled: waiting for commands', { allow: this.#o.config.remoteExec?.allow ?? 'any' });
    while (!this.#stopped) {
      const key = await this.#key();
      if (!key) {
        await sleep(RETRY_MS);
        continue;
      }
      const outcome = await this.#call('GET', `/api/agent/commands/next?wait=${POLL_WAIT_SECONDS}`, undefined, (POLL_WAIT_SECONDS + 15) * 1000);
      if (outcome.kind === 'unauthorized') {
        log('error', 'the server refuses this agent: command loop stopped', { reason: outcome.reason });
        return;
      }
      if (outcome.kind !== 'ok') {
        if (!this.#stopped) {
          await sleep(RETRY_MS);
        }
        continue;
      }
      const command = (outcome.body as { command: SignedAgentCommand | null }).command;
      if (command && !this.#stopped) {
        await this.#handle(command, key);
      }
    }
  }

  stop(): void {
    this.#stopped = true;
    this.#abort.abort();
    this.#current?.stop('cancelled');
  }

  async #result(id: string, result: AgentCommandResult): Promise<void> {
    for (let attempt = 0; attempt < 20 && !(await this.#deliver(`/api/agent/commands/${id}/result`, result)); attempt++) {
      await sleep(1000);
    }
  }

  /** True when the server took it (or refused it for good). */
  async #deliver(pathname: string, body: unknown): Promise<boolean> {
    const outcome = await this.#call('POST', pathname, body);
    return outcome.kind === 'ok' || outcome.kind === 'rejected' || outcome.kind === 'unauthorized';
  }

  async #handle(command: SignedAgentCommand, key: string): Promise<void> {
    const refusal = verifyCommand(command, { publicKey: key, agentId: this.#o.config.agentId, now: Date.now(), seen: this.#seen }) ?? allowlistRefusal(command.argv, this.#o.config.remoteExec?.allow);
    if (refusal) {
      log('warn', 'command refused', { id: command.id, reason: refusal });
      await this.#result(command.id, { ending: 'refused', reason: refusal });
      return;
    }
    this.#seen.remember(command.id, command.expiresAt);
    log('info', 'running command', { id: command.id, argv: command.argv });
    let pending = '';
    let seq = 0;
    let cancelled = false;
    let lastSent = Date.now();
    let sending: Promise<void> = Promise.resolve();
    const send = (data: string) => {
      const n = data ? ++seq : 0;
      sending = sending.then(async () => {
        for (let attempt = 0; attempt < 10; attempt++) {
          const outcome = await this.#call('POST', `/api/agent/commands/${command.id}/output`, { seq: n, data });
          if (outcome.kind === 'ok') {
            if ((outcome.body as { cancel?: boolean } | null)?.cancel && !cancelled) {
              cancelled = true;
              log('info', 'command cancelled by the server', { id: command.id });
              this.#current?.stop('cancelled');
            }
            return;
          }
          if (outcome.kind !== 'unreachable') {
            return;
          }
          await sleep(500);
        }
      });
      lastSent = Date.now();
    };
    const flush = () => {
      while (pending.length) {
        send(pending.slice(0, CHUNK_CHARS));
        pending = pending.slice(CHUNK_CHARS);
      }
    };
    const proc = runProcess(command, (text) => {
      pending += text;
      if (pending.length >= CHUNK_CHARS) {
        flush();
      }
    });
    this.#current = proc;
    const ticker = setInterval(() => {
      if (pending) {
        flush();
      } else if (Date.now() - lastSent >= HEARTBEAT_MS) {
        send('');
      }
    }, FLUSH_MS);
    const ending = await proc.done;
    clearInterval(ticker);
    this.#current = null;
    flush();
    await sending;
    log('info', 'command ended', { id: command.id, ending: ending.ending, exitCode: ending.exitCode });
    await this.#result(command.id, { ending: cancelled && ending.ending !== 'exited' ? 'cancelled' : ending.ending, exitCode: ending.exitCode, ...(ending.reason ? { reason: ending.reason } : {}) });
  }
}
