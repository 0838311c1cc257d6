import type { LocalizedMessage, NotificationMessage } from '@yunwei/contracts/notify';
import { formatMessageTime, linkTo, PRODUCT_NAME } from '../../platform/notify/message-format.js';
import { NAMED_ID_LABELS, objectName } from './alert-names.js';
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
  /** `YUNWEI_PUBLIC_URL`: links are absolute under it (unset: relative, which the UI warns about). */
  publicUrl?: string;
  /** `YUNWEI_TIME_ZONE`: every time in the message is written in it, with its offset. */
  timeZone?: string;
}

/** Rows listed in a message at most (the rest are counted). */
const MAX_ROWS = 50;
/** An id in a label value: never printed where people read. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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
    business: '业务系统',
    since: (t: string) => `（开始于 ${t}）`,
    at: (t: string) => `恢复于 ${t}`,
    linkOne: `在${PRODUCT_NAME['zh-CN']}中查看此告警`,
    linkMany: `在${PRODUCT_NAME['zh-CN']}中查看告警`,
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
    business: 'business system',
    since: (t: string) => ` (since ${t})`,
    at: (t: string) => `resolved at ${t}`,
    linkOne: `Open this alert in ${PRODUCT_NAME.en}`,
    linkMany: `Open the alerts in ${PRODUCT_NAME.en}`,
  },
} as const;

/** The rule's name in the message's language (rules written by hand have one name for both). */
const ruleNameOf = (a: DispatchAlert, lang: Lang) => (lang === 'en' ? (a.ruleNameEn ?? a.ruleName) : a.ruleName);

/** Table cells must not break the Markdown table. */
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();

function summaryOf(a: DispatchAlert, lang: Lang): string {
  const local = lang === 'zh-CN' ? (a.annotations.zh ?? a.annotations.en) : (a.annotations.en ?? a.annotations.zh);
  return local?.summary ?? '';
}

/** What the alert is about, by name: the CI or instance, the check, and the business system of its rule. */
function objectOf(a: DispatchAlert, lang: Lang): string {
  const business = a.labels.business_name ? `${WORDS[lang].business} ${a.labels.business_name}` : '';
  return [objectName(a.labels), business].filter(Boolean).join(' · ');
}

/** One alert in a line of plain text: its summary, preceded by the rule and object names it does not already say. */
function plainLine(a: DispatchAlert, lang: Lang): string {
  const summary = summaryOf(a, lang);
  const named = objectName(a.labels);
  const said = named !== '' && summary.includes(named) && !a.labels.business_name;
  const rule = ruleNameOf(a, lang);
  const parts = [summary.includes(rule) ? '' : rule, said ? '' : objectOf(a, lang), summary];
  return parts.filter(Boolean).join(' ');
}

/**
 * The group's labels as people read them: an id label (`ci`, `check`, `rule`) by the name its
 * alerts carry, dropped when none does; any other value that is an id is dropped too.
 */
export function readableGroupLabels(groupLabels: Readonly<Record<string, string>>, alerts: readonly DispatchAlert[]): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(groupLabels)) {
    if (key === 'alertname') {
      continue;
    }
    const nameLabel = NAMED_ID_LABELS[key];
    if (nameLabel) {
      const named = alerts.find((a) => a.labels[key] === value && a.labels[nameLabel]);
      if (named) {
        out.push(named.labels[nameLabel]!);
      }
    } else if (!UUID.test(value)) {
      out.push(`${key}=${value}`);
    }
  }
  return out;
}

/** One alert's own page: it opens as a full page on a phone as on a desktop (the web's `alert.page.tsx`). */
const alertPath = (id: string) => `/alerts/${encodeURIComponent(id)}`;

/** The link a message carries: to its one alert, or to the alert list. */
function alertsPath(input: GroupMessageInput): string {
  const ids = [...new Set([...input.firing, ...input.resolved].map((a) => a.id))];
  if (ids.length === 1) {
    return alertPath(ids[0]!);
  }
  return input.kind === 'resolved' ? '/alerts?tab=history' : '/alerts';
}

