// `npm run bench -- agent [--duration 120] [--intervals 15,1] [--warmup 10] [--form source|bundle|executable]`
//
// The footprint of the real `yunwei-agent` on this machine: for each interval (default 15 s, then 1 s
// for a denser measurement), it enrols against a real Yunwei (in this process, SQLite, listening on
// 127.0.0.1) and runs for `duration` seconds after a warm-up (start-up and the first inventory are
// excluded; the inventory's cost is measured on its own and amortised per hour). The agent's CPU time
// is read from /proc/<pid>/stat (utime + stime + the CPU of children it waited for, i.e. inventory
// collections) and its RSS from /proc/<pid>/status every second. Targets: < 1 % of one core and
// < 60 MB RSS at 15 s. Prints one JSON line; progress goes to stderr. `--form` picks what runs: the sources
// through tsx (default), or what hosts install (`npm run build:agent` first): the bundle under node with the
// unit's flags, or the single executable (which takes no node flags).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../apps/server/src/app.js';
import { loadConfig } from '../apps/server/src/config/config.js';
import { systemActor } from '../apps/server/src/platform/actor.js';
import { AgentsService } from '../apps/server/src/modules/agents/agents.service.js';
import { NODE_FLAGS } from '../apps/agent/src/systemd.ts';

const TARGETS = { cpuPercentOfCore: 1, maxRssMB: 60 };
const AGENT = path.resolve(import.meta.dirname, '../apps/agent');
const TICKS = Number(spawnSync('getconf', ['CLK_TCK']).stdout?.toString().trim()) || 100;

