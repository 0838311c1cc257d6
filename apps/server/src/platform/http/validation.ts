import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

const common: Options = { allErrors: true, strict: false, removeAdditional: false, useDefaults: true };

function createAjv(coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...common, coerceTypes });
  addFormats.default(ajv);
  return ajv;
}

// Query strings and path parameters arrive as text and must be coerced; JSON bodies must not be:
// `{"name": 5}` is a wrong type, not the string "5". Unknown fields are refused, never dropped.
const coercing = createAjv('array');
const strict = createAjv(false);

/** The JSON-pointer path of the first string holding U+0000, or null. */
function nulCharacterAt(data: unknown): string | null {
  const stack: [unknown, string][] = [[data, '']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      if (value.includes('\u0000')) {
        return path;
      }
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        stack.push([child, `${path}/${key}`]);
      }
    }
  }
  return null;
}

// PostgreSQL cannot store U+0000 in text (the query fails with a 500) while SQLite keeps it: refuse
// it in every validated part, naming the field, so both databases answer the same 400.
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  const validate = ajv.compile(schema);
  return (data: unknown) => {
    if (!validate(data)) {
      return { error: validate.errors ?? [] };
    }
    const at = nulCharacterAt(data);
    return at === null ? true : { error: [{ instancePath: at, schemaPath: '#', keyword: 'nul', message: 'must not contain NUL characters', params: {} }] };
  };
};
