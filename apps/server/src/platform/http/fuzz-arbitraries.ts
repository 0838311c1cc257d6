import fc from 'fast-check';

/**
 * fast-check arbitraries for the request fuzz test (fuzz.int.test.ts), built from the OpenAPI
 * document's JSON schemas: bodies that are almost right (so that they reach the services, not only
 * the validator) and the hostile mutations of them.
 */

export type JsonSchema = Record<string, any>;

/** Numbers JSON can spell but JavaScript cannot hold: written into the raw text in place of a marker. */
const RAW_NUMBERS = ['1e400', '-1e400', '1e309', '9007199254740993', '123456789012345678901234567890'];
const RAW_MARKER = (token: string) => `\u0001raw:${token}\u0001`;

/** JSON text of `value`, with raw-number markers turned back into the numbers they stand for. */
export function toRawJson(value: unknown): string {
  return JSON.stringify(value).replace(/"\\u0001raw:([^"\\]+)\\u0001"/g, '$1');
}

const deep = (depth: number): unknown => {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) {
    value = i % 2 ? [value] : { a: value };
  }
  return value;
};

/** Values nobody should send: wrong types, edge numbers, hostile strings, deep nesting. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(...RAW_NUMBERS.map(RAW_MARKER)),
  fc.constantFrom(1e300, -1e300, 1e301, Number.MAX_SAFE_INTEGER + 2, -Number.MAX_SAFE_INTEGER - 2, 2147483648, -2147483649, 4294967296, 1e20, -1, 0, -0, 0.5, 5e-324),
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfffy',
    '\ud83d',
    "'; drop table \"user\"; --",
    "' or '1'='1",
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '{{7*7}}',
    '${7*7}',
    '../../etc/passwd',
    '%s%n%x',
    '',
    ' ',
    '\u202e\u200b',
    '😀'.repeat(300),
    'x'.repeat(70_000),
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(true, false, null, [], {}, [null], JSON.parse('{"__proto__":{"polluted":true}}'), { constructor: { prototype: { polluted: true } } }),
  fc.integer({ min: 2, max: 3000 }).map(deep),
  fc.jsonValue({ maxDepth: 3 }),
);

interface Context {
  components: Record<string, JsonSchema>;
  /** Real ids of existing entities, so that references resolve and services do work. */
  ids: readonly string[];
  /** The ids a field of this name refers to (`classId` → CI classes), when known. */
  idsFor?: (field: string) => readonly string[];
}

const ID_PATTERN = '^[0-9a-fA-F-]{1,64}$';

/**
 * Plausible values for free-text fields the services parse further (selectors, hosts, cron, …):
 * random text there is refused by the service's own checks, so the body would never reach the
 * storage code the fuzz test is after.
 */
const FIELD_STRINGS: [RegExp, string[]][] = [
  [/^(selector|query|match)$/, ['up', 'yw_fuzz{job="x"}', 'node_cpu_seconds_total', 'yw_fuzz']],
  [/^(host|hostname|address)$/, ['127.0.0.1', 'localhost', '::1']],
  [/^(url|endpoint|webhookUrl)$/, ['http://127.0.0.1:9/metrics', 'https://localhost:9/hook']],
  [/^cron$/, ['0 3 * * *', '*/5 * * * *']],
  [/^(timezone|timeZone)$/, ['Asia/Shanghai', 'UTC']],
  [/^(time|handoverTime|windowStart|windowEnd)$/, ['03:00', '23:59', '00:00']],
  [/^(startDate|date|from|to)$/, ['2026-01-01', '2026-12-31']],
  [/^(classCode|checkType)$/, ['server', 'network', 'http', 'tcp', 'icmp']],
  [/^(label|name)$/, ['instance', 'job', '__name__', '名称']],
  [/^(permissions|scopes)$/, ['org.unit.read', 'alerting.rule.read', 'cmdb.ci.read']],
];

function resolve(schema: JsonSchema, ctx: Context): JsonSchema {
  let s = schema;
  for (let i = 0; s?.$ref && i < 10; i++) {
    s = ctx.components[String(s.$ref).split('/').pop()!]!;
  }
  return s ?? {};
}

