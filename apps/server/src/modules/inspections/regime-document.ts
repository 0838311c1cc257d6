import type { DocumentBlock, DocumentSection, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';

/*
 * The routine monitoring regime (日常运行状态监控制度, L1-2.1.1) as a document, written from what is
 * configured: the enabled monitoring policies (what is monitored on which CIs, how often, who is
 * responsible, how often the regime is reviewed), the alert rules that apply to those CIs (thresholds),
 * and the alert routing (notification and escalation policies, on-call schedules). Pure: the service
 * gathers `RegimeInput`, this writes it in the reader's language.
 */

export interface RegimeRule {
  name: string;
  /** The condition in words, e.g. "avg(host_cpu_usage_percent) 5 分钟 > 80（警告）". */
  condition: string;
  /** The metric it reads (null: none, e.g. a check rule). */
  metric: string | null;
  /** The check type it watches (check rules). */
  checkType: string | null;
}

export interface RegimePolicy {
  name: string;
  description: string;
  /** In words: 类别「数据库」, or 业务系统「网上营业厅」及其依赖的配置项. */
  scope: string;
  cis: readonly string[];
  responsible: string | null;
  reviewMonths: number;
  metrics: readonly { metric: string; intervalSeconds: number }[];
  checks: readonly { checkType: string; intervalSeconds: number }[];
  inspections: readonly { template: string; everyDays: number }[];
  rules: readonly RegimeRule[];
}

export interface RegimeRouting {
  /** The reader may not see the alert routing or on-call schedules: the section says so. */
  restricted: boolean;
  policies: readonly { name: string; matchers: string; escalation: string | null; repeatSeconds: number }[];
  escalations: readonly { name: string; steps: readonly { afterMinutes: number; targets: readonly string[] }[]; repeat: number }[];
  schedules: readonly { name: string; rotations: readonly { name: string; members: readonly string[]; every: string; handover: string }[]; onCall: readonly string[] }[];
}

export interface RegimeInput {
  policies: readonly RegimePolicy[];
  routing: RegimeRouting;
  author: string;
  generatedAt: string;
}

/** What the built-in host and check metrics measure, so the regime reads as prose, not only metric names. */
const METRIC_MEANINGS: Record<string, Record<Locale, string>> = {
  host_cpu_usage_percent: { 'zh-CN': 'CPU 使用率', en: 'CPU utilisation' },
  host_memory_usage_percent: { 'zh-CN': '内存使用率', en: 'memory utilisation' },
  host_fs_usage_percent: { 'zh-CN': '文件系统使用率', en: 'file system utilisation' },
  host_load1: { 'zh-CN': '1 分钟负载', en: '1-minute load' },
  host_load5: { 'zh-CN': '5 分钟负载', en: '5-minute load' },
  host_net_rx_bytes_per_second: { 'zh-CN': '网络接收速率', en: 'network receive rate' },
  host_net_tx_bytes_per_second: { 'zh-CN': '网络发送速率', en: 'network send rate' },
  host_disk_read_bytes_per_second: { 'zh-CN': '磁盘读速率', en: 'disk read rate' },
  host_disk_write_bytes_per_second: { 'zh-CN': '磁盘写速率', en: 'disk write rate' },
  check_up: { 'zh-CN': '拨测可用性', en: 'check availability' },
  check_latency_seconds: { 'zh-CN': '拨测响应时间', en: 'check response time' },
};

/** 30 → "30 秒", 300 → "5 分钟", 7200 → "2 小时". */
export function durationText(seconds: number, locale: Locale): string {
  const en = locale === 'en';
  if (seconds % 3600 === 0 && seconds >= 3600) {
    const h = seconds / 3600;
    return en ? `${h} hour${h === 1 ? '' : 's'}` : `${h} 小时`;
  }
  if (seconds % 60 === 0 && seconds >= 60) {
    const m = seconds / 60;
    return en ? `${m} minute${m === 1 ? '' : 's'}` : `${m} 分钟`;
  }
  return en ? `${seconds} s` : `${seconds} 秒`;
}

const LIMIT_NAMES = 30;

function names(list: readonly string[], locale: Locale): string {
  const shown = list.slice(0, LIMIT_NAMES).join(locale === 'en' ? ', ' : '、');
  const more = list.length - LIMIT_NAMES;
  return more > 0 ? (locale === 'en' ? `${shown} and ${more} more` : `${shown} 等 ${list.length} 个`) : shown;
}

function policySection(p: RegimePolicy, n: number, locale: Locale): { heading: string; blocks: DocumentBlock[] } {
  const en = locale === 'en';
  const used = new Set<RegimeRule>();
  const rulesFor = (match: (r: RegimeRule) => boolean) => {
    const found = p.rules.filter(match);
    found.forEach((r) => used.add(r));
    return found;
  };
  const none = en ? 'no alert rule (collected only)' : '未设置告警规则（仅采集）';
  const rows: string[][] = [];
  const tones: ('normal' | 'warning')[] = [];
  for (const m of p.metrics) {
    const rules = rulesFor((r) => r.metric === m.metric);
    rows.push([m.metric, METRIC_MEANINGS[m.metric]?.[locale] ?? '', en ? `at most every ${durationText(m.intervalSeconds, locale)}` : `不超过 ${durationText(m.intervalSeconds, locale)}`, rules.map((r) => r.condition).join(en ? '; ' : '；') || none, rules.map((r) => r.name).join(en ? ', ' : '、') || '—']);
    tones.push(rules.length ? 'normal' : 'warning');
  }
  for (const c of p.checks) {
    const rules = rulesFor((r) => r.checkType === c.checkType || (r.checkType === null && r.metric === null));
    rows.push([en ? `check: ${c.checkType}` : `拨测：${c.checkType}`, METRIC_MEANINGS.check_up![locale], en ? `at most every ${durationText(c.intervalSeconds, locale)}` : `不超过 ${durationText(c.intervalSeconds, locale)}`, rules.map((r) => r.condition).join(en ? '; ' : '；') || none, rules.map((r) => r.name).join(en ? ', ' : '、') || '—']);
    tones.push(rules.length ? 'normal' : 'warning');
  }
  const others = p.rules.filter((r) => !used.has(r));
  const blocks: DocumentBlock[] = [
    { kind: 'paragraph', text: en ? `Objects: ${p.scope}, ${p.cis.length} configuration items now (${names(p.cis, locale) || 'none'}).` : `监控对象：${p.scope}，当前共 ${p.cis.length} 个配置项（${names(p.cis, locale) || '无'}）。` },
    ...(p.description ? [{ kind: 'paragraph' as const, text: p.description }] : []),
  ];
  if (rows.length) {
    blocks.push({ kind: 'table', header: en ? ['Item', 'Meaning', 'Collection interval', 'Alert threshold', 'Alert rules'] : ['监控项', '含义', '采集周期', '告警阈值', '告警规则'], rows, tones });
  }
  if (others.length) {
    blocks.push({ kind: 'paragraph', text: en ? 'Further alert rules on these objects:' : '适用于这些对象的其它告警规则：' }, { kind: 'list', items: others.map((r) => (en ? `${r.name}: ${r.condition}` : `${r.name}：${r.condition}`)) });
  }
  if (p.inspections.length) {
    blocks.push({ kind: 'paragraph', text: en ? 'Inspections:' : '定期巡检：' }, { kind: 'list', items: p.inspections.map((i) => (en ? `"${i.template}" every ${i.everyDays} days, signed off by the inspector` : `每 ${i.everyDays} 天执行一次巡检「${i.template}」，巡检人签字确认`)) });
  }
  blocks.push({
    kind: 'paragraph',
    text: p.responsible
      ? en
        ? `Responsible: ${p.responsible} — watches the data above arrive, handles its alerts, and runs the inspections on time.`
        : `责任角色：${p.responsible}，负责确认上述数据按周期上报、处置相关告警并按期完成巡检。`
      : en
        ? 'Responsible: not assigned — assign a role in the policy.'
        : '责任角色：未指定，请在监控策略中指定。',
    ...(p.responsible ? {} : { tone: 'warning' as const }),
  });
  return { heading: `2.${n} ${p.name}`, blocks };
}

function routingSection(r: RegimeRouting, locale: Locale): DocumentSection {
  const en = locale === 'en';
  if (r.restricted) {
    return { heading: en ? '3. Alert handling and on-call duties' : '三、告警处置与值班职责', blocks: [{ kind: 'paragraph', text: en ? 'Not shown: you may not view the notification policies or on-call schedules.' : '未列出：您无权查看通知策略或值班排班。' }] };
  }
  const blocks: DocumentBlock[] = [
    {
      kind: 'paragraph',
      text: en
        ? 'Alerts are grouped and sent by the first matching notification policy below. Whoever is notified acknowledges the alert promptly (acknowledging stops the escalation), handles it by the fault-handling procedure, and checks that it resolved. An alert not acknowledged in time goes to the next escalation step.'
        : '告警按下列通知策略（按顺序，首个匹配者生效）分组通知。收到通知的人员应及时确认告警（确认后停止升级），按故障处理流程处置，处置后确认告警已恢复；未在升级时限内确认的告警按升级策略通知下一级。',
    },
  ];
  if (r.policies.length) {
    blocks.push({
      kind: 'table',
      header: en ? ['#', 'Notification policy', 'Alerts it takes', 'Escalation', 'Reminder while unresolved'] : ['顺序', '通知策略', '匹配的告警', '升级策略', '未恢复时重复提醒'],
      rows: r.policies.map((p, i) => [String(i + 1), p.name, p.matchers || (en ? 'all alerts' : '全部告警'), p.escalation ?? (en ? 'none (recorded only)' : '无（仅记录）'), en ? `every ${durationText(p.repeatSeconds, locale)}` : `每 ${durationText(p.repeatSeconds, locale)}`]),
      tones: r.policies.map((p) => (p.escalation ? 'normal' : 'warning')),
    });
  }
  for (const e of r.escalations) {
    const steps = e.steps.map((s, i) => (en ? `step ${i + 1}, ${s.afterMinutes} min after the first notification: ${s.targets.join(', ')}` : `第 ${i + 1} 级（首次通知后 ${s.afterMinutes} 分钟）：${s.targets.join('、')}`));
    blocks.push({ kind: 'paragraph', text: en ? `Escalation "${e.name}"${e.repeat ? ` (repeated ${e.repeat} times)` : ''}:` : `升级策略「${e.name}」${e.repeat ? `（最后一级后重复 ${e.repeat} 轮）` : ''}：` }, { kind: 'list', items: steps });
  }
  if (r.schedules.length) {
    blocks.push(
      { kind: 'paragraph', text: en ? 'On-call duty: the person on call receives the alerts sent to their schedule, acknowledges and handles them, and hands open alerts over at the hand-over.' : '值班职责：当班人员接收发往本值班表的告警，负责确认和处置，交接班时移交未恢复的告警。' },
      {
        kind: 'list',
        items: r.schedules.map((s) => {
          const rotations = s.rotations.map((o) => (en ? `rotation "${o.name}": ${o.members.join(', ')}, handing over every ${o.every} at ${o.handover}` : `轮值「${o.name}」：${o.members.join('、')}，每${o.every}于 ${o.handover} 交接`));
          const now = s.onCall.length ? s.onCall.join(en ? ', ' : '、') : en ? 'nobody' : '无';
          return en ? `Schedule "${s.name}": ${rotations.join('; ')}; on call now: ${now}` : `值班表「${s.name}」：${rotations.join('；')}；当前值班：${now}`;
        }),
      },
    );
  } else {
    blocks.push({ kind: 'paragraph', text: en ? 'No on-call schedule is set up: alerts reach only the channels and people named above.' : '尚未设置值班表：告警只发送到上述渠道和人员。', tone: 'warning' });
  }
  return { heading: en ? '3. Alert handling and on-call duties' : '三、告警处置与值班职责', blocks };
}

export function regimeDocument(input: RegimeInput, locale: Locale): WrittenDocument {
  const en = locale === 'en';
  const ps = input.policies;
  const cis = ps.reduce((n, p) => n + p.cis.length, 0);
  const reviews = ps.map((p) => (en ? `"${p.name}": every ${p.reviewMonths} months` : `「${p.name}」：每 ${p.reviewMonths} 个月`));
  const shortest = ps.length ? Math.min(...ps.map((p) => p.reviewMonths)) : 12;
  return {
    title: en ? 'Routine monitoring regime' : '日常运行状态监控制度',
    facts: [
      [en ? 'Based on' : '依据', ps.length ? ps.map((p) => (en ? `"${p.name}"` : `「${p.name}」`)).join(en ? ', ' : '、') : en ? 'no enabled monitoring policy' : '无已启用的监控策略'],
      [en ? 'Review cycle' : '复审周期', en ? `every ${shortest} months` : `每 ${shortest} 个月`],
      [en ? 'Prepared by' : '编制人', input.author],
      [en ? 'Generated' : '生成时间', input.generatedAt],
    ],
    sections: [
      {
        heading: en ? '1. Purpose and scope' : '一、总则',
        blocks: [
          {
            kind: 'paragraph',
            text: en
              ? 'To know at all times how the key objects of the business platforms are running, and to find and handle anomalies early, this regime sets what is monitored, how often, against which thresholds, who is alerted and who is responsible. It is written from the monitoring policies, alert rules and alert routing configured in Yunwei; generate it again after they change.'
              : '为及时掌握业务平台关键运维对象的运行状态，尽早发现并处置运行异常，本制度规定监控的对象、内容、周期、告警阈值、告警通知与值班职责。本制度依据运维系统中已配置的监控策略、告警规则和告警通知安排生成，配置变更后应重新生成。',
          },
          { kind: 'paragraph', text: en ? `Scope: ${ps.length} monitoring policies covering ${cis} configuration items.` : `适用范围：${ps.length} 项监控策略，覆盖 ${cis} 个配置项。` },
          ...(ps.length ? [{ kind: 'list' as const, items: ps.map((p) => (en ? `"${p.name}": ${p.scope}, ${p.cis.length} configuration items` : `「${p.name}」：${p.scope}，${p.cis.length} 个配置项`)) }] : []),
        ],
      },
      {
        heading: en ? '2. What is monitored' : '二、监控对象与监控内容',
        blocks: ps.length ? [] : [{ kind: 'paragraph', text: en ? 'No monitoring policy is enabled.' : '当前没有已启用的监控策略。', tone: 'warning' }],
        sections: ps.map((p, i) => policySection(p, i + 1, locale)),
      },
      routingSection(input.routing, locale),
      {
        heading: en ? '4. Review and revision' : '四、复审与修订',
        blocks: [
          { kind: 'paragraph', text: en ? 'Each policy is reviewed on its own cycle:' : '各监控策略按以下周期复审：' },
          { kind: 'list', items: reviews.length ? reviews : [en ? 'every 12 months' : '每 12 个月'] },
          {
            kind: 'paragraph',
            text: en
              ? 'A review checks the monitoring coverage (CIs not reporting what their policy requires), the alerts of the period (false and missed alarms) and the thresholds; after monitored objects, alert rules, notification or on-call arrangements change, the regime is generated and reviewed again.'
              : '复审时对照监控覆盖情况（未按策略上报数据的配置项）、期间告警（误报、漏报）检查阈值与周期是否合适；监控对象、告警规则、通知或值班安排发生变更后，应重新生成并复审本制度。',
          },
        ],
      },
    ],
  };
}
