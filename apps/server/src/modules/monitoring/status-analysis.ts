import type { Locale } from '@yunwei/contracts/i18n';
import type { UtilisationFinding } from '@yunwei/contracts/monitoring';
import type { StatusJudgement, StatusLevel } from '@yunwei/contracts/reports';
import { resourceName } from './utilisation-judgement.js';

/*
 * 运行状态分析 (L3-2.1.2): a judgement per CI and business system from its metrics — the utilisation
 * findings (CPU, memory, file systems against their thresholds: p95, peaks, trend) and the availability
 * of its checks (the `check_up` series) — as 正常 / 关注 / 异常 with the reasons. Pure.
 *   异常: a resource needs expanding (p95 over its threshold, or the trend reaches it within 30 days), or
 *         availability below AVAILABILITY_ABNORMAL;
 *   关注: a resource to watch (a peak over the threshold, p95 near it, the trend reaches it within 90
 *         days), or availability below AVAILABILITY_WATCH;
 *   正常: neither. A business system is judged by its worst CI, naming it.
 */

/** Percent of check runs UP below which a CI is abnormal / to watch. */
export const AVAILABILITY_ABNORMAL = 99;
export const AVAILABILITY_WATCH = 99.9;

const RANK: Record<StatusLevel, number> = { abnormal: 2, watch: 1, normal: 0 };
export const STATUS_NAMES: Record<StatusLevel, Record<Locale, string>> = {
  normal: { 'zh-CN': '正常', en: 'Normal' },
  watch: { 'zh-CN': '关注', en: 'Watch' },
  abnormal: { 'zh-CN': '异常', en: 'Abnormal' },
};

export interface CiMetrics {
  id: string;
  name: string;
  findings: readonly UtilisationFinding[];
  /** Percent of check runs UP in the period; null without checks. */
  availability: number | null;
}

const worse = (a: StatusLevel, b: StatusLevel): StatusLevel => (RANK[a] >= RANK[b] ? a : b);

export function judgeCi(ci: CiMetrics, locale: Locale): StatusJudgement {
  const en = locale === 'en';
  let level: StatusLevel = 'normal';
  const reasons: { level: StatusLevel; text: string }[] = [];
  for (const f of ci.findings) {
    const l: StatusLevel | null = f.verdict === 'expand' ? 'abnormal' : f.verdict === 'watch' ? 'watch' : null;
    if (l) {
      level = worse(level, l);
      reasons.push({ level: l, text: `${resourceName(f.resource, f.mount, locale)}${en ? ': ' : '：'}${f.recommendation}` });
    }
  }
  if (ci.availability !== null) {
    const a = ci.availability.toFixed(2);
    if (ci.availability < AVAILABILITY_ABNORMAL) {
      level = worse(level, 'abnormal');
      reasons.push({ level: 'abnormal', text: en ? `availability ${a}% is below ${AVAILABILITY_ABNORMAL}%` : `可用率 ${a}% 低于 ${AVAILABILITY_ABNORMAL}%` });
    } else if (ci.availability < AVAILABILITY_WATCH) {
      level = worse(level, 'watch');
      reasons.push({ level: 'watch', text: en ? `availability ${a}% is below ${AVAILABILITY_WATCH}%` : `可用率 ${a}% 低于 ${AVAILABILITY_WATCH}%` });
    }
  }
  const measured = ci.findings.some((f) => f.verdict !== 'no_data') || ci.availability !== null;
  const texts = reasons.sort((x, y) => RANK[y.level] - RANK[x.level]).map((r) => r.text);
  if (texts.length === 0) {
    texts.push(measured ? (en ? 'every metric is within its threshold' : '各项指标均在阈值以内') : en ? 'no metrics in the period' : '区间内无指标数据');
  }
  return { id: ci.id, name: ci.name, kind: 'ci', level, reasons: texts };
}

/** A business system: its worst CI's level; the reasons name the CIs that are not normal. */
export function judgeBusinessSystem(bs: { id: string; name: string }, members: readonly StatusJudgement[], locale: Locale): StatusJudgement {
  const en = locale === 'en';
  const level = members.reduce<StatusLevel>((l, m) => worse(l, m.level), 'normal');
  const troubled = members.filter((m) => m.level !== 'normal').sort((a, b) => RANK[b.level] - RANK[a.level]);
  const reasons = troubled.map((m) => `${m.name}【${STATUS_NAMES[m.level][locale]}】${en ? ': ' : '：'}${m.reasons.join(en ? '; ' : '；')}`);
  if (reasons.length === 0) {
    reasons.push(members.length ? (en ? `all ${members.length} configuration items normal` : `全部 ${members.length} 个配置项正常`) : en ? 'no configuration item with metrics' : '没有带指标的配置项');
  }
  return { id: bs.id, name: bs.name, kind: 'businessSystem', level, reasons };
}

/** Abnormal first, then watch, then normal; by name within a level. */
export function byLevel(a: StatusJudgement, b: StatusJudgement): number {
  return RANK[b.level] - RANK[a.level] || a.name.localeCompare(b.name, 'zh-CN');
}
