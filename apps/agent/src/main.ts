/**
 * yunwei-agent — the Yunwei host agent.
 *
 * @example
 *   yunwei-agent enroll --server https://yunwei.example.cn --token ywe_…
 *   yunwei-agent install && systemctl daemon-reload && systemctl enable --now yunwei-agent
 *   yunwei-agent run --interval 15
 */
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { CommandLoop } from './commands.ts';
import { DEFAULT_CONFIG, readConfig, stateDirOf, writeConfig } from './config.ts';
import { postJson } from './http-client.ts';
import { collectInventory } from './inventory/collect.ts';
import { log } from './log.ts';
import { AgentRunner } from './runner.ts';
import { selfCommand } from './self.ts';
import { EXIT_CREDENTIAL_REFUSED, writeUnit } from './systemd.ts';
import { VERSION } from './version.ts';

const HELP = `yunwei-agent ${VERSION} — the Yunwei host agent

Usage:
  yunwei-agent enroll --server URL --token TOKEN [--config FILE] [--interval S] [--allow-remote-exec]
      Enrols this host with a one-time token (shown once in Yunwei: 主机代理 → 注册令牌) and stores
      the server URL, the agent's credential and the server's command-signing key in the config file
      (mode 0600). --allow-remote-exec lets Yunwei run commands here (off by default): commands must be
      signed by that server key, and "remoteExec.allow" in the config can limit the programs.
  yunwei-agent remote-exec on|off [--config FILE]
      Allows or forbids remote execution on an enrolled host (restart the agent after).
  yunwei-agent [run] [--config FILE] [--interval S] [--buffer-max-mb N]
      Collects host metrics every S seconds (default 15) and the inventory every hour and on change.
      While the server is unreachable, samples wait in a disk buffer (default 64 MiB; the oldest are
      dropped when it is full) and are replayed in order.
  yunwei-agent install [--config FILE] [--unit-dir DIR] [--interval S]
      Writes the systemd unit (default /etc/systemd/system) and prints what to run next.
  yunwei-agent inventory
      Prints the inventory this host would send (JSON).
  yunwei-agent --version | --help

Options:
  --config FILE              default ${DEFAULT_CONFIG}
  --state-dir DIR            buffer directory (default /var/lib/yunwei-agent, or beside a non-default config)
  --inventory-interval S     full inventory at least every S seconds (default 3600)
  --inventory-check S        look for inventory changes every S seconds (default 300)
  --sys-class DIR            read hardware status from this sysfs class tree (default /sys/class;
                             e.g. /host/sys/class when the agent runs in a container)`;

const OPTIONS = {
  server: { type: 'string' },
  token: { type: 'string' },
  config: { type: 'string', default: DEFAULT_CONFIG },
  interval: { type: 'string' },
  'buffer-max-mb': { type: 'string' },
  'state-dir': { type: 'string' },
  'unit-dir': { type: 'string', default: '/etc/systemd/system' },
  'inventory-interval': { type: 'string', default: '3600' },
  'inventory-check': { type: 'string', default: '300' },
  'sys-class': { type: 'string' },
  'allow-remote-exec': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
} as const;

class UsageError extends Error {}

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) {
    return undefined;
  }
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UsageError(`--${name} must be a positive number, got "${value}"`);
  }
  return n;
}

function machineId(): string {
  for (const file of ['/etc/machine-id', '/var/lib/dbus/machine-id']) {
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (id) {
        return id;
      }
    } catch {
      // next
    }
  }
  // No machine id (not systemd, not Linux): the hostname and first MAC address stand in.
  const mac = Object.values(os.networkInterfaces())
    .flat()
    .find((n) => n && !n.internal && n.mac !== '00:00:00:00:00:00')?.mac;
  return `${os.hostname()}-${mac ?? 'nomac'}`;
}

function primaryIp(): string {
  return (
    Object.values(os.networkInterfaces())
      .flat()
      .find((n) => n && !n.internal && n.family === 'IPv4')?.address ?? ''
  );
}

