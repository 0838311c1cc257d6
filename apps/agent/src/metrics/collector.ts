import { readdirSync, readFileSync, statfsSync } from 'node:fs';
import os from 'node:os';
import { hardwareSamples, type SmartStatus } from './hardware.ts';
import { busyPercent, parseDiskstats, parseLoadavg, parseMeminfo, parseMounts, parseNetDev, parseStat, type CpuTimes, type IoCounters } from './proc.ts';
import type { Sample } from './sample.ts';

interface Counters {
  at: number;
  cpu: CpuTimes | null;
  cores: Map<string, CpuTimes>;
  disks: Map<string, IoCounters>;
  nets: Map<string, IoCounters>;
}

function readOr(file: string, fallback = ''): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return fallback;
  }
}

/** CPU times from node:os where /proc/stat is missing (not Linux). */
function osCpuTimes(): { all: CpuTimes; cores: Map<string, CpuTimes> } {
  const cores = new Map<string, CpuTimes>();
  const all = { total: 0, idle: 0 };
  os.cpus().forEach((c, i) => {
    const total = c.times.user + c.times.nice + c.times.sys + c.times.idle + c.times.irq;
    cores.set(String(i), { total, idle: c.times.idle });
    all.total += total;
    all.idle += c.times.idle;
  });
  return { all, cores };
}

/**
 * The host metrics of one interval. Everything comes from /proc, /sys and statfs (Linux): no
 * process is spawned. Rates (CPU busy, disk and network bytes per second) are deltas against the
 * previous call; the first call only primes them. Elsewhere CPU, load, memory and uptime come from node:os.
 */
export class Collector {
  #prev: Counters | null = null;
  readonly #linux = os.platform() === 'linux';
  /** Set by the runner from each inventory. */
  smart: SmartStatus = new Map();

  /** `sysClass`: where hardware status is read (a container sees the host's under a mount). */
  constructor(readonly sysClass = '/sys/class') {}

  #counters(now: number): Counters {
    if (!this.#linux) {
      const { all, cores } = osCpuTimes();
      return { at: now, cpu: all, cores, disks: new Map(), nets: new Map() };
    }
    const stat = parseStat(readOr('/proc/stat'));
    let blocks: Set<string>;
    try {
      blocks = new Set(readdirSync('/sys/block'));
    } catch {
      blocks = new Set();
    }
    return { at: now, cpu: stat.all, cores: stat.cores, disks: parseDiskstats(readOr('/proc/diskstats'), (name) => blocks.has(name)), nets: parseNetDev(readOr('/proc/net/dev')) };
  }

  /** Reads the counters so that the first `collect` has rates. */
  prime(): void {
    this.#prev = this.#counters(Date.now());
  }

  collect(now = Date.now()): Sample[] {
    const out: Sample[] = [];
    const add = (metric: string, value: number, labels?: Record<string, string>) => {
      if (Number.isFinite(value)) {
        out.push(labels ? { metric, labels, ts: now, value } : { metric, ts: now, value });
      }
    };
    const cur = this.#counters(now);
    const prev = this.#prev;
    this.#prev = cur;
    const seconds = prev ? (cur.at - prev.at) / 1000 : 0;

    if (prev?.cpu && cur.cpu) {
      const busy = busyPercent(prev.cpu, cur.cpu);
      if (busy !== null) {
        add('host_cpu_usage_percent', busy);
      }
      for (const [cpu, times] of cur.cores) {
        const before = prev.cores.get(cpu);
        const coreBusy = before ? busyPercent(before, times) : null;
        if (coreBusy !== null) {
          add('host_cpu_core_usage_percent', coreBusy, { cpu });
        }
      }
    }
    const [l1, l5, l15] = this.#linux ? parseLoadavg(readOr('/proc/loadavg', '0 0 0')) : os.loadavg();
    add('host_load1', l1 ?? 0);
    add('host_load5', l5 ?? 0);
    add('host_load15', l15 ?? 0);

    if (this.#linux) {
      const mem = parseMeminfo(readOr('/proc/meminfo'));
      const total = mem.get('MemTotal') ?? 0;
      const available = mem.get('MemAvailable') ?? (mem.get('MemFree') ?? 0) + (mem.get('Cached') ?? 0) + (mem.get('Buffers') ?? 0);
      this.#memory(add, total, total - available);
      add('host_swap_total_bytes', mem.get('SwapTotal') ?? 0);
      add('host_swap_used_bytes', (mem.get('SwapTotal') ?? 0) - (mem.get('SwapFree') ?? 0));
      this.#filesystems(add);
      if (prev && seconds > 0) {
        for (const [device, io] of cur.disks) {
          const before = prev.disks.get(device);
          if (before) {
            add('host_disk_read_bytes_per_second', Math.max(0, io.read - before.read) / seconds, { device });
            add('host_disk_write_bytes_per_second', Math.max(0, io.written - before.written) / seconds, { device });
          }
        }
        for (const [iface, io] of cur.nets) {
          const before = prev.nets.get(iface);
          if (before) {
            add('host_net_rx_bytes_per_second', Math.max(0, io.read - before.read) / seconds, { iface });
            add('host_net_tx_bytes_per_second', Math.max(0, io.written - before.written) / seconds, { iface });
          }
        }
      }
      let processes = 0;
      for (const entry of readdirSync('/proc')) {
        const c = entry.charCodeAt(0);
        if (c >= 48 && c <= 57) {
          processes++;
        }
      }
      add('host_processes_total', processes);
      add('host_uptime_seconds', Number(readOr('/proc/uptime', '0').split(' ')[0]));
    } else {
      this.#memory(add, os.totalmem(), os.totalmem() - os.freemem());
      add('host_uptime_seconds', os.uptime());
    }
    out.push(...hardwareSamples(now, this.smart, this.sysClass));
    return out;
  }

  #memory(add: (metric: string, value: number) => void, total: number, used: number): void {
    add('host_memory_total_bytes', total);
    add('host_memory_used_bytes', used);
    add('host_memory_usage_percent', total > 0 ? (used / total) * 100 : 0);
  }

  #filesystems(add: (metric: string, value: number, labels?: Record<string, string>) => void): void {
    for (const { mount, fstype } of parseMounts(readOr('/proc/mounts'))) {
      let s;
      try {
        s = statfsSync(mount);
      } catch {
        continue; // unmounted meanwhile, or a hung network mount refused
      }
      const size = s.blocks * s.bsize;
      if (size === 0) {
        continue;
      }
      const used = (s.blocks - s.bfree) * s.bsize;
      const avail = s.bavail * s.bsize;
      const labels = { mount, fstype };
      add('host_fs_size_bytes', size, labels);
      add('host_fs_used_bytes', used, labels);
      // As df shows it: blocks reserved for root count as neither used nor available.
      add('host_fs_usage_percent', used + avail > 0 ? (used / (used + avail)) * 100 : 0, labels);
    }
  }
}
