import type { Locale } from '@yunwei/contracts/i18n';
import type { StatusJudgement } from '@yunwei/contracts/reports';
import type { AlertsSummary } from '../alerting/report-providers.js';
import type { ChecksDowntime } from '../checks/report-providers.js';
import type { InspectionFindings } from '../inspections/report-providers.js';
import type { Availability, CapacityForecast } from '../monitoring/report-providers.js';
import { AVAILABILITY_ABNORMAL, AVAILABILITY_WATCH } from '../monitoring/status-analysis.js';
import { resourceName } from '../monitoring/utilisation-judgement.js';
import { fixed1, percent1, percent2 } from './report-format.js';

/*
 * The first draft of 结论与建议, written from the numbers against fixed thresholds (the author edits
 * it): availability target 99.9 % (below 99 % is abnormal), MTTA at most 15 minutes, MTTR at most 60
 * minutes, any critical alert, alerts open at the period's end, check down-time, abnormal inspection
 * findings (or no inspection at all), objects judged 异常 / 关注, and the alert count against the previous
 * period of the same length (a rise or fall of 20 % or more is a trend worth naming). Pure.
 */

export const TARGETS = { availability: AVAILABILITY_WATCH, availabilityAbnormal: AVAILABILITY_ABNORMAL, mttaMinutes: 15, mttrMinutes: 60, alertTrendShare: 0.2, expandWithinDays: 30, watchWithinDays: 90 } as const;

export interface RunningStatusNumbers {
  alerts: AlertsSummary | null;
  previousAlerts: number | null;
  checks: ChecksDowntime | null;
  availability: Availability | null;
  inspections: InspectionFindings | null;
  status: StatusJudgement[] | null;
  /** Titles of the sections that could not be computed. */
  missing: string[];
}

export function runningStatusConclusions(n: RunningStatusNumbers, locale: Locale): string[] {
  const en = locale === 'en';
  const out: string[] = [];
  const sep = en ? ', ' : '、';
  if (n.status) {
    const abnormal = n.status.filter((s) => s.level === 'abnormal');
    const watch = n.status.filter((s) => s.level === 'watch');
    if (abnormal.length) {
      out.push(en ? `${abnormal.length} objects are abnormal (${abnormal.map((s) => s.name).join(sep)}): deal with the reasons given in the running status analysis first.` : `${abnormal.length} 个对象运行状态异常（${abnormal.map((s) => s.name).join(sep)}）：请优先按运行状态分析中的原因处理。`);
    }
    if (watch.length) {
      out.push(en ? `${watch.length} objects need watching (${watch.map((s) => s.name).join(sep)}).` : `${watch.length} 个对象需关注（${watch.map((s) => s.name).join(sep)}）。`);
    }
  }
  if (n.availability) {
    const low = n.availability.cis.filter((c) => c.availability < TARGETS.availability);
    if (low.length) {
      out.push(
        en
          ? `Availability below the ${TARGETS.availability}% target: ${low.map((c) => `${c.name} ${percent2(c.availability)}`).join(sep)}; find the causes of the failures and remove single points of failure.`
          : `可用率低于目标 ${TARGETS.availability}%：${low.map((c) => `${c.name} ${percent2(c.availability)}`).join(sep)}；请分析故障原因，消除单点故障。`,
      );
    }
  }
  if (n.alerts) {
    const a = n.alerts;
    const critical = a.bySeverity.find((s) => s.severity === 'critical')?.count ?? 0;
    if (critical > 0) {
      out.push(en ? `${critical} critical alerts fired: review each one's cause and whether its handling was timely.` : `发生严重告警 ${critical} 条：请逐条复盘原因及处置是否及时。`);
    }
    if (a.mttaMinutes !== null && a.mttaMinutes > TARGETS.mttaMinutes) {
      out.push(en ? `MTTA ${fixed1(a.mttaMinutes)} min exceeds the ${TARGETS.mttaMinutes} min target: check the on-call rota and the notification routes.` : `平均确认时间 ${fixed1(a.mttaMinutes)} 分钟，超过 ${TARGETS.mttaMinutes} 分钟的目标：请检查值班安排与通知路由。`);
    }
    if (a.mttrMinutes !== null && a.mttrMinutes > TARGETS.mttrMinutes) {
      out.push(en ? `MTTR ${fixed1(a.mttrMinutes)} min exceeds the ${TARGETS.mttrMinutes} min target: write runbooks for the most frequent rules.` : `平均恢复时间 ${fixed1(a.mttrMinutes)} 分钟，超过 ${TARGETS.mttrMinutes} 分钟的目标：请为高频告警规则编写处置手册。`);
    }
    if (a.open > 0) {
      out.push(en ? `${a.open} alerts were still open at the end of the period: follow them up.` : `期末仍有 ${a.open} 条告警未恢复：请跟踪处理。`);
    }
    if (n.previousAlerts !== null && n.previousAlerts > 0) {
      const change = (a.count - n.previousAlerts) / n.previousAlerts;
      if (Math.abs(change) >= TARGETS.alertTrendShare) {
        const p = percent1(Math.abs(change) * 100);
        out.push(
          change > 0
            ? en
              ? `Alerts rose by ${p} against the previous period (${n.previousAlerts} → ${a.count}): look for the rules behind the rise.`
              : `告警数较上一周期上升 ${p}（${n.previousAlerts} → ${a.count}）：请排查增长来源的规则。`
            : en
              ? `Alerts fell by ${p} against the previous period (${n.previousAlerts} → ${a.count}).`
              : `告警数较上一周期下降 ${p}（${n.previousAlerts} → ${a.count}）。`,
        );
      }
    }
  }
  if (n.checks && n.checks.downtimeMinutes > 0) {
    const worst = n.checks.checks.filter((c) => c.downtimeMinutes > 0).slice(0, 3);
    out.push(
      en
        ? `Checks were down ${fixed1(n.checks.downtimeMinutes)} min in total, most ${worst.map((c) => `${c.name} (${fixed1(c.downtimeMinutes)} min)`).join(sep)}.`
        : `拨测累计停机 ${fixed1(n.checks.downtimeMinutes)} 分钟，较长的有：${worst.map((c) => `${c.name}（${fixed1(c.downtimeMinutes)} 分钟）`).join(sep)}。`,
    );
  }
  if (n.inspections) {
    if (n.inspections.records === 0) {
      out.push(en ? 'No inspection was run in the period: run the inspections the monitoring regime requires.' : '报告期内未执行巡检：请按监控制度要求执行巡检。');
    } else if (n.inspections.abnormal > 0) {
      out.push(en ? `${n.inspections.abnormal} abnormal inspection findings: fix each one and record the result.` : `巡检发现异常 ${n.inspections.abnormal} 项：请逐项整改并记录结果。`);
    }
  }
  if (n.missing.length) {
    out.push(en ? `Missing from this report: ${n.missing.join(sep)} (see those sections); the conclusions above do not cover them.` : `本报告缺少以下部分：${n.missing.join(sep)}（见相应章节），以上结论未涵盖这些内容。`);
  }
  if (out.length === 0) {
    out.push(en ? 'The system ran steadily in the period: every figure met its target. Keep the routine monitoring and inspections.' : '报告期内系统运行平稳，各项指标均达到目标：保持日常监控与巡检。');
  }
  return out;
}

