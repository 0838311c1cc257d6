import type { ReportResource, UtilisationVerdict } from '@yunwei/contracts/monitoring';
import type { Locale } from '@yunwei/contracts/i18n';
import type { UtilisationStats } from './utilisation.js';

/*
 * The judgement of the utilisation analysis (L3-2.1.2): from a resource's p95, peak and trend against
 * its threshold, whether it needs expanding (需扩容), watching (关注) or nothing (正常), and the sentence
 * that says why and what to do. Pure: the report service feeds it the stored analysis.
 */

const DAY_MS = 86_400_000;
/** A trend reaching the threshold within this many days needs expanding now (lead time of a purchase or a migration). */
export const EXPAND_WITHIN_DAYS = 30;
/** … within this many days goes into the capacity plan. */
export const WATCH_WITHIN_DAYS = 90;
/** A p95 above this share of the threshold is close to it. */
export const NEAR_SHARE = 0.8;

export type Reason = 'over' | 'soon' | 'peak' | 'near' | 'trend' | 'fine' | 'no_data';

export interface Judgement {
  verdict: UtilisationVerdict;
  reason: Reason;
  /** 0 when the p95 is over the threshold; null when the trend does not reach it. */
  daysToThreshold: number | null;
}

export function judge(stats: Pick<UtilisationStats, 'p95' | 'max' | 'thresholdEta'>, threshold: number, end: number): Judgement {
  if (stats.p95 === null || stats.max === null) {
    return { verdict: 'no_data', reason: 'no_data', daysToThreshold: null };
  }
  if (stats.p95 >= threshold) {
    return { verdict: 'expand', reason: 'over', daysToThreshold: 0 };
  }
  const days = stats.thresholdEta === null ? null : Math.max(0, (stats.thresholdEta - end) / DAY_MS);
  if (days !== null && days <= EXPAND_WITHIN_DAYS) {
    return { verdict: 'expand', reason: 'soon', daysToThreshold: days };
  }
  if (stats.max >= threshold) {
    return { verdict: 'watch', reason: 'peak', daysToThreshold: days };
  }
  if (stats.p95 >= threshold * NEAR_SHARE) {
    return { verdict: 'watch', reason: 'near', daysToThreshold: days };
  }
  if (days !== null && days <= WATCH_WITHIN_DAYS) {
    return { verdict: 'watch', reason: 'trend', daysToThreshold: days };
  }
  return { verdict: 'normal', reason: 'fine', daysToThreshold: days };
}

/** A percentage as the report prints it: one decimal. */
export const pct = (v: number): string => `${v.toFixed(1)}%`;
/** Percentage points, one decimal (a difference of percentages). */
const points = (v: number): string => v.toFixed(1);

export function daysText(days: number, locale: Locale): string {
  if (days < 1) {
    return locale === 'en' ? 'in less than a day' : '不到 1 天后';
  }
  const n = Math.round(days);
  return locale === 'en' ? `in about ${n} day${n === 1 ? '' : 's'}` : `约 ${n} 天后`;
}

const RESOURCE_NAMES: Record<ReportResource, Record<Locale, string>> = {
  cpu: { 'zh-CN': 'CPU 使用率', en: 'CPU utilisation' },
  memory: { 'zh-CN': '内存使用率', en: 'memory utilisation' },
  fs: { 'zh-CN': '文件系统使用率', en: 'file system utilisation' },
};

export function resourceName(resource: ReportResource, mount: string | null, locale: Locale): string {
  if (resource === 'fs' && mount) {
    return locale === 'en' ? `file system ${mount} utilisation` : `文件系统 ${mount} 使用率`;
  }
  return RESOURCE_NAMES[resource][locale];
}

