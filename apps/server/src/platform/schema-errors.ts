import type { LocalizedText } from '@yunwei/contracts/i18n';
import { PATTERN_MESSAGES, UNKNOWN_PATTERN_MESSAGE } from '@yunwei/contracts/validation-messages';

/** An Ajv error as the schema validators report it (the fields this module reads). */
export interface SchemaErrorLike {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}

/** One bad field: its dotted path (`body.spec.threshold`) and what is wrong with it, in both languages. */
export interface FieldProblem {
  field: string;
  message: LocalizedText;
}

const TYPE_NAMES: Record<string, LocalizedText> = {
  string: { zh: '文本', en: 'a string' },
  number: { zh: '数字', en: 'a number' },
  integer: { zh: '整数', en: 'an integer' },
  boolean: { zh: 'true 或 false', en: 'true or false' },
  array: { zh: '列表', en: 'a list' },
  object: { zh: '对象', en: 'an object' },
  null: { zh: 'null', en: 'null' },
};

const FORMAT_MESSAGES: Record<string, LocalizedText> = {
  uri: { zh: '必须是完整的网址', en: 'must be a full URL' },
  url: { zh: '必须是完整的网址', en: 'must be a full URL' },
  email: { zh: '不是有效的电子邮件地址', en: 'is not a valid e-mail address' },
  ipv4: { zh: '不是有效的 IPv4 地址', en: 'is not a valid IPv4 address' },
  ipv6: { zh: '不是有效的 IPv6 地址', en: 'is not a valid IPv6 address' },
  date: { zh: '必须是 YYYY-MM-DD 格式的日期', en: 'must be a date as YYYY-MM-DD' },
  'date-time': { zh: '必须是 RFC 3339 格式的时间', en: 'must be an RFC 3339 time' },
};

const both = (zh: string, en: string): LocalizedText => ({ zh, en });

