/**
 * The global safety net for numbers in requests. A schema's own `maximum` says what makes sense
 * (and must be at most what the column holds: PostgreSQL `integer` is 32-bit); where a schema has
 * none, these bounds still keep every number storable and every sum of them finite:
 * - integers within ±Number.MAX_SAFE_INTEGER (exact in JavaScript, fits a 64-bit `bigint`);
 * - other numbers within ±1e300 (a `double precision` holds them, and thresholds or values such as
 *   a 10 PB byte count, 1e16, stay possible where a safe-integer bound would refuse them).
 */
export const MAX_REQUEST_INTEGER = Number.MAX_SAFE_INTEGER;
export const MAX_REQUEST_NUMBER = 1e300;

type Schema = Record<string, unknown>;

function typesOf(schema: Schema): unknown[] {
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** `schema` with `minimum`/`maximum` tightened to `limit` (kept when already tighter). */
function bounded(schema: Schema, limit: number): Schema {
  const maximum = typeof schema.maximum === 'number' ? Math.min(schema.maximum, limit) : limit;
  const minimum = typeof schema.minimum === 'number' ? Math.max(schema.minimum, -limit) : -limit;
  return { ...schema, minimum, maximum };
}

/**
 * A copy of a JSON schema where every `integer` and `number` carries the global bounds. The
 * original is left untouched (TypeBox schemas are shared between routes and the OpenAPI document).
 */
export function boundNumbers<T>(schema: T): T {
  if (Array.isArray(schema)) {
    return schema.map((s) => boundNumbers(s)) as T;
  }
  if (!schema || typeof schema !== 'object') {
    return schema;
  }
  let copy: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    // `const`, `enum`, `default` and `examples` are data, not schemas.
    copy[key] = key === 'const' || key === 'enum' || key === 'default' || key === 'examples' ? value : boundNumbers(value);
  }
  const types = typesOf(copy);
  if (types.includes('integer')) {
    copy = bounded(copy, MAX_REQUEST_INTEGER);
  } else if (types.includes('number')) {
    copy = bounded(copy, MAX_REQUEST_NUMBER);
  }
  return copy as T;
}
