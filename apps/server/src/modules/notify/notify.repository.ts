import type { Kysely, SelectQueryBuilder } from 'kysely';
import type { NotifyChannelListQuery, NotifyDeliveryListQuery } from '@yunwei/contracts/notify';
import { containsText } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { NotifyChannelTable, NotifyDeliveryTable } from './notify.tables.js';

export type DueRow = Pick<NotifyDeliveryTable, 'id' | 'channel_id' | 'status' | 'attempts'>;
/** What one attempt needs of its row. */
export type AttemptRow = Pick<NotifyDeliveryTable, 'id' | 'channel_id' | 'message' | 'recipients'>;
export type DeliveryRow = NotifyDeliveryTable & { channel_name: string | null; channel_type: string | null; channel_locale: string | null };

/** The delivery ids of one source kind a reader limited to `units` may see (a subquery: see DeliveryService.scopeSource). */
export type SourceScope = (db: Kysely<Database>, units: readonly string[]) => SelectQueryBuilder<Database, any, { delivery_id: string }>;

/**
 * What a reader limited to some org units sees of the log: deliveries of the source kinds whose
 * module says which concern those units, and their own test messages. Null: everything.
 */
export interface DeliveryReach {
  units: readonly string[];
  userId: string | null;
  sources: ReadonlyMap<string, SourceScope>;
}

/** Kysely queries of the notify module; writers take the executor (a transaction) when they may run in one. */
export class NotifyRepository {
  constructor(private readonly db: Kysely<Database>) {}

  channel(id: string, db: Kysely<Database> = this.db): Promise<NotifyChannelTable | undefined> {
    return db.selectFrom('notify_channel').selectAll().where('id', '=', id).executeTakeFirst();
  }

  async channels(query: NotifyChannelListQuery): Promise<{ rows: NotifyChannelTable[]; total: number }> {
    let q = this.db.selectFrom('notify_channel');
    if (query.type) {
      q = q.where('type', '=', query.type);
    }
    if (query.q?.trim()) {
      q = q.where(containsText(this.db, 'name', query.q.trim()));
    }
    const { n } = await q.select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .selectAll()
      .orderBy('name')
      .orderBy('id')
      .offset(query.offset ?? 0)
      .limit(query.limit ?? 500)
      .execute();
    return { rows, total: Number(n) };
  }

  /** Ids of the enabled default channels, by name. */
  async defaultChannelIds(): Promise<string[]> {
    const rows = await this.db.selectFrom('notify_channel').select('id').where('is_default', '=', 1).where('enabled', '=', 1).orderBy('name').orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /** Deliveries of `channelId` with `rateKey` created since `since`, not counting suppressed ones. */
  async recentCount(channelId: string, rateKey: string, since: number, db: Kysely<Database> = this.db): Promise<number> {
    const { n } = await db
      .selectFrom('notify_delivery')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('channel_id', '=', channelId)
      .where('rate_key', '=', rateKey)
      .where('created_at', '>', since)
      .where('status', '<>', 'suppressed')
      .executeTakeFirstOrThrow();
    return Number(n);
  }

  async insertDelivery(row: NotifyDeliveryTable, db: Kysely<Database> = this.db): Promise<void> {
    await db.insertInto('notify_delivery').values(row).execute();
  }

  /** Deliveries with their channel's name, type and language; `reach`: only those a limited reader may see. */
  #withChannel(db: Kysely<Database>, reach: DeliveryReach | null = null) {
    const q = db
      .selectFrom('notify_delivery as d')
      .leftJoin('notify_channel as c', 'c.id', 'd.channel_id')
      .selectAll('d')
      .select(['c.name as channel_name', 'c.type as channel_type', 'c.locale as channel_locale']);
    if (!reach) {
      return q;
    }
    return q.where((eb) =>
      eb.or([
        ...[...reach.sources].map(([kind, ids]) => eb.and([eb('d.source_kind', '=', kind), eb('d.id', 'in', ids(this.db, reach.units))])),
        ...(reach.userId ? [eb.and([eb('d.source_kind', '=', 'test'), eb('d.source_id', '=', reach.userId)])] : []),
      ]),
    );
  }

