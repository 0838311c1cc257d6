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

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? strict : coercing;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<object>>;
};