const { values } = parseArgs({ options: { duration: { type: 'string', default: '120' }, intervals: { type: 'string', default: '15,1' }, warmup: { type: 'string', default: '10' }, form: { type: 'string', default: 'source' } } });
const BINS: Record<string, string> = {
  source: path.join(AGENT, 'bin/yunwei-agent.mjs'),
  bundle: path.join(AGENT, 'dist/yunwei-agent.mjs'),
  executable: path.join(AGENT, `dist/yunwei-agent-${process.platform}-${process.arch}`),
};
const BIN = BINS[values.form] ?? '';
if (!BIN) {
  process.stderr.write('[bench agent] --form is source, bundle or executable\n');
  process.exit(2);
}
/** The command that runs the agent with `args`: the executable is its own program; the others run under node. */
const agentCommand = (flags: string[], args: string[]): [string, string[]] => (values.form === 'executable' ? [BIN, args] : [process.execPath, [...flags, BIN, ...args]]);
const duration = Number(values.duration);
const warmup = Number(values.warmup);
const intervals = values.intervals.split(',').map(Number);
/** Node flags of the agent process: as the systemd unit starts it (YW_AGENT_NODE_FLAGS='' measures without). */
const nodeFlags = (process.env.YW_AGENT_NODE_FLAGS ?? NODE_FLAGS.join(' ')).split(' ').filter(Boolean);
if (!(duration > 0) || !(warmup >= 0) || intervals.some((i) => !(i > 0))) {
  process.stderr.write('[bench agent] --duration and --intervals must be positive numbers\n');
  process.exit(2);
}
const say = (text: string) => process.stderr.write(`[bench agent] ${text}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs the agent CLI to its end without blocking this process (which serves Yunwei). */
function agentCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const c = spawn(...agentCommand([], args), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    c.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    c.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** CPU seconds of a process: its own and that of the children it has waited for. */
function cpuSeconds(pid: number | 'self'): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
  // After "pid (comm) ": state is f[0]; utime, stime, cutime, cstime are fields 14–17 of the line.
  return (f[11]! + f[12]! + f[13]! + f[14]!) / TICKS;
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const dir = mkdtempSync(path.join(tmpdir(), 'yw-bench-agent-'));
const config = loadConfig({ YUNWEI_DATA_DIR: dir, YUNWEI_DATABASE_URL: `sqlite:${path.join(dir, 'yunwei.db')}`, YUNWEI_ADMIN_PASSWORD: 'Bench#Admin1', YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '' });
const yunwei = await buildApp({ config, announce: () => undefined });
await yunwei.app.listen({ host: '127.0.0.1', port: 0 });
const url = `http://127.0.0.1:${(yunwei.app.server.address() as { port: number }).port}`;
const agents = new AgentsService(yunwei.ctx);
let child: ChildProcess | null = null;
process.on('SIGINT', () => {
  child?.kill('SIGKILL');
  process.exit(130);
});

// The cost of one inventory collection (a child process the agent starts hourly and on change).
const before = cpuSeconds('self');
const inv = await agentCli(['inventory']);
const inventoryCpuSeconds = cpuSeconds('self') - before;
say(`one inventory: ${inventoryCpuSeconds.toFixed(2)} s CPU, ${inv.stdout.length} bytes`);

const runs = [];
for (const interval of intervals) {
  const home = path.join(dir, `agent-${interval}`);
  const { secret } = await agents.createToken(systemActor('bench'), { name: `bench ${interval}s` });
  const enroll = await agentCli(['enroll', '--server', url, '--token', secret, '--config', path.join(home, 'config.json')]);
  if (enroll.code !== 0) {
    throw new Error(`enrol failed: ${enroll.stderr}`);
  }
  child = spawn(...agentCommand(nodeFlags, ['run', '--config', path.join(home, 'config.json'), '--interval', String(interval)]), { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
  const pid = child.pid!;
  say(`interval ${interval} s: first inventory, warm-up ${warmup} s, then ${duration} s`);
  // Start-up and the first inventory (a child process) are not the steady state: wait them out.
  for (let waited = 0; !log.includes('inventory sent') && waited < 120; waited++) {
    await sleep(1000);
  }
  await sleep(warmup * 1000);
  const cpu0 = cpuSeconds(pid);
  const t0 = Date.now();
  let maxRss = 0;
  let sumRss = 0;
  let n = 0;
  while (Date.now() - t0 < duration * 1000) {
    const rss = rssMB(pid);
    maxRss = Math.max(maxRss, rss);
    sumRss += rss;
    n++;
    await sleep(1000);
  }
  const cpu = cpuSeconds(pid) - cpu0;
  const wall = (Date.now() - t0) / 1000;
  child.kill('SIGTERM');
  await new Promise((r) => child!.once('exit', r));
  const stored = await yunwei.ctx.db
    .selectFrom('metric_sample as m')
    .innerJoin('metric_series as s', 's.id', 'm.series_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('s.labels', 'like', `%${JSON.parse(readFileSync(path.join(home, 'config.json'), 'utf8')).agentId}%`)
    .executeTakeFirstOrThrow();
  const steadyPercent = (cpu / wall) * 100;
  const run = {
    intervalSeconds: interval,
    durationSeconds: Math.round(wall),
    cpuSeconds: Number(cpu.toFixed(2)),
    cpuPercentOfCore: Number(steadyPercent.toFixed(3)),
    // Plus one inventory an hour, amortised.
    cpuPercentWithHourlyInventory: Number((steadyPercent + (inventoryCpuSeconds / 3600) * 100).toFixed(3)),
    maxRssMB: Number(maxRss.toFixed(1)),
    avgRssMB: Number((sumRss / n).toFixed(1)),
    samplesStored: Number(stored.n),
    errorsLogged: (log.match(/ error /g) ?? []).length,
  };
  say(JSON.stringify(run));
  runs.push(run);
}

await yunwei.close();
rmSync(dir, { recursive: true, force: true });
const at15 = runs.find((r) => r.intervalSeconds === 15);
console.log(
  JSON.stringify({
    bench: 'agent',
    form: values.form,
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version, loadavg1AtEnd: loadavg()[0] },
    inventoryCpuSeconds: Number(inventoryCpuSeconds.toFixed(2)),
    runs,
    targets: TARGETS,
    met: at15 ? at15.cpuPercentWithHourlyInventory < TARGETS.cpuPercentOfCore && at15.maxRssMB < TARGETS.maxRssMB : null,
  }),
);
