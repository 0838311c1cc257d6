/**
 * Test support for the tests that run the real `yunwei-agent` (apps/agent/bin/yunwei-agent.mjs) as a
 * child process against a real server (not used by the server): starting it with the node flags of
 * its systemd unit, enrolling it, reading its disk buffer and the samples stored for it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { AgentSample } from '@yunwei/contracts/agents';
import { NODE_FLAGS } from '../../../../agent/src/systemd.ts';
import type { Database } from '../../db/schema.js';
import { storedSamples } from '../monitoring/monitoring.testing.js';

const AGENT_BIN = path.resolve(import.meta.dirname, '../../../../agent/bin/yunwei-agent.mjs');

/** Starts agent commands and keeps what all of them print, in one log (for failure messages). */
export interface AgentLauncher {
  /** `yunwei-agent <args>` as a child process, with the flags of the systemd unit (as on a host). */
  spawn(args: string[]): ChildProcess;
  log(): string;
}

export function agentLauncher(): AgentLauncher {
  let log = '';
  return {
    spawn(args) {
      const child = spawn(process.execPath, [...NODE_FLAGS, AGENT_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout!.on('data', (d: Buffer) => (log += d.toString()));
      child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
      return child;
    },
    log: () => log,
  };
}

/** What `yunwei-agent enroll` wrote to its config file. */
export interface EnrolledAgent {
  agentId: string;
  ciId: string;
  credential: string;
  server: string;
}

/** Runs `yunwei-agent enroll` to the end; fails with the agent's log unless it exits 0. */
export async function enrollAgent(agents: AgentLauncher, o: { server: string; token: string; configFile: string; stateDir: string }): Promise<EnrolledAgent> {
  const enroll = agents.spawn(['enroll', '--server', o.server, '--token', o.token, '--config', o.configFile, '--state-dir', o.stateDir]);
  const code = await new Promise((resolve) => enroll.once('exit', resolve));
  if (code !== 0) {
    throw new Error(`yunwei-agent enroll exited with ${String(code)}:\n${agents.log()}`);
  }
  return JSON.parse(readFileSync(o.configFile, 'utf8')) as EnrolledAgent;
}

/** The times of `metric` in the agent's disk buffer (`<stateDir>/buffer`), in the order they are on disk. */
export function bufferedTimes(stateDir: string, metric: string): number[] {
  const dir = path.join(stateDir, 'buffer');
  const ts: number[] = [];
  for (const f of existsSync(dir) ? readdirSync(dir).sort() : []) {
    for (const line of readFileSync(path.join(dir, f), 'utf8').split('\n').filter(Boolean)) {
      ts.push(...(JSON.parse(line) as AgentSample[]).filter((s) => s.metric === metric).map((s) => s.ts));
    }
  }
  return ts;
}

/** The series of `metric` the agent's pushes created (labelled with its id). */
export async function agentSeries(db: Kysely<Database>, agentId: string, metric: string) {
  return db.selectFrom('metric_series').select(['id', 'labels', 'ci_id']).where('metric', '=', metric).where('labels', 'like', `%"agent":"${agentId}"%`).execute();
}

/** The stored samples of `metric` from the agent, oldest first (all its series together). */
export async function storedAgentSamples(db: Kysely<Database>, agentId: string, metric: string): Promise<{ ts: number; value: number }[]> {
  const ids = (await agentSeries(db, agentId, metric)).map((s) => s.id);
  if (!ids.length) {
    return [];
  }
  const rows = await db.selectFrom(storedSamples(db).as('m')).select(['ts', 'value']).where('series_id', 'in', ids).orderBy('ts').execute();
  return rows.map((r) => ({ ts: Number(r.ts), value: Number(r.value) }));
}
