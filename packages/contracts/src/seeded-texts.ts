import type { LocalizedText } from './i18n.js';

/**
 * Texts Yunwei writes into its own data in Chinese — the built-in inspection templates and their items,
 * the description of a CI an agent creates, the first administrator's display name — with their English. The rows keep the Chinese (a template
 * may be edited afterwards and records are signed as they were made); the UI shows a text that is still
 * exactly one of these in the reader's language (`seededText`). Whatever a person typed instead is shown
 * as typed. Built-in roles and CMDB classes are not here: they cannot be edited, and their names come
 * in both languages from `ROLE_KIND_NAMES` and the class rows.
 */
export const BUILTIN_TEMPLATE_TEXTS = {
  hardware: {
    name: { zh: '硬件平台巡检', en: 'Hardware platform inspection' },
    description: {
      zh: '服务器硬件状态：磁盘 SMART、温度、风扇、电源（数据来自主机代理；设备未提供的部件记为“不支持”）',
      en: 'Server hardware: disk SMART, temperatures, fans, power supplies (from the host agent; a part the machine does not expose is "not supported")',
    },
    items: {
      disk_smart: { zh: '磁盘 SMART 状态', en: 'Disk SMART status' },
      temperature: { zh: '硬件温度', en: 'Hardware temperature' },
      fan: { zh: '风扇状态', en: 'Fans' },
      power: { zh: '电源状态', en: 'Power supplies' },
      indicator_lights: { zh: '设备指示灯与告警灯', en: 'Indicator and warning lights' },
    },
    guidance: {
      indicator_lights: { zh: '现场查看前面板与后面板指示灯，无橙色/红色告警灯', en: 'On site, check the front and rear panel lights: no amber or red warning light' },
    },
  },
  system: {
    name: { zh: '系统运行状态巡检', en: 'System running state inspection' },
    description: {
      zh: '操作系统运行状态：CPU、内存、文件系统使用率、负载、运行时长、代理上报',
      en: 'Operating system state: CPU, memory and file system usage, load, uptime, agent reporting',
    },
    items: {
      cpu: { zh: 'CPU 使用率（10 分钟平均）', en: 'CPU usage (10-minute average)' },
      memory: { zh: '内存使用率', en: 'Memory usage' },
      filesystem: { zh: '文件系统使用率', en: 'File system usage' },
      load: { zh: '系统负载（5 分钟）', en: 'System load (5 minutes)' },
      uptime: { zh: '运行时长（近 1 小时内无重启）', en: 'Uptime (no restart in the last hour)' },
      agent_reporting: { zh: '监控代理正常上报', en: 'Monitoring agent reporting' },
      system_log: { zh: '系统日志检查', en: 'System log review' },
    },
    guidance: {
      system_log: { zh: '查看系统日志（journalctl -p err、/var/log/messages），无未处理的严重错误', en: 'Read the system log (journalctl -p err, /var/log/messages): no unhandled serious error' },
    },
  },
} as const satisfies Record<string, { name: LocalizedText; description: LocalizedText; items: Record<string, LocalizedText>; guidance: Record<string, LocalizedText> }>;

/** The description of a host CI created when an agent enrols. */
export const AGENT_HOST_DESCRIPTION: LocalizedText = { zh: '由主机代理注册时创建', en: 'Created when its host agent enrolled' };

/** The display name of the `admin` account made at the first start. */
export const BOOTSTRAP_ADMIN_NAME: LocalizedText = { zh: '系统管理员', en: 'System administrator' };

const ALL: readonly LocalizedText[] = [
  ...Object.values(BUILTIN_TEMPLATE_TEXTS).flatMap((t) => [t.name, t.description, ...Object.values(t.items), ...Object.values(t.guidance)]),
  AGENT_HOST_DESCRIPTION,
  BOOTSTRAP_ADMIN_NAME,
];
const BY_CHINESE = new Map(ALL.map((text) => [text.zh, text]));

/** A stored text in `language`: the English of a text Yunwei seeded, else the text as it is. */
export function seededText(text: string, language: 'zh-CN' | 'en'): string {
  return language === 'en' ? (BY_CHINESE.get(text)?.en ?? text) : text;
}
