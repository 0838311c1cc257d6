import type { Locale } from './i18n.js';

/**
 * What a check's probe said, as a machine code with parameters, in both languages of the product.
 * Results store the code and its parameters beside the English text (kept for older rows, searches
 * and logs): the web renders the code in the reader's language, alert messages in each channel's.
 * Placeholders are `{{name}}`; every code has both texts with the same placeholders.
 */
export const CHECK_MESSAGES = {
  // the runner (any type)
  'run.timedOut': { zh: '超时：{{ms}} 毫秒内未完成', en: 'timed out after {{ms}} ms' },
  'run.cancelled': { zh: '已取消：服务器正在停止', en: 'cancelled: the server is stopping' },
  'run.secretsUnreadable': { zh: '无法解密此检查的密钥（主密钥是否已更换？）：{{detail}}', en: "the check's secrets cannot be opened (was the master key changed?): {{detail}}" },
  noAnswer: { zh: '{{ms}} 毫秒内无响应', en: 'no answer within {{ms}} ms' },
  // connection errors (the detail is what the system said, e.g. `connect ECONNREFUSED 10.0.0.5:443`)
  'net.refused': { zh: '连接被拒绝（{{detail}}）', en: 'connection refused ({{detail}})' },
  'net.notFound': { zh: '找不到主机名（{{detail}}）', en: 'host name not found ({{detail}})' },
  'net.timeout': { zh: '连接超时（{{detail}}）', en: 'connection timed out ({{detail}})' },
  'net.unreachable': { zh: '网络或主机不可达（{{detail}}）', en: 'network or host unreachable ({{detail}})' },
  'net.reset': { zh: '连接被对方重置（{{detail}}）', en: 'connection reset by the peer ({{detail}})' },
  // The outbound policy's refusal already reads in both languages.
  'net.denied': { zh: '{{detail}}', en: '{{detail}}' },
  'tls.failed': { zh: 'TLS 证书或握手失败：{{detail}}', en: 'TLS: {{detail}}' },
  error: { zh: '错误：{{detail}}', en: '{{detail}}' },
  // HTTP(S)
  'http.ok': { zh: 'HTTP {{status}}，耗时 {{ms}} 毫秒', en: 'HTTP {{status}} in {{ms}} ms' },
  'http.okTls': { zh: 'HTTP {{status}}，耗时 {{ms}} 毫秒，证书 {{days}} 天后到期', en: 'HTTP {{status}} in {{ms}} ms, certificate expires in {{days}} days' },
  'http.unexpectedStatus': { zh: 'HTTP {{status}}，期望 {{expected}}', en: 'HTTP {{status}}, expected {{expected}}' },
  'http.bodyMissing': { zh: 'HTTP {{status}}，但响应内容不包含“{{pattern}}”', en: 'HTTP {{status}} but the body does not contain "{{pattern}}"' },
  'http.bodyNoMatch': { zh: 'HTTP {{status}}，但响应内容不匹配正则“{{pattern}}”', en: 'HTTP {{status}} but the body does not match "{{pattern}}"' },
  'http.tooManyRedirects': { zh: '重定向超过 {{max}} 次（最后指向 {{location}}）', en: 'more than {{max}} redirects (last to {{location}})' },
  // TCP
  'tcp.connected': { zh: '连接成功，耗时 {{ms}} 毫秒', en: 'connected in {{ms}} ms' },
  'tcp.noConnection': { zh: '{{ms}} 毫秒内未能建立连接', en: 'no connection within {{ms}} ms' },
  // ICMP
  'icmp.replies': { zh: '收到 {{received}}/{{sent}} 个回复，丢包 {{loss}}%，平均 {{avg}} 毫秒', en: '{{received}}/{{sent}} replies, {{loss}}% loss, avg {{avg}} ms' },
  'icmp.noReply': { zh: '无回复（发送 {{sent}} 个，丢包 100%）', en: 'no reply ({{sent}} sent, 100% loss)' },
  'icmp.noReplyWithin': { zh: '{{ms}} 毫秒内无回复', en: 'no reply within {{ms}} ms' },
  'icmp.cannotRun': { zh: '无法运行 ping：{{detail}}', en: 'ping could not run: {{detail}}' },
  'icmp.unreadable': { zh: 'ping 的输出无法识别：{{detail}}', en: '{{detail}}' },
  // DNS
  'dns.answers': { zh: '{{type}} {{name}} 解析为 {{answers}}', en: '{{type}} {{name}} → {{answers}}' },
  'dns.unexpected': { zh: '{{type}} {{name}} 解析为 {{answers}}，期望 {{expected}}', en: '{{type}} {{name}} → {{answers}}; expected {{expected}}' },
  'dns.unexpectedNone': { zh: '{{type}} {{name}} 无解析结果，期望 {{expected}}', en: '{{type}} {{name}} → nothing; expected {{expected}}' },
  'dns.failed': { zh: '{{type}} {{name}} 解析失败：{{detail}}', en: '{{type}} {{name}}: {{detail}}' },
  // SNMP
  'snmp.ok': { zh: '{{sysName}}：已运行 {{uptime}}，{{interfaces}} 个接口', en: '{{sysName}}: up {{uptime}}, {{interfaces}} interfaces' },
  'snmp.noAuthPassword': { zh: 'SNMPv3：未设置认证密码', en: 'SNMPv3: no authentication password is set' },
  'snmp.noPrivPassword': { zh: 'SNMPv3：未设置加密密码', en: 'SNMPv3: no privacy password is set' },
  'snmp.noAnswer': { zh: '{{ms}} 毫秒内无 SNMP 响应（代理未运行，或团体名/凭据错误）', en: 'no SNMP answer within {{ms}} ms (agent down, or wrong community / credentials)' },
  'snmp.uptimeUnreadable': { zh: 'SNMP：无法读取 sysUpTime（{{detail}}）', en: 'SNMP: sysUpTime not readable ({{detail}})' },
  'snmp.failed': { zh: 'SNMP 失败：{{detail}}', en: 'SNMP: {{detail}}' },
  // databases (PostgreSQL, MySQL / MariaDB)
  'db.ok': { zh: '{{connections}} 个连接，{{sizeMiB}} MiB，{{slow}} 个慢查询', en: '{{connections}} connections, {{sizeMiB}} MiB, {{slow}} slow queries' },
  'db.okLag': { zh: '{{connections}} 个连接，{{sizeMiB}} MiB，{{slow}} 个慢查询，复制延迟 {{lag}} 秒', en: '{{connections}} connections, {{sizeMiB}} MiB, {{slow}} slow queries, replication lag {{lag}} s' },
  'db.okNotStandby': { zh: '{{connections}} 个连接，{{sizeMiB}} MiB，{{slow}} 个慢查询，不是备库（无复制延迟）', en: '{{connections}} connections, {{sizeMiB}} MiB, {{slow}} slow queries, not a standby (no replication lag)' },
  'db.okNotReplica': { zh: '{{connections}} 个连接，{{sizeMiB}} MiB，{{slow}} 个慢查询，不是从库（无复制延迟）', en: '{{connections}} connections, {{sizeMiB}} MiB, {{slow}} slow queries, not a replica (no replication lag)' },
  'db.okStandbyIdle': { zh: '{{connections}} 个连接，{{sizeMiB}} MiB，{{slow}} 个慢查询，备库尚未回放任何数据', en: '{{connections}} connections, {{sizeMiB}} MiB, {{slow}} slow queries, standby has replayed nothing yet' },
  'db.okReplicationStopped': { zh: '{{connections}} 个连接，{{sizeMiB}} MiB，{{slow}} 个慢查询，复制已停止（无延迟数据）', en: '{{connections}} connections, {{sizeMiB}} MiB, {{slow}} slow queries, replication stopped (no lag reported)' },
  'db.failed': { zh: '{{engine}} 连接或查询失败：{{detail}}', en: '{{engine}}: {{detail}}' },
} as const satisfies Record<string, { zh: string; en: string }>;

export type CheckMessageCode = keyof typeof CHECK_MESSAGES;
export type CheckMessageParams = Record<string, string | number>;

export function isCheckMessageCode(code: string): code is CheckMessageCode {
  return Object.hasOwn(CHECK_MESSAGES, code);
}

/** The message in `locale`, or null for a code this version does not know (show the stored text then). */
export function formatCheckMessage(code: string, params: Readonly<CheckMessageParams> | null | undefined, locale: Locale): string | null {
  if (!isCheckMessageCode(code)) {
    return null;
  }
  const template = locale === 'en' ? CHECK_MESSAGES[code].en : CHECK_MESSAGES[code].zh;
  return template.replace(/\{\{(\w+)\}\}/g, (_all, name: string) => {
    const value = params?.[name];
    return value === undefined ? '' : String(value);
  });
}

/** What a result or a check's state says, in `locale`: its code rendered, else the stored (English) text of older rows. */
export function checkMessageIn(result: { message: string | null; messageCode?: string | null; messageParams?: Readonly<CheckMessageParams> | null }, locale: Locale): string | null {
  return (result.messageCode ? formatCheckMessage(result.messageCode, result.messageParams, locale) : null) ?? result.message;
}
