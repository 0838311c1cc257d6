import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { waitFor } from '../../../test/peers.js';
import { requireAll } from '../../../test/test-env.js';
import { AGENT_DIST_DIR } from './agent-downloads.js';

const EXECUTABLE = `yunwei-agent-${process.platform}-${process.arch}`;

/**
 * What `npm run build:agent` made (test/agent-build.global-setup.ts runs it before the integration tests).
 * Without a single executable (a node without the SEA fuse) its test skips loudly; with YUNWEI_REQUIRE_ALL=1
 * (CI) the build itself fails instead, saying why.
 */
const manifest = JSON.parse(readFileSync(path.join(AGENT_DIST_DIR, 'manifest.json'), 'utf8')) as { version: string; executableProblem: string | null; files: { name: string }[] };
const hasExecutable = manifest.files.some((f) => f.name === EXECUTABLE);
if (!hasExecutable) {
  console.warn(`\n⚠ SKIPPING the single-executable install: ${manifest.executableProblem}\n`);
}

/** Where systemd runs, the test passes --no-systemd: it never writes a unit into /etc/systemd/system. */
const SYSTEMD_RUNNING = existsSync('/run/systemd/system');

interface Run {
  code: number | null;
  output: string;
}

/** What a person types on the host: the one-line command, through a real shell, curl and a pipe. */
function installOnHost(command: string): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * The install script served by a real Yunwei listening on a port, run by `sh` on this machine into a
 * temporary root: download, checksum, enrolment, start (systemd is not running here, so the script
 * starts the agent itself with a pid file), samples at the server; run again, it upgrades in place and
 * the agent keeps its identity.
 */
