import type { Kysely } from 'kysely';
import type { InboundMailStatus } from '@yunwei/contracts/inbound-mail';
import type { Database } from '../../db/schema.js';
import type { InboundMailTable } from './inbound-mail.tables.js';

type Db = Kysely<Database>;

export interface SenderUser {
  id: string;
  username: string;
  display_name: string;
  email: string;
  status: string;
}

/** Queries of the inbound mail; writes take the executor (a transaction's `trx`). */
export class InboundMailRepository {
  constructor(private readonly db: Db) {}

  find(id: string, db: Db = this.db): Promise<InboundMailTable | undefined> {
    return db.selectFrom('inbound_mail').selectAll().where('id', '=', id).executeTakeFirst();
  }

  byMessageId(messageId: string): Promise<{ id: string } | undefined> {
    return this.db.selectFrom('inbound_mail').select('id').where('message_id', '=', messageId).executeTakeFirst();
  }

  /** Inserts the row unless a row with its Message-ID is there; true when this call inserted it. */
  async insert(trx: Db, row: InboundMailTable): Promise<boolean> {
    const inserted = await trx.insertInto('inbound_mail').values(row).onConflict((oc) => oc.column('message_id').doNothing()).returning('id').execute();
    return inserted.length === 1;
  }

  async list(query: { status?: InboundMailStatus; offset: number; limit: number }): Promise<{ rows: InboundMailTable[]; total: number }> {
    let q = this.db.selectFrom('inbound_mail');
    if (query.status) {
      q = q.where('status', '=', query.status);
    }
    const rows = await q.selectAll().orderBy('received_at', 'desc').orderBy('id', 'desc').offset(query.offset).limit(query.limit).execute();
    const count = await q.select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    return { rows, total: Number(count.n) };
  }

  /** `received` rows nobody holds a claim on (new, or their node stopped mid-way), oldest first. */
  pending(now: number, limit: number): Promise<{ id: string }[]> {
    return this.db
      .selectFrom('inbound_mail')
      .select('id')
      .where('status', '=', 'received')
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .orderBy('received_at')
      .limit(limit)
      .execute();
  }

  /**
   * Takes a row for processing until `until`: one conditional UPDATE (status among `from`, no live claim),
   * so of two nodes (or a node and a person) exactly one processes it. True when this call took it.
   */
  async claim(id: string, from: readonly InboundMailStatus[], now: number, until: number, patch: Partial<InboundMailTable> = {}, db: Db = this.db): Promise<boolean> {
    const result = await db
      .updateTable('inbound_mail')
      .set({ ...patch, claimed_until: until })
      .where('id', '=', id)
      .where('status', 'in', [...from])
      .where((eb) => eb.or([eb('claimed_until', 'is', null), eb('claimed_until', '<', now)]))
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  /** Writes an outcome and lets go of the claim `until` (no write when the claim was lost meanwhile). */
  async settle(trx: Db, id: string, until: number, patch: Partial<InboundMailTable>): Promise<boolean> {
    const result = await trx.updateTable('inbound_mail').set({ ...patch, claimed_until: null }).where('id', '=', id).where('claimed_until', '=', until).executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async update(trx: Db, id: string, patch: Partial<InboundMailTable>): Promise<void> {
    await trx.updateTable('inbound_mail').set(patch).where('id', '=', id).execute();
  }

  /** Active or not, by e-mail (case-insensitive); the active one first when two share an address. */
  async userByEmail(address: string): Promise<SenderUser | undefined> {
    const rows = await this.db
      .selectFrom('user')
      .select(['id', 'username', 'display_name', 'email', 'status'])
      .where((eb) => eb(eb.fn('lower', ['email']), '=', address.toLowerCase()))
      .execute();
    return rows.find((u) => u.status === 'active') ?? rows[0];
  }

  users(ids: string[]): Promise<SenderUser[]> {
    return ids.length ? this.db.selectFrom('user').select(['id', 'username', 'display_name', 'email', 'status']).where('id', 'in', ids).execute() : Promise.resolve([]);
  }

  /** Active users to pick a sender from, by name, user name or e-mail. */
  activeUsers(q: string | undefined, limit: number): Promise<SenderUser[]> {
    let query = this.db.selectFrom('user').select(['id', 'username', 'display_name', 'email', 'status']).where('status', '=', 'active');
    if (q?.trim()) {
      const like = `%${q.trim().toLowerCase()}%`;
      query = query.where((eb) =>
        eb.or([eb(eb.fn('lower', ['display_name']), 'like', like), eb(eb.fn('lower', ['username']), 'like', like), eb(eb.fn('lower', ['email']), 'like', like)]),
      );
    }
    return query.orderBy('display_name').orderBy('id').limit(limit).execute();
  }
}
