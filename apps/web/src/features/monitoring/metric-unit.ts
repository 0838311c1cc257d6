import type { PanelUnit } from '@yunwei/contracts/dashboards';
import { formatValue } from './format';

/**
 * The unit a metric's name says it is in (Prometheus naming: the unit is the name's suffix), as a
 * panel unit; `celsius` is only printed (no panel unit draws it).
 */
export function unitOfMetric(metric: string): PanelUnit | 'celsius' {
  if (/_bytes_per_second$/.test(metric)) {
    return 'bytesPerSecond';
  }
  if (/_bytes(_total)?$/.test(metric)) {
    return 'bytes';
  }
  if (/_(percent|ratio_percent)$/.test(metric)) {
    return 'percent';
  }
  if (/_seconds(_total)?$/.test(metric)) {
    return 'seconds';
  }
  if (/_celsius$/.test(metric)) {
    return 'celsius';
  }
  return 'none';
}

/** A panel unit for the metric (none where the name says nothing a panel can draw). */
export function panelUnitOf(metric: string): PanelUnit {
  const unit = unitOfMetric(metric);
  return unit === 'celsius' ? 'none' : unit;
}

/** The newest value of a series in its metric's unit. */
export function formatMetricValue(metric: string, value: number): string {
  const unit = unitOfMetric(metric);
  return unit === 'celsius' ? `${formatValue(value, 'none')} °C` : formatValue(value, unit);
}

/** How long ago, as [i18n key under monitoring.latest.age, count]: seconds, minutes, hours, days. */
export function ageParts(ms: number): ['seconds' | 'minutes' | 'hours' | 'days', number] {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) {
    return ['seconds', s];
  }
  if (s < 3600) {
    return ['minutes', Math.floor(s / 60)];
  }
  if (s < 86_400) {
    return ['hours', Math.floor(s / 3600)];
  }
  return ['days', Math.floor(s / 86_400)];
}