/** What expanding the resource means in practice. */
function action(resource: ReportResource, mount: string | null, locale: Locale): string {
  const where = mount ?? '/';
  const zh: Record<ReportResource, string> = {
    cpu: '增加 CPU 核数，或将部分负载迁移到其它主机',
    memory: '增加内存，或排查并限制内存占用高的进程',
    fs: `扩充 ${where} 所在磁盘的容量，或清理、归档历史数据`,
  };
  const en: Record<ReportResource, string> = {
    cpu: 'add CPU cores or move part of the load to other hosts',
    memory: 'add memory, or find and limit the processes using the most',
    fs: `grow the disk under ${where}, or clean up and archive old data`,
  };
  return (locale === 'en' ? en : zh)[resource];
}

export interface Measured {
  resource: ReportResource;
  mount: string | null;
  threshold: number;
  p95: number | null;
  max: number | null;
  trendPerDay: number | null;
}

/** The figures in one clause: "P95 85.0%, peak 97.0%, rising 1.2 points a day". */
export function figures(m: Measured, locale: Locale): string {
  if (m.p95 === null || m.max === null) {
    return '';
  }
  const trend = m.trendPerDay;
  if (locale === 'en') {
    const t = trend === null ? 'no trend' : trend >= 0 ? `rising ${points(trend)} points a day` : `falling ${points(-trend)} points a day`;
    return `P95 ${pct(m.p95)}, peak ${pct(m.max)}, ${t}`;
  }
  const t = trend === null ? '无明显趋势' : trend >= 0 ? `每天上升 ${points(trend)} 个百分点` : `每天下降 ${points(-trend)} 个百分点`;
  return `P95 ${pct(m.p95)}，峰值 ${pct(m.max)}，${t}`;
}

/** The judgement as a recommendation: why (against the threshold) and what to do. */
export function recommendation(m: Measured, j: Judgement, locale: Locale): string {
  const thr = pct(m.threshold);
  const headroom = m.p95 === null ? '' : points(m.threshold - m.p95);
  const soon = j.daysToThreshold === null ? '' : daysText(j.daysToThreshold, locale);
  const act = action(m.resource, m.mount, locale);
  if (locale === 'en') {
    switch (j.reason) {
      case 'over':
        return `The P95 is over the ${thr} threshold: expand now — ${act}.`;
      case 'soon':
        return `At the current trend it reaches the ${thr} threshold ${soon}: expand before then — ${act}.`;
      case 'peak':
        return `Peaks went over the ${thr} threshold while the P95 keeps ${headroom} points of headroom: watch it, find the jobs behind the peaks and spread them out.`;
      case 'near':
        return `The P95 is close to the ${thr} threshold (${headroom} points left): watch it and prepare an expansion plan.`;
      case 'trend':
        return `At the current trend it reaches the ${thr} threshold ${soon}: watch it and put it in the capacity plan.`;
      case 'fine':
        return `The P95 stays under the ${thr} threshold with ${headroom} points of headroom: running normally, nothing to do.`;
      case 'no_data':
        return 'No data in the period: check that collection works.';
    }
  }
  switch (j.reason) {
    case 'over':
      return `P95 已超过阈值 ${thr}，需扩容：${act}。`;
    case 'soon':
      return `按当前趋势${soon}达到阈值 ${thr}，需扩容：请在此之前${act}。`;
    case 'peak':
      return `峰值曾超过阈值 ${thr}，P95 仍有 ${headroom} 个百分点余量，需关注：排查峰值时段运行的任务，必要时错峰执行。`;
    case 'near':
      return `P95 已接近阈值 ${thr}（余量 ${headroom} 个百分点），需关注：持续观察，提前准备扩容方案。`;
    case 'trend':
      return `按当前趋势${soon}达到阈值 ${thr}，需关注：纳入容量计划。`;
    case 'fine':
      return `P95 低于阈值 ${thr}，余量 ${headroom} 个百分点，运行正常，无需处理。`;
    case 'no_data':
      return '所选区间内没有数据，无法判断：请检查采集是否正常。';
  }
}
