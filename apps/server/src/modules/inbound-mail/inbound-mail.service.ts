import { uuidv7 } from 'uuidv7';
import { ERRORS } from '@yunwei/contracts/errors';
import type { Locale } from '@yunwei/contracts/i18n';
import {
  INBOUND_MAIL_PERMISSIONS as P,
  INBOUND_MAIL_REASONS,
  type InboundMailAttachment,
  type InboundMailDetail,
  type InboundMailList,
  type InboundMailProcess,
  type InboundMailQuery,
  type InboundMailReason,
  type InboundMailResult,
  type InboundMailSenderList,
  type InboundMailStatus,
  type InboundMailSummary,
} from '@yunwei/contracts/inbound-mail';
import { fromJson, toJson } from '../../db/dialect.js';
import { requirePermission, systemActor, type Actor } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { AccessService } from '../access/access.service.js';
import { parseInbound } from './inbound-mail.parse.js';
import { InboundMailRepository, type SenderUser } from './inbound-mail.repository.js';
import type { InboundMailTable } from './inbound-mail.tables.js';
import type { SmtpEnvelope } from './smtp-receiver.js';

/** A message as handlers get it. */
export interface InboundMail {
  id: string;
  messageId: string | null;
  receivedAt: number;
  /** The header From address (lower-case); null when malformed and a person assigned the sender. */
  from: string | null;
  fromName: string;
  /** Header To and Cc. */
  to: string[];
  envelopeTo: string[];
  subject: string;
  text: string;
  attachments: InboundMailAttachment[];
  /** The message as received (attachments' bytes are there). */
  raw(): Promise<Buffer>;
}

/** Who sent it: the user matched by the From address (or assigned by a person), as an actor with their permissions now. */
export interface InboundMailSender {
  actor: Actor;
  user: { id: string; username: string; displayName: string; email: string };
}

export interface InboundMailHandler {
  /** Shown in lists and stored with what it made (e.g. `incidents`). */
  name: string;
  /** Which recipient addresses it takes (envelope and header To/Cc); absent: every message. */
  recipients?: (address: string) => boolean;
  /** What the mail became, or null when this handler does not take it (the next one is asked). Throwing marks the mail failed. */
  handle(mail: InboundMail, sender: InboundMailSender): Promise<InboundMailResult | null>;
}

/** How long a claim holds a row (a node dying mid-way leaves it to another after this). */
export const CLAIM_MS = 5 * 60_000;
/** Rows one pending pass takes at most. */
const BATCH = 50;

export const rawKey = (id: string) => `inbound-mail/${id}.eml`;

/** `{{name}}` placeholders of a reason, in `locale`. */
export function reasonText(code: string | null, params: string | null, locale: Locale): string | null {
  if (!code) {
    return null;
  }
  const template = INBOUND_MAIL_REASONS[code as InboundMailReason];
  if (!template) {
    return code;
  }
  const values = params ? fromJson<Record<string, string>>(params) : {};
  return (locale === 'en' ? template.en : template.zh).replace(/\{\{(\w+)\}\}/g, (_m, key: string) => values[key] ?? '');
}

/** A handler's failure in canonical English (stored, worded as is on read): a coded refusal by its catalogue text and field. */
function failureText(error: unknown): string {
  if (error instanceof AppError) {
    const problem = error.details?.fields?.[0];
    return `${ERRORS[error.code].en} (${error.code}${problem ? `, ${problem.field}: ${problem.message.en}` : error.details?.field ? `, ${error.details.field}` : ''})`;
  }
  return error instanceof Error ? error.message : String(error);
}

type Outcome = Pick<InboundMailTable, 'status' | 'reason_code' | 'reason_params' | 'sender_user_id' | 'handler' | 'result'>;

const quarantine = (reason: InboundMailReason, params: Record<string, string>, sender: string | null = null): Outcome => ({
  status: 'quarantined',
  reason_code: reason,
  reason_params: toJson(params),
  sender_user_id: sender,
  handler: null,
  result: null,
});

/**
 * Inbound mail: stores what the receiver accepts (raw first, then the row, before the 250 answer), then
 * processes it — the sender matched to a user, the registered handlers asked in turn — and keeps what
 * cannot be processed in quarantine. Processing claims a row by a conditional UPDATE: once across nodes.
 */
export class InboundMailService {
  readonly repo: InboundMailRepository;
  readonly #handlers: InboundMailHandler[] = [];
  #pass: Promise<void> | null = null;
  #again = false;