/** Ranked recommendations of the performance report: most urgent first (days to threshold, then headroom). */
export function performanceRecommendations(c: CapacityForecast | null, missing: string[], locale: Locale): string[] {
  const en = locale === 'en';
  const out: string[] = [];
  for (const r of c?.rows ?? []) {
    const what = `${r.ciName} ${resourceName(r.resource, r.mount, locale)}`;
    if (r.p95 >= r.threshold) {
      out.push(en ? `${what}: P95 ${percent1(r.p95)} is over the ${percent1(r.threshold)} threshold — expand now.` : `${what}：P95 ${percent1(r.p95)} 已超过阈值 ${percent1(r.threshold)}，请立即扩容。`);
    } else if (r.growth && r.daysToThreshold !== null && r.daysToThreshold <= TARGETS.expandWithinDays) {
      out.push(en ? `${what}: at +${r.slopePerDay!.toFixed(2)} points a day the daily peak reaches ${percent1(r.threshold)} in ${fixed1(r.daysToThreshold)} days — expand before then.` : `${what}：日峰值每天增长 ${r.slopePerDay!.toFixed(2)} 个百分点，约 ${fixed1(r.daysToThreshold)} 天后达到阈值 ${percent1(r.threshold)}，请在此之前扩容。`);
    } else if (r.peak >= r.threshold) {
      out.push(en ? `${what}: peaks reached ${percent1(r.peak)} (threshold ${percent1(r.threshold)}) with ${fixed1(r.headroom)} points of P95 headroom — spread the peak jobs.` : `${what}：峰值达到 ${percent1(r.peak)}（阈值 ${percent1(r.threshold)}），P95 余量 ${fixed1(r.headroom)} 个百分点，请错峰安排高负载任务。`);
    } else if (r.growth && r.daysToThreshold !== null && r.daysToThreshold <= TARGETS.watchWithinDays) {
      out.push(en ? `${what}: reaches the ${percent1(r.threshold)} threshold in about ${fixed1(r.daysToThreshold)} days — put it in the capacity plan.` : `${what}：约 ${fixed1(r.daysToThreshold)} 天后达到阈值 ${percent1(r.threshold)}，请纳入容量计划。`);
    }
  }
  if (missing.length) {
    out.push(en ? `Missing from this report: ${missing.join(', ')}; the recommendations do not cover them.` : `本报告缺少以下部分：${missing.join('、')}，以上建议未涵盖这些内容。`);
  }
  if (out.length === 0) {
    out.push(en ? 'Every resource keeps headroom against its threshold and none will reach it within 90 days: no expansion needed.' : '各项资源相对阈值均有余量，且 90 天内不会达到阈值：暂无需扩容。');
  }
  return out;
}