function stringArbitrary(s: JsonSchema, ctx: Context, field: string): fc.Arbitrary<string> {
  const minLength = s.minLength ?? 0;
  const maxLength = Math.min(s.maxLength ?? 40, Math.max(minLength, 40));
  if (s.pattern === ID_PATTERN) {
    const ids = ctx.idsFor?.(field) ?? ctx.ids;
    return ids.length ? fc.oneof({ arbitrary: fc.constantFrom(...ids), weight: 6 }, { arbitrary: fc.uuid(), weight: 1 }) : fc.uuid();
  }
  const hints = FIELD_STRINGS.find(([name]) => name.test(field))?.[1].filter((x) => x.length >= minLength && x.length <= (s.maxLength ?? Infinity) && (!s.pattern || new RegExp(s.pattern).test(x)));
  if (hints?.length && !s.format) {
    return fc.oneof({ arbitrary: fc.constantFrom(...hints), weight: 3 }, { arbitrary: stringArbitrary({ ...s }, ctx, ''), weight: 1 });
  }
  if (s.pattern) {
    try {
      return fc.stringMatching(new RegExp(s.pattern)).filter((x) => x.length >= minLength && x.length <= (s.maxLength ?? Infinity));
    } catch {
      // A pattern fast-check cannot invert: plain strings.
    }
  }
  switch (s.format) {
    case 'email':
      return fc.emailAddress();
    case 'uri':
      return fc.webUrl();
    case 'ipv4':
      return fc.ipV4();
    case 'ipv6':
      return fc.ipV6();
    case 'date-time':
      return fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString());
    case 'date':
      return fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    default:
      return fc.string({ minLength, maxLength });
  }
}

function numberArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : 1e-9) : -1e6);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : 1e-9) : Math.max(min, 0) + 1e6);
  return integer
    ? fc.integer({ min: Math.ceil(Math.max(min, Number.MIN_SAFE_INTEGER)), max: Math.floor(Math.min(max, Number.MAX_SAFE_INTEGER)) })
    : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
}

/** Values that (mostly) satisfy `schema`. */
export function validish(schema: JsonSchema, ctx: Context, depth = 0, field = ''): fc.Arbitrary<unknown> {
  const s = resolve(schema, ctx);
  if (depth > 8) {
    return fc.constant(null);
  }
  if ('const' in s) {
    return fc.constant(s.const);
  }
  if (Array.isArray(s.enum) && s.enum.length) {
    return fc.constantFrom(...s.enum);
  }
  const alternatives = s.anyOf ?? s.oneOf;
  if (Array.isArray(alternatives) && alternatives.length) {
    return fc.oneof(...alternatives.map((a: JsonSchema) => validish(a, ctx, depth + 1, field)));
  }
  if (Array.isArray(s.allOf) && s.allOf.length) {
    return validish(Object.assign({}, ...s.allOf.map((a: JsonSchema) => resolve(a, ctx))), ctx, depth + 1, field);
  }
  const type = Array.isArray(s.type) ? s.type[0] : s.type;
  switch (type) {
    case 'string':
      return stringArbitrary(s, ctx, field);
    case 'integer':
      return numberArbitrary(s, true);
    case 'number':
      return numberArbitrary(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const item = Array.isArray(s.items) ? fc.tuple(...s.items.map((i: JsonSchema) => validish(i, ctx, depth + 1, field))) : null;
      if (item) {
        return item;
      }
      const minLength = s.minItems ?? 0;
      const maxLength = Math.min(s.maxItems ?? 3, Math.max(minLength, 3));
      const items = fc.array(validish(s.items ?? {}, ctx, depth + 1, field), { minLength, maxLength });
      return s.uniqueItems ? items.map((a) => [...new Map(a.map((x) => [JSON.stringify(x), x])).values()]).filter((a) => a.length >= minLength) : items;
    }
    case 'object':
    default: {
      if (!s.properties && !s.additionalProperties && !s.patternProperties && type !== 'object') {
        return fc.jsonValue({ maxDepth: 2 });
      }
      const required = new Set<string>(s.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, child] of Object.entries<JsonSchema>(s.properties ?? {})) {
        record[key] = validish(child, ctx, depth + 1, key);
      }
      const known = fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
      const extra = s.additionalProperties && typeof s.additionalProperties === 'object' ? s.additionalProperties : (Object.values(s.patternProperties ?? {})[0] as JsonSchema | undefined);
      if (!extra) {
        return known;
      }
      const extras = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), validish(extra, ctx, depth + 1), { maxKeys: 3 });
      return fc.tuple(known, extras).map(([a, b]) => ({ ...b, ...a }));
    }
  }
}

