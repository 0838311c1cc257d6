import { isIP } from 'node:net';
import {
  type AttributeDefinition,
  type AttributeDefinitionInput,
  CI_STATUS_NAMES,
  CI_STATUSES,
  type CiStatus,
  RESERVED_ATTRIBUTE_KEYS,
  type Subtype,
} from '@yunwei/contracts/cmdb';
import type { LocalizedText } from '@yunwei/contracts/i18n';

/**
 * Rules on CI classes and CI values that the schema cannot express. Pure: the service turns a
 * problem into a 400 naming `body.<field>`, the import into a row error naming the column.
 */
export interface Problem {
  /** `name`, `ip`, `attributes.cpu_cores`, `attributes.2.options`, … */
  field: string;
  message: LocalizedText;
}

const text = (zh: string, en: string): LocalizedText => ({ zh, en });

// ---------------------------------------------------------------- class definitions

/** Normalised attribute definitions (defaults filled in), or the problems of the input. */
export function checkClassDefinition(input: { subtypes?: { key: string }[]; attributes?: AttributeDefinitionInput[] }): { attributes: AttributeDefinition[]; problems: Problem[] } {
  const problems: Problem[] = [];
  const subtypeKeys = new Set<string>();
  for (const [i, s] of (input.subtypes ?? []).entries()) {
    if (subtypeKeys.has(s.key)) {
      problems.push({ field: `subtypes.${i}.key`, message: text(`子类型 ${s.key} 重复`, `subtype ${s.key} is listed twice`) });
    }
    subtypeKeys.add(s.key);
  }
  const keys = new Set<string>();
  const attributes: AttributeDefinition[] = [];
  for (const [i, a] of (input.attributes ?? []).entries()) {
    if (keys.has(a.key)) {
      problems.push({ field: `attributes.${i}.key`, message: text(`属性 ${a.key} 重复`, `attribute ${a.key} is defined twice`) });
    }
    if (RESERVED_ATTRIBUTE_KEYS.includes(a.key)) {
      problems.push({ field: `attributes.${i}.key`, message: text(`${a.key} 是配置项的固定字段，不能用作属性名`, `${a.key} is a fixed CI field and cannot be an attribute key`) });
    }
    keys.add(a.key);
    const options = (a.options ?? []).map((o) => o.trim());
    if (a.type === 'enum') {
      if (!options.length || options.some((o) => o === '')) {
        problems.push({ field: `attributes.${i}.options`, message: text('枚举属性需要至少一个非空选项', 'an enum attribute needs at least one non-blank option') });
      } else if (new Set(options).size !== options.length) {
        problems.push({ field: `attributes.${i}.options`, message: text('枚举选项重复', 'an option is listed twice') });
      }
    } else if (options.length) {
      problems.push({ field: `attributes.${i}.options`, message: text('只有枚举属性可以有选项', 'only enum attributes have options') });
    }
    attributes.push({ key: a.key, label: { zh: a.label.zh.trim(), en: a.label.en.trim() }, type: a.type, options: a.type === 'enum' ? options : [], required: a.required ?? false });
  }
  return { attributes, problems };
}

// ---------------------------------------------------------------- values

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isValidDate(value: string): boolean {
  const m = DATE.exec(value);
  if (!m) {
    return false;
  }
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

function typeProblem(def: AttributeDefinition, value: unknown): LocalizedText | null {
  switch (def.type) {
    case 'string':
      return typeof value === 'string' ? (value.length > 2000 ? text('不能超过 2000 个字符', 'must be at most 2000 characters') : null) : text('应为文本', 'must be text');
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? null : text('应为数字', 'must be a number');
    case 'boolean':
      return typeof value === 'boolean' ? null : text('应为是/否（true/false）', 'must be true or false');
    case 'date':
      return typeof value === 'string' && isValidDate(value) ? null : text('应为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD');
    case 'enum':
      return typeof value === 'string' && def.options.includes(value) ? null : text(`应为以下之一：${def.options.join('、')}`, `must be one of: ${def.options.join(', ')}`);
  }
}

/**
 * Checks attribute values against a class's definitions: unknown keys, wrong types, missing
 * required ones. Null, undefined and blank strings mean "no value" (and are not stored).
 */
export function checkAttributes(defs: readonly AttributeDefinition[], values: Readonly<Record<string, unknown>>): { values: Record<string, unknown>; problems: Problem[] } {
  const byKey = new Map(defs.map((d) => [d.key, d]));
  const out: Record<string, unknown> = {};
  const problems: Problem[] = [];
  for (const [key, raw] of Object.entries(values)) {
    const value = typeof raw === 'string' ? raw.trim() : raw;
    if (value === null || value === undefined || value === '') {
      continue;
    }
    const def = byKey.get(key);
    if (!def) {
      problems.push({ field: `attributes.${key}`, message: text('该类别没有这个属性', 'is not an attribute of this class') });
      continue;
    }
    const problem = typeProblem(def, value);
    if (problem) {
      problems.push({ field: `attributes.${key}`, message: problem });
    } else {
      out[key] = value;
    }
  }
  for (const def of defs) {
    if (def.required && !(def.key in out) && !problems.some((p) => p.field === `attributes.${def.key}`)) {
      problems.push({ field: `attributes.${def.key}`, message: text('必填', 'is required') });
    }
  }
  return { values: out, problems };
}

// ---------------------------------------------------------------- CI fields

const HOSTNAME = /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62})(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,62}))*\.?$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

