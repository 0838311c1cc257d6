/**
 * Parsers of Linux /proc files: pure functions of the file's text, so they are tested on fixtures.
 * Reading /proc costs microseconds and spawns nothing — the reason the agent does not use
 * systeminformation for what it collects every interval.
 */

export interface CpuTimes {
  /** All jiffies. */
  total: number;
  /** idle + iowait. */
  idle: number;
}

/** `cpu` (all) and `cpu0…` lines of /proc/stat. */
export function parseStat(text: string): { all: CpuTimes | null; cores: Map<string, CpuTimes> } {
  let all: CpuTimes | null = null;
  const cores = new Map<string, CpuTimes>();
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) {
      continue;
    }
    const [name, ...rest] = line.trim().split(/\s+/);
    // user nice system idle iowait irq softirq steal (guest and guest_nice are inside user and nice)
    const v = rest.slice(0, 8).map(Number);
    const times = { total: v.reduce((a, b) => a + (b || 0), 0), idle: (v[3] ?? 0) + (v[4] ?? 0) };
    if (name === 'cpu') {
      all = times;
    } else if (name) {
      cores.set(name.slice(3), times);
    }
  }
  return { all, cores };
}

/** Busy percentage between two readings (null when no time passed). */
export function busyPercent(before: CpuTimes, after: CpuTimes): number | null {
  const total = after.total - before.total;
  if (total <= 0) {
    return null;
  }
  const busy = total - (after.idle - before.idle);
  return Math.min(100, Math.max(0, (busy / total) * 100));
}

export function parseLoadavg(text: string): [number, number, number] {
  const [a, b, c] = text.trim().split(/\s+/).map(Number);
  return [a ?? 0, b ?? 0, c ?? 0];
}

/** /proc/meminfo in bytes, by key (MemTotal, MemAvailable, SwapTotal, …). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (m) {
      out.set(m[1]!, Number(m[2]) * (line.includes('kB') ? 1024 : 1));
    }
  }
  return out;
}

export interface IoCounters {
  read: number;
  written: number;
}

const SECTOR = 512;
/** Not disks: loop devices, RAM disks, floppies, optical drives. */
const NOT_A_DISK = /^(loop|ram|zram|fd|sr)\d/;

/** Bytes read / written per whole disk from /proc/diskstats (`isDisk` tells disks from partitions). */
export function parseDiskstats(text: string, isDisk: (name: string) => boolean): Map<string, IoCounters> {
  const out = new Map<string, IoCounters>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    const name = f[2];
    if (!name || f.length < 10 || NOT_A_DISK.test(name) || !isDisk(name)) {
      continue;
    }
    out.set(name, { read: Number(f[5]) * SECTOR, written: Number(f[9]) * SECTOR });
  }
  return out;
}

/** Bytes received / sent per interface from /proc/net/dev (loopback left out). */
export function parseNetDev(text: string): Map<string, IoCounters> {
  const out = new Map<string, IoCounters>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) {
      continue;
    }
    const iface = line.slice(0, colon).trim();
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    if (iface && iface !== 'lo') {
      out.set(iface, { read: f[0] ?? 0, written: f[8] ?? 0 });
    }
  }
  return out;
}

export interface Mount {
  device: string;
  mount: string;
  fstype: string;
}

/** File system types that hold no user data (kernel views, memory, containers' layers). */
const PSEUDO_FS = new Set([
  'proc', 'sysfs', 'devtmpfs', 'devpts', 'tmpfs', 'securityfs', 'cgroup', 'cgroup2', 'pstore', 'bpf', 'debugfs', 'tracefs', 'configfs',
  'fusectl', 'mqueue', 'hugetlbfs', 'autofs', 'rpc_pipefs', 'nsfs', 'binfmt_misc', 'efivarfs', 'overlay', 'squashfs', 'ramfs', 'fuse.lxcfs',
  'fuse.gvfsd-fuse', 'fuse.portal', 'selinuxfs', 'nfsd', 'iso9660', 'devfs',
]);

/** Real file systems of /proc/mounts, each device once (its first mount point). */
export function parseMounts(text: string): Mount[] {
  const out: Mount[] = [];
  const devices = new Set<string>();
  for (const line of text.split('\n')) {
    const [device, rawMount, fstype] = line.split(' ');
    if (!device || !rawMount || !fstype || PSEUDO_FS.has(fstype) || devices.has(device)) {
      continue;
    }
    devices.add(device);
    // Spaces and tabs in mount points are written as octal escapes.
    out.push({ device, mount: rawMount.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8))), fstype });
  }
  return out;
}

export interface ListeningPort {
  protocol: string;
  address: string;
  port: number;
}

function hexAddress(hex: string): string {
  if (hex.length === 8) {
    return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).reverse().join('.');
  }
  // IPv6: four little-endian 32-bit words.
  const words: string[] = [];
  for (let w = 0; w < 4; w++) {
    const word = hex.slice(w * 8, w * 8 + 8);
    const bytes = [6, 4, 2, 0].map((i) => word.slice(i, i + 2)).join('');
    words.push(bytes.slice(0, 4), bytes.slice(4, 8));
  }
  const text = words.map((g) => parseInt(g, 16).toString(16)).join(':');
  return text === '0:0:0:0:0:0:0:0' ? '::' : text === '0:0:0:0:0:0:0:1' ? '::1' : text;
}

/**
 * Listening sockets of /proc/net/{tcp,tcp6,udp,udp6}: TCP in state LISTEN (0A), UDP bound and
 * unconnected (07 with no remote port).
 */
export function parseNetSockets(text: string, protocol: 'tcp' | 'tcp6' | 'udp' | 'udp6'): ListeningPort[] {
  const out: ListeningPort[] = [];
  const listening = protocol.startsWith('tcp') ? '0A' : '07';
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const [local, remote, state] = [f[1], f[2], f[3]];
    if (!local || !remote || state !== listening || (!protocol.startsWith('tcp') && !remote.endsWith(':0000'))) {
      continue;
    }
    const [addr, port] = local.split(':');
    out.push({ protocol: protocol.replace('6', ''), address: hexAddress(addr!), port: parseInt(port!, 16) });
  }
  return out;
}
