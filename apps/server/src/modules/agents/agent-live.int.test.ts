import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgentSample } from '@yunwei/contracts/agents';
import { buildApp, type Yunwei } from '../../app.js';
import type { DatabaseHandle } from '../../db/database.js';
import { defineModule } from '../../platform/module.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { freePort, waitFor } from '../../../test/peers.js';
import { storedSamples } from '../monitoring/monitoring.testing.js';
import { MODULES } from '../index.js';
import { agentLauncher, agentSeries, bufferedTimes, enrollAgent, storedAgentSamples } from './agent-process.testing.js';

/**
 * The real `yunwei-agent` on this machine against a real Yunwei listening on a port: enrolment,
 * samples, inventory into the CMDB, and an outage (the server stopped, then started again on the same
 * database and port) replayed from the agent's disk buffer in order. The outage is seconds at a 1 s
 * interval rather than 10 minutes at 15 s: the buffer logic is the same.
 */
describe.skipIf(!databaseAvailable())('the real agent on this machine', () => {
  let t: TestApp;
  let admin: TestSession;
  let port: number;
  let server: Yunwei | null = null;
  let agent: ChildProcess | null = null;
  const agents = agentLauncher();
  let exited: Promise<number | null> = Promise.resolve(null);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'yw-agent-live-'));
  const configFile = path.join(dir, 'config.json');
  const stateDir = path.join(dir, 'state');
  let enrolled: { agentId: string; ciId: string };
  /** The sample times of each metrics request, in the order the server received them. */
  const arrivals: number[][] = [];

  // Records what the agent sends, in arrival order (registered before every module's routes).
  const probe = defineModule({
    id: 'probe',
    name: { zh: '探针', en: 'Probe' },
    skills: [],
    permissions: [],
    routes: (app) => {
      app.addHook('preHandler', async (req) => {
        if (req.url === '/api/agent/metrics' && req.body) {
          arrivals.push((req.body as { samples: AgentSample[] }).samples.filter((s) => s.metric === 'host_uptime_seconds').map((s) => s.ts));
        }
      });
    },
  });

  /** A server process of its own on the test's database (as after a restart). */
  async function serve(): Promise<Yunwei> {
    const pgSchema = t.dialect === 'postgres' ? ((await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s as string) : undefined;
    const database: DatabaseHandle = { db: t.ctx.db, dialect: t.dialect, location: 'test', close: async () => undefined };
    const y = await buildApp({ config: t.ctx.config, database, modules: [probe, ...MODULES], announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
    await waitFor(() => y.app.listen({ host: '127.0.0.1', port }).then(() => true), `port ${port} to be free again`, 10_000);
    return y;
  }

  const series = async (metric: string) => agentSeries(t.ctx.db, enrolled.agentId, metric);
  const times = async (metric: string): Promise<number[]> => (await storedAgentSamples(t.ctx.db, enrolled.agentId, metric)).map((s) => s.ts);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    port = await freePort();
    server = await serve();
  });

  afterAll(async () => {
    if (agent && agent.exitCode === null) {
      agent.kill('SIGKILL');
    }
    await server?.close();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('[L4-2.1.2] enrols, pushes its running state every interval, and its inventory creates the host CI with OS, kernel and packages', async () => {
    const token = (await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'this machine' })).json.secret as string;
    const config = await enrollAgent(agents, { server: `http://127.0.0.1:${port}`, token, configFile, stateDir });
    expect(statSync(configFile).mode & 0o777).toBe(0o600);
    enrolled = { agentId: config.agentId, ciId: config.ciId };
    expect(config.credential).toMatch(/^ywa_/);

    agent = agents.spawn(['run', '--config', configFile, '--interval', '1', '--inventory-check', '2']);
    exited = new Promise((resolve) => agent!.once('exit', (c) => resolve(c)));

    const metrics = ['host_cpu_usage_percent', 'host_cpu_core_usage_percent', 'host_load1', 'host_memory_used_bytes', 'host_memory_usage_percent', 'host_swap_total_bytes', 'host_fs_usage_percent', 'host_net_rx_bytes_per_second', 'host_disk_read_bytes_per_second', 'host_processes_total', 'host_uptime_seconds', 'host_hw_available'];
    await waitFor(async () => (await Promise.all(metrics.map(async (m) => (await series(m)).length > 0))).every(Boolean), `the agent's metrics (log: ${agents.log()})`, 20_000);
    const cpu = (await series('host_cpu_usage_percent'))[0]!;
    expect(JSON.parse(cpu.labels)).toEqual({ agent: enrolled.agentId, ci: enrolled.ciId });
    expect(cpu.ci_id).toBe(enrolled.ciId);
    expect((await series('host_cpu_core_usage_percent')).length).toBe(os.cpus().length);

    const inventory = await waitFor(async () => {
      const res = await admin.request('GET', `/api/agents/inventory/${enrolled.ciId}`);
      return res.status === 200 ? res.json : null;
    }, `the inventory (log: ${agents.log()})`, 20_000);
    expect(inventory.inventory.os.kernel).toBe(os.release());
    expect(inventory.inventory.os.hostname).toBe(os.hostname());
    if (existsSync('/usr/bin/dpkg-query')) {
      expect(inventory.inventory.packages.length).toBeGreaterThan(50);
      expect(inventory.inventory.packages.map((p: { name: string }) => p.name)).toContain('bash');
    }
    expect(inventory.inventory.accounts.map((a: { name: string }) => a.name)).toContain('root');
    const ci = (await admin.request('GET', `/api/cmdb/cis/${enrolled.ciId}`)).json;
    expect(ci).toMatchObject({ classCode: 'server', name: os.hostname() });
    expect(ci.attributes.os).toContain(os.release());
    expect(ci.attributes.cpu_cores).toBe(os.cpus().length);

    // The interval is noted after a push's samples are written: the series can show up a moment before it.
    const listed = await waitFor(async () => {
      const agent = (await admin.request('GET', '/api/agents')).json.items.find((a: { id: string }) => a.id === enrolled.agentId);
      return agent?.intervalSeconds === 1 ? agent : null;
    }, `the agent's reported interval (log: ${agents.log()})`, 10_000);
    expect(listed).toMatchObject({ status: 'online', intervalSeconds: 1, ciName: os.hostname() });
  });

  it('[L4-2.1.1] reports hardware status where the machine exposes it (the rest unavailable, never zero), and the hardware inspection over it is signed off', async () => {
    const available = new Map<string, number>();
    for (const s of await series('host_hw_available')) {
      const last = await t.ctx.db.selectFrom(storedSamples(t.ctx.db).as('m')).select('value').where('series_id', '=', s.id).orderBy('ts', 'desc').limit(1).executeTakeFirstOrThrow();
      available.set(JSON.parse(s.labels).component, last.value);
    }
    expect([...available.keys()].sort()).toEqual(['fan', 'power', 'smart', 'temperature']);
    const valueMetric = { temperature: 'host_hw_temperature_celsius', smart: 'host_hw_disk_smart_ok', fan: 'host_hw_fan_ok', power: 'host_hw_power_ok' } as const;
    for (const [component, metric] of Object.entries(valueMetric)) {
      const hasValues = (await series(metric)).length > 0;
      expect(hasValues, `${component}: available=${available.get(component)}`).toBe(available.get(component) === 1);
    }

    // The built-in hardware inspection over what this agent reported, signed off: every hardware item
    // is judged from the agent's series — "not exposed" components are unavailable, never a pass or a failure.
    const template = (await admin.request('GET', '/api/inspections/templates')).json.items.find((x: { builtinKey: string | null }) => x.builtinKey === 'hardware');
    const run = await admin.request('POST', '/api/inspections/records', { templateId: template.id });
    expect(run.status, run.body).toBe(200);
    const hostResults = (run.json.results as { id: string; ciId: string; itemKey: string; kind: string; verdict: string }[]).filter((r) => r.ciId === enrolled.ciId);
    const itemOf = { temperature: 'temperature', smart: 'disk_smart', fan: 'fan', power: 'power' } as const;
    for (const [component, key] of Object.entries(itemOf)) {
      const verdict = hostResults.find((r) => r.itemKey === key)!.verdict;
      if (available.get(component) === 1) {
        expect(['normal', 'abnormal'], `${key}`).toContain(verdict);
      } else {
        expect(verdict, key).toBe('unavailable');
      }
    }
    for (const manual of hostResults.filter((r) => r.kind === 'manual')) {
      expect((await admin.request('PATCH', `/api/inspections/records/${run.json.id}/results/${manual.id}`, { verdict: 'normal', note: '现场查看正常' })).status).toBe(200);
    }
    const signed = await admin.request('POST', `/api/inspections/records/${run.json.id}/sign`, { password: t.admin.password });
    expect(signed.status, signed.body).toBe(200);
    expect(signed.json).toMatchObject({ status: 'signed' });
    expect((await admin.request('GET', `/api/inspections/records/${run.json.id}/verify`)).json).toMatchObject({ valid: true });
  });

  it('buffers to disk while the server is down and replays every sample in order when it is back', async () => {
    await waitFor(async () => (await times('host_uptime_seconds')).length >= 3, 'a few samples before the outage', 10_000);
    const firstArrivalAfter = arrivals.length;

    await server!.close();
    server = null;
    const stoppedAt = Date.now();
    // Several intervals of outage, then read what the agent has buffered.
    const buffered = await waitFor(
      () => {
        const ts = bufferedTimes(stateDir, 'host_uptime_seconds');
        return ts.length >= 5 ? ts : null;
      },
      `5 intervals buffered (log: ${agents.log()})`,
      20_000,
    );
    expect(agents.log()).toContain('server unreachable: buffering samples on disk');
    expect(buffered.every((ts) => ts >= stoppedAt - 1500)).toBe(true);
    expect([...buffered].sort((a, b) => a - b)).toEqual(buffered); // on disk in collection order

    server = await serve();
    await waitFor(async () => {
      const stored = new Set(await times('host_uptime_seconds'));
      return buffered.every((ts) => stored.has(ts));
    }, `the buffered samples to be replayed (log: ${agents.log()})`, 20_000);
    // The agent says so once its whole buffer is drained, which may be a request after the samples above.
    await waitFor(() => agents.log().includes('buffer replayed') || null, `the agent to report the replay (log: ${agents.log()})`, 20_000);

    // Replayed oldest first: across the requests the server received, times never go back.
    const received = arrivals.slice(firstArrivalAfter).flat();
    expect(received.length).toBeGreaterThan(buffered.length - 1);
    expect([...received].sort((a, b) => a - b)).toEqual(received);
    // And nothing is missing: one sample per interval, before, during and after the outage.
    const all = await times('host_uptime_seconds');
    const gaps = all.slice(1).map((ts, i) => ts - all[i]!);
    expect(Math.max(...gaps)).toBeLessThan(2500);
  }, 60_000);

  it('stops at once when it is revoked (the server answers 401; systemd is told not to restart it)', async () => {
    const res = await admin.request('POST', `/api/agents/${enrolled.agentId}/revoke`);
    expect(res.status).toBe(200);
    const code = await Promise.race([exited, new Promise((r) => setTimeout(() => r('still running'), 10_000))]);
    expect(code, agents.log()).toBe(3);
    expect(agents.log()).toContain('refuses this agent');
  });

  it('[L4-2.1.1] the real agent reads a known hardware tree exactly, and the hardware inspection records the hot sensor and the stopped fan as abnormal', async () => {
    // A sysfs class tree with known values (the machine running CI exposes little hardware): the
    // agent's real collector reads it through --sys-class, so a broken collector fails this test.
    const sys = path.join(dir, 'fixture-sys-class');
    const put = (file: string, text: string) => {
      mkdirSync(path.dirname(path.join(sys, file)), { recursive: true });
      writeFileSync(path.join(sys, file), `${text}\n`);
    };
    put('hwmon/hwmon0/name', 'coretemp');
    put('hwmon/hwmon0/temp1_input', '91500');
    put('hwmon/hwmon0/temp1_label', 'Package id 0');
    put('hwmon/hwmon1/name', 'nct6775');
    put('hwmon/hwmon1/fan1_input', '1480');
    put('hwmon/hwmon1/fan2_input', '0');
    put('thermal/thermal_zone0/type', 'acpitz');
    put('thermal/thermal_zone0/temp', '38000');

    const token = (await admin.request('POST', '/api/agents/enrolment-tokens', { name: 'fixture hardware' })).json.secret as string;
    const config2 = path.join(dir, 'fixture-config.json');
    const { agentId, ciId } = await enrollAgent(agents, { server: `http://127.0.0.1:${port}`, token, configFile: config2, stateDir: path.join(dir, 'fixture-state') });
    const hwAgent = agents.spawn(['run', '--config', config2, '--interval', '1', '--inventory-check', '3600', '--sys-class', sys]);
    try {
      const latest = async (metric: string) => {
        const rows = await agentSeries(t.ctx.db, agentId, metric);
        const out = new Map<string, number>();
        for (const r of rows) {
          const last = await t.ctx.db.selectFrom(storedSamples(t.ctx.db).as('m')).select('value').where('series_id', '=', r.id).orderBy('ts', 'desc').limit(1).executeTakeFirst();
          const labels = JSON.parse(r.labels) as Record<string, string>;
          if (last) {
            out.set(labels.sensor ?? labels.fan ?? labels.psu ?? labels.component ?? '', Number(last.value));
          }
        }
        return out;
      };
      const temps = await waitFor(async () => ((await latest('host_hw_temperature_celsius')).size === 2 ? latest('host_hw_temperature_celsius') : null), `fixture temperatures (log: ${agents.log()})`, 20_000);
      expect(Object.fromEntries(temps)).toEqual({ 'coretemp/Package id 0': 91.5, 'acpitz/thermal_zone0': 38 });
      expect(Object.fromEntries(await latest('host_hw_fan_ok'))).toEqual({ 'nct6775/fan1': 1, 'nct6775/fan2': 0 });
      const available = Object.fromEntries(await latest('host_hw_available'));
      expect(available).toMatchObject({ temperature: 1, fan: 1, power: 0 });

      const template = (await admin.request('GET', '/api/inspections/templates')).json.items.find((x: { builtinKey: string | null }) => x.builtinKey === 'hardware');
      const run = await admin.request('POST', '/api/inspections/records', { templateId: template.id });
      expect(run.status, run.body).toBe(200);
      const results = (run.json.results as { ciId: string; itemKey: string; verdict: string; observed?: unknown }[]).filter((r) => r.ciId === ciId);
      const verdict = (key: string) => results.find((r) => r.itemKey === key)?.verdict;
      expect(verdict('temperature'), JSON.stringify(results)).toBe('abnormal'); // 91.5 °C > 80 °C
      expect(verdict('fan')).toBe('abnormal'); // fan2 stopped
      expect(verdict('power')).toBe('unavailable'); // not exposed: never a made-up pass or failure
    } finally {
      hwAgent.kill('SIGKILL');
    }
  });
});
