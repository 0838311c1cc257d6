import { execFile } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { promisify } from 'node:util';
import type { HostInventoryData } from '@yunwei/contracts/agents';
import { parseMeminfo, parseMounts } from '../metrics/proc.ts';
import { listeningPorts } from './fingerprint.ts';

const run = promisify(execFile);

async function lines(command: string, args: string[]): Promise<string[]> {
  try {
    const { stdout } = await run(command, args, { timeout: 60_000, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_ALL: 'C' } });
    return stdout.split('\n').filter(Boolean);
  } catch {
    return []; // not this distribution's tool, or not allowed: the list stays empty
  }
}

function readOr(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

const byName = <T extends { name: string }>(a: T, b: T) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
/** Text of a fact; systeminformation's placeholders for "unknown" become ''. */
const str = (v: unknown) => {
  const t = v === null || v === undefined ? '' : String(v).trim();
  return t === '-' || t === 'Default string' || t === 'To Be Filled By O.E.M.' ? '' : t;
};

/** Installed packages with versions: dpkg (Debian, Ubuntu, UOS, Kylin) or rpm (RHEL, openEuler, Anolis…). */
export async function packages(): Promise<HostInventoryData['packages']> {
  const dpkg = await lines('dpkg-query', ['-W', '-f=${db:Status-Abbrev}\t${Package}\t${Version}\t${Architecture}\n']);
  if (dpkg.length) {
    return dpkg
      .map((l) => l.split('\t'))
      .filter((f) => f[0]?.startsWith('ii'))
      .map(([, name, version, arch]) => ({ name: str(name), version: str(version), arch: str(arch) }))
      .sort(byName);
  }
  return (await lines('rpm', ['-qa', '--qf', '%{NAME}\t%{VERSION}-%{RELEASE}\t%{ARCH}\n']))
    .map((l) => l.split('\t'))
    .map(([name, version, arch]) => ({ name: str(name), version: str(version), arch: str(arch) }))
    .sort(byName);
}

/** Local accounts of /etc/passwd; `login` when the shell lets someone in. */
export function accounts(passwd = readOr('/etc/passwd')): HostInventoryData['accounts'] {
  return passwd
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((l) => l.split(':'))
    .filter((f) => f.length >= 7)
    .map(([name, , uid, gid, , home, shell]) => ({ name: str(name), uid: Number(uid) || 0, gid: Number(gid) || 0, home: str(home), shell: str(shell), login: !/(nologin|false|sync|shutdown|halt)$/.test(str(shell)) }))
    .sort(byName);
}

/** systemd services with their state (running, exited, failed, …) and whether they start at boot. */
export async function services(): Promise<HostInventoryData['services']> {
  const enabled = new Map<string, string>();
  for (const l of await lines('systemctl', ['list-unit-files', '--type=service', '--no-legend', '--no-pager', '--plain'])) {
    const [unit, state] = l.trim().split(/\s+/);
    if (unit) {
      enabled.set(unit, str(state));
    }
  }
  const out = new Map<string, HostInventoryData['services'][number]>();
  for (const l of await lines('systemctl', ['list-units', '--type=service', '--all', '--no-legend', '--no-pager', '--plain'])) {
    const [unit, , , sub] = l.trim().split(/\s+/);
    if (unit?.endsWith('.service')) {
      out.set(unit, { name: unit, state: str(sub), enabled: enabled.get(unit) ?? '' });
    }
  }
  for (const [unit, state] of enabled) {
    if (!out.has(unit) && !unit.includes('@')) {
      out.set(unit, { name: unit, state: 'inactive', enabled: state });
    }
  }
  return [...out.values()].sort(byName);
}

/**
 * The full inventory. Hardware facts come from systeminformation (loaded here only: this runs in a
 * short-lived child process, so the resident agent never holds it); lists are sorted so that an
 * unchanged host gives the same JSON (and hash).
 */
export async function collectInventory(): Promise<HostInventoryData> {
  const si = await import('systeminformation');
  const [osInfo, system, cpu, disks, nics, pkgs, svcs] = await Promise.all([
    si.osInfo(),
    si.system(),
    si.cpu(),
    si.diskLayout().catch(() => []),
    si.networkInterfaces().catch(() => []),
    packages(),
    services(),
  ]);
  const mem = parseMeminfo(readOr('/proc/meminfo'));
  const nicList = Array.isArray(nics) ? nics : [nics];
  const fsSizes: HostInventoryData['filesystems'] = [];
  for (const m of parseMounts(readOr('/proc/mounts'))) {
    try {
      const s = statfsSync(m.mount);
      fsSizes.push({ mount: m.mount, fstype: m.fstype, device: m.device, sizeBytes: s.blocks * s.bsize });
    } catch {
      // gone meanwhile
    }
  }
  return {
    os: { platform: str(osInfo.platform), distro: str(osInfo.distro), release: str(osInfo.release), codename: str(osInfo.codename), kernel: str(osInfo.kernel) || os.release(), arch: str(osInfo.arch), hostname: os.hostname() },
    hardware: { manufacturer: str(system.manufacturer), model: str(system.model), serial: str(system.serial), uuid: str(system.uuid), virtual: Boolean(system.virtual) },
    cpu: { manufacturer: str(cpu.manufacturer), brand: str(cpu.brand), cores: cpu.cores || os.cpus().length, physicalCores: cpu.physicalCores || 0, sockets: cpu.processors || 0, speedGHz: cpu.speed > 0 ? cpu.speed : 0 },
    memory: { totalBytes: os.totalmem(), swapBytes: mem.get('SwapTotal') ?? 0 },
    disks: disks
      .map((d) => ({ device: str(d.device), type: str(d.type), name: str(d.name), vendor: str(d.vendor), sizeBytes: d.size > 0 ? d.size : 0, serial: str(d.serialNum), interfaceType: str(d.interfaceType), smartStatus: str(d.smartStatus) || 'unknown' }))
      .sort((a, b) => (a.device < b.device ? -1 : 1)),
    filesystems: fsSizes.sort((a, b) => (a.mount < b.mount ? -1 : 1)),
    nics: nicList
      .map((n) => ({ iface: str(n.iface), mac: str(n.mac), ip4: n.ip4 ? [str(n.ip4)] : [], ip6: n.ip6 ? [str(n.ip6)] : [], speedMbps: typeof n.speed === 'number' && n.speed > 0 ? n.speed : null, virtual: Boolean(n.virtual || n.internal) }))
      .sort((a, b) => (a.iface < b.iface ? -1 : 1)),
    packages: pkgs,
    ports: listeningPorts(),
    accounts: accounts(),
    services: svcs,
  };
}
