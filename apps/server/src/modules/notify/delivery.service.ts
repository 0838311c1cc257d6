import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { NOTIFY_LIMITS, NOTIFY_PERMISSIONS, type ChannelType, type LocalizedMessage, type NotifyDelivery, type NotifyDeliveryList, type NotifyDeliveryListQuery, type NotifyLocale, type NotifyTestResult } from '@yunwei/contracts/notify';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { PermissionId } from '@yunwei/contracts/access';
import type { Locale } from '@yunwei/contracts/i18n';
import type { Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError } from '../../platform/errors.js';
import { deliveryErrorIn } from '../../platform/notify/delivery-error-text.js';
import type { ModuleContext } from '../../platform/module.js';
import type { ChannelService } from './channel.service.js';
import type { DeliveryWorker } from './delivery-worker.js';
import type { DeliveryReach, DeliveryRow, NotifyRepository, SourceScope } from './notify.repository.js';
import type { NotifyDeliveryTable } from './notify.tables.js';
import { messageIn, messageProblem } from './notify-message.js';
import { testMessage } from './test-message.js';

/** What a sender (the alerting dispatcher) hands over: see `notifyOf(ctx).enqueue`. */
export interface EnqueueInput {
  channelId: string;
  message: LocalizedMessage;
  /** E-mail addresses (override the channel's `to`) or mobiles to @mention (robots). */
  recipients?: string[];
  /** The rate limit counts deliveries per channel and key per minute (e.g. `rule:<id>`). */
  rateKey?: string;
  source?: { kind: string; id: string };
}

const RETRYABLE = new Set(['failed', 'suppressed', 'retrying']);
/** A delivery as `locale`'s reader sees it (the stored error is English: see deliveryErrorIn). */
export function deliveryView(row: DeliveryRow, locale: Locale): NotifyDelivery {
  const message = fromJson<LocalizedMessage>(row.message);
  return {
    id: row.id,
    channelId: row.channel_id,
    channelName: row.channel_name,
    channelType: row.channel_type as ChannelType | null,
    status: row.status as NotifyDelivery['status'],
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at === null ? null : Number(row.next_attempt_at),
    lastError: row.last_error === null ? null : deliveryErrorIn(row.last_error, locale),
    title: messageIn(message, (row.channel_locale ?? 'zh-CN') as NotifyLocale)?.title ?? '',
    recipients: fromJson<string[]>(row.recipients),
    rateKey: row.rate_key,
    sourceKind: row.source_kind,
    sourceId: row.source_id,
    createdAt: Number(row.created_at),
    sentAt: row.sent_at === null ? null : Number(row.sent_at),
    durationMs: row.duration_ms,
  };
}

/**
 * The outbox: enqueue (a durable row, never the network), the delivery log, retry, and the test
 * message. Sending is the worker's.
 */
