import type { LocalizedText } from '@yunwei/contracts/i18n';
import { formatMessageTime } from '../../platform/notify/message-format.js';

/**
 * The annotation template language: text with `{{ $labels.<name> }}`, `{{ $value }}`, `{{ $threshold }}`,
 * `{{ $severity }}`, `{{ $rule }}`, `{{ $eta }}`, `{{ $object }}` (what the alert is about, by name:
 * the CI or instance, and the check) and `{{ $reason }}` (a check's latest result, in the annotation's
 * language: `连接被拒绝（…）` / `connection refused (…)`). Parsed once, rendered by substitution — no expressions, no
 * eval: a template can only print what the alert carries.
 */
export const TEMPLATE_VARIABLES = ['value', 'threshold', 'severity', 'rule', 'eta', 'object', 'reason'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

export type TemplatePart = { text: string } | { label: string } | { variable: TemplateVariable };

export interface TemplateData {
  labels: Readonly<Record<string, string>>;
  value?: number | null;
  threshold?: number | null;
  severity?: string;
  rule?: string;
  /** Capacity rules: when the threshold will be crossed (epoch ms). */
  eta?: number | null;
  /** What the alert is about, by name (`objectName`). */
  object?: string;
  /** Alerts about a check: what its latest result said (empty for others). */
  reason?: string;
  /** Time zone `$eta` is written in (as every time in messages); default Asia/Shanghai. */
  timeZone?: string;
}

/** A template that does not parse: where, and what is wrong in both languages (`text`, for people). */
export class TemplateError extends Error {
  readonly text: LocalizedText;

  constructor(
    problem: LocalizedText,
    readonly position: number,
  ) {
    super(`${problem.en} at position ${position + 1}`);
    this.name = 'TemplateError';
    this.text = { zh: `第 ${position + 1} 个字符处${problem.zh}`, en: this.message };
  }
}

const LABEL = /^\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)$/;
const VARIABLE = /^\$([a-z]+)$/;

export function parseTemplate(text: string): TemplatePart[] {
  const parts: TemplatePart[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    const stray = text.indexOf('}}', i);
    if (stray !== -1 && (open === -1 || stray < open)) {
      throw new TemplateError({ zh: '“}}”前缺少“{{”', en: '"}}" without "{{"' }, stray);
    }
    if (open === -1) {
      parts.push({ text: text.slice(i) });
      break;
    }
    if (open > i) {
      parts.push({ text: text.slice(i, open) });
    }
    const close = text.indexOf('}}', open + 2);
    if (close === -1) {
      throw new TemplateError({ zh: '“{{”缺少配对的“}}”', en: 'unclosed "{{"' }, open);
    }
    const inner = text.slice(open + 2, close).trim();
    const label = LABEL.exec(inner);
    const variable = VARIABLE.exec(inner);
    if (label) {
      parts.push({ label: label[1]! });
    } else if (variable && (TEMPLATE_VARIABLES as readonly string[]).includes(variable[1]!)) {
      parts.push({ variable: variable[1] as TemplateVariable });
    } else {
      throw new TemplateError(
        { zh: `未知的变量“${inner}”（可用 $labels.<标签名>、${TEMPLATE_VARIABLES.map((v) => `$${v}`).join('、')}）`, en: `unknown variable "${inner}" (use $labels.<name>, ${TEMPLATE_VARIABLES.map((v) => `$${v}`).join(', ')})` },
        open,
      );
    }
    i = close + 2;
  }
  return parts;
}

/** A number as people read it: integers as they are, others with at most 4 significant decimals. */
export function formatNumber(v: number): string {
  if (!Number.isFinite(v)) {
    return String(v);
  }
  return Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(Math.max(4, Math.ceil(Math.log10(Math.abs(v) + 1)) + 2))));
}

function variableText(data: TemplateData, v: TemplateVariable): string {
  switch (v) {
    case 'value':
    case 'threshold': {
      const n = data[v];
      return n === null || n === undefined ? '' : formatNumber(n);
    }
    case 'eta':
      return data.eta === null || data.eta === undefined ? '' : formatMessageTime(data.eta, data.timeZone);
    case 'severity':
    case 'rule':
    case 'object':
    case 'reason':
      return data[v] ?? '';
  }
}

export function renderParts(parts: readonly TemplatePart[], data: TemplateData): string {
  let out = '';
  for (const p of parts) {
    out += 'text' in p ? p.text : 'label' in p ? (data.labels[p.label] ?? '') : variableText(data, p.variable);
  }
  return out;
}

export function renderTemplate(text: string, data: TemplateData): string {
  return renderParts(parseTemplate(text), data);
}
