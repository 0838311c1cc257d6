import type { InboundMailStatus } from '@yunwei/contracts/inbound-mail';

/** One message the SMTP receiver accepted: stored (row + raw .eml in the file store) before the 250 answer. */
export interface InboundMailTable {
  id: string;
  /** The Message-ID header without brackets (unique: the same message twice is stored once); null when absent. */
  message_id: string | null;
  received_at: number;
  envelope_from: string | null;
  /** JSON array of the RCPT TO addresses. */
  envelope_to: string;
  /** The header From address, lower-cased (null: malformed). */
  header_from: string | null;
  from_name: string;
  /** JSON array of the header To and Cc addresses. */
  header_to: string;
  subject: string;
  /** The plain body (HTML turned to text when there is no text part), capped at INBOUND_MAIL_LIMITS.text. */
  text_body: string;
  text_truncated: number;
  /** JSON array of `{ filename, contentType, size }`. */
  attachments: string;
  size: number;
  /** Why the message could not be parsed (kept as received: it is quarantined as malformed). */
  parse_error: string | null;
  /** The file store key of the message as received. */
  raw_key: string;
  status: InboundMailStatus;
  /** A code of INBOUND_MAIL_REASONS and its parameters (JSON), worded on read. */
  reason_code: string | null;
  reason_params: string | null;
  sender_user_id: string | null;
  /** Set when a person assigned the sender (the header From is not trusted then). */
  sender_assigned_by: string | null;
  handler: string | null;
  /** JSON `{ type, id, label, path? }` of what the mail became. */
  result: string | null;
  processed_at: number | null;
  /** While processing: the claim's end (a conditional UPDATE takes it, so one node processes a row at a time). */
  claimed_until: number | null;
}

declare module '../../db/schema.js' {
  interface Database {
    inbound_mail: InboundMailTable;
  }
}
