import type { IncidentConfigInput, IncidentTypeRule } from '@yunwei/contracts/incidents';

/** The built-in fault types (L3-2.3.1): a first level and the children people use most; administrators add their own. */
export interface SeedType {
  code: string;
  zh: string;
  en: string;
  parent?: string;
  rules?: IncidentTypeRule[];
}

export const SEED_TYPES: SeedType[] = [
  { code: 'hardware', zh: '硬件', en: 'Hardware', rules: [{ kind: 'metric', pattern: 'node_hwmon_*' }] },
  { code: 'hardware.server', zh: '服务器', en: 'Server', parent: 'hardware', rules: [{ kind: 'ciClass', pattern: 'server' }] },
  { code: 'hardware.storage', zh: '存储设备', en: 'Storage device', parent: 'hardware', rules: [{ kind: 'ciClass', pattern: 'storage' }, { kind: 'metric', pattern: 'node_disk_*' }] },
  { code: 'software', zh: '软件', en: 'Software' },
  { code: 'software.os', zh: '操作系统', en: 'Operating system', parent: 'software', rules: [{ kind: 'metric', pattern: 'node_memory_*' }, { kind: 'metric', pattern: 'node_load*' }, { kind: 'metric', pattern: 'node_cpu_*' }] },
  { code: 'software.database', zh: '数据库', en: 'Database', parent: 'software', rules: [{ kind: 'checkType', pattern: 'postgres' }, { kind: 'checkType', pattern: 'mysql' }, { kind: 'ciClass', pattern: 'database' }] },
  { code: 'software.application', zh: '应用系统', en: 'Application', parent: 'software', rules: [{ kind: 'checkType', pattern: 'http' }, { kind: 'checkType', pattern: 'keyword' }, { kind: 'ciClass', pattern: 'application' }] },
  { code: 'network', zh: '网络', en: 'Network', rules: [{ kind: 'checkType', pattern: 'ping' }, { kind: 'checkType', pattern: 'tcp' }, { kind: 'checkType', pattern: 'dns' }, { kind: 'checkType', pattern: 'snmp' }, { kind: 'ciClass', pattern: 'network_device' }] },
  { code: 'network.link', zh: '线路', en: 'Link', parent: 'network' },
  { code: 'network.device', zh: '网络设备', en: 'Network device', parent: 'network', rules: [{ kind: 'ciClass', pattern: 'switch' }, { kind: 'ciClass', pattern: 'router' }, { kind: 'ciClass', pattern: 'firewall' }] },
  { code: 'security', zh: '安全', en: 'Security', rules: [{ kind: 'checkType', pattern: 'tls' }] },
  { code: 'data', zh: '数据', en: 'Data' },
  { code: 'environment', zh: '环境', en: 'Environment' },
  { code: 'environment.room', zh: '机房', en: 'Machine room', parent: 'environment' },
  { code: 'environment.power', zh: '电力', en: 'Power', parent: 'environment' },
  { code: 'environment.cooling', zh: '空调', en: 'Cooling', parent: 'environment' },
  { code: 'human', zh: '人为操作', en: 'Human error' },
  { code: 'external', zh: '外部服务', en: 'External service' },
];

/** 故障性质 (L3-2.3.2) with the guidance the handler reads when judging it. */
export const SEED_NATURES = [
  { code: 'equipment', zh: '设备故障', en: 'Equipment failure', gzh: '硬件部件损坏或老化：服务器、磁盘、电源、网络设备等，一般需要更换或维修。', gen: 'A hardware part broke or wore out (server, disk, power supply, network device): usually a replacement or repair.' },
  { code: 'configuration', zh: '配置错误', en: 'Misconfiguration', gzh: '参数、策略或配置文件不正确，常见于变更之后：查看最近的变更和配置差异。', gen: 'Wrong parameters, policies or configuration files, often after a change: look at recent changes and configuration differences.' },
  { code: 'capacity', zh: '容量不足', en: 'Insufficient capacity', gzh: '磁盘、内存、连接数、带宽等资源耗尽或接近上限：查看容量趋势与预测。', gen: 'Disk, memory, connections or bandwidth ran out or nearly so: look at capacity trends and forecasts.' },
  { code: 'defect', zh: '软件缺陷', en: 'Software defect', gzh: '程序错误导致异常：可复现、与版本有关，需要补丁或升级，临时可用规避措施。', gen: 'A bug causes the fault: reproducible and tied to a version; needs a patch or an upgrade, a workaround meanwhile.' },
  { code: 'security', zh: '安全事件', en: 'Security incident', gzh: '攻击、入侵、病毒、数据泄露等：按安全事件应急预案处置并保留证据。', gen: 'An attack, intrusion, malware or data leak: follow the security incident plan and keep the evidence.' },
  { code: 'dependency', zh: '外部依赖', en: 'External dependency', gzh: '运营商线路、云服务、第三方接口等外部服务中断：联系供应商并记录沟通情况。', gen: 'A carrier link, cloud service or third-party interface failed: contact the supplier and record what was said.' },
  { code: 'operation', zh: '操作失误', en: 'Operator error', gzh: '人为误操作造成：记录操作过程，完善操作规程与复核。', gen: 'Caused by a mistaken operation: record what was done and improve the procedure and its review.' },
  { code: 'environment', zh: '环境因素', en: 'Environmental', gzh: '供电、温湿度、消防等机房环境问题。', gen: 'Power, temperature, humidity or fire safety in the machine room.' },
];

/** The defaults: an ITIL-style 3×3 matrix, SLA targets per priority, 09:00–12:00 and 13:30–18:00 on working days. */
export const DEFAULT_CONFIG: IncidentConfigInput = {
  matrix: [
    ['P1', 'P2', 'P3'],
    ['P2', 'P3', 'P3'],
    ['P3', 'P4', 'P4'],
  ],
  sla: {
    P1: { responseMinutes: 15, resolutionMinutes: 240, mode: '24x7' },
    P2: { responseMinutes: 30, resolutionMinutes: 480, mode: '24x7' },
    P3: { responseMinutes: 120, resolutionMinutes: 1440, mode: 'business' },
    P4: { responseMinutes: 480, resolutionMinutes: 4800, mode: 'business' },
  },
  businessHours: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '18:00' },
  ],
  pauseReasons: [
    { code: 'awaiting_user', nameZh: '等待报障人反馈', nameEn: 'Waiting for the reporter', pausesSla: true },
    { code: 'awaiting_vendor', nameZh: '等待厂商/供应商', nameEn: 'Waiting for the vendor', pausesSla: true },
    { code: 'awaiting_window', nameZh: '等待维护窗口', nameEn: 'Waiting for a maintenance window', pausesSla: true },
    { code: 'awaiting_parts', nameZh: '等待备件', nameEn: 'Waiting for spare parts', pausesSla: true },
    { code: 'other', nameZh: '其他（不暂停计时）', nameEn: 'Other (the clock keeps running)', pausesSla: false },
  ],
  reopenDays: 7,
  warnAt: 0.8,
};
