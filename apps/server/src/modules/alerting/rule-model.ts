import type { Rule, RuleAnnotations, RuleKind, RuleSpec, RuleTarget, Severity } from '@yunwei/contracts/alerting';
import type { RuleIncidentOption } from '@yunwei/contracts/incident-alerts';
import { fromJson } from '../../db/dialect.js';
import { exactMetric, parseSelector, type Matcher } from '../monitoring/selector.js';
import type { AlertRuleTable } from './alerts.tables.js';
import type { RuleRow } from './rule.repository.js';
import { parseTemplate, type TemplatePart } from './template.js';

/**
 * Annotations a rule gets when it brings none: every kind says what it measured and about what, by
 * name (`$object`: the CI or instance and the check, e.g. `web-01 / 首页 HTTP`), never by id. The annotations of rules created with the earlier defaults are moved to these by the
 * migration `2026-12-06-2100-alert-annotations-by-name`.
 */
export const DEFAULT_ANNOTATIONS: Record<RuleKind, RuleAnnotations> = {
  metric: {
    zh: { summary: '{{ $rule }}：{{ $object }} 当前值 {{ $value }}，阈值 {{ $threshold }}', description: '{{ $object }} 触发告警规则“{{ $rule }}”，级别 {{ $severity }}。' },
    en: { summary: '{{ $rule }}: {{ $object }} at {{ $value }}, threshold {{ $threshold }}', description: '{{ $object }} fired alert rule "{{ $rule }}" with severity {{ $severity }}.' },
  },
  check: {
    zh: { summary: '{{ $rule }}：检查 {{ $object }} 连续失败', description: '检查 {{ $object }}（{{ $labels.type }}）状态异常。' },
    en: { summary: '{{ $rule }}: check {{ $object }} is failing', description: 'Check {{ $object }} ({{ $labels.type }}) is not healthy.' },
  },
  absent: {
    zh: { summary: '{{ $rule }}：{{ $object }} 停止上报数据', description: '最近一次数据距今 {{ $value }} 秒。' },
    en: { summary: '{{ $rule }}: {{ $object }} stopped reporting', description: 'The last data arrived {{ $value }} seconds ago.' },
  },
  capacity: {
    zh: { summary: '{{ $rule }}：{{ $object }} 预计 {{ $eta }} 达到 {{ $threshold }}', description: '按线性趋势，当前约 {{ $value }}，将于 {{ $eta }} 达到阈值 {{ $threshold }}。' },
    en: { summary: '{{ $rule }}: {{ $object }} expected to reach {{ $threshold }} at {{ $eta }}', description: 'The linear trend is at {{ $value }} now and reaches {{ $threshold }} at {{ $eta }}.' },
  },
  baseline: {
    zh: { summary: '{{ $rule }}：{{ $object }} 偏离基线（当前 {{ $value }}）', description: '当前值超出同一周时段基线的 k·σ 范围。' },
    en: { summary: '{{ $rule }}: {{ $object }} deviates from its baseline ({{ $value }})', description: 'The value is outside mean ± k·σ of the same hour of the week.' },
  },
};

export function ruleView(row: RuleRow): Rule {
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    description: row.description,
    kind: row.kind as RuleKind,
    spec: fromJson<RuleSpec>(row.spec),
    severity: row.severity as Severity,
    forSeconds: row.for_s,
    labels: fromJson<Record<string, string>>(row.labels),
    annotations: fromJson<RuleAnnotations>(row.annotations),
    target: fromJson<RuleTarget>(row.target),
    enabled: row.enabled === 1,
    pack: row.pack,
    incident: row.incident ? fromJson<RuleIncidentOption>(row.incident) : null,
    openAlerts: row.open_alerts,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export interface CompiledTemplates {
  zh: { summary: TemplatePart[]; description: TemplatePart[] };
  en: { summary: TemplatePart[]; description: TemplatePart[] };
}

/** A rule as the evaluator holds it: JSON parsed, selector and templates compiled once per change. */
export interface CompiledRule {
  id: string;
  name: string;
  /** The English name, when it has one: English annotations (`{{ $rule }}`) and messages say it. */
  nameEn: string | null;
  kind: RuleKind;
  spec: RuleSpec;
  severity: Severity;
  forMs: number;
  labels: Record<string, string>;
  templates: CompiledTemplates;
  target: RuleTarget;
  /** Series the rule reads (metric, absent-series, capacity, baseline, check → `check_up`). */
  matchers: Matcher[] | null;
  /** Exact metric name of `matchers`, when there is one (indexes the series window). */
  metric: string | null;
  version: number;
}

function checkMatchers(spec: Extract<RuleSpec, { kind: 'check' }>): Matcher[] {
  const m: Matcher[] = [{ label: '__name__', op: '=', value: 'check_up' }];
  if (spec.checkIds) {
    const alternatives = spec.checkIds.map((id) => id.replace(/[^0-9a-fA-F-]/g, '')).join('|');
    m.push({ label: 'check', op: '=~', value: alternatives, re: new RegExp(`^(?:${alternatives})$`) });
  }
  if (spec.checkType) {
    m.push({ label: 'type', op: '=', value: spec.checkType });
  }
  return m;
}

export function selectorOf(spec: RuleSpec): string | null {
  switch (spec.kind) {
    case 'metric':
    case 'capacity':
    case 'baseline':
      return spec.selector;
    case 'absent':
      return spec.subject === 'series' ? (spec.selector ?? null) : null;
    case 'check':
      return null;
  }
}

export function compileTemplates(a: RuleAnnotations): CompiledTemplates {
  return {
    zh: { summary: parseTemplate(a.zh.summary), description: parseTemplate(a.zh.description) },
    en: { summary: parseTemplate(a.en.summary), description: parseTemplate(a.en.description) },
  };
}

export function compileRule(row: AlertRuleTable): CompiledRule {
  const spec = fromJson<RuleSpec>(row.spec);
  const selector = selectorOf(spec);
  const matchers = spec.kind === 'check' ? checkMatchers(spec) : selector === null ? null : parseSelector(selector);
  return {
    id: row.id,
    name: row.name,
    nameEn: row.name_en,
    kind: row.kind as RuleKind,
    spec,
    severity: row.severity as Severity,
    forMs: row.for_s * 1000,
    labels: fromJson<Record<string, string>>(row.labels),
    templates: compileTemplates(fromJson<RuleAnnotations>(row.annotations)),
    target: fromJson<RuleTarget>(row.target),
    matchers,
    metric: matchers ? exactMetric(matchers) : null,
    version: Number(row.updated_at),
  };
}
