import { Ajv, type Options } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';
import { boundNumbers } from './number-bounds.js';

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

interface Refusal {
  path: string;
  keyword: string;
  message: string;
}

/** A UTF-16 surrogate without its pair: no UTF-8 text can hold it (a `u` regex skips proper pairs). */
const LONE_SURROGATE = /\p{Cs}/u;

function badTextOf(text: string): Pick<Refusal, 'keyword' | 'message'> | null {
  if (text.includes('\u0000')) {
    return { keyword: 'nul', message: 'must not contain NUL characters' };
  }
  return LONE_SURROGATE.test(text) ? { keyword: 'surrogate', message: 'must not contain unpaired surrogate characters' } : null;
}

/**
 * The first value no column can hold: a string (value or key) holding U+0000 or a lone surrogate,
 * or a number that is not finite. `{"endsAt": 1e400}` parses to Infinity, which Ajv's `integer`
 * accepts (and `?from=Infinity` coerces to it); stored, it broke every later read of the list.
 * A lone surrogate was silently turned into U+FFFD on the way to the database (so the record
 * differed from what was answered and audited).
 */
function unstorableValueAt(data: unknown): Refusal | null {
  const stack: [unknown, string][] = [[data, '']];
  while (stack.length) {
    const [value, path] = stack.pop()!;
    if (typeof value === 'string') {
      const bad = badTextOf(value);
      if (bad) {
        return { path, ...bad };
      }
    } else if (typeof value === 'number') {
      if (!Number.isFinite(value)) {
        return { path, keyword: 'finite', message: 'must be a finite number' };
      }
    } else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const bad = badTextOf(key);
        if (bad) {
          return { path: `${path}/${key}`, ...bad };
        }
        stack.push([child, `${path}/${key}`]);
      }
    }
  }
  return null;
}

// PostgreSQL cannot store U+0000 in text (the query fails with a 500) while SQLite keeps it, and
// neither can do anything sane with Infinity or half a surrogate pair: refuse them in every
// validated part, naming the field, so both databases answer the same 400. Every number is also
// bounded (see number-bounds.ts).
export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  const validate = ajv.compile(boundNumbers(schema));
  return (data: unknown) => {
    if (!validate(data)) {
      return { error: validate.errors ?? [] };
    }
    const refusal = unstorableValueAt(data);
    return refusal === null ? true : { error: [{ instancePath: refusal.path, schemaPath: '#', keyword: refusal.keyword, message: refusal.message, params: {} }] };
  };
};