type Path = (string | number)[];

function pathsOf(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (value && typeof value === 'object' && at.length < 12) {
    for (const [key, child] of Object.entries(value)) {
      pathsOf(child, [...at, Array.isArray(value) ? Number(key) : key], out);
    }
  }
  return out;
}

const MUTATIONS = ['replace', 'replace', 'replace', 'delete', 'extra'] as const;

/** `value` with one place replaced by a hostile value, deleted, or given an unknown sibling. */
function mutate(value: unknown, pick: number, kind: (typeof MUTATIONS)[number], hostile: unknown): unknown {
  const copy = structuredClone(value);
  const paths = pathsOf(copy);
  const path = paths[pick % paths.length]!;
  if (path.length === 0) {
    return kind === 'replace' ? hostile : kind === 'extra' && copy && typeof copy === 'object' && !Array.isArray(copy) ? { ...copy, zzUnknown: hostile } : copy;
  }
  let parent: any = copy;
  for (const key of path.slice(0, -1)) {
    parent = parent[key];
  }
  const last = path[path.length - 1]!;
  if (kind === 'replace') {
    parent[last] = hostile;
  } else if (kind === 'delete') {
    if (Array.isArray(parent)) {
      parent.splice(Number(last), 1);
    } else {
      delete parent[last];
    }
  } else if (Array.isArray(parent)) {
    parent.push(hostile);
  } else {
    parent.zzUnknown = hostile;
  }
  return copy;
}

/** One request body: the JSON text to send. Mostly mutated, sometimes as the schema asks. */
export function bodyArbitrary(schema: JsonSchema, ctx: Context): fc.Arbitrary<string> {
  const valid = validish(schema, ctx);
  const mutated = fc.tuple(valid, fc.nat(), fc.constantFrom(...MUTATIONS), hostileValue).map(([v, pick, kind, hostile]) => mutate(v, pick, kind, hostile));
  return fc.oneof({ arbitrary: valid, weight: 1 }, { arbitrary: mutated, weight: 2 }).map(toRawJson);
}

/** JSON text that is not valid JSON, or not an object, or abuses the parser. */
export function malformedJson(validText: string): string[] {
  return [
    '',
    '{',
    validText.slice(0, Math.max(1, Math.floor(validText.length / 2))),
    `${validText}}`,
    `${validText},`,
    `\ufeff${validText}`,
    "{'a':1}",
    '{"a":1,}',
    '{"a":undefined}',
    '{"a":NaN}',
    '{"a":Infinity}',
    '{"a":"\\ud800"}',
    '{"a":"\\u0000"}',
    '{"\\u0000":1}',
    '{"\\ud800":1}',
    '{"__proto__":{"polluted":true}}',
    '{"constructor":{"prototype":{"polluted":true}}}',
    'null',
    'true',
    '0',
    '"x"',
    '[]',
    `[${validText}]`,
    '['.repeat(10_000) + ']'.repeat(10_000),
    '{"a":'.repeat(5_000) + '1' + '}'.repeat(5_000),
    JSON.stringify({ a: 'x'.repeat(1_000_000) }),
    JSON.stringify({ a: 'x'.repeat(1_100_000) }),
  ];
}

/** Content types that are not JSON (or lie about it), with the body they come with. */
export const WRONG_CONTENT_TYPES: [string, (json: string) => string][] = [
  ['text/plain', (json) => json],
  ['application/x-www-form-urlencoded', () => 'name=x&a=1'],
  ['multipart/form-data; boundary=x', () => '--x\r\ncontent-disposition: form-data; name="a"\r\n\r\n1\r\n--x--'],
  ['application/xml', () => '<a>1</a>'],
  ['application/json; charset=utf-16', (json) => json],
  ['application/octet-stream', () => '\u0000\u0001\u0002'],
  ['', (json) => json],
];
