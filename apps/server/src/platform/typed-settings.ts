import { Ajv, type ErrorObject } from 'ajv';
import { AppError } from './errors.js';

/**
 * Per-type settings with secret fields — a check's settings, a notification channel's configuration:
 * validated against the type's JSON schema, secrets split off to be sealed, the type's own rules run
 * last. The pieces both share.
 */

/** Opened secret fields by name. */
export type Secrets = Record<string, string>;

/** Bodies are not coerced (a port "465" is a wrong type); unknown fields are refused, not dropped. */
export const settingsAjv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, removeAdditional: false });

function fieldOf(prefix: string, e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  return [prefix, path, params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.');
}

/** YW_VALIDATION naming every bad field under `prefix` (e.g. `body.config.port`). */
export function schemaError(prefix: string, errors: readonly ErrorObject[]): AppError {
  // A union's branches each report an error: keep one message per field.
  const fields = [...new Map(errors.map((e) => [fieldOf(prefix, e), e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid')])).entries()].map(
    ([field, message]) => ({ field, message }),
  );
  return new AppError('YW_VALIDATION', { field: fields[0]?.field, fields });
}

/**
 * Splits validated input into plain fields and secrets. A secret absent from the input keeps its
 * `current` value, `null` or `''` clears it, a string sets it.
 */
export function splitSecrets(input: Record<string, unknown>, isSecret: (field: string) => boolean, current: Secrets): { plain: Record<string, unknown>; secrets: Secrets } {
  const plain: Record<string, unknown> = {};
  const secrets: Secrets = { ...current };
  for (const [key, value] of Object.entries(input)) {
    if (!isSecret(key)) {
      plain[key] = value;
    } else if (value === null || value === '') {
      delete secrets[key];
    } else {
      secrets[key] = value as string;
    }
  }
  return { plain, secrets };
}

/** The type's own rule failed (`[field, message]`): YW_VALIDATION naming `prefix.field`. */
export function ruleError(prefix: string, problem: readonly [string, string]): AppError {
  const field = `${prefix}.${problem[0]}`;
  return new AppError('YW_VALIDATION', { field, fields: [{ field, message: problem[1] }] });
}
