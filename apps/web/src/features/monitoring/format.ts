import type { PanelUnit } from '@yunwei/contracts/dashboards';

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

function round(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : value.toFixed(2);
}

export function formatBytes(value: number): string {
  let v = value;
  let i = 0;
  while (Math.abs(v) >= 1024 && i < BYTE_UNITS.length - 1) {
    v /= 1024;
    i++;
  }
  return `${round(v)} ${BYTE_UNITS[i]}`;
}

/** A value in a panel's unit, short enough for an axis label. */
export function formatValue(value: number | null | undefined, unit: PanelUnit = 'none'): string {
  if (value === null || value === undefined || Number.isNaN(value)) {
    return '—';
  }
  switch (unit) {
    case 'percent':
      return `${round(value)}%`;
    case 'bytes':
      return formatBytes(value);
    case 'bytesPerSecond':
      return `${formatBytes(value)}/s`;
    case 'seconds':
      return value < 1 ? `${(value * 1000).toFixed(0)} ms` : value < 120 ? `${round(value)} s` : value < 7200 ? `${round(value / 60)} min` : value < 172_800 ? `${round(value / 3600)} h` : `${round(value / 86_400)} d`;
    case 'none':
      return round(value);
  }
}

/** Label names whose value is not the same in every series (ignoring ci and agent). */
export function varyingLabels(all: readonly Record<string, string>[]): string[] {
  const keys = new Set(all.flatMap((l) => Object.keys(l)));
  return [...keys].filter((k) => k !== 'ci' && k !== 'agent' && new Set(all.map((l) => l[k] ?? '')).size > 1).sort();
}

/** Metric names without what they all share: host_net_rx_bytes_per_second, host_net_tx_… → rx, tx. */
function trimCommon(names: readonly string[]): string[] {
  let prefix = names[0] ?? '';
  let suffix = prefix;
  for (const n of names) {
    while (!n.startsWith(prefix)) {
      prefix = prefix.slice(0, -1);
    }
    while (!n.endsWith(suffix)) {
      suffix = suffix.slice(1);
    }
  }
  // Cut at word boundaries only: host_load1 / host_load5 → load1 / load5, not 1 / 5.
  prefix = prefix.slice(0, prefix.lastIndexOf('_') + 1);
  suffix = suffix.includes('_') ? suffix.slice(suffix.indexOf('_')) : '';
  return names.map((n) => n.slice(prefix.length, n.length - suffix.length) || n);
}

/** Legend names of series: the labels that differ between them (metric names shortened), else the metric. */
export function legendNames(all: readonly Record<string, string>[]): string[] {
  const varying = varyingLabels(all);
  const names = all.map((l) => l.__name__ ?? '');
  const short = varying.includes('__name__') ? trimCommon(names) : names;
  return all.map((labels, i) => {
    const parts = varying.map((k) => (k === '__name__' ? short[i] : labels[k])).filter((v): v is string => Boolean(v));
    return parts.length ? parts.join(' ') : names[i]!;
  });
}