function one(input: GroupMessageInput, lang: Lang): NotificationMessage {
  const w = WORDS[lang];
  const { firing, resolved, kind } = input;
  const time = (at: number | null) => (at === null ? '' : formatMessageTime(at, input.timeZone));
  const allResolved = kind === 'resolved';
  const word = allResolved ? w.resolved : kind === 'escalation' ? w.escalation : w.firing;
  const names = [...new Set((allResolved ? resolved : firing).map((a) => ruleNameOf(a, lang)))];
  const scope = readableGroupLabels(input.groupLabels, [...firing, ...resolved]).join(', ');
  const count = allResolved ? resolved.length : firing.length;
  const title = `[${word} ${w.count(count)}] ${names.slice(0, 3).join(', ')}${names.length > 3 ? ' …' : ''}${scope ? ` (${scope})` : ''}${kind === 'escalation' ? w.step(input.step ?? 0) : ''}`;
  const url = linkTo(input.publicUrl, alertsPath(input));
  const alertUrl = (a: DispatchAlert) => linkTo(input.publicUrl, alertPath(a.id));
  const single = firing.length + resolved.length === 1;

  const rows = firing.slice(0, MAX_ROWS).map((a) => {
    const sev = w.severity[a.severity] ?? a.severity;
    const state = a.state === 'acknowledged' ? ` (${w.acked})` : '';
    return `| ${sev} | [${cell(ruleNameOf(a, lang))}](${alertUrl(a)})${state} | ${cell(objectOf(a, lang))} | ${time(a.firingAt)} | ${cell(summaryOf(a, lang))} |`;
  });
  const lines: string[] = [`**${cell(title)}**`, ''];
  const text: string[] = [title, ''];
  if (firing.length) {
    lines.push(w.header, ...rows);
    if (firing.length > MAX_ROWS) {
      lines.push('', w.more(firing.length - MAX_ROWS));
    }
    const since = (a: DispatchAlert) => (a.firingAt === null ? '' : w.since(time(a.firingAt)));
    text.push(...firing.slice(0, MAX_ROWS).map((a) => `- [${w.severity[a.severity] ?? a.severity}] ${plainLine(a, lang)}${since(a)}`));
  }
  if (resolved.length) {
    const line = (a: DispatchAlert) => `- ${ruleNameOf(a, lang)} ${objectOf(a, lang)} ${a.resolvedAt === null ? '' : w.at(time(a.resolvedAt))}`.replace(/ +/g, ' ').trimEnd();
    lines.push('', w.resolvedHeader, ...resolved.slice(0, MAX_ROWS).map(line));
    text.push('', w.resolvedHeader.replace(/\*/g, ''), ...resolved.slice(0, MAX_ROWS).map(line));
  }
  const link = single ? w.linkOne : w.linkMany;
  lines.push('', `[${link}](${url})`);
  text.push('', `${link}: ${url}`);
  const critical = firing.some((a) => a.severity === 'critical');
  return {
    title: title.slice(0, 500),
    markdown: lines.join('\n').slice(0, 20_000),
    text: text.join('\n').slice(0, 20_000),
    severity: allResolved ? 'info' : critical ? 'critical' : 'warning',
    status: allResolved ? 'resolved' : 'firing',
    url,
    // Machine-readable: ids stay here (with the names in the labels) for receivers that link or match.
    data: {
      kind,
      groupId: input.groupId,
      groupLabels: input.groupLabels,
      firing: firing.map((a) => ({ id: a.id, alertname: a.ruleName, severity: a.severity, state: a.state, labels: a.labels, value: a.value, threshold: a.threshold, firingAt: a.firingAt, url: alertUrl(a) })),
      resolved: resolved.map((a) => ({ id: a.id, alertname: a.ruleName, labels: a.labels, resolvedAt: a.resolvedAt, url: alertUrl(a) })),
    },
  };
}

/** The message about a group, in both languages (Markdown with a table of the alerts and a link to the list). */
export function groupMessage(input: GroupMessageInput): LocalizedMessage {
  return { 'zh-CN': one(input, 'zh-CN'), en: one(input, 'en') };
}
