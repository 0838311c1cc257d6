import { simpleParser, type AddressObject } from 'mailparser';
import { INBOUND_MAIL_LIMITS, type InboundMailAttachment } from '@yunwei/contracts/inbound-mail';

/** What the receiver keeps of a message besides its raw bytes. */
export interface ParsedInbound {
  messageId: string | null;
  from: string | null;
  fromName: string;
  to: string[];
  subject: string;
  text: string;
  textTruncated: boolean;
  attachments: InboundMailAttachment[];
  /** Why it is malformed (cannot be parsed, no From); null when it is fine. */
  problem: string | null;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  const out: string[] = [];
  const walk = (items: AddressObject['value']) => {
    for (const item of items) {
      if (item.address) {
        out.push(item.address.toLowerCase());
      }
      if (item.group) {
        walk(item.group);
      }
    }
  };
  for (const a of list) {
    walk(a.value);
  }
  return [...new Set(out)];
}

/** A crude HTML → text for a message without a text part (mailparser usually gives one already). */
function htmlText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const ADDRESS = /^[^\s@<>]+@[^\s@<>]+$/;

/** Parses a message as received; never throws (a message that cannot be parsed is `problem`). */
export async function parseInbound(raw: Buffer): Promise<ParsedInbound> {
  try {
    const mail = await simpleParser(raw, { skipImageLinks: true, skipTextToHtml: true, skipTextLinks: true });
    const sender = mail.from?.value.find((v) => v.address);
    const from = sender?.address && ADDRESS.test(sender.address) ? sender.address.toLowerCase() : null;
    const body = mail.text ?? (typeof mail.html === 'string' ? htmlText(mail.html) : '');
    const messageId = mail.messageId ? mail.messageId.replace(/^<|>$/g, '').trim().slice(0, 998) || null : null;
    return {
      messageId,
      from,
      fromName: (sender?.name ?? '').slice(0, 200),
      to: [...new Set([...addresses(mail.to), ...addresses(mail.cc)])],
      subject: (mail.subject ?? '').slice(0, INBOUND_MAIL_LIMITS.subject),
      text: body.slice(0, INBOUND_MAIL_LIMITS.text),
      textTruncated: body.length > INBOUND_MAIL_LIMITS.text,
      attachments: mail.attachments.slice(0, INBOUND_MAIL_LIMITS.attachments).map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, size: a.size })),
      problem: from ? null : 'no From address',
    };
  } catch (error) {
    return { messageId: null, from: null, fromName: '', to: [], subject: '', text: '', textTruncated: false, attachments: [], problem: error instanceof Error ? error.message : String(error) };
  }
}
