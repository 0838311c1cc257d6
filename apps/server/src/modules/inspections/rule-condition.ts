import type { Locale } from '@yunwei/contracts/i18n';
import type { RuleSpec } from '@yunwei/contracts/alerting';
import { exactMetric, parseSelector } from '../monitoring/selector.js';
import { durationText } from './regime-document.js';

/** The metric a rule's selector names exactly (null: none, or a selector that is not one metric). */
export function ruleMetric(spec: RuleSpec): string | null {
  const selector = 'selector' in spec ? spec.selector : undefined;
  if (!selector) {
    return null;
  }
  try {
    return exactMetric(parseSelector(selector));
  } catch {
    return null;
  }
}

/**
 * A rule's condition in words, thresholds included, e.g. "avg(host_cpu_usage_percent) over 5 minutes
 * > 80 (warning) / 95 (critical), for 5 minutes" — what the regime states as the alert threshold.
 */
export function ruleCondition(spec: RuleSpec, forSeconds: number, locale: Locale): string {
  const en = locale === 'en';
  const held = forSeconds > 0 ? (en ? `, for ${durationText(forSeconds, locale)}` : `，持续 ${durationText(forSeconds, locale)}`) : '';
  switch (spec.kind) {
    case 'metric': {
      const levels = [
        spec.thresholds.warning === undefined ? null : en ? `${spec.thresholds.warning} (warning)` : `${spec.thresholds.warning}（警告）`,
        spec.thresholds.critical === undefined ? null : en ? `${spec.thresholds.critical} (critical)` : `${spec.thresholds.critical}（严重）`,
      ].filter(Boolean);
      const reducer = spec.reducer === 'percentile' ? `p${spec.percentile ?? 95}` : spec.reducer;
      const window = durationText(spec.windowSeconds, locale);
      return en ? `${reducer}(${spec.selector}) over ${window} ${spec.op} ${levels.join(' / ')}${held}` : `${spec.selector} 在 ${window} 内的 ${reducer} ${spec.op} ${levels.join(' / ')}${held}`;
    }
    case 'check':
      return en ? `${spec.consecutiveDown} failed checks in a row${spec.checkType ? ` (${spec.checkType})` : ''}` : `${spec.checkType ? `${spec.checkType} ` : ''}拨测连续失败 ${spec.consecutiveDown} 次`;
    case 'absent':
      return spec.subject === 'agent'
        ? en
          ? `the agent stops reporting${held}`
          : `采集代理停止上报${held}`
        : en
          ? `${spec.selector ?? ''} stops reporting${held}`
          : `${spec.selector ?? ''} 停止上报${held}`;
    case 'capacity':
      return en ? `${spec.selector} trending ${spec.op} ${spec.threshold} within ${durationText(spec.horizonSeconds, locale)}` : `${spec.selector} 按趋势在 ${durationText(spec.horizonSeconds, locale)} 内 ${spec.op} ${spec.threshold}`;
    case 'baseline':
      return en ? `${spec.selector} outside its weekly baseline ± ${spec.k}σ${held}` : `${spec.selector} 偏离同时段基线 ${spec.k}σ 以上${held}`;
  }
}
