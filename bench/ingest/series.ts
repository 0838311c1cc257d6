/**
 * Series that look like what node_exporter exposes: 100 per host (CPU modes per core, memory, file
 * systems, network and disk counters, load), labelled `instance="host-0042:9100", job="node"`.
 * Counters grow, gauges wander: values differ per sample, as real ones do (no artificially easy compression).
 */
export interface BenchSeries {
  metric: string;
  labels: Record<string, string>;
  counter: boolean;
}

const CPU_MODES = ['idle', 'iowait', 'irq', 'nice', 'softirq', 'steal', 'system', 'user'];
const MEMORY = ['MemTotal', 'MemFree', 'MemAvailable', 'Buffers', 'Cached', 'SwapTotal', 'SwapFree', 'Active', 'Inactive', 'Dirty'];
const MOUNTS: [string, string, string][] = [
  ['/dev/sda1', 'ext4', '/'],
  ['/dev/sda2', 'ext4', '/var'],
  ['/dev/sdb1', 'xfs', '/data'],
];
const NET = ['receive_bytes', 'receive_packets', 'receive_errs', 'receive_drop', 'transmit_bytes', 'transmit_packets', 'transmit_errs', 'transmit_drop'];
const DISK = ['reads_completed', 'writes_completed', 'read_bytes', 'written_bytes', 'io_time_seconds'];
const HOST_GAUGES = ['node_load1', 'node_load5', 'node_load15', 'node_procs_running', 'node_procs_blocked', 'node_boot_time_seconds', 'node_time_seconds', 'node_entropy_available_bits', 'node_filefd_allocated'];
const HOST_COUNTERS = ['node_context_switches_total', 'node_intr_total', 'node_forks_total'];

function hostSeries(instance: string): BenchSeries[] {
  const base = { instance, job: 'node' };
  const out: BenchSeries[] = [];
  for (let cpu = 0; cpu < 4; cpu++) {
    for (const mode of CPU_MODES) {
      out.push({ metric: 'node_cpu_seconds_total', labels: { ...base, cpu: String(cpu), mode }, counter: true });
    }
  }
  for (const m of MEMORY) {
    out.push({ metric: `node_memory_${m}_bytes`, labels: base, counter: false });
  }
  for (const [device, fstype, mountpoint] of MOUNTS) {
    for (const m of ['size_bytes', 'free_bytes', 'avail_bytes', 'files']) {
      out.push({ metric: `node_filesystem_${m}`, labels: { ...base, device, fstype, mountpoint }, counter: false });
    }
  }
  for (const device of ['eth0', 'eth1', 'lo']) {
    for (const m of NET) {
      out.push({ metric: `node_network_${m}_total`, labels: { ...base, device }, counter: true });
    }
  }
  for (const device of ['sda', 'sdb']) {
    for (const m of DISK) {
      out.push({ metric: `node_disk_${m}_total`, labels: { ...base, device }, counter: true });
    }
  }
  for (const metric of HOST_GAUGES) {
    out.push({ metric, labels: base, counter: false });
  }
  for (const metric of HOST_COUNTERS) {
    out.push({ metric, labels: base, counter: true });
  }
  return out; // 32 + 10 + 12 + 24 + 10 + 12 = 100
}

export const SERIES_PER_HOST = 100;

/** `count` series: whole hosts of 100, the last one cut short. */
export function nodeExporterSeries(count: number): BenchSeries[] {
  const out: BenchSeries[] = [];
  for (let h = 0; out.length < count; h++) {
    out.push(...hostSeries(`host-${String(h).padStart(4, '0')}:9100`).slice(0, count - out.length));
  }
  return out;
}

/** The value of series `i` at tick `tick`: counters grow by a series-specific rate, gauges wander. */
export function valueAt(series: readonly BenchSeries[], i: number, tick: number): number {
  const rate = 1 + (i % 97);
  return series[i]!.counter ? 1_000_000 + i * 17 + tick * rate + (tick % 7) * 0.25 : 50 + ((i * 31 + tick * 13) % 1000) / 10;
}
