import type { TSchema } from 'typebox';
import type { OutboundGuard } from '../net/outbound-policy.js';
import type { RuleProblem } from '../typed-settings.js';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { ChannelConfigOf, ChannelType, NotificationMessage } from '@yunwei/contracts/notify';

export interface SendOptions {
  /** E-mail addresses (e-mail) or mobiles / user ids to mention (robots); empty: the channel's own. */
  recipients: readonly string[];
  /** Aborted at the delivery timeout or at shutdown: close sockets and stop. */
  signal: AbortSignal;
  /** Every connection goes through it (the outbound network policy of notification channels). */
  outbound: OutboundGuard;
  /** Reads `message.attachments` from the shared file store (null: the file is gone); absent where no store is wired. */
  readFile?: (key: string) => Promise<Buffer | null>;
}

/**
 * One kind of notification channel. `send` resolves when the endpoint accepted the message and
 * throws (any Error; its message goes to the delivery log) when it did not: the outbox retries.
 */
export interface NotificationChannel<T extends ChannelType = ChannelType> {
  id: T;
  name: LocalizedText;
  /** TypeBox schema of the configuration, secrets included (`additionalProperties: false`). */
  configSchema: TSchema;
  /** Configuration names sealed at rest and never returned. */
  secretFields: readonly string[];
  /** Map fields whose values are sealed (webhook headers: the names are shown, the values never). */
  secretMaps: readonly string[];
  /** Where (and how) it sends: changing one drops the stored secrets not entered again (CHANNEL_DESTINATION_FIELDS). */
  destinationFields: readonly string[];
  /** Whether it renders `message.markdown`; if not, the worker puts `message.text` in its place. */
  supportsMarkdown: boolean;
  /** Rules the schema cannot express, checked with secrets: `[field, message in both languages]` names the bad field. */
  validate?: (config: ChannelConfigOf[T]) => RuleProblem | undefined;
  send(message: NotificationMessage, config: ChannelConfigOf[T], options: SendOptions): Promise<void>;
}

/** A failure the endpoint reported (not a bug): the message is what the delivery log shows. */
export class ChannelError extends Error {
  override name = 'ChannelError';
}
