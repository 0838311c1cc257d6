import { ROUTING_DEFAULTS } from '@yunwei/contracts/alert-routing';
import type { LocalizedMessage, NotificationMessage } from '@yunwei/contracts/notify';
import type { DispatchAlert } from './dispatch-alerts.js';
import type { FlushKind } from './group-plan.js';

export type MessageKind = FlushKind | 'escalation';

export interface GroupMessageInput {
  kind: MessageKind;
  groupId: string;
  groupLabels: Readonly<Record<string, string>>;
  firing: readonly DispatchAlert[];
  resolved: readonly DispatchAlert[];
  /** The escalation step that sends it (escalation messages). */
  step?: number;
  at: number;
}

/** Rows listed in a message at most (the rest are counted). */
const MAX_ROWS = 50;
const ALERTS_URL = '/alerts';

type Lang = 'zh-CN' | 'en';

const WORDS = {
  'zh-CN': {
    firing: '告警',
    resolved: '已恢复',
    escalation: '告警升级',
    count: (n: number) => `${n} 条`,
    header: '| 级别 | 告警 | 对象 | 开始时间 | 摘要 |\n|---|---|---|---|---|',
    resolvedHeader: '**已恢复：**',
    more: (n: number) => `……另有 ${n} 条`,
    acked: '已确认',
    severity: { critical: '严重', warning: '警告' },
    step: (n: number) => `（第 ${n + 1} 级通知：仍未确认）`,
    link: '在云维中查看告警',
  },
  en: {
    firing: 'FIRING',
    resolved: 'RESOLVED',
    escalation: 'ESCALATED',
    count: (n: number) => `${n}`,
    header: '| Severity | Alert | Object | Since | Summary |\n|---|---|---|---|---|',
    resolvedHeader: '**Resolved:**',
    more: (n: number) => `… and ${n} more`,
    acked: 'acknowledged',
    severity: { critical: 'critical', warning: 'warning' },
    step: (n: number) => ` (escalation step ${n + 1}: still unacknowledged)`,
    link: 'Open the alerts in Yunwei',
  },
} as const;

function time(at: number | null, lang: Lang): string {
  if (at === null) {
    return '';
  }
  return new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { timeZone: ROUTING_DEFAULTS.timezone, dateStyle: 'short', timeStyle: 'medium', hour12: false }).format(at);
}

/** Table cells must not break the Markdown table. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function summaryOf(a: DispatchAlert, lang: Lang): string {
  const local = lang === 'zh-CN' ? (a.annotations.zh ?? a.annotations.en) : (a.annotations.en ?? a.annotations.zh);
  return local?.summary ?? '';
}

function objectOf(a: DispatchAlert): string {
  return a.labels.instance ?? a.labels.ci_name ?? a.labels.ci ?? '';
}

function one(input: GroupMessageInput, lang: Lang): NotificationMessage {
  const w = WORDS[lang];
  const { firing, resolved, kind } = input;
  const allResolved = kind === 'resolved';
  const word = allResolved ? w.resolved : kind === 'escalation' ? w.escalation : w.firing;
  const names = [...new Set((allResolved ? resolved : firing).map((a) => a.ruleName))];
  const scope = Object.entries(input.groupLabels)
    .filter(([k]) => k !== 'alertname')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  const count = allResolved ? resolved.length : firing.length;
  const title = `[${word} ${w.count(count)}] ${names.slice(0, 3).join(', ')}${names.length > 3 ? ' …' : ''}${scope ? ` (${scope})` : ''}${kind === 'escalation' ? w.step(input.step ?? 0) : ''}`;

  const rows = firing.slice(0, MAX_ROWS).map((a) => {
    const sev = w.severity[a.severity] ?? a.severity;
    const state = a.state === 'acknowledged' ? ` (${w.acked})` : '';
    return `| ${sev} | ${cell(a.ruleName)}${state} | ${cell(objectOf(a))} | ${time(a.firingAt, lang)} | ${cell(summaryOf(a, lang))} |`;
  });
  const lines: string[] = [`**${cell(title)}**`, ''];
  const text: string[] = [title, ''];
  if (firing.length) {
    lines.push(w.header, ...rows);
    if (firing.length > MAX_ROWS) {
      lines.push('', w.more(firing.length - MAX_ROWS));
    }
    text.push(...firing.slice(0, MAX_ROWS).map((a) => `- [${w.severity[a.severity] ?? a.severity}] ${a.ruleName} ${objectOf(a)} ${summaryOf(a, lang)}`.trimEnd()));
  }
  if (resolved.length) {
    lines.push('', w.resolvedHeader, ...resolved.slice(0, MAX_ROWS).map((a) => `- ${cell(a.ruleName)} ${cell(objectOf(a))} ${time(a.resolvedAt, lang)}`.trimEnd()));
    text.push('', w.resolvedHeader.replace(/\*/g, ''), ...resolved.slice(0, MAX_ROWS).map((a) => `- ${a.ruleName} ${objectOf(a)}`.trimEnd()));
  }
  lines.push('', `[${w.link}](${ALERTS_URL})`);
  text.push('', `${w.link}: ${ALERTS_URL}`);
  const critical = firing.some((a) => a.severity === 'critical');
  return {
    title: title.slice(0, 500),
    markdown: lines.join('\n').slice(0, 20_000),
    text: text.join('\n').slice(0, 20_000),
    severity: allResolved ? 'info' : critical ? 'critical' : 'warning',
    status: allResolved ? 'resolved' : 'firing',
    url: ALERTS_URL,
    data: {
      kind,
      groupId: input.groupId,
      groupLabels: input.groupLabels,
      firing: firing.map((a) => ({ id: a.id, alertname: a.ruleName, severity: a.severity, state: a.state, labels: a.labels, value: a.value, threshold: a.threshold, firingAt: a.firingAt })),
      resolved: resolved.map((a) => ({ id: a.id, alertname: a.ruleName, labels: a.labels, resolvedAt: a.resolvedAt })),
    },
  };
}

/** The message about a group, in both languages (Markdown with a table of the alerts and a link to the list). */
export function groupMessage(input: GroupMessageInput): LocalizedMessage {
  return { 'zh-CN': one(input, 'zh-CN'), en: one(input, 'en') };
}