function shown(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A space between Chinese characters and Latin letters or digits, as Chinese typography sets them. */
const spaced = (zh: string) => zh.replace(/([\u4e00-\u9fff])([A-Za-z0-9])/g, '$1 $2').replace(/([A-Za-z0-9])([\u4e00-\u9fff])/g, '$1 $2');

function typeText(types: readonly string[]): LocalizedText {
  const names = types.map((t) => TYPE_NAMES[t] ?? both(t, t));
  return both(spaced(`必须是${names.map((n) => n.zh).join('或')}`), `must be ${names.map((n) => n.en).join(' or ')}`);
}

/** "must be one of: a, b" — constants as written, then any types a value may also have. */
function oneOfText(values: readonly unknown[], types: readonly string[] = []): LocalizedText {
  const names = types.map((t) => TYPE_NAMES[t] ?? both(t, t));
  const zh = [...values.map(shown), ...names.map((n) => n.zh)];
  const en = [...values.map(shown), ...names.map((n) => n.en)];
  return zh.length === 1 ? both(`必须是 ${zh[0]}`, `must be ${en[0]}`) : both(`必须是以下之一：${zh.join('、')}`, `must be one of: ${en.join(', ')}`);
}

/** What one schema keyword's failure means, in both languages. */
export function describeSchemaError(e: SchemaErrorLike): LocalizedText {
  const p = e.params;
  const n = p.limit as number;
  switch (e.keyword) {
    case 'required':
      return both('必填', 'is required');
    case 'additionalProperties':
      return both('不是可识别的字段', 'is not a known field');
    case 'type':
      return typeText(String(p.type).split(','));
    case 'minLength':
      return n === 1 ? both('不能为空', 'must not be empty') : both(`至少 ${n} 个字符`, `must be at least ${n} characters`);
    case 'maxLength':
      return both(`最多 ${n} 个字符`, `must be at most ${n} characters`);
    case 'minimum':
      return both(`不能小于 ${n}`, `must be at least ${n}`);
    case 'maximum':
      return both(`不能大于 ${n}`, `must be at most ${n}`);
    case 'exclusiveMinimum':
      return both(`须大于 ${n}`, `must be greater than ${n}`);
    case 'exclusiveMaximum':
      return both(`须小于 ${n}`, `must be less than ${n}`);
    case 'multipleOf':
      return both(`须是 ${String(p.multipleOf)} 的倍数`, `must be a multiple of ${String(p.multipleOf)}`);
    case 'minItems':
      return both(`至少 ${n} 项`, `must have at least ${n} item${n === 1 ? '' : 's'}`);
    case 'maxItems':
      return both(`最多 ${n} 项`, `must have at most ${n} item${n === 1 ? '' : 's'}`);
    case 'uniqueItems':
      return both(`不能重复（第 ${Number(p.j) + 1} 项与第 ${Number(p.i) + 1} 项相同）`, `must not repeat an item (items ${Number(p.j) + 1} and ${Number(p.i) + 1} are the same)`);
    case 'minProperties':
      return both(`至少包含 ${n} 个字段`, `must have at least ${n} field${n === 1 ? '' : 's'}`);
    case 'maxProperties':
      return both(`最多 ${n} 个字段`, `must have at most ${n} fields`);
    case 'const':
      return oneOfText([p.allowedValue]);
    case 'enum':
      return oneOfText(p.allowedValues as unknown[]);
    case 'oneOfValues':
      return oneOfText(p.values as unknown[], p.types as string[]);
    case 'pattern':
      return PATTERN_MESSAGES[p.pattern as string] ?? UNKNOWN_PATTERN_MESSAGE;
    case 'format':
      return FORMAT_MESSAGES[p.format as string] ?? UNKNOWN_PATTERN_MESSAGE;
    // Refusals of validation.ts (values no column can hold).
    case 'nul':
      return both('不能包含 NUL 字符', 'must not contain NUL characters');
    case 'surrogate':
      return both('不能包含不成对的代理字符（无效的 Unicode）', 'must not contain unpaired surrogate characters');
    case 'finite':
      return both('必须是有限的数字', 'must be a finite number');
    case 'anyOf':
    case 'oneOf':
      return both('不符合任何一种允许的形式', 'matches none of the allowed forms');
    default:
      return both(`不正确（${e.message ?? e.keyword}）`, e.message ?? 'is invalid');
  }
}

const isUnion = (e: SchemaErrorLike) => e.keyword === 'anyOf' || e.keyword === 'oneOf';
const inside = (e: SchemaErrorLike, union: SchemaErrorLike) => e.schemaPath.startsWith(`${union.schemaPath}/`);
const isChildOf = (path: string, parent: string) => path.startsWith(`${parent}/`) && !path.slice(parent.length + 1).includes('/');

/**
 * A union's branches each report why they failed; only the branch the value was meant for says
 * something useful. That is the first branch not refused at the union's own level (wrong type or
 * constant there, or a wrong constant in a direct property: the `kind` of a tagged union). When
 * every branch is refused there, the allowed constants or types are named together.
 */
function resolveUnion(union: SchemaErrorLike, errors: readonly SchemaErrorLike[]): SchemaErrorLike[] {
  const branches = new Map<string, SchemaErrorLike[]>();
  for (const e of errors) {
    const branch = e.schemaPath.slice(union.schemaPath.length + 1).split('/')[0]!;
    branches.set(branch, [...(branches.get(branch) ?? []), e]);
  }
  const refusedAtRoot = (list: readonly SchemaErrorLike[]) =>
    list.some((e) => (e.instancePath === union.instancePath && ['type', 'const', 'enum'].includes(e.keyword)) || (e.keyword === 'const' && isChildOf(e.instancePath, union.instancePath)));
  const meant = [...branches.values()].find((list) => !refusedAtRoot(list));
  if (meant) {
    return collapseUnions(meant);
  }
  const all = [...branches.values()].flat();
  const tags = all.filter((e) => e.keyword === 'const' && isChildOf(e.instancePath, union.instancePath));
  if (tags.length) {
    return [{ ...tags[0]!, keyword: 'enum', params: { allowedValues: [...new Set(tags.map((e) => e.params.allowedValue))] } }];
  }
  // Each branch accepts constants or a type at the union's level: name them all.
  const accepted = [...branches.values()].map((list) => {
    const root = list.filter((e) => e.instancePath === union.instancePath);
    const constant = root.find((e) => e.keyword === 'const' || e.keyword === 'enum');
    if (constant) {
      return { values: constant.keyword === 'const' ? [constant.params.allowedValue] : (constant.params.allowedValues as unknown[]) };
    }
    const type = root.find((e) => e.keyword === 'type');
    return type ? { types: String(type.params.type).split(',') } : null;
  });
  if (accepted.some((a) => a === null)) {
    return [union];
  }
  if (accepted.every((a) => a!.types)) {
    return [{ ...union, keyword: 'type', params: { type: [...new Set(accepted.flatMap((a) => a!.types!))].join(',') } }];
  }
  const values = [...new Set(accepted.flatMap((a) => a!.values ?? []))];
  const types = [...new Set(accepted.flatMap((a) => a!.types ?? []))];
  return [{ ...union, keyword: 'oneOfValues', params: { values, types } }];
}

/** Errors with every union's branch errors replaced by what the value was meant to be (see resolveUnion). */
function collapseUnions(errors: readonly SchemaErrorLike[]): SchemaErrorLike[] {
  const unions = errors.filter(isUnion);
  const outer = unions.filter((u) => !unions.some((other) => other !== u && inside(u, other)));
  const out: SchemaErrorLike[] = [];
  for (const e of errors) {
    const union = outer.find((u) => u === e);
    if (union) {
      out.push(...resolveUnion(union, errors.filter((x) => inside(x, union))));
    } else if (!outer.some((u) => inside(e, u))) {
      out.push(e);
    }
  }
  return out;
}

/** `body.spec.threshold` from an error of the `body` part (`prefix`). */
export function fieldOf(prefix: string, e: SchemaErrorLike): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const child = (e.params.missingProperty ?? e.params.additionalProperty) as string | undefined;
  return [prefix, path, child].filter(Boolean).join('.');
}

/**
 * Schema errors as field problems: one per field (the first reason), unions resolved to the branch
 * meant, each message in both languages (the error handler picks the caller's).
 */
export function fieldProblemsOf(prefix: string, errors: readonly SchemaErrorLike[]): FieldProblem[] {
  const byField = new Map<string, LocalizedText>();
  for (const e of collapseUnions(errors)) {
    const field = fieldOf(prefix, e);
    if (!byField.has(field)) {
      byField.set(field, describeSchemaError(e));
    }
  }
  return [...byField].map(([field, message]) => ({ field, message }));
}
