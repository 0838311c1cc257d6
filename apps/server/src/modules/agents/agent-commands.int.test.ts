import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../platform/actor.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { waitFor } from '../../../test/peers.js';
import { agentLauncher } from './agent-process.testing.js';
import { agentCommandsOf, appendOutput, outputFrom } from './agent-commands.service.js';

interface AgentFile {
  agentId: string;
  ciId: string;
  credential: string;
  server: string;
  commandKey?: string;
  remoteExec?: { enabled: boolean; allow?: string[] };
}

/**
 * The command channel with the real `yunwei-agent` on this machine against a Yunwei listening on a
 * port: enrolled with --allow-remote-exec, it verifies each signed command, runs it without a shell
 * and streams the output back while it runs; timeouts and cancels stop it; without the flag it never
 * asks for commands and they expire.
 */
describe.skipIf(!databaseAvailable())('agent commands with the real agent', () => {
  let t: TestApp;
  let admin: TestSession;
  let url: string;
  let agent: ChildProcess | null = null;
  const agents = agentLauncher();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-agent-commands-'));
  const configFile = path.join(dir, 'config.json');
  const stateDir = path.join(dir, 'state');
  let enrolled: AgentFile;
  const readAgentFile = () => JSON.parse(readFileSync(configFile, 'utf8')) as AgentFile;

  const start = () => {
    agent = agents.spawn(['run', '--config', configFile, '--interval', '1', '--inventory-check', '3600']);
  };
  const stop = async () => {
    if (agent && agent.exitCode === null) {
      const exited = new Promise((resolve) => agent!.once('exit', resolve));
      agent.kill('SIGTERM');
      await exited;
    }
    agent = null;
  };
  const dispatch = async (body: Record<string, unknown>) => {
    const res = await admin.request('POST', '/api/agents/commands', { ciId: enrolled.ciId, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as { id: string; status: string; warning: string | null };
  };
  const command = async (id: string, offset = 0) => (await admin.request('GET', `/api/agents/commands/${id}?offset=${offset}`)).json;
  const ended = (id: string, timeoutMs = 15_000) =>
    waitFor(async () => {
      const c = await command(id);
      return ['queued', 'running'].includes(c.status) ? null : c;
    }, `command ${id} to end (log: ${agents.log()})`, timeoutMs, 100);
  const listed = async () => (await admin.request('GET', '/api/agents')).json.items.find((a: { id: string }) => a.id === enrolled.agentId);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    const token = (await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'commands' })).json.secret as string;
    const enroll = agents.spawn(['enroll', '--server', url, '--token', token, '--config', configFile, '--state-dir', stateDir, '--allow-remote-exec']);
    const code = await new Promise((resolve) => enroll.once('exit', resolve));
    if (code !== 0) {
      throw new Error(`enroll exited with ${String(code)}: ${agents.log()}`);
    }
    enrolled = readAgentFile();
    start();
  });

  afterAll(async () => {
    await stop();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pins the server key at enrolment with --allow-remote-exec, and the agent list says remote execution is allowed', async () => {
    expect(enrolled.remoteExec).toEqual({ enabled: true });
    const key = await t.app.inject({ method: 'GET', url: '/api/agent/commands/key', headers: { authorization: `Bearer ${enrolled.credential}` } });
    expect(key.statusCode).toBe(200);
    expect(enrolled.commandKey).toBe(key.json().publicKey);
    expect((await t.app.inject({ method: 'GET', url: '/api/agent/commands/key' })).statusCode).toBe(401);
    await waitFor(async () => (await listed())?.remoteExec === true, `the agent to report its policy (log: ${agents.log()})`, 15_000);
  });

  it('runs argv without a shell and streams its output while it runs, in order, with the exit code', async () => {
    const echo = await dispatch({ argv: ['/bin/echo', 'a; rm -rf /', '$HOME'], purpose: { type: 'incident.runbook-step', id: 'step-1', label: '检查' } });
    expect(echo).toMatchObject({ status: 'queued', warning: null });
    const done = await ended(echo.id);
    expect(done).toMatchObject({ status: 'succeeded', exitCode: 0, output: 'a; rm -rf / $HOME\n', argv: ['/bin/echo', 'a; rm -rf /', '$HOME'], ciId: enrolled.ciId, agentHostname: os.hostname(), purpose: { type: 'incident.runbook-step', id: 'step-1', label: '检查' } });
    expect(done.requestedByName).toBeTruthy();
    expect(done.startedAt).toBeGreaterThanOrEqual(done.createdAt);

    // Live: "one" arrives while the command still runs (before "two" is even printed).
    const live = await dispatch({ argv: [process.execPath, '-e', "console.log('one'); setTimeout(() => console.log('two'), 2000)"] });
    let followed = '';
    let offset = 0;
    let sawLive = false;
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      const c = await command(live.id, offset);
      followed += c.output;
      offset = c.nextOffset;
      if (c.status === 'running' && followed.includes('one') && !followed.includes('two')) {
        sawLive = true;
      }
      if (!['queued', 'running'].includes(c.status)) {
        expect(c).toMatchObject({ status: 'succeeded', exitCode: 0 });
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(sawLive, agents.log()).toBe(true);
    expect(followed).toBe('one\ntwo\n');

    const withEnv = await ended((await dispatch({ argv: [process.execPath, '-e', 'console.log(process.cwd(), process.env.YW_X)'], cwd: os.tmpdir(), env: { YW_X: '值 1' } })).id);
    expect(withEnv).toMatchObject({ status: 'succeeded', output: `${os.tmpdir()} 值 1\n`, cwd: os.tmpdir() });
    const badEnv = await admin.request('POST', '/api/agents/commands', { ciId: enrolled.ciId, argv: ['/bin/true'], env: { 'X;Y': '1' } });
    expect(badEnv.status).toBe(400);

    const failing = await ended((await dispatch({ argv: ['/bin/sh', '-c', 'echo oops >&2; exit 3'] })).id);
    expect(failing).toMatchObject({ status: 'failed', exitCode: 3, output: 'oops\n' });
    const missing = await ended((await dispatch({ argv: ['/nonexistent/tool'] })).id);
    expect(missing).toMatchObject({ status: 'failed', exitCode: null, reason: expect.stringContaining('ENOENT') });

    const history = (await admin.request('GET', `/api/agents/${enrolled.agentId}/commands`)).json.items as { id: string }[];
    expect(history.map((c) => c.id).slice(0, 5)).toEqual([missing.id, failing.id, withEnv.id, live.id, echo.id]);

    const audit = await t.ctx.db.selectFrom('audit_log').select(['action', 'target_id', 'after']).where('action', '=', 'agents.command.dispatch').where('target_id', '=', echo.id).execute();
    expect(audit).toHaveLength(1);
    expect(JSON.parse(audit[0]!.after!)).toMatchObject({ argv: ['/bin/echo', 'a; rm -rf /', '$HOME'], host: os.hostname() });
  });

  it('a timeout kills the command (timed_out), and a cancel stops a running one', async () => {
    const started = Date.now();
    const slow = await ended((await dispatch({ argv: ['/bin/sleep', '30'], timeoutMs: 1000 })).id);
    expect(slow).toMatchObject({ status: 'timed_out', reason: expect.stringContaining('timed out') });
    expect(Date.now() - started).toBeLessThan(10_000);

    const long = await dispatch({ argv: ['/bin/sleep', '30'], timeoutMs: 60_000 });
    await waitFor(async () => (await command(long.id)).status === 'running', 'the command to start', 10_000, 100);
    const cancelled = await admin.request('POST', `/api/agents/commands/${long.id}/cancel`);
    expect(cancelled.json).toMatchObject({ status: 'cancelled' });
    // The agent stops it and is free again: the next command runs at once.
    const after = await ended((await dispatch({ argv: ['/bin/echo', 'free'] })).id, 10_000);
    expect(after).toMatchObject({ status: 'succeeded', output: 'free\n' });
    expect((await command(long.id)).status).toBe('cancelled');
    const audit = await t.ctx.db.selectFrom('audit_log').select('before').where('action', '=', 'agents.command.cancel').where('target_id', '=', long.id).execute();
    expect(JSON.parse(audit[0]!.before!)).toMatchObject({ argv: ['/bin/sleep', '30'] });
  });

  it('the agent refuses a command whose signed content was changed after signing', async () => {
    const { id } = await t.ctx.db.transaction().execute(async (trx) => {
      const queued = await agentCommandsOf(t.ctx).dispatch(systemActor(), { ciId: enrolled.ciId, argv: ['/bin/echo', 'signed'] }, trx);
      await trx.updateTable('agent_command').set({ argv: JSON.stringify(['/bin/echo', 'tampered']) }).where('id', '=', queued.id).execute();
      return queued;
    });
    const refused = await ended(id);
    expect(refused).toMatchObject({ status: 'refused', output: '', reason: expect.stringContaining('bad signature') });
  });

  it("only the command's own agent may report on it; people need agents.command.run; a CI without an agent is refused by field", async () => {
    const other = await t.app.inject({
      method: 'POST',
      url: '/api/agent/enroll',
      payload: { token: (await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'other' })).json.secret, hostname: 'other-host', machineId: 'other-machine', version: '0.1.0' },
    });
    const otherBearer = { authorization: `Bearer ${other.json().credential}` };
    const mine = await ended((await dispatch({ argv: ['/bin/echo', 'mine'] })).id);
    for (const [p, payload] of [
      [`/api/agent/commands/${mine.id}/output`, { seq: 99, data: 'forged' }],
      [`/api/agent/commands/${mine.id}/result`, { ending: 'exited', exitCode: 1 }],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: p, headers: otherBearer, payload });
      expect(res.statusCode).toBe(404);
    }
    expect(await command(mine.id)).toMatchObject({ status: 'succeeded', output: 'mine\n', exitCode: 0 });
    const none = await t.app.inject({ method: 'GET', url: '/api/agent/commands/next?wait=0', headers: otherBearer });
    expect(none.json()).toEqual({ command: null });

    const operator = await t.signIn(await t.newUser({ roles: ['operator'] }));
    expect((await operator.request('POST', '/api/agents/commands', { ciId: enrolled.ciId, argv: ['/bin/id'] })).status).toBe(403);
    expect((await operator.request('GET', `/api/agents/commands/${mine.id}`)).status).toBe(200);

    const serverClass = await t.ctx.db.selectFrom('cmdb_class').select('id').where('code', '=', 'server').executeTakeFirstOrThrow();
    const bare = (await admin.request('POST', '/api/cmdb/cis', { classId: serverClass.id, name: 'no-agent-host' })).json.id as string;
    const refused = await admin.request('POST', '/api/agents/commands', { ciId: bare, argv: ['/bin/id'] });
    expect(refused.status).toBe(400);
    expect(refused.json.details.fields[0].field).toBe('body.ciId');
    expect(refused.json.details.fields[0].message).toContain('no-agent-host');
  });

  it('an agent enrolled before commands existed pins the key it is first given (trust on first use)', async () => {
    await stop();
    const { commandKey, ...rest } = readAgentFile();
    writeFileSync(configFile, JSON.stringify(rest), { mode: 0o600 });
    start();
    const done = await ended((await dispatch({ argv: ['/bin/echo', 'tofu'] })).id);
    expect(done).toMatchObject({ status: 'succeeded', output: 'tofu\n' });
    expect(readAgentFile().commandKey).toBe(commandKey);
  });

  it('without remote execution the agent never asks: commands wait and expire, and the agent list says so', async () => {
    await stop();
    const off = agents.spawn(['remote-exec', 'off', '--config', configFile]);
    expect(await new Promise((resolve) => off.once('exit', resolve))).toBe(0);
    expect(readAgentFile().remoteExec).toEqual({ enabled: false });
    start();
    await waitFor(async () => (await listed())?.remoteExec === false, `the agent to report remote execution off (log: ${agents.log()})`, 15_000);

    const waiting = await dispatch({ argv: ['/bin/echo', 'never'], validForMs: 1500 });
    expect(waiting.warning).toContain('--allow-remote-exec');
    const queued = await dispatch({ argv: ['/bin/echo', 'cancel me'] });
    await new Promise((r) => setTimeout(r, 2500));
    expect(await command(waiting.id)).toMatchObject({ status: 'expired', output: '', startedAt: null });
    expect(await command(queued.id)).toMatchObject({ status: 'queued' });
    expect((await admin.request('POST', `/api/agents/commands/${queued.id}/cancel`)).json).toMatchObject({ status: 'cancelled' });
  });
});

describe('keeping a long output', () => {
  it('keeps the head and the tail of an output over the cap and says what was cut; offsets follow it', () => {
    let row = { output: '', output_tail: '', output_size: 0 };
    row = appendOutput(row, 'x'.repeat(600 * 1024));
    row = appendOutput(row, 'y'.repeat(600 * 1024));
    row = appendOutput(row, 'END');
    expect(row.output_size).toBe(1200 * 1024 + 3);
    expect(row.output.length + row.output_tail.length).toBe(1024 * 1024);
    const all = outputFrom(row, 0);
    expect(all.truncated).toBe(true);
    expect(all.output.startsWith('x'.repeat(1000))).toBe(true);
    expect(all.output.endsWith('yEND')).toBe(true);
    expect(all.output).toMatch(/\[… 180227 characters cut/);
    expect(outputFrom(row, row.output_size - 2).output).toBe('ND');
    expect(outputFrom(row, row.output_size).output).toBe('');
  });
});