async function enroll(values: { server?: string; token?: string; config: string; interval?: string; 'state-dir'?: string; 'allow-remote-exec'?: boolean }): Promise<void> {
  if (!values.server || !values.token) {
    throw new UsageError('enroll needs --server URL and --token TOKEN');
  }
  let server: URL;
  try {
    server = new URL(values.server);
  } catch {
    throw new UsageError(`--server "${values.server}" is not a URL (e.g. https://yunwei.example.cn)`);
  }
  const intervalSeconds = positive('interval', values.interval);
  // The address as given, less a trailing slash, query and fragment: Yunwei may live under a path.
  const serverUrl = `${server.origin}${server.pathname.replace(/\/+$/, '')}`;
  const outcome = await postJson(serverUrl, '/api/agent/enroll', {
    token: values.token,
    hostname: os.hostname(),
    machineId: machineId(),
    version: VERSION,
    os: `${os.type()} ${os.release()}`,
    ip: primaryIp(),
    ...(intervalSeconds ? { intervalSeconds: Math.round(intervalSeconds) } : {}),
  });
  if (outcome.kind !== 'ok') {
    throw new Error(`enrolment failed: ${outcome.reason}`);
  }
  const body = outcome.body as { agentId: string; ciId: string; credential: string; commandKey?: string };
  writeConfig(values.config, {
    server: serverUrl,
    agentId: body.agentId,
    ciId: body.ciId,
    credential: body.credential,
    ...(values['state-dir'] ? { stateDir: path.resolve(values['state-dir']) } : {}),
    // Pinned now: commands signed by any other key are refused.
    ...(body.commandKey ? { commandKey: body.commandKey } : {}),
    remoteExec: { enabled: values['allow-remote-exec'] === true },
  });
  console.log(`enrolled as agent ${body.agentId} (host CI ${body.ciId}); credential stored in ${values.config}`);
  console.log(values['allow-remote-exec'] ? 'remote execution: allowed (commands signed by this server only)' : 'remote execution: not allowed (enrol with --allow-remote-exec, or run "yunwei-agent remote-exec on")');
  console.log('next: yunwei-agent install (systemd), or yunwei-agent run');
}

async function run(values: { config: string; interval?: string; 'buffer-max-mb'?: string; 'state-dir'?: string; 'inventory-interval': string; 'inventory-check': string; 'sys-class'?: string }): Promise<void> {
  const config = readConfig(values.config);
  const interval = positive('interval', values.interval) ?? config.intervalSeconds ?? 15;
  const bufferMb = positive('buffer-max-mb', values['buffer-max-mb']);
  const runner = new AgentRunner({
    config,
    stateDir: values['state-dir'] ? path.resolve(values['state-dir']) : stateDirOf(values.config, config),
    intervalSeconds: interval,
    bufferMaxBytes: bufferMb ? Math.round(bufferMb * 1024 * 1024) : (config.bufferMaxBytes ?? 64 * 1024 * 1024),
    inventoryIntervalSeconds: positive('inventory-interval', values['inventory-interval'])!,
    inventoryCheckSeconds: positive('inventory-check', values['inventory-check'])!,
    ...(values['sys-class'] ? { sysClass: path.resolve(values['sys-class']) } : {}),
  });
  // Off unless the local policy allows it: then nothing even asks the server for commands.
  const commands = config.remoteExec?.enabled ? new CommandLoop({ config, configFile: values.config, stateDir: values['state-dir'] ? path.resolve(values['state-dir']) : stateDirOf(values.config, config) }) : null;
  const stop = () => {
    commands?.stop();
    runner.stop();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  void commands?.run().catch((error: unknown) => log('error', 'command loop failed', { reason: (error as Error).message }));
  try {
    await runner.run();
    log('info', 'agent stopped');
  } catch (error) {
    log('error', (error as Error).message);
    process.exitCode = EXIT_CREDENTIAL_REFUSED;
  } finally {
    commands?.stop();
  }
}

function remoteExec(values: { config: string }, setting: string | undefined): void {
  if (setting !== 'on' && setting !== 'off') {
    throw new UsageError('remote-exec needs "on" or "off"');
  }
  const config = readConfig(values.config);
  writeConfig(values.config, { ...config, remoteExec: { ...config.remoteExec, enabled: setting === 'on' } });
  console.log(`remote execution ${setting === 'on' ? 'allowed' : 'not allowed'} in ${values.config}; restart the agent for it to take effect`);
}

function install(values: { config: string; 'unit-dir': string; interval?: string }): void {
  const config = path.resolve(values.config);
  const interval = positive('interval', values.interval);
  const file = writeUnit(values['unit-dir'], { ...selfCommand(), config, ...(interval ? { intervalSeconds: interval } : {}) });
  console.log(`wrote ${file}`);
  if (!existsSync(config)) {
    console.log(`note: ${config} does not exist yet: run "yunwei-agent enroll --server URL --token TOKEN --config ${config}" first`);
  }
  console.log('next: systemctl daemon-reload && systemctl enable --now yunwei-agent');
  console.log('then: journalctl -u yunwei-agent -f');
}

async function inventory(): Promise<void> {
  process.stdout.write(`${JSON.stringify(await collectInventory())}\n`);
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true });
  if (values.version) {
    console.log(VERSION);
    return;
  }
  const command = positionals[0] ?? 'run';
  if (values.help || command === 'help') {
    console.log(HELP);
    return;
  }
  switch (command) {
    case 'enroll':
      return enroll(values);
    case 'run':
      return run(values);
    case 'install':
      return install(values);
    case 'inventory':
      return inventory();
    case 'remote-exec':
      return remoteExec(values, positionals[1]);
    default:
      throw new UsageError(`unknown command "${command}"`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`yunwei-agent: ${(error as Error).message}\n\n${HELP}`);
    process.exitCode = 2;
  } else {
    console.error(`yunwei-agent: ${(error as Error).message}`);
    process.exitCode = 1;
  }
});
