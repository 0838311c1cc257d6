import type { InspectionItem, InspectionScope } from '@yunwei/contracts/inspections';

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
 */
export const BUILTIN_TEMPLATES: readonly BuiltinTemplate[] = [
  {
    key: 'hardware',
    name: '硬件平台巡检',
    description: '服务器硬件状态：磁盘 SMART、温度、风扇、电源（数据来自主机代理；设备未提供的部件记为“不支持”）',
    scope: { kind: 'class', classCode: 'server' },
    items: [
      { key: 'disk_smart', name: '磁盘 SMART 状态', kind: 'metric', selector: 'host_hw_disk_smart_ok', reduce: 'last', operator: '==', limit: 1, availabilityComponent: 'smart' },
      { key: 'temperature', name: '硬件温度', kind: 'metric', selector: 'host_hw_temperature_celsius', reduce: 'max', operator: '<=', limit: 80, unit: '°C', availabilityComponent: 'temperature' },
      { key: 'fan', name: '风扇状态', kind: 'metric', selector: 'host_hw_fan_ok', reduce: 'last', operator: '==', limit: 1, availabilityComponent: 'fan' },
      { key: 'power', name: '电源状态', kind: 'metric', selector: 'host_hw_power_ok', reduce: 'last', operator: '==', limit: 1, availabilityComponent: 'power' },
      { key: 'indicator_lights', name: '设备指示灯与告警灯', kind: 'manual', guidance: '现场查看前面板与后面板指示灯，无橙色/红色告警灯' },
    ],
  },
  {
    key: 'system',
    name: '系统运行状态巡检',
    description: '操作系统运行状态：CPU、内存、文件系统使用率、负载、运行时长、代理上报',
    scope: { kind: 'class', classCode: 'server' },
    items: [
      { key: 'cpu', name: 'CPU 使用率（10 分钟平均）', kind: 'metric', selector: 'host_cpu_usage_percent', reduce: 'avg', windowSeconds: 600, operator: '<=', limit: 85, unit: '%' },
      { key: 'memory', name: '内存使用率', kind: 'metric', selector: 'host_memory_usage_percent', reduce: 'last', operator: '<=', limit: 90, unit: '%' },
      { key: 'filesystem', name: '文件系统使用率', kind: 'metric', selector: 'host_fs_usage_percent', reduce: 'last', operator: '<=', limit: 85, unit: '%' },
      { key: 'load', name: '系统负载（5 分钟）', kind: 'metric', selector: 'host_load5', reduce: 'last', operator: '<=', limit: 16 },
      { key: 'uptime', name: '运行时长（近 1 小时内无重启）', kind: 'metric', selector: 'host_uptime_seconds', reduce: 'last', operator: '>=', limit: 3600, unit: 's' },
      { key: 'agent_reporting', name: '监控代理正常上报', kind: 'fresh', selector: 'host_cpu_usage_percent', maxAgeSeconds: 120 },
      { key: 'system_log', name: '系统日志检查', kind: 'manual', guidance: '查看系统日志（journalctl -p err、/var/log/messages），无未处理的严重错误' },
    ],
  },
];
