import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_CONFIG = '/etc/yunwei-agent/config.json';

/** What `enroll` stores: where the server is and the agent's own credential (a secret: mode 0600). */
export interface AgentConfig {
  server: string;
  agentId: string;
  ciId: string;
  credential: string;
  /** Where the buffer and state live (default: /var/lib/yunwei-agent, or beside a non-default config). */
  stateDir?: string;
  intervalSeconds?: number;
  bufferMaxBytes?: number;
  /**
   * Remote execution of server commands: off unless enabled (`enroll --allow-remote-exec`). `allow`: the
   * executables it may run (absolute paths, or names matching argv[0]'s base name); empty or absent = any.
   */
  remoteExec?: { enabled: boolean; allow?: string[] };
  /** The server's command-signing public key (SPKI DER, base64), pinned at enrolment or on first sight. */
  commandKey?: string;
}

export function readConfig(file: string): AgentConfig {
  let parsed: Partial<AgentConfig>;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<AgentConfig>;
  } catch (error) {
    throw new Error(`cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}): run "yunwei-agent enroll" first`);
  }
  for (const key of ['server', 'agentId', 'credential'] as const) {
    if (typeof parsed[key] !== 'string' || !parsed[key]) {
      throw new Error(`${file}: "${key}" is missing: run "yunwei-agent enroll" again`);
    }
  }
  return parsed as AgentConfig;
}

/** Writes the config atomically, readable by its owner only. */
export function writeConfig(file: string, config: AgentConfig): void {
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

export function stateDirOf(configFile: string, config: Pick<AgentConfig, 'stateDir'>): string {
  if (config.stateDir) {
    return config.stateDir;
  }
  return path.resolve(configFile) === DEFAULT_CONFIG ? '/var/lib/yunwei-agent' : path.join(path.dirname(path.resolve(configFile)), 'state');
}
