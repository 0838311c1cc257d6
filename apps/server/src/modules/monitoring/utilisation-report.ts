import type { DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import type { UtilisationFinding, UtilisationVerdict } from '@yunwei/contracts/monitoring';
import { EXPAND_WITHIN_DAYS, figures, NEAR_SHARE, pct, resourceName, WATCH_WITHIN_DAYS } from './utilisation-judgement.js';

/*
 * The written utilisation analysis (L3-2.1.2) as a document: an overall conclusion, a table of every
 * resource judged, the recommendations, and how the figures were computed. Pure: findings in,
 * document out, in the reader's language.
 */

export const VERDICT_NAMES: Record<UtilisationVerdict, Record<Locale, string>> = {
  expand: { 'zh-CN': '需扩容', en: 'Expand' },
  watch: { 'zh-CN': '关注', en: 'Watch' },
  normal: { 'zh-CN': '正常', en: 'Normal' },
  no_data: { 'zh-CN': '无数据', en: 'No data' },
};
const TONES: Record<UtilisationVerdict, DocumentTone> = { expand: 'danger', watch: 'warning', normal: 'good', no_data: 'normal' };
const RANK: Record<UtilisationVerdict, number> = { expand: 0, watch: 1, no_data: 2, normal: 3 };

/** Most urgent first, then by CI name and resource. */
export function byUrgency(a: UtilisationFinding, b: UtilisationFinding): number {
  return RANK[a.verdict] - RANK[b.verdict] || a.ciName.localeCompare(b.ciName, 'zh-CN') || a.resource.localeCompare(b.resource) || (a.mount ?? '').localeCompare(b.mount ?? '');
}

export interface ReportFacts {
  period: string;
  generatedAt: string;
  author: string;
  thresholds: { cpu: number; memory: number; fs: number };
}

const num = (v: number | null, f: (v: number) => string = pct) => (v === null ? '—' : f(v));

function counts(findings: readonly UtilisationFinding[]): Record<UtilisationVerdict, number> {
  const out = { expand: 0, watch: 0, normal: 0, no_data: 0 };
  findings.forEach((f) => out[f.verdict]++);
  return out;
}

/** "web-01 的 CPU 使用率：P95 …；<recommendation>" — one finding as a sentence. */
export function findingSentence(f: UtilisationFinding, locale: Locale): string {
  const what = resourceName(f.resource, f.mount, locale);
  const fig = figures(f, locale);
  return locale === 'en' ? `${f.ciName}, ${what}: ${fig ? `${fig}. ` : ''}${f.recommendation}` : `${f.ciName} 的${what}：${fig ? `${fig}。` : ''}${f.recommendation}`;
}

function conclusion(findings: readonly UtilisationFinding[], locale: Locale): string {
  const c = counts(findings);
  const cis = new Set(findings.map((f) => f.ciId)).size;
  if (locale === 'en') {
    const overall =
      c.expand > 0 ? 'Judgement: capacity is at risk; the resources below need expanding.' : c.watch > 0 ? 'Judgement: the system runs normally, but the resources below need watching.' : 'Judgement: the system runs normally with headroom on every resource.';
    return `${findings.length} resources of ${cis} configuration items analysed: ${c.expand} to expand, ${c.watch} to watch, ${c.normal} normal${c.no_data ? `, ${c.no_data} without data` : ''}. ${overall}`;
  }
  const overall = c.expand > 0 ? '判断：系统存在容量风险，以下资源需扩容。' : c.watch > 0 ? '判断：系统整体运行正常，但以下资源需关注。' : '判断：系统运行状态正常，各项资源均有充足余量。';
  return `共分析 ${cis} 个配置项的 ${findings.length} 项资源：需扩容 ${c.expand} 项，需关注 ${c.watch} 项，正常 ${c.normal} 项${c.no_data ? `，无数据 ${c.no_data} 项` : ''}。${overall}`;
}

export function utilisationDocument(findings: readonly UtilisationFinding[], facts: ReportFacts, locale: Locale): WrittenDocument {
  const en = locale === 'en';
  const t = facts.thresholds;
  const urgent = findings.filter((f) => f.verdict === 'expand' || f.verdict === 'watch');
  const normal = findings.filter((f) => f.verdict === 'normal').length;
  const days = (f: UtilisationFinding) => (f.daysToThreshold === null ? '—' : f.daysToThreshold === 0 ? (en ? 'over' : '已超过') : f.daysToThreshold.toFixed(1));
  const trend = (v: number) => `${v >= 0 ? '+' : ''}${v.toFixed(2)}`;
  const table = {
    kind: 'table' as const,
    header: en ? ['Configuration item', 'Resource', 'Average', 'P95', 'Peak', 'Trend (points/day)', 'Days to threshold', 'Conclusion'] : ['配置项', '资源', '平均值', 'P95', '峰值', '趋势（百分点/天）', '距阈值（天）', '结论'],
    rows: findings.map((f) => [f.ciName, resourceName(f.resource, f.mount, locale), num(f.avg), num(f.p95), num(f.max), num(f.trendPerDay, trend), days(f), VERDICT_NAMES[f.verdict][locale]]),
    tones: findings.map((f) => TONES[f.verdict]),
  };
  const advice = [
    ...urgent.map((f) => `【${VERDICT_NAMES[f.verdict][locale]}】${findingSentence(f, locale)}`),
    ...(normal ? [en ? `The other ${normal} resources run normally: keep the routine monitoring.` : `其余 ${normal} 项资源运行正常：保持日常监控。`] : []),
  ];
  const method = en
    ? [
        'P95 is the 95th percentile of the sample values in the period (of the 5-minute or hourly averages for longer periods); peak is the highest sample; the trend is the least-squares slope of the same values, in percentage points per day.',
        `Days to threshold extend the trend line from the end of the period. Expand: the P95 is over the threshold, or the trend reaches it within ${EXPAND_WITHIN_DAYS} days. Watch: a peak went over it, the P95 is above ${NEAR_SHARE * 100}% of it, or the trend reaches it within ${WATCH_WITHIN_DAYS} days. Normal: none of these.`,
      ]
    : [
        'P95 为区间内采样值（较长区间为 5 分钟或 1 小时平均值）的第 95 百分位；峰值为最高采样值；趋势为同一组数值的最小二乘直线斜率，单位为百分点/天。',
        `距阈值天数按趋势线从区间末尾外推。需扩容：P95 已超过阈值，或趋势在 ${EXPAND_WITHIN_DAYS} 天内达到阈值；关注：峰值曾超过阈值、P95 高于阈值的 ${NEAR_SHARE * 100}%，或趋势在 ${WATCH_WITHIN_DAYS} 天内达到阈值；正常：以上均不满足。`,
      ];
  return {
    title: en ? 'Resource utilisation analysis report' : '资源使用率分析报告',
    facts: [
      [en ? 'Period' : '分析区间', facts.period],
      [en ? 'Thresholds' : '阈值', en ? `CPU ${pct(t.cpu)}, memory ${pct(t.memory)}, file systems ${pct(t.fs)}` : `CPU ${pct(t.cpu)}，内存 ${pct(t.memory)}，文件系统 ${pct(t.fs)}`],
      [en ? 'Prepared by' : '编制人', facts.author],
      [en ? 'Generated' : '生成时间', facts.generatedAt],
    ],
    sections: [
      { heading: en ? '1. Conclusion' : '一、总体结论', blocks: [{ kind: 'paragraph', text: conclusion(findings, locale), tone: TONES[findings[0]?.verdict ?? 'normal'] }] },
      { heading: en ? '2. Analysis by resource' : '二、分项分析', blocks: findings.length ? [table] : [{ kind: 'paragraph', text: en ? 'No host reported CPU, memory or file system utilisation in the period.' : '区间内没有主机上报 CPU、内存或文件系统使用率。' }] },
      { heading: en ? '3. Recommendations' : '三、处理建议', blocks: advice.length ? [{ kind: 'list', items: advice }] : [] },
      { heading: en ? '4. Method' : '四、分析方法', blocks: method.map((text) => ({ kind: 'paragraph' as const, text })) },
    ],
  };
}
