import type { ValidateFunction } from 'ajv';
import { CHECK_DESTINATION_FIELDS, CHECK_SECRET_FIELDS, CHECK_SETTINGS_SCHEMAS, CHECK_TYPES, type CheckSettingsOf, type CheckType } from '@yunwei/contracts/checks';
import { ruleError, schemaError, settingsAjv, splitSecrets, type SecretLayout, type Secrets } from '../../platform/typed-settings.js';
import { probeOf } from './probes/index.js';

const validators = new Map<CheckType, ValidateFunction>(CHECK_TYPES.map((type) => [type, settingsAjv.compile(CHECK_SETTINGS_SCHEMAS[type])]));

export type { Secrets };

/** Where a type's secrets are and where they are sent (see platform/typed-settings.ts). */
export function secretLayout(type: CheckType): SecretLayout {
  return { secretFields: CHECK_SECRET_FIELDS[type], destinationFields: CHECK_DESTINATION_FIELDS[type] };
}

/**
 * Validates a check's settings for its type and splits off the secrets. A secret absent from the
 * input keeps its current value (`current`: the opened secrets of the same type), `null` or `''`
 * clears it, a string sets it. On a change (`previous`: the stored plain settings) a changed
 * destination (host, port, …) drops the stored secrets not entered again: `dropped` names them.
 */
export function prepareSettings(
  type: CheckType,
  input: Record<string, unknown>,
  current: Secrets = {},
  previous?: Record<string, unknown>,
  prefix = 'body.settings',
): { plain: Record<string, unknown>; secrets: Secrets; dropped: string[] } {
  const validate = validators.get(type)!;
  if (!validate(input)) {
    throw schemaError(prefix, validate.errors ?? []);
  }
  const { plain, secrets, dropped } = splitSecrets(input, secretLayout(type), current, previous);
  const probe = probeOf(type);
  const problem = probe.validate?.({ ...plain, ...secrets } as never);
  if (problem) {
    throw ruleError(prefix, problem);
  }
  return { plain, secrets, dropped };
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