  constructor(private readonly ctx: ModuleContext) {
    this.repo = new InboundMailRepository(ctx.db);
  }

  register(handler: InboundMailHandler): void {
    if (this.#handlers.some((h) => h.name === handler.name)) {
      throw new Error(`inbound mail: a handler named ${handler.name} is already registered`);
    }
    this.#handlers.push(handler);
  }

  get handlerNames(): string[] {
    return this.#handlers.map((h) => h.name);
  }

  /**
   * Stores a message as received: the raw bytes in the file store, then the row and its audit entry in
   * one transaction. The same Message-ID again is stored once (and answered 250 all the same). Returns
   * the row's id, or null for a duplicate.
   */
  async accept(envelope: SmtpEnvelope, raw: Buffer, now = Date.now()): Promise<string | null> {
    const parsed = await parseInbound(raw);
    if (parsed.messageId && (await this.repo.byMessageId(parsed.messageId))) {
      return null;
    }
    const id = uuidv7();
    const row: InboundMailTable = {
      id,
      message_id: parsed.messageId,
      received_at: now,
      envelope_from: envelope.from,
      envelope_to: toJson(envelope.to.map((a) => a.toLowerCase())),
      header_from: parsed.from,
      from_name: parsed.fromName,
      header_to: toJson(parsed.to),
      subject: parsed.subject,
      text_body: parsed.text,
      text_truncated: parsed.textTruncated ? 1 : 0,
      attachments: toJson(parsed.attachments),
      size: raw.length,
      parse_error: parsed.problem,
      raw_key: rawKey(id),
      status: 'received',
      reason_code: null,
      reason_params: null,
      sender_user_id: null,
      sender_assigned_by: null,
      handler: null,
      result: null,
      processed_at: null,
      claimed_until: null,
    };
    await this.ctx.files.put(row.raw_key, raw);
    let inserted = false;
    try {
      inserted = await this.ctx.db.transaction().execute(async (trx) => {
        if (!(await this.repo.insert(trx, row))) {
          return false;
        }
        await this.ctx.audit.record(trx, {
          actor: systemActor('mailin'),
          action: 'mailin.message.receive',
          targetType: 'inbound_mail',
          targetId: id,
          after: { messageId: row.message_id, envelopeFrom: row.envelope_from, envelopeTo: envelope.to, from: row.header_from, subject: row.subject, size: row.size, remoteAddress: envelope.remoteAddress, malformed: row.parse_error },
        });
        return true;
      });
    } finally {
      if (!inserted) {
        await this.ctx.files.remove(row.raw_key).catch(() => undefined);
      }
    }
    if (!inserted) {
      return null;
    }
    this.kick();
    return id;
  }

