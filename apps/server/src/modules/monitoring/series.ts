import { createHash } from 'node:crypto';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { METRIC_LIMITS } from '@yunwei/contracts/monitoring';

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** A series as ingestion knows it: `key` is metric + canonical labels, unique per series. */
export interface SeriesRef {
  key: string;
  metric: string;
  /** Canonical JSON of the labels (keys sorted, empty values dropped). */
  labelsJson: string;
  labels: Readonly<Record<string, string>>;
}

/** A sample ready to be written. */
export interface PreparedSample {
  series: SeriesRef;
  ts: number;
  value: number;
}

/** Why samples were not stored, as counted in `/metrics` (`yunwei_samples_dropped_total{reason}`). */
export type DropReason = 'invalid_labels' | 'invalid_value' | 'invalid_timestamp' | 'too_old' | 'too_far_in_future' | 'native_histogram';

/** Why a metric name, label or sample is refused; `at` is the offending part (a label name, `ts`, …). */
export interface Refusal {
  at: 'metric' | 'labels' | 'ts' | 'value' | `labels.${string}`;
  message: LocalizedText;
  /** How a dropped sample is counted (checkSample says; names and labels are `invalid_labels`). */
  drop?: DropReason;
}

/** The counted reason of a refusal of `seriesRef` (names, labels) or `checkSample` (time, value). */
export function dropReason(r: Refusal): DropReason {
  return r.drop ?? 'invalid_labels';
}

export function checkMetricName(name: string): LocalizedText | null {
  if (name.length === 0 || name.length > METRIC_LIMITS.metricNameLength) {
    return { zh: `必须为 1 到 ${METRIC_LIMITS.metricNameLength} 个字符`, en: `must be 1 to ${METRIC_LIMITS.metricNameLength} characters` };
  }
  return METRIC_NAME.test(name) ? null : { zh: '必须匹配 [a-zA-Z_:][a-zA-Z0-9_:]*', en: 'must match [a-zA-Z_:][a-zA-Z0-9_:]*' };
}

export function checkLabelName(name: string): LocalizedText | null {
  if (name.length === 0 || name.length > METRIC_LIMITS.labelNameLength) {
    return { zh: `必须为 1 到 ${METRIC_LIMITS.labelNameLength} 个字符`, en: `must be 1 to ${METRIC_LIMITS.labelNameLength} characters` };
  }
  if (!LABEL_NAME.test(name)) {
    return { zh: '必须匹配 [a-zA-Z_][a-zA-Z0-9_]*', en: 'must match [a-zA-Z_][a-zA-Z0-9_]*' };
  }
  return name.startsWith('__') ? { zh: '以 __ 开头的标签名是保留的', en: 'names starting with __ are reserved' } : null;
}

export function checkLabelValue(value: string): LocalizedText | null {
  if (value.length > METRIC_LIMITS.labelValueLength) {
    return { zh: `最多 ${METRIC_LIMITS.labelValueLength} 个字符`, en: `must be at most ${METRIC_LIMITS.labelValueLength} characters` };
  }
  return value.includes('\u0000') ? { zh: '不能包含 NUL 字符', en: 'must not contain NUL characters' } : null;
}

/**
 * Validates and canonicalises a series. Empty label values mean "no such label" (as in Prometheus) and
 * are dropped. Returns the series or why it is refused.
 */
export function seriesRef(metric: string, labels: Readonly<Record<string, string>> | Iterable<readonly [string, string]> = {}): SeriesRef | Refusal {
  const bad = checkMetricName(metric);
  if (bad) {
    return { at: 'metric', message: bad };
  }
  const entries: [string, string][] = [];
  const source: Iterable<readonly [string, string]> = isIterable(labels) ? labels : Object.entries(labels);
  for (const [name, value] of source) {
    const badName = checkLabelName(name);
    if (badName) {
      return { at: `labels.${name}`, message: badName };
    }
    if (typeof value !== 'string') {
      return { at: `labels.${name}`, message: { zh: '必须是文本', en: 'must be a string' } };
    }
    const badValue = checkLabelValue(value);
    if (badValue) {
      return { at: `labels.${name}`, message: badValue };
    }
    if (value !== '') {
      entries.push([name, value]);
    }
  }
  if (entries.length > METRIC_LIMITS.labelsPerSeries) {
    return { at: 'labels', message: { zh: `最多 ${METRIC_LIMITS.labelsPerSeries} 个标签`, en: `at most ${METRIC_LIMITS.labelsPerSeries} labels` } };
  }
  entries.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  for (let i = 1; i < entries.length; i++) {
    if (entries[i]![0] === entries[i - 1]![0]) {
      return { at: `labels.${entries[i]![0]}`, message: { zh: '重复出现', en: 'is given twice' } };
    }
  }
  const sorted: Record<string, string> = {};
  for (const [k, v] of entries) {
    sorted[k] = v;
  }
  const labelsJson = JSON.stringify(sorted);
  return { key: `${metric}${labelsJson}`, metric, labelsJson, labels: sorted };
}

export function isRefusal(x: SeriesRef | Refusal): x is Refusal {
  return 'at' in x;
}

function isIterable(x: unknown): x is Iterable<readonly [string, string]> {
  return typeof x === 'object' && x !== null && Symbol.iterator in x;
}

/** The unique key stored with a series. */
export function seriesHash(ref: Pick<SeriesRef, 'key'>): string {
  return createHash('sha256').update(ref.key).digest('hex');
}

/** Checks a sample's time and value; null when fine. */
export function checkSample(ts: number, value: number, now: number): Refusal | null {
  if (!Number.isFinite(value)) {
    return { at: 'value', message: { zh: '必须是有限的数字', en: 'must be a finite number' }, drop: 'invalid_value' };
  }
  if (!Number.isSafeInteger(ts)) {
    return { at: 'ts', message: { zh: '必须是整数（毫秒时间戳）', en: 'must be an integer (epoch milliseconds)' }, drop: 'invalid_timestamp' };
  }
  if (ts < METRIC_LIMITS.minTs) {
    return { at: 'ts', message: { zh: '早于 2000-01-01：应为毫秒时间戳（是否发送了秒？）', en: 'is before 2000-01-01: epoch milliseconds expected (seconds sent?)' }, drop: 'too_old' };
  }
  if (ts > now + METRIC_LIMITS.futureMs) {
    return { at: 'ts', message: { zh: '比现在晚 10 分钟以上（是否发送了纳秒，或时钟不准？）', en: 'is more than 10 minutes in the future (nanoseconds sent, or a wrong clock?)' }, drop: 'too_far_in_future' };
  }
  return null;
}

/** The labels of a series with its name, as Prometheus shows a series. */
export function promMetric(metric: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  return { __name__: metric, ...labels };
}