  delivery(id: string, db: Kysely<Database> = this.db, reach: DeliveryReach | null = null): Promise<DeliveryRow | undefined> {
    return this.#withChannel(db, reach).where('d.id', '=', id).executeTakeFirst();
  }

  async deliveries(query: NotifyDeliveryListQuery, reach: DeliveryReach | null = null): Promise<{ rows: DeliveryRow[]; total: number }> {
    let q = this.#withChannel(this.db, reach);
    if (query.channelId) {
      q = q.where('d.channel_id', '=', query.channelId);
    }
    if (query.status) {
      q = q.where('d.status', '=', query.status);
    }
    if (query.sourceKind) {
      q = q.where('d.source_kind', '=', query.sourceKind);
    }
    if (query.sourceId) {
      q = q.where('d.source_id', '=', query.sourceId);
    }
    const { n } = await q.clearSelect().select((eb) => eb.fn.countAll<string | number>().as('n')).executeTakeFirstOrThrow();
    const rows = await q
      .orderBy('d.created_at', 'desc')
      .orderBy('d.id', 'desc')
      .offset(query.offset ?? 0)
      .limit(query.limit ?? 50)
      .execute();
    return { rows, total: Number(n) };
  }

  /** Queued and retrying rows that are due, oldest first, leaving out channels that have no free slot (claim columns only). */
  due(now: number, limit: number, busyChannels: readonly string[]): Promise<DueRow[]> {
    let q = this.db
      .selectFrom('notify_delivery')
      .select(['id', 'channel_id', 'status', 'attempts'])
      .where('status', 'in', ['queued', 'retrying'])
      .where('next_attempt_at', '<=', now);
    if (busyChannels.length) {
      q = q.where('channel_id', 'not in', busyChannels);
    }
    return q.orderBy('next_attempt_at').orderBy('id').limit(limit).execute();
  }

  /** What a claimed row sends. */
  payload(id: string): Promise<Pick<NotifyDeliveryTable, 'message' | 'recipients'> | undefined> {
    return this.db.selectFrom('notify_delivery').select(['message', 'recipients']).where('id', '=', id).executeTakeFirst();
  }

  /**
   * Takes a due row for sending: compare-and-set on status and attempts, so of two workers (or
   * nodes) reading the same row only one gets it. True when this caller got it.
   */
  async claim(row: Pick<NotifyDeliveryTable, 'id' | 'status' | 'attempts'>, leaseUntil: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notify_delivery')
      .set({ status: 'sending', attempts: row.attempts + 1, lease_until: leaseUntil })
      .where('id', '=', row.id)
      .where('status', '=', row.status)
      .where('attempts', '=', row.attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Records the outcome of the attempt `attempts`, unless the row was taken back meanwhile (lease expired). */
  async finish(id: string, attempts: number, patch: Partial<Pick<NotifyDeliveryTable, 'status' | 'next_attempt_at' | 'last_error' | 'sent_at' | 'duration_ms'>>): Promise<boolean> {
    const result = await this.db
      .updateTable('notify_delivery')
      .set({ ...patch, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'sending')
      .where('attempts', '=', attempts)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Finished deliveries created before `before` leave the log; queued and retrying ones never do. */
  async purge(before: number): Promise<number> {
    const result = await this.db.deleteFrom('notify_delivery').where('created_at', '<', before).where('status', 'in', ['sent', 'failed', 'suppressed']).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Rows whose sender stopped without an outcome (crash, restart) go back to retrying, due now. */
  async releaseExpired(now: number): Promise<number> {
    const result = await this.db
      .updateTable('notify_delivery')
      .set({ status: 'retrying', next_attempt_at: now, lease_until: null, last_error: 'the sending node stopped before an answer (lease expired)' })
      .where('status', '=', 'sending')
      .where('lease_until', '<', now)
      .executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