export class DeliveryService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'config'>,
    private readonly repo: NotifyRepository,
    private readonly channels: ChannelService,
    private readonly worker: DeliveryWorker,
  ) {}

  /**
   * Writes a `notify_delivery` row (inside `trx` when given) and wakes the worker. Nothing is dropped
   * silently: over the channel's rate for `rateKey` the row is `suppressed` with the reason; a
   * disabled channel gives `suppressed`, a missing one `failed`.
   */
  async enqueue(input: EnqueueInput, trx?: Kysely<Database>): Promise<{ deliveryId: string }> {
    const db = trx ?? this.ctx.db;
    const now = Date.now();
    const channel = await this.repo.channel(input.channelId, db);
    let status = 'queued';
    let reason: string | null = messageProblem(input.message);
    if (reason) {
      status = 'failed';
    } else if (!channel) {
      [status, reason] = ['failed', 'no such channel'];
    } else if (channel.enabled !== 1) {
      [status, reason] = ['suppressed', 'the channel is disabled'];
    } else if (input.rateKey && (await this.repo.recentCount(channel.id, input.rateKey, now - 60_000, db)) >= channel.rate_per_minute) {
      [status, reason] = ['suppressed', `rate limit: more than ${channel.rate_per_minute} per minute for ${input.rateKey}`];
    }
    const row: NotifyDeliveryTable = {
      id: uuidv7(),
      channel_id: input.channelId,
      status,
      attempts: 0,
      next_attempt_at: status === 'queued' ? now : null,
      lease_until: null,
      last_error: reason,
      message: toJson(input.message),
      recipients: toJson(input.recipients ?? []),
      rate_key: input.rateKey ?? null,
      source_kind: input.source?.kind ?? null,
      source_id: input.source?.id ?? null,
      created_at: now,
      sent_at: null,
      duration_ms: null,
    };
    await this.repo.insertDelivery(row, db);
    if (status === 'queued') {
      // Inside a caller's transaction the row is not visible yet: the next poll (≤ pollMs) finds it.
      this.worker.wake();
    }
    return { deliveryId: row.id };
  }

  /** The daily retention job: finished deliveries older than NOTIFY_LIMITS.deliveryRetentionDays go. */
  purgeLog(now = Date.now()): Promise<number> {
    return this.repo.purge(now - NOTIFY_LIMITS.deliveryRetentionDays * 86_400_000);
  }

  readonly #sources = new Map<string, SourceScope>();

  /**
   * A sending module says which of its deliveries (source kind `kind`) concern given org units
   * (alerting: those of alerts of their CIs). Readers limited to some units see those only, and
   * their own test messages; deliveries of the whole organisation (other people's tests, kinds
   * nobody scoped) are for unrestricted readers.
   */
  scopeSource(kind: string, deliveryIds: SourceScope): void {
    this.#sources.set(kind, deliveryIds);
  }

  #reach(actor: Actor, permission: PermissionId): DeliveryReach | null {
    const units = unitsReached(actor, permission);
    return units === null ? null : { units: [...units], userId: actor.userId, sources: this.#sources };
  }

  async list(actor: Actor, query: NotifyDeliveryListQuery): Promise<NotifyDeliveryList> {
    const { rows, total } = await this.repo.deliveries(query, this.#reach(actor, NOTIFY_PERMISSIONS.deliveryRead));
    return { items: rows.map((row) => deliveryView(row, actor.locale)), total };
  }

  async #row(id: string, reach: DeliveryReach | null = null): Promise<DeliveryRow> {
    const row = await this.repo.delivery(id, undefined, reach);
    if (!row) {
      throw new AppError('YW_NOTIFY_DELIVERY_NOT_FOUND', { id });
    }
    return row;
  }

  async get(id: string, locale: Locale): Promise<NotifyDelivery> {
    return deliveryView(await this.#row(id), locale);
  }

  /** A failed, suppressed or waiting delivery is due again now, with a fresh count of attempts. */
  async retry(actor: Actor, id: string): Promise<NotifyDelivery> {
    // A delivery outside the retrier's units does not exist for them (its title speaks of other units' alerts).
    const before = await this.#row(id, this.#reach(actor, NOTIFY_PERMISSIONS.deliverySend));
    if (!RETRYABLE.has(before.status)) {
      throw new AppError('YW_NOTIFY_DELIVERY_NOT_RETRYABLE', { id, status: before.status });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      const done = await trx
        .updateTable('notify_delivery')
        .set({ status: 'queued', attempts: 0, next_attempt_at: Date.now() })
        .where('id', '=', id)
        .where('status', '=', before.status)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        throw new AppError('YW_NOTIFY_DELIVERY_NOT_RETRYABLE', { id, status: 'changed meanwhile' });
      }
      await this.ctx.audit.record(trx, { actor, action: 'notify.delivery.retry', targetType: 'notify_delivery', targetId: id, before: { status: before.status, attempts: before.attempts, lastError: before.last_error } });
    });
    this.worker.wake();
    return this.get(id, actor.locale);
  }

  /**
   * Sends a test message through the channel now (enabled or not), waits for the outcome and logs it
   * as a delivery (`failed` at once when it fails: a test is not retried behind the user's back).
   */
  async test(actor: Actor, channelId: string): Promise<NotifyTestResult> {
    const channel = await this.channels.row(channelId);
    const now = Date.now();
    const row: NotifyDeliveryTable = {
      id: uuidv7(),
      channel_id: channelId,
      status: 'sending',
      attempts: 1,
      next_attempt_at: null,
      lease_until: now + this.worker.options.leaseMs,
      last_error: null,
      message: toJson(testMessage(channel.name, actor.username, now, { timeZone: this.ctx.config.timeZone, ...(this.ctx.config.publicUrl ? { publicUrl: this.ctx.config.publicUrl } : {}) })),
      recipients: toJson([]),
      rate_key: null,
      source_kind: 'test',
      source_id: actor.userId ?? null,
      created_at: now,
      sent_at: null,
      duration_ms: null,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.insertDelivery(row, trx);
      await this.ctx.audit.record(trx, { actor, action: 'notify.channel.test', targetType: 'notify_channel', targetId: channelId, after: { deliveryId: row.id } });
    });
    const outcome = await this.worker.attempt(row, 1, false, true);
    return { ok: outcome.ok, deliveryId: row.id, durationMs: outcome.durationMs, error: outcome.error === null ? null : deliveryErrorIn(outcome.error, actor.locale) };
  }
}
