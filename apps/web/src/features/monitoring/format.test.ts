import { describe, expect, it } from 'vitest';
import { formatValue, legendNames } from './format';

describe('monitoring formatting', () => {
  it('names series by what differs between them, metric names shortened at word boundaries', () => {
    const ci = { ci: 'h1', agent: 'a1' };
    expect(legendNames([{ __name__: 'host_net_rx_bytes_per_second', iface: 'eth0', ...ci }, { __name__: 'host_net_tx_bytes_per_second', iface: 'eth0', ...ci }])).toEqual(['rx', 'tx']);
    expect(legendNames(['host_load1', 'host_load5', 'host_load15'].map((n) => ({ __name__: n, ...ci })))).toEqual(['load1', 'load5', 'load15']);
    expect(legendNames([{ __name__: 'host_fs_usage_percent', mount: '/', ...ci }, { __name__: 'host_fs_usage_percent', mount: '/data', ...ci }])).toEqual(['/', '/data']);
    expect(legendNames([{ __name__: 'host_cpu_usage_percent', ...ci }])).toEqual(['host_cpu_usage_percent']);
  });

  it('formats values in their unit', () => {
    expect(formatValue(42.345, 'percent')).toBe('42.3%');
    expect(formatValue(1536, 'bytes')).toBe('1.50 KiB');
    expect(formatValue(3 * 1024 ** 3, 'bytesPerSecond')).toBe('3.00 GiB/s');
    expect(formatValue(0.25, 'seconds')).toBe('250 ms');
    expect(formatValue(null)).toBe('—');
  });
});
