import { Ajv } from 'ajv';
import { NOTIFY_LOCALES, NotificationMessage, type LocalizedMessage, type NotifyLocale } from '@yunwei/contracts/notify';

const validMessage = new Ajv({ allErrors: false, strict: false }).compile(NotificationMessage);

/** Why a sender's message cannot be sent (a bug on the sender's side), or null. Each locale present must be valid; one is enough. */
export function messageProblem(message: LocalizedMessage): string | null {
  const present = NOTIFY_LOCALES.filter((l) => (message as Partial<LocalizedMessage>)[l] !== undefined);
  if (!present.length) {
    return 'invalid message: no zh-CN or en text';
  }
  for (const locale of present) {
    if (!validMessage(message[locale])) {
      const e = validMessage.errors?.[0];
      return `invalid message: ${locale}${e?.instancePath.replace(/\//g, '.') ?? ''} ${e?.message ?? ''}`.trim();
    }
  }
  return null;
}

/** The message in `locale`, or the other language when the sender gave only one. */
export function messageIn(message: Partial<LocalizedMessage>, locale: NotifyLocale): NotificationMessage {
  return (message[locale] ?? message['zh-CN'] ?? message.en)!;
}
