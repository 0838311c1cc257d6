import { describe, expect, it } from 'vitest';
import { ageParts, formatMetricValue, panelUnitOf, unitOfMetric } from './metric-unit';

describe('metric units and ages', () => {
  it('reads the unit from the metric name’s suffix', () => {
    expect(unitOfMetric('host_cpu_usage_percent')).toBe('percent');
    expect(unitOfMetric('host_net_rx_bytes_per_second')).toBe('bytesPerSecond');
    expect(unitOfMetric('node_memory_MemAvailable_bytes')).toBe('bytes');
    expect(unitOfMetric('host_uptime_seconds')).toBe('seconds');
    expect(unitOfMetric('host_hw_temperature_celsius')).toBe('celsius');
    expect(unitOfMetric('host_load1')).toBe('none');
    expect(panelUnitOf('host_hw_temperature_celsius')).toBe('none');
  });

  it('formats a value with its unit', () => {
    expect(formatMetricValue('host_fs_usage_percent', 93.5)).toBe('93.5%');
    expect(formatMetricValue('host_net_rx_bytes_per_second', 2_097_152)).toBe('2.00 MiB/s');
    expect(formatMetricValue('host_hw_temperature_celsius', 52)).toBe('52.0 °C');
    expect(formatMetricValue('host_load1', 1.234)).toBe('1.23');
  });

  it('says an age in the largest whole unit (a sample from the future is 0 s old)', () => {
    expect(ageParts(12_400)).toEqual(['seconds', 12]);
    expect(ageParts(-5_000)).toEqual(['seconds', 0]);
    expect(ageParts(125_000)).toEqual(['minutes', 2]);
    expect(ageParts(3 * 3_600_000 + 1)).toEqual(['hours', 3]);
    expect(ageParts(3 * 86_400_000)).toEqual(['days', 3]);
  });
});