  /** Starts a pending pass soon (one at a time; a call during a pass makes it run once more). */
  kick(): void {
    if (this.#pass) {
      this.#again = true;
      return;
    }
    this.#pass = (async () => {
      try {
        do {
          this.#again = false;
          await this.processPending();
        } while (this.#again);
      } catch (error) {
        this.ctx.log.error({ err: error }, 'inbound mail: pending pass failed');
      } finally {
        this.#pass = null;
      }
    })();
  }

  /** Waits for the pass under way, if any (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#pass) {
      await this.#pass;
    }
  }

  /** Processes the `received` rows nobody holds (new ones, and those a stopped node left); returns how many this call processed. */
  async processPending(now = Date.now()): Promise<number> {
    let done = 0;
    for (const { id } of await this.repo.pending(now, BATCH)) {
      if (await this.#process(id, ['received'], null)) {
        done++;
      }
    }
    return done;
  }

  async list(actor: Actor, query: InboundMailQuery): Promise<InboundMailList> {
    requirePermission(actor, P.read);
    const { rows, total } = await this.repo.list({ status: query.status, offset: query.offset ?? 0, limit: query.limit ?? 50 });
    const names = await this.#names(rows.map((r) => r.sender_user_id));
    return { items: rows.map((r) => this.#summary(r, names, actor.locale)), total };
  }

  async get(actor: Actor, id: string): Promise<InboundMailDetail> {
    requirePermission(actor, P.read);
    const row = await this.#find(id);
    const names = await this.#names([row.sender_user_id]);
    return {
      ...this.#summary(row, names, actor.locale),
      messageId: row.message_id,
      envelopeFrom: row.envelope_from,
      envelopeTo: fromJson<string[]>(row.envelope_to),
      to: fromJson<string[]>(row.header_to),
      text: row.text_body,
      textTruncated: row.text_truncated === 1,
      attachments: fromJson<InboundMailAttachment[]>(row.attachments),
    };
  }

  /** The message as received; the download is audited (mail may carry personal data). */
  async raw(actor: Actor, id: string): Promise<{ filename: string; body: Buffer }> {
    requirePermission(actor, P.read);
    const row = await this.#find(id);
    const body = await this.ctx.files.get(row.raw_key);
    if (!body) {
      throw new AppError('YW_NOT_FOUND', { field: 'params.id' });
    }
    await this.ctx.audit.recordNow({ actor, action: 'mailin.message.download', targetType: 'inbound_mail', targetId: id, after: { subject: row.subject, from: row.header_from } });
    return { filename: `${id}.eml`, body };
  }

  /** Processes a quarantined, failed or stuck mail again, as `senderUserId` when given; answers the outcome. */
  async reprocess(actor: Actor, id: string, input: InboundMailProcess): Promise<InboundMailDetail> {
    requirePermission(actor, P.manage);
    const row = await this.#find(id);
    if (input.senderUserId) {
      const [user] = await this.repo.users([input.senderUserId]);
      if (!user) {
        throw invalidField('body.senderUserId', { zh: '没有这个用户', en: 'No such user' });
      }
      if (user.status !== 'active') {
        throw invalidField('body.senderUserId', { zh: `${user.display_name} 的账号已停用，不能作为发件人`, en: `${user.display_name}'s account is disabled: it cannot be the sender` });
      }
    }
    if (!(['quarantined', 'failed', 'received'] as InboundMailStatus[]).includes(row.status) || !(await this.#process(id, ['quarantined', 'failed', 'received'], { actor, senderUserId: input.senderUserId ?? null }))) {
      throw new AppError('YW_CONFLICT', {
        field: 'params.id',
        fields: [{ field: 'params.id', message: { zh: '只有隔离、失败或待处理（且未在处理中）的邮件可以重新处理', en: 'Only quarantined, failed or pending mail (not being processed right now) can be processed again' } }],
      });
    }
    return this.get(actor, id);
  }

  async discard(actor: Actor, id: string): Promise<InboundMailDetail> {
    requirePermission(actor, P.manage);
    const row = await this.#find(id);
    const now = Date.now();
    const done = await this.ctx.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('inbound_mail')
        .set({ status: 'discarded', processed_at: now })
        .where('id', '=', id)
        .where('status', 'in', ['quarantined', 'failed', 'received'])
        .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        return false;
      }
      await this.ctx.audit.record(trx, { actor, action: 'mailin.message.discard', targetType: 'inbound_mail', targetId: id, before: { status: row.status, subject: row.subject, from: row.header_from }, after: { status: 'discarded' } });
      return true;
    });
    if (!done) {
      throw new AppError('YW_CONFLICT', {
        field: 'params.id',
        fields: [{ field: 'params.id', message: { zh: '只有隔离、失败或待处理（且未在处理中）的邮件可以丢弃', en: 'Only quarantined, failed or pending mail (not being processed right now) can be discarded' } }],
      });
    }
    return this.get(actor, id);
  }

  async senders(actor: Actor, q: string | undefined): Promise<InboundMailSenderList> {
    requirePermission(actor, P.manage);
    const users = await this.repo.activeUsers(q, 50);
    return { items: users.map((u) => ({ id: u.id, name: u.display_name, username: u.username, email: u.email })) };
  }

  /**
   * Claims a row (status among `from`, no live claim), decides its outcome and writes it with the audit
   * entry; false when another node or call holds it. `by`: a person processing it again (their actor is
   * audited; `senderUserId` is the sender they assign).
   */
  async #process(id: string, from: InboundMailStatus[], by: { actor: Actor; senderUserId: string | null } | null): Promise<boolean> {
    const now = Date.now();
    const until = now + CLAIM_MS;
    if (!(await this.repo.claim(id, from, now, until))) {
      return false;
    }
    let outcome: Outcome;
    const row = (await this.repo.find(id))!;
    try {
      outcome = await this.#decide(row, by?.senderUserId ?? null);
    } catch (error) {
      outcome = { status: 'failed', reason_code: 'handlerFailed', reason_params: toJson({ handler: '-', error: failureText(error) }), sender_user_id: row.sender_user_id, handler: null, result: null };
    }
    const assigned = by?.senderUserId ? { sender_assigned_by: by.actor.userId ?? by.actor.username } : {};
    await this.ctx.db.transaction().execute(async (trx) => {
      if (!(await this.repo.settle(trx, id, until, { ...outcome, ...assigned, processed_at: Date.now() }))) {
        return; // the claim ran out and another node took the row: its outcome stands
      }
      await this.ctx.audit.record(trx, {
        actor: by?.actor ?? systemActor('mailin'),
        action: 'mailin.message.process',
        targetType: 'inbound_mail',
        targetId: id,
        before: { status: row.status, senderUserId: row.sender_user_id },
        after: { status: outcome.status, reason: outcome.reason_code, senderUserId: outcome.sender_user_id, handler: outcome.handler, result: outcome.result ? fromJson(outcome.result) : null, subject: row.subject, from: row.header_from },
      });
    });
    return true;
  }

  async #decide(row: InboundMailTable, assigned: string | null): Promise<Outcome> {
    const senderId = assigned ?? (row.sender_assigned_by ? row.sender_user_id : null);
    let user: SenderUser | undefined;
    if (senderId) {
      [user] = await this.repo.users([senderId]);
      if (!user) {
        return quarantine('senderGone', {});
      }
    } else if (!row.header_from) {
      return quarantine('malformed', { detail: row.parse_error ?? 'no From address' });
    } else {
      user = await this.repo.userByEmail(row.header_from);
      if (!user) {
        return quarantine('unknownSender', { address: row.header_from });
      }
    }
    if (user.status !== 'active') {
      return quarantine('senderDisabled', { name: user.display_name }, user.id);
    }
    const grants = await new AccessService(this.ctx).resolveGrants(user.id);
    const sender: InboundMailSender = {
      actor: { kind: 'user', userId: user.id, username: user.username, ip: '127.0.0.1', locale: 'zh-CN', ...grants },
      user: { id: user.id, username: user.username, displayName: user.display_name, email: user.email },
    };
    const envelopeTo = fromJson<string[]>(row.envelope_to);
    const to = fromJson<string[]>(row.header_to);
    const addresses = [...new Set([...envelopeTo, ...to])];
    const mail: InboundMail = {
      id: row.id,
      messageId: row.message_id,
      receivedAt: Number(row.received_at),
      from: row.header_from,
      fromName: row.from_name,
      to,
      envelopeTo,
      subject: row.subject,
      text: row.text_body,
      attachments: fromJson<InboundMailAttachment[]>(row.attachments),
      raw: async () => (await this.ctx.files.get(row.raw_key)) ?? Buffer.alloc(0),
    };
    for (const handler of this.#handlers) {
      if (handler.recipients && !addresses.some((a) => handler.recipients!(a))) {
        continue;
      }
      try {
        const result = await handler.handle(mail, sender);
        if (result) {
          return { status: 'processed', reason_code: null, reason_params: null, sender_user_id: user.id, handler: handler.name, result: toJson(result) };
        }
      } catch (error) {
        const message = failureText(error);
        return { status: 'failed', reason_code: 'handlerFailed', reason_params: toJson({ handler: handler.name, error: message.slice(0, 2000) }), sender_user_id: user.id, handler: handler.name, result: null };
      }
    }
    return quarantine('noHandler', { to: addresses.join(', ') || '-' }, user.id);
  }

  async #find(id: string): Promise<InboundMailTable> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_NOT_FOUND', { field: 'params.id' });
    }
    return row;
  }

  async #names(ids: (string | null)[]): Promise<Map<string, string>> {
    const users = await this.repo.users([...new Set(ids.filter((i): i is string => i !== null))]);
    return new Map(users.map((u) => [u.id, u.display_name]));
  }

  #summary(r: InboundMailTable, names: Map<string, string>, locale: Locale): InboundMailSummary {
    return {
      id: r.id,
      receivedAt: Number(r.received_at),
      from: r.header_from,
      fromName: r.from_name,
      subject: r.subject,
      status: r.status,
      reasonCode: r.reason_code,
      reason: reasonText(r.reason_code, r.reason_params, locale),
      senderUserId: r.sender_user_id,
      senderName: r.sender_user_id ? (names.get(r.sender_user_id) ?? null) : null,
      handler: r.handler,
      result: r.result ? fromJson<InboundMailResult>(r.result) : null,
      size: Number(r.size),
      attachmentCount: fromJson<unknown[]>(r.attachments).length,
      processedAt: r.processed_at === null ? null : Number(r.processed_at),
    };
  }
}