describe.skipIf(!databaseAvailable())('installing the agent from the server', () => {
  let t: TestApp;
  let admin: TestSession;
  let url: string;
  const root = mkdtempSync(path.join(os.tmpdir(), 'yw-agent-install-'));
  const config = path.join(root, 'etc/config.json');
  const pidFile = path.join(root, 'var/yunwei-agent.pid');
  const pid = () => Number(readFileSync(pidFile, 'utf8').trim());
  const agentConfig = () => JSON.parse(readFileSync(config, 'utf8')) as { agentId: string; ciId: string; credential: string; server: string };
  const oneLiner = (args: string) => `curl -fsSL ${url}/agent/install.sh | sh -s -- ${args} --prefix ${root} --interval 1${SYSTEMD_RUNNING ? ' --no-systemd' : ''}`;

  /** The newest sample time of a metric of this agent, through the metrics API. */
  async function newestSample(metric: string, agentId: string): Promise<number | null> {
    const now = Date.now() / 1000;
    const res = await admin.request('GET', `/api/v1/query_range?query=${encodeURIComponent(`${metric}{agent="${agentId}"}`)}&start=${now - 300}&end=${now + 5}&step=1s`);
    expect(res.status, res.body).toBe(200);
    const values = (res.json.data.result as { values: [number, string][] }[]).flatMap((r) => r.values.map(([ts]) => ts * 1000));
    return values.length ? Math.max(...values) : null;
  }

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    // Tests stop what they start: the agent the script left running.
    if (existsSync(pidFile) && alive(pid())) {
      const p = pid();
      process.kill(p, 'SIGTERM');
      await waitFor(() => !alive(p), 'the agent to stop', 10_000).catch(() => process.kill(p, 'SIGKILL'));
    }
    await t?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves a POSIX sh install script naming this server (never a token), the checksums and the files they list, to anyone', async () => {
    const res = await fetch(`${url}/agent/install.sh`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/x-shellscript');
    const script = await res.text();
    expect(script).toContain(`DEFAULT_SERVER='${url}'`);
    expect(script).not.toMatch(/ywe_[A-Za-z0-9]/);
    const file = path.join(root, 'install.sh');
    writeFileSync(file, script);
    for (const [shell, args] of [
      ['sh', ['-n', file]],
      ['dash', ['-n', file]],
      ['checkbashisms', ['--posix', '--force', file]],
    ] as const) {
      const which = spawnSync('sh', ['-c', `command -v ${shell}`], { encoding: 'utf8' });
      if (which.status !== 0) {
        expect(shell, `${shell} is missing`).toBe('checkbashisms'); // optional: devscripts; sh and dash are not
        continue;
      }
      const check = spawnSync(shell, args, { encoding: 'utf8' });
      expect(check.status, `${shell} ${args.join(' ')}: ${check.stdout}${check.stderr}`).toBe(0);
    }

    const sums = await (await fetch(`${url}/agent/SHA256SUMS`)).text();
    const listed = sums.trim().split('\n').map((line) => line.split('  ') as [string, string]);
    expect(listed.map(([, name]) => name)).toEqual(['yunwei-agent.mjs', ...(hasExecutable ? [EXECUTABLE] : [])]);
    for (const [sum, name] of listed) {
      const download = await fetch(`${url}/agent/${name}`);
      expect(download.status, name).toBe(200);
      expect(download.headers.get('cache-control')).toBe('no-store');
      expect(createHash('sha256').update(Buffer.from(await download.arrayBuffer())).digest('hex'), name).toBe(sum);
    }

    const unknown = await fetch(`${url}/agent/yunwei-agent-plan9-mips`, { headers: { 'accept-language': 'en' } });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'YW_AGENT_DOWNLOAD_NOT_FOUND', details: { field: 'params.file' } });
    expect((await fetch(`${url}/agent/..%2F..%2Fpackage.json`)).status).toBe(400);
    // A forged Host header never reaches the script: it then has no default server and asks for --server.
    const forged = await t.app.inject({ method: 'GET', url: '/agent/install.sh', headers: { host: "x'$(id)'" } });
    expect(forged.body).toContain("DEFAULT_SERVER=''");
  });

  it('names the configured public address (YUNWEI_PUBLIC_URL) in the script and beside a new token, for the command the page shows', async () => {
    const behindProxy = await createTestApp({ YUNWEI_PUBLIC_URL: 'https://ops.example.cn/yunwei/' });
    try {
      const script = await behindProxy.app.inject({ method: 'GET', url: '/agent/install.sh' });
      expect(script.body).toContain("DEFAULT_SERVER='https://ops.example.cn/yunwei'");
      const session = await behindProxy.signIn(behindProxy.admin);
      const created = await session.request('POST', '/api/agents/enrolment-tokens', { name: 'behind a proxy' });
      expect(created.json).toMatchObject({ serverUrl: 'https://ops.example.cn/yunwei', secret: expect.stringMatching(/^ywe_/) });
    } finally {
      await behindProxy.close();
    }
    // Without it, the page uses its own address.
    expect((await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'direct' })).json.serverUrl).toBeNull();
  });

  it('installs and enrols with the one-line command, starts the agent without systemd, and the host samples arrive at the server', async () => {
    // A wrong token: the script stops saying why, and starts nothing.
    const refused = await installOnHost(oneLiner(`--token ywe_${'A'.repeat(32)}`));
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain('enrolment failed: The enrolment token is unknown');
    expect(existsSync(config) || existsSync(pidFile)).toBe(false);

    const token = (await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'one-line install' })).json.secret as string;
    const run = await installOnHost(oneLiner(`--token ${token}`));
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain('checksum verified');
    expect(run.output).toContain(`installed yunwei-agent ${manifest.version} (bundle)`); // node ≥ 20 is here
    if (!SYSTEMD_RUNNING) {
      expect(run.output).toContain('systemd is not running on this host: starting the agent directly');
    }
    expect(run.output).not.toContain(token);

    expect(statSync(config).mode & 0o777).toBe(0o600);
    const { agentId, credential, server } = agentConfig();
    expect(server).toBe(url);
    expect(credential).toMatch(/^ywa_/);
    expect(alive(pid())).toBe(true);
    expect(readFileSync(`/proc/${pid()}/cmdline`, 'utf8').split('\0')).toContain(path.join(root, 'lib/yunwei-agent.mjs'));

    const first = await waitFor(() => newestSample('host_cpu_usage_percent', agentId), `the host's samples (log: ${existsSync(path.join(root, 'var/yunwei-agent.log')) ? readFileSync(path.join(root, 'var/yunwei-agent.log'), 'utf8') : ''})`, 20_000);
    expect(first).toBeGreaterThan(Date.now() - 60_000);
    const listed = (await admin.request('GET', '/api/agents')).json.items as { id: string; status: string; hostname: string }[];
    expect(listed).toEqual([expect.objectContaining({ id: agentId, status: 'online', hostname: os.hostname() })]);
  }, 90_000);

  it('run again, upgrades in place: the old agent is stopped, the new one keeps its identity and credential and reports on', async () => {
    const before = agentConfig();
    const oldPid = pid();
    const token = (await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'unused' })).json.secret as string;
    const startedAt = Date.now();
    const run = await installOnHost(oneLiner(`--token ${token}`));
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`already enrolled as agent ${before.agentId}`);
    expect(run.output).toContain(`stopping the running agent (pid ${oldPid})`);
    expect(agentConfig()).toEqual(before);
    expect(alive(oldPid)).toBe(false);
    expect(pid()).not.toBe(oldPid);
    expect(alive(pid())).toBe(true);

    await waitFor(async () => ((await newestSample('host_cpu_usage_percent', before.agentId)) ?? 0) > startedAt + 1000, 'samples from the upgraded agent', 20_000);
    const agents = (await admin.request('GET', '/api/agents')).json.items as { id: string }[];
    expect(agents.map((a) => a.id)).toEqual([before.agentId]);
    // The token of the second run was not spent: the host is enrolled already.
    const tokens = (await admin.request('GET', '/api/agents/enrolment-tokens')).json.items as { name: string; state: string }[];
    expect(tokens.find((x) => x.name === 'unused')?.state).toBe('active');
  }, 90_000);

  it.skipIf(!hasExecutable && !requireAll())('switches to the self-contained executable (for hosts without node) in place, which reports samples and its inventory', async () => {
    const before = agentConfig();
    const oldPid = pid();
    const startedAt = Date.now();
    const run = await installOnHost(oneLiner('--executable'));
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`installed yunwei-agent ${manifest.version} (executable)`);
    expect(agentConfig()).toEqual(before);
    expect(alive(oldPid)).toBe(false);
    // The process is the executable itself, no node in between; the bundle is gone.
    expect(readlinkSync(`/proc/${pid()}/exe`)).toBe(path.join(root, 'bin/yunwei-agent'));
    expect(existsSync(path.join(root, 'lib/yunwei-agent.mjs'))).toBe(false);

    await waitFor(async () => ((await newestSample('host_cpu_usage_percent', before.agentId)) ?? 0) > startedAt + 1000, 'samples from the executable', 20_000);
    // Its inventory comes from a child of the executable (`yunwei-agent inventory`).
    await waitFor(async () => {
      const agent = ((await admin.request('GET', '/api/agents')).json.items as { id: string; lastInventoryAt: number | null }[]).find((a) => a.id === before.agentId);
      return (agent?.lastInventoryAt ?? 0) > startedAt;
    }, `the executable's inventory (log: ${readFileSync(path.join(root, 'var/yunwei-agent.log'), 'utf8').slice(-2000)})`, 60_000);
  }, 120_000);
});