export interface CiFieldsDraft {
  name: string;
  subtype: string | null;
  status: string;
  ip: string;
  hostname: string;
  description: string;
}

/** The fixed fields of a CI (besides owner and unit, which need the database). */
export function checkCiFields(cls: { subtypes: readonly Subtype[] }, draft: CiFieldsDraft): Problem[] {
  const problems: Problem[] = [];
  if (draft.name === '' || draft.name.length > 128 || CONTROL.test(draft.name)) {
    problems.push({ field: 'name', message: draft.name === '' ? text('必填', 'is required') : text('最多 128 个字符，不能有控制字符', 'at most 128 characters, no control characters') });
  }
  if (draft.subtype !== null && !cls.subtypes.some((s) => s.key === draft.subtype)) {
    problems.push({
      field: 'subtype',
      message: cls.subtypes.length
        ? text(`应为以下之一：${cls.subtypes.map((s) => `${s.key}（${s.name.zh}）`).join('、')}`, `must be one of: ${cls.subtypes.map((s) => s.key).join(', ')}`)
        : text('该类别没有子类型', 'this class has no subtypes'),
    });
  }
  if (!(CI_STATUSES as readonly string[]).includes(draft.status)) {
    problems.push({ field: 'status', message: text(`应为以下之一：${CI_STATUSES.map((s) => `${s}（${CI_STATUS_NAMES[s].zh}）`).join('、')}`, `must be one of: ${CI_STATUSES.join(', ')}`) });
  }
  if (draft.ip !== '' && isIP(draft.ip) === 0) {
    problems.push({ field: 'ip', message: text('不是有效的 IPv4 或 IPv6 地址', 'is not a valid IPv4 or IPv6 address') });
  }
  if (draft.hostname !== '' && !HOSTNAME.test(draft.hostname)) {
    problems.push({ field: 'hostname', message: text('不是有效的主机名', 'is not a valid host name') });
  }
  if (draft.description.length > 2000) {
    problems.push({ field: 'description', message: text('不能超过 2000 个字符', 'must be at most 2000 characters') });
  }
  return problems;
}

// ---------------------------------------------------------------- spreadsheet cells

const TRUE = new Set(['true', 'yes', 'y', '1', '是', '对', '有', '√']);
const FALSE = new Set(['false', 'no', 'n', '0', '否', '错', '无', '×']);

/** A date as `YYYY-MM-DD` from a spreadsheet value (a Date cell, 2026-01-05, 2026/1/5), or null. */
export function dateFromCell(raw: unknown): string | null {
  if (raw instanceof Date && !Number.isNaN(raw.getTime())) {
    return raw.toISOString().slice(0, 10);
  }
  const m = /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$/.exec(String(raw).trim());
  if (!m) {
    return null;
  }
  const value = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isValidDate(value) ? value : null;
}

/**
 * An attribute value from a spreadsheet cell (text of a CSV, or a typed XLSX value), converted to
 * the definition's type. `undefined` = empty cell.
 */
export function attributeFromCell(def: AttributeDefinition, raw: unknown): { value: unknown } | { problem: LocalizedText } {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) {
    return { value: undefined };
  }
  const s = raw instanceof Date ? '' : String(raw).trim();
  switch (def.type) {
    case 'string':
      return { value: raw instanceof Date ? raw.toISOString().slice(0, 10) : s };
    case 'number': {
      const value = typeof raw === 'number' ? raw : Number(s.replace(/,/g, ''));
      return Number.isFinite(value) && s !== '' ? { value } : { problem: text('应为数字', 'must be a number') };
    }
    case 'boolean': {
      if (typeof raw === 'boolean') {
        return { value: raw };
      }
      const lower = s.toLowerCase();
      return TRUE.has(lower) ? { value: true } : FALSE.has(lower) ? { value: false } : { problem: text('应为 是/否（true/false）', 'must be true or false (是/否)') };
    }
    case 'date': {
      const value = dateFromCell(raw);
      return value ? { value } : { problem: text('应为日期 YYYY-MM-DD', 'must be a date YYYY-MM-DD') };
    }
    case 'enum': {
      const value = def.options.find((o) => o === s) ?? def.options.find((o) => o.toLowerCase() === s.toLowerCase());
      return value !== undefined ? { value } : { problem: text(`应为以下之一：${def.options.join('、')}`, `must be one of: ${def.options.join(', ')}`) };
    }
  }
}

/** A status from a cell: the key (active) or its Chinese / English name (在用, Active). */
export function statusFromCell(raw: string): CiStatus | null {
  const s = raw.trim().toLowerCase();
  if (s === '') {
    return 'active';
  }
  return CI_STATUSES.find((k) => k === s || CI_STATUS_NAMES[k].zh === s || CI_STATUS_NAMES[k].en.toLowerCase() === s) ?? null;
}

/** A subtype key from a cell: the key or its Chinese / English name. */
export function subtypeFromCell(subtypes: readonly Subtype[], raw: string): string | null | undefined {
  const s = raw.trim().toLowerCase();
  if (s === '') {
    return null;
  }
  return subtypes.find((t) => t.key === s || t.name.zh === raw.trim() || t.name.en.toLowerCase() === s)?.key;
}
