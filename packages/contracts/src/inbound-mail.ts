import Type, { type Static } from 'typebox';
import type { PermissionId } from './access.js';
import { Epoch, Id } from './common.js';

/*
 * Inbound e-mail (收件箱与隔离区, issue 14): an SMTP receiver (off by default, YUNWEI_MAIL_RECEIVER_PORT) that
 * stores every accepted message before answering 250, matches the sender to a user and hands the mail to
 * the handlers other modules register (the incidents module turns a mail into an incident). A mail that
 * cannot be parsed, comes from an unknown sender or that no handler takes is kept in quarantine, never lost.
 *
 * - GET  /api/inbound-mail                  InboundMailQuery → InboundMailList         mailin.message.read
 * - GET  /api/inbound-mail/settings         → InboundMailSettings                      mailin.message.read
 * - GET  /api/inbound-mail/senders?q=       → InboundMailSenderList (active users)     mailin.message.manage
 * - GET  /api/inbound-mail/:id              → InboundMailDetail                        mailin.message.read
 * - GET  /api/inbound-mail/:id/raw          → the message as received (.eml)           mailin.message.read
 * - POST /api/inbound-mail/:id/process      InboundMailProcess → InboundMailDetail      mailin.message.manage
 * - POST /api/inbound-mail/:id/discard      → InboundMailDetail                        mailin.message.manage
 */
export const INBOUND_MAIL_PERMISSIONS = {
  read: 'mailin.message.read',
  /** Assign a sender and process again, discard. */
  manage: 'mailin.message.manage',
} as const satisfies Record<string, PermissionId>;

/**
 * `received`: stored, not yet processed (or its processing was interrupted: a periodic pass takes it up);
 * `processed`: a handler made something of it; `quarantined`: kept for a person (unknown sender, malformed,
 * no handler); `failed`: a handler threw; `discarded`: a person threw it away (the row and the raw stay).
 */
export const INBOUND_MAIL_STATUSES = ['received', 'processed', 'quarantined', 'failed', 'discarded'] as const;
export type InboundMailStatus = (typeof INBOUND_MAIL_STATUSES)[number];

/** Why a mail is quarantined or failed: a code stored with its parameters, worded on read. */
export const INBOUND_MAIL_REASONS = {
  unknownSender: { zh: '发件人 {{address}} 不是任何在用账号的邮箱', en: 'the sender {{address}} is not the e-mail of any active user' },
  senderDisabled: { zh: '发件人 {{name}} 的账号已停用', en: "the sender {{name}}'s account is disabled" },
  malformed: { zh: '邮件格式无法解析或缺少发件人（From）：{{detail}}', en: 'the message cannot be parsed or has no sender (From): {{detail}}' },
  noHandler: { zh: '没有处理程序接收发往 {{to}} 的邮件', en: 'no handler takes mail to {{to}}' },
  handlerFailed: { zh: '处理程序 {{handler}} 出错：{{error}}', en: 'the handler {{handler}} failed: {{error}}' },
  senderGone: { zh: '指定的发件人账号已不存在', en: 'the assigned sender no longer exists' },
} as const;
export type InboundMailReason = keyof typeof INBOUND_MAIL_REASONS;

export const INBOUND_MAIL_LIMITS = {
  /** The plain body kept in the row (characters); the raw message keeps everything. */
  text: 100_000,
  subject: 998,
  attachments: 100,
} as const;

const Nullable = <T extends Type.TSchema>(t: T) => Type.Union([t, Type.Null()]);

/** What a mail became: e.g. `{ type: 'incident', id, label: 'INC-2026-001 数据库连接失败', path: '/incidents/…' }`. */
export const InboundMailResult = Type.Object({
  type: Type.String(),
  id: Type.String(),
  label: Type.String(),
  /** Where it lives in the web app (relative). */
  path: Type.Optional(Type.String()),
});
export type InboundMailResult = Static<typeof InboundMailResult>;

export const InboundMailAttachment = Type.Object({ filename: Type.String(), contentType: Type.String(), size: Type.Integer() });
export type InboundMailAttachment = Static<typeof InboundMailAttachment>;

export const InboundMailSummary = Type.Object({
  id: Type.String(),
  receivedAt: Epoch,
  /** The header From address (null: malformed). */
  from: Nullable(Type.String()),
  fromName: Type.String(),
  subject: Type.String(),
  status: Type.Enum(INBOUND_MAIL_STATUSES),
  reasonCode: Nullable(Type.String()),
  /** Why it is quarantined or failed, in the reader's language. */
  reason: Nullable(Type.String()),
  senderUserId: Nullable(Type.String()),
  /** The matched or assigned sender's display name. */
  senderName: Nullable(Type.String()),
  handler: Nullable(Type.String()),
  result: Nullable(InboundMailResult),
  size: Type.Integer(),
  attachmentCount: Type.Integer(),
  processedAt: Nullable(Epoch),
});
export type InboundMailSummary = Static<typeof InboundMailSummary>;

export const InboundMailDetail = Type.Intersect([
  InboundMailSummary,
  Type.Object({
    messageId: Nullable(Type.String()),
    envelopeFrom: Nullable(Type.String()),
    envelopeTo: Type.Array(Type.String()),
    /** The header To and Cc addresses. */
    to: Type.Array(Type.String()),
    text: Type.String(),
    /** The body was longer than INBOUND_MAIL_LIMITS.text (the raw message has it all). */
    textTruncated: Type.Boolean(),
    attachments: Type.Array(InboundMailAttachment),
  }),
]);
export type InboundMailDetail = Static<typeof InboundMailDetail>;

export const InboundMailQuery = Type.Object(
  {
    status: Type.Optional(Type.Enum(INBOUND_MAIL_STATUSES)),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
  },
  { additionalProperties: false },
);
export type InboundMailQuery = Static<typeof InboundMailQuery>;

export const InboundMailList = Type.Object({ items: Type.Array(InboundMailSummary), total: Type.Integer() });
export type InboundMailList = Static<typeof InboundMailList>;

/** Process again; with `senderUserId` the mail is handled as that user (the header From is not trusted then). */
export const InboundMailProcess = Type.Object({ senderUserId: Type.Optional(Id) }, { additionalProperties: false });
export type InboundMailProcess = Static<typeof InboundMailProcess>;

export const InboundMailSenderQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false });
export const InboundMailSenderList = Type.Object({
  items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), username: Type.String(), email: Type.String() })),
});
export type InboundMailSenderList = Static<typeof InboundMailSenderList>;

/** Whether the receiver is on and how it is set (the page says how to turn it on when it is off). */
export const InboundMailSettings = Type.Object({
  enabled: Type.Boolean(),
  /** Listening now on this node. */
  listening: Type.Boolean(),
  host: Type.String(),
  /** The configured port (null: off); `boundPort` is the one listening (differs for port 0). */
  port: Nullable(Type.Integer()),
  boundPort: Nullable(Type.Integer()),
  /** Empty: every recipient domain. */
  domains: Type.Array(Type.String()),
  /** Empty: any address may connect. */
  allow: Type.Array(Type.String()),
  maxBytes: Type.Integer(),
  startTls: Type.Boolean(),
  /** The registered handlers' names. */
  handlers: Type.Array(Type.String()),
});
export type InboundMailSettings = Static<typeof InboundMailSettings>;
