import type { InspectionItem, InspectionScope } from '@yunwei/contracts/inspections';
import { BUILTIN_TEMPLATE_TEXTS as T } from '@yunwei/contracts/seeded-texts';

export interface BuiltinTemplate {
  key: 'hardware' | 'system';
  name: string;
  description: string;
  scope: InspectionScope;
  items: InspectionItem[];
}

/**
 * The two inspections the standard names (L4-2.1.1 hardware platform, L4-2.1.2 system running state),
 * over the series the host agent sends (common metric names: docs/architecture.md, "Monitoring data
 * path"). Seeded once; afterwards they are ordinary, versioned templates that may be edited (not deleted).
 * Their texts are seeded in Chinese; the UI shows the English of a text still as seeded (seeded-texts.ts).
 */
export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    key: 'hardware',
    name: T.hardware.name.zh,
    description: T.hardware.description.zh,
    scope: { kind: 'class', classCode: 'server' },
    items: [
      { key: 'disk_smart', name: T.hardware.items.disk_smart.zh, kind: 'metric', selector: 'host_hw_disk_smart_ok', reduce: 'last', operator: '==', limit: 1, availabilityComponent: 'smart' },
      { key: 'temperature', name: T.hardware.items.temperature.zh, kind: 'metric', selector: 'host_hw_temperature_celsius', reduce: 'max', operator: '<=', limit: 80, unit: '°C', availabilityComponent: 'temperature' },
      { key: 'fan', name: T.hardware.items.fan.zh, kind: 'metric', selector: 'host_hw_fan_ok', reduce: 'last', operator: '==', limit: 1, availabilityComponent: 'fan' },
      { key: 'power', name: T.hardware.items.power.zh, kind: 'metric', selector: 'host_hw_power_ok', reduce: 'last', operator: '==', limit: 1, availabilityComponent: 'power' },
      { key: 'indicator_lights', name: T.hardware.items.indicator_lights.zh, kind: 'manual', guidance: T.hardware.guidance.indicator_lights.zh },
    ],
  },
  {
    key: 'system',
    name: T.system.name.zh,
    description: T.system.description.zh,
    scope: { kind: 'class', classCode: 'server' },
    items: [
      { key: 'cpu', name: T.system.items.cpu.zh, kind: 'metric', selector: 'host_cpu_usage_percent', reduce: 'avg', windowSeconds: 600, operator: '<=', limit: 85, unit: '%' },
      { key: 'memory', name: T.system.items.memory.zh, kind: 'metric', selector: 'host_memory_usage_percent', reduce: 'last', operator: '<=', limit: 90, unit: '%' },
      { key: 'filesystem', name: T.system.items.filesystem.zh, kind: 'metric', selector: 'host_fs_usage_percent', reduce: 'last', operator: '<=', limit: 85, unit: '%' },
      { key: 'load', name: T.system.items.load.zh, kind: 'metric', selector: 'host_load5', reduce: 'last', operator: '<=', limit: 16 },
      { key: 'uptime', name: T.system.items.uptime.zh, kind: 'metric', selector: 'host_uptime_seconds', reduce: 'last', operator: '>=', limit: 3600, unit: 's' },
      { key: 'agent_reporting', name: T.system.items.agent_reporting.zh, kind: 'fresh', selector: 'host_cpu_usage_percent', maxAgeSeconds: 120 },
      { key: 'system_log', name: T.system.items.system_log.zh, kind: 'manual', guidance: T.system.guidance.system_log.zh },
    ],
  },
];
