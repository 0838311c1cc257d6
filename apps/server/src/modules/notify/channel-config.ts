import type { ValidateFunction } from 'ajv';
import { CHANNEL_TYPES, type ChannelConfigOf, type ChannelType } from '@yunwei/contracts/notify';
import { ruleError, schemaError, settingsAjv, splitSecrets, type Secrets } from '../../platform/typed-settings.js';
import { channelOf } from '../../platform/notify/channels/index.js';

const validators = new Map<ChannelType, ValidateFunction>(CHANNEL_TYPES.map((type) => [type, settingsAjv.compile(channelOf(type).configSchema)]));

export type { Secrets };

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
    throw schemaError(prefix, validate.errors ?? []);
  }
  const { plain, secrets } = splitSecrets(input, (field) => isSecret(type, field), current);
  const problem = channelOf(type).validate?.(runtimeConfig(type, plain, secrets) as never);
  if (problem) {
    throw ruleError(prefix, problem);
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
