import type { ValidateFunction } from 'ajv';
import { CHANNEL_TYPES, type ChannelConfigOf, type ChannelType } from '@yunwei/contracts/notify';
import { joinSecrets, maskedSettings, ruleError, schemaError, secretsSetOf, settingsAjv, splitSecrets, type Secrets } from '../../platform/typed-settings.js';
import { channelOf } from '../../platform/notify/channels/index.js';

const validators = new Map<ChannelType, ValidateFunction>(CHANNEL_TYPES.map((type) => [type, settingsAjv.compile(channelOf(type).configSchema)]));

export type { Secrets };

/**
 * Validates a channel's configuration for its type and splits off the secrets. A secret absent
 * from the input keeps its current value, `null` or `''` clears it, a string sets it; webhook header
 * values are secrets too. On a change (`previous`: the stored plain configuration) a changed
 * destination (host, port, URL, …) drops the stored secrets not entered again: `dropped` names them.
 * Then the channel's own rules run on the whole (e.g. a robot needs its token).
 */
export function prepareConfig(
  type: ChannelType,
  input: Record<string, unknown>,
  current: Secrets = {},
  previous?: Record<string, unknown>,
  prefix = 'body.config',
): { plain: Record<string, unknown>; secrets: Secrets; dropped: string[] } {
  const validate = validators.get(type)!;
  if (!validate(input)) {
    throw schemaError(prefix, validate.errors ?? []);
  }
  const { plain, secrets, dropped, problem: missing } = splitSecrets(input, channelOf(type), current, previous);
  const problem = missing ?? channelOf(type).validate?.(runtimeConfig(type, plain, secrets) as never);
  if (problem) {
    throw ruleError(prefix, problem);
  }
  return { plain, secrets, dropped };
}

/** The configuration a channel sends with: the stored one plus the opened secrets. */
export function runtimeConfig<T extends ChannelType>(type: T, plain: Record<string, unknown>, secrets: Secrets): ChannelConfigOf[T] {
  return joinSecrets(plain, secrets, channelOf(type)) as unknown as ChannelConfigOf[T];
}

/** `{ password: true }`: which of the type's secrets are set (never their values), as checks say it. */
export function secretsSet(type: ChannelType, secrets: Secrets): Record<string, boolean> {
  return secretsSetOf(channelOf(type), secrets);
}

/** The configuration as returned and audited: header names with `null` for their sealed values. */
export function shownConfig(type: ChannelType, plain: Record<string, unknown>, secrets: Secrets): Record<string, unknown> {
  return maskedSettings(plain, secrets, channelOf(type));
}
