import { generateKeyPairSync, sign } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { signedCommandText, type CommandPayload } from '@yunwei/contracts/agent-command-payload';
import type { SignedAgentCommand } from '@yunwei/contracts/agent-commands';
import { allowlistRefusal, runProcess, SeenCommands, verifyCommand } from './commands.ts';

const server = generateKeyPairSync('ed25519');
const publicKey = server.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
const agentId = '0190a0a0-0000-7000-8000-000000000001';
const now = Date.now();

function signed(payload: Partial<CommandPayload> = {}, key = server.privateKey): SignedAgentCommand {
  const p: CommandPayload = { id: '0190a0a0-0000-7000-8000-0000000000c1', agentId, argv: ['/bin/echo', 'hello'], timeoutMs: 5000, issuedAt: now, expiresAt: now + 600_000, ...payload };
  return { ...p, signature: sign(null, Buffer.from(signedCommandText(p), 'utf8'), key).toString('base64') };
}

const none = { has: () => false };
const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-agent-commands-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('verifying a command', () => {
  it('runs a command signed by the pinned server key for this agent, in time, seen for the first time', () => {
    expect(verifyCommand(signed(), { publicKey, agentId, now, seen: none })).toBeNull();
    expect(verifyCommand(signed({ cwd: '/tmp', env: { B: '2', A: '1' } }), { publicKey, agentId, now, seen: none })).toBeNull();
  });

  it('refuses a tampered command, one signed by another key, and a garbled signature', () => {
    const good = signed();
    expect(verifyCommand({ ...good, argv: ['/bin/rm', '-rf', '/'] }, { publicKey, agentId, now, seen: none })).toMatch(/bad signature/);
    expect(verifyCommand({ ...good, timeoutMs: 999_999 }, { publicKey, agentId, now, seen: none })).toMatch(/bad signature/);
    expect(verifyCommand(signed({}, generateKeyPairSync('ed25519').privateKey), { publicKey, agentId, now, seen: none })).toMatch(/bad signature/);
    expect(verifyCommand({ ...good, signature: 'not base64 at all' }, { publicKey, agentId, now, seen: none })).toMatch(/bad signature/);
  });

  it("refuses another agent's command, an expired one and a replayed one", () => {
    expect(verifyCommand(signed({ agentId: '0190a0a0-0000-7000-8000-000000000002' }), { publicKey, agentId, now, seen: none })).toMatch(/not this one/);
    expect(verifyCommand(signed({ expiresAt: now - 1 }), { publicKey, agentId, now, seen: none })).toMatch(/expired/);
    const seen = new SeenCommands(path.join(dir, 'seen.json'));
    const command = signed();
    expect(verifyCommand(command, { publicKey, agentId, now, seen })).toBeNull();
    seen.remember(command.id, command.expiresAt);
    expect(verifyCommand(command, { publicKey, agentId, now, seen })).toMatch(/replayed/);
    // Remembered across restarts (the file).
    expect(verifyCommand(command, { publicKey, agentId, now, seen: new SeenCommands(path.join(dir, 'seen.json')) })).toMatch(/replayed/);
  });
});

describe('the local allowlist', () => {
  it('allows any program when empty, else only listed paths or base names', () => {
    expect(allowlistRefusal(['/bin/echo'], undefined)).toBeNull();
    expect(allowlistRefusal(['/bin/echo'], [])).toBeNull();
    expect(allowlistRefusal(['/bin/echo'], ['/bin/echo'])).toBeNull();
    expect(allowlistRefusal(['/usr/bin/systemctl'], ['systemctl'])).toBeNull();
    expect(allowlistRefusal(['/bin/sh', '-c', 'id'], ['/bin/echo', 'systemctl'])).toMatch(/not in this host's allowlist/);
    expect(allowlistRefusal(['/tmp/echo'], ['/bin/echo'])).toMatch(/allowlist/);
  });
});

describe('running a process', () => {
  it('runs argv without a shell and reports its output and exit code', async () => {
    let out = '';
    const run = runProcess({ argv: ['/bin/echo', 'a; echo b', '$HOME'], timeoutMs: 5000 }, (t) => (out += t));
    expect(await run.done).toMatchObject({ ending: 'exited', exitCode: 0 });
    expect(out).toBe('a; echo b $HOME\n');
  });

  it('kills the whole process group on timeout', async () => {
    const started = Date.now();
    const run = runProcess({ argv: ['/bin/sh', '-c', 'sleep 30 & sleep 30; echo never'], timeoutMs: 300 }, () => undefined);
    expect(await run.done).toMatchObject({ ending: 'timed_out' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('says when a program cannot be started', async () => {
    expect(await runProcess({ argv: ['/nonexistent/program'], timeoutMs: 1000 }, () => undefined).done).toMatchObject({ ending: 'failed', exitCode: null, reason: expect.stringContaining('ENOENT') });
  });
});
