import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { CHANNEL_TYPES, type ChannelConfigOf, type ChannelType } from '@yunwei/contracts/notify';
import { AppError } from '../../platform/errors.js';
import { channelOf } from '../../platform/notify/channels/index.js';

// Bodies are not coerced (a port "465" is a wrong type); unknown fields are refused, not dropped.
const ajv = new Ajv({ allErrors: true, strict: false, coerceTypes: false, removeAdditional: false });
const validators = new Map<ChannelType, ValidateFunction>(CHANNEL_TYPES.map((type) => [type, ajv.compile(channelOf(type).configSchema)]));

export type Secrets = Record<string, string>;

function fieldOf(prefix: string, e: ErrorObject): string {
  const path = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const params = e.params as { missingProperty?: string; additionalProperty?: string };
  return [prefix, path, params.missingProperty ?? params.additionalProperty].filter(Boolean).join('.');
}

/** YW_VALIDATION naming every bad field under `prefix` (e.g. `body.config.port`). */
function configError(prefix: string, errors: readonly ErrorObject[]): AppError {
  // A union's branches each report an error: keep one message per field.
  const fields = [...new Map(errors.map((e) => [fieldOf(prefix, e), e.keyword === 'additionalProperties' ? 'is not a known field' : (e.message ?? 'is invalid')])).entries()].map(
    ([field, message]) => ({ field, message }),
  );
  return new AppError('YW_VALIDATION', { field: fields[0]?.field, fields });
}

function isSecret(type: ChannelType, field: string): boolean {
  return channelOf(type).secretFields.includes(field);
}

/**
 * Validates a channel's configuration for its type and splits off the secrets. A secret absent
 * from the input keeps its current value, `null` or `''` clears it, a string sets it; then the
 * channel's own rules run on the whole (e.g. a robot needs its token).
 */
export function prepareConfig(type: ChannelType, input: Record<string, unknown>, current: Secrets = {}, prefix = 'body.config'): { plain: Record<string, unknown>; secrets: Secrets } {
  const validate = validators.get(type)!;
  if (!validate(input)) {
    throw configError(prefix, validate.errors ?? []);
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
  const problem = channelOf(type).validate?.(runtimeConfig(type, plain, secrets) as never);
  if (problem) {
    const field = `${prefix}.${problem[0]}`;
    throw new AppError('YW_VALIDATION', { field, fields: [{ field, message: problem[1] }] });
  }
  return { plain, secrets };
}

/** The configuration a channel sends with: the stored one plus the opened secrets. */
export function runtimeConfig<T extends ChannelType>(_type: T, plain: Record<string, unknown>, secrets: Secrets): ChannelConfigOf[T] {
  return { ...plain, ...secrets } as ChannelConfigOf[T];
}

/** `{ password: true }`: which of the type's secrets are set (never their values), as checks say it. */
export function secretsSet(type: ChannelType, secrets: Secrets): Record<string, boolean> {
  return Object.fromEntries(channelOf(type).secretFields.map((field) => [field, secrets[field] !== undefined]));
}
