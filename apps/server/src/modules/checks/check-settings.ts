import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CHECK_SECRET_FIELDS, CHECK_SETTINGS_SCHEMAS, CHECK_TYPES, type CheckSettingsOf, type CheckType } from '@yunwei/contracts/checks';
import { AppError } from '../../platform/errors.js';
import { probeOf } from './probes/index.js';

// Bodies are not coerced (a port "5432" is a wrong type), unknown settings are refused, not dropped.
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, removeAdditional: false });
const validators = new Map<CheckType, ValidateFunction>(CHECK_TYPES.map((type) => [type, ajv.compile(CHECK_SETTINGS_SCHEMAS[type])]));

export type Secrets = Record<string, string>;

function fieldOf(prefix: string, e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const child = (e.params as { missingProperty?: string; additionalProperty?: string }).missingProperty ?? (e.params as { additionalProperty?: string }).additionalProperty;
  return [prefix, path, child].filter(Boolean).join('.');
}

/** YW_VALIDATION naming every bad field under `prefix` (e.g. `body.settings.port`). */
function settingsError(prefix: string, errors: readonly ErrorObject[]): AppError {
  // A union's branches each report an error: keep one message per field.
  const fields = [...new Map(errors.map((e) => [fieldOf(prefix, e), e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid')])).entries()].map(
    ([field, message]) => ({ field, message }),
  );
  return new AppError('YW_VALIDATION', { field: fields[0]?.field, fields });
}

function isSecret(type: CheckType, field: string): boolean {
  return (CHECK_SECRET_FIELDS[type] as readonly string[]).includes(field);
}

/**
 * Validates a check's settings for its type and splits off the secrets. A secret absent from the
 * input keeps its current value (`current`: the opened secrets of the same type), `null` or `''`
 * clears it, a string sets it.
 */
export function prepareSettings(type: CheckType, input: Record<string, unknown>, current: Secrets = {}, prefix = 'body.settings'): { plain: Record<string, unknown>; secrets: Secrets } {
  const validate = validators.get(type)!;
  if (!validate(input)) {
    throw settingsError(prefix, validate.errors ?? []);
  }
  const plain: Record<string, unknown> = {};
  const secrets: Secrets = { ...current };
  for (const [key, value] of Object.entries(input)) {
    if (!isSecret(type, key)) {
      plain[key] = value;
    } else if (value === null || value === '') {
      delete secrets[key];
    } else {
      secrets[key] = value as string;
    }
  }
  const probe = probeOf(type);
  const problem = probe.validate?.({ ...plain, ...secrets } as never);
  if (problem) {
    const field = `${prefix}.${problem[0]}`;
    throw new AppError('YW_VALIDATION', { field, fields: [{ field, message: problem[1] }] });
  }
  return { plain, secrets };
}

/** The settings a probe runs with: the stored ones plus the opened secrets. */
export function runtimeSettings<T extends CheckType>(_type: T, plain: Record<string, unknown>, secrets: Secrets): CheckSettingsOf[T] {
  return { ...plain, ...secrets } as CheckSettingsOf[T];
}

/** `{ password: true }`: which of the type's secrets are set (never their values). */
export function secretsSet(type: CheckType, secrets: Secrets): Record<string, boolean> {
  return Object.fromEntries(CHECK_SECRET_FIELDS[type].map((field) => [field, secrets[field] !== undefined]));
}

export function targetOf(type: CheckType, plain: Record<string, unknown>): string {
  return probeOf(type).target(plain as never);
}
