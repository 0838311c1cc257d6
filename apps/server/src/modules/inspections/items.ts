import type { InspectionItem, Operator, Reducer, Verdict } from '@yunwei/contracts/inspections';
import { invalidField } from '../../platform/errors.js';
import { parseSelector, SelectorError, type Matcher } from '../monitoring/selector.js';

/** Window of automatic items when the template does not say (the agent reports every 15 s). */
export const DEFAULT_WINDOW_SECONDS = 600;

/** True when `value operator limit` holds. */
export function compare(value: number, operator: Operator, limit: number): boolean {
  switch (operator) {
    case '<':
      return value < limit;
    case '<=':
      return value <= limit;
    case '>':
      return value > limit;
    case '>=':
      return value >= limit;
    case '==':
      return value === limit;
    case '!=':
      return value !== limit;
  }
}

export function reduce(values: readonly number[], how: Reducer): number | null {
  if (values.length === 0) {
    return null;
  }
  switch (how) {
    case 'last':
      return values[values.length - 1]!;
    case 'avg':
      return values.reduce((a, b) => a + b, 0) / values.length;
    case 'max':
      return Math.max(...values);
    case 'min':
      return Math.min(...values);
  }
}

/** The limit as people read it: `<= 90 %`, `== 1`, `≤ 120 s ago`. */
export function limitText(item: InspectionItem): string {
  switch (item.kind) {
    case 'metric':
      return `${item.operator} ${item.limit}${item.unit ? ` ${item.unit}` : ''}`;
    case 'check':
      return '== 1 (up)';
    case 'fresh':
      return `<= ${item.maxAgeSeconds} s`;
    case 'manual':
      return '';
  }
}

/**
 * Of several series' values, the one that decides the verdict: the first failing one, else the one
 * nearest the limit (the highest for "must stay below", the lowest for "must stay above").
 */
export function worstValue(values: readonly number[], operator: Operator, limit: number): number {
  const failing = values.find((v) => !compare(v, operator, limit));
  if (failing !== undefined) {
    return failing;
  }
  if (operator === '<' || operator === '<=') {
    return Math.max(...values);
  }
  if (operator === '>' || operator === '>=') {
    return Math.min(...values);
  }
  return values[0]!;
}

/** The selector's matchers (the `ci` matcher is added per CI by the evaluator). */
export function itemMatchers(item: InspectionItem): Matcher[] {
  if (item.kind === 'check') {
    return parseSelector(`check_up{type=${JSON.stringify(item.checkType ?? '')}}`);
  }
  return parseSelector(item.selector ?? '');
}

/**
 * What the schema cannot say: the fields each kind needs, a selector that parses, keys unique.
 * Throws a 400 naming the field (`body.items.3.selector`).
 */
export function checkItems(items: readonly InspectionItem[], prefix = 'body.items'): void {
  const keys = new Set<string>();
  items.forEach((item, i) => {
    const at = `${prefix}.${i}`;
    if (keys.has(item.key)) {
      throw invalidField(`${at}.key`, { zh: `已被另一个巡检项使用（${item.key}）`, en: `is used by another item (${item.key})` });
    }
    keys.add(item.key);
    const need = (field: keyof InspectionItem, what: string) => {
      if (item[field] === undefined) {
        throw invalidField(`${at}.${field}`, { zh: `${item.kind} 类巡检项必须填写（${what}）`, en: `is required for ${item.kind} items (${what})` });
      }
    };
    if (item.kind === 'metric' || item.kind === 'fresh') {
      need('selector', 'a series selector such as host_cpu_usage_percent');
      try {
        const matchers = parseSelector(item.selector!);
        if (matchers.some((m) => m.label === 'ci')) {
          throw invalidField(`${at}.selector`, { zh: '不能按 ci 标签筛选：巡检每个配置项时会自动加上', en: 'must not match on the ci label: it is added for each CI inspected' });
        }
      } catch (error) {
        if (error instanceof SelectorError) {
          throw invalidField(`${at}.selector`, error.text);
        }
        throw error;
      }
    }
    if (item.kind === 'metric') {
      need('operator', 'one of < <= > >= == !=');
      need('limit', 'a number');
      if (!Number.isFinite(item.limit)) {
        throw invalidField(`${at}.limit`, { zh: '必须是有限的数字', en: 'must be a finite number' });
      }
    }
    if (item.kind === 'check') {
      need('checkType', 'icmp, tcp, http, dns, snmp, postgres, mysql …');
    }
    if (item.kind === 'fresh') {
      need('maxAgeSeconds', 'the oldest acceptable sample, in seconds');
    }
  });
}

/** The verdict of a metric item from the reduced values of its series (null: no data). */
export function metricVerdict(values: readonly number[], operator: Operator, limit: number): { verdict: Verdict; value: number | null } {
  if (values.length === 0) {
    return { verdict: 'no_data', value: null };
  }
  const value = worstValue(values, operator, limit);
  return { verdict: values.every((v) => compare(v, operator, limit)) ? 'normal' : 'abnormal', value };
}
