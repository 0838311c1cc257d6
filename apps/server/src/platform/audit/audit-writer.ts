import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Database } from '../../db/schema.js';
import { lockChain } from '../../db/dialect.js';
import { canonicalJson, entryHash, GENESIS_HASH } from './audit-hash.js';

export interface AuditEvent {
  actor: Actor;
  /** `module.resource.verb`, e.g. `identity.user.create`. */
  action: string;
  targetType: string;
  targetId?: string | null;
  outcome?: 'success' | 'failure';
  /** State before and after, without secrets. */
  before?: unknown;
  after?: unknown;
}

const AUDIT_LOCK_KEY = 7_202_611;

/**
 * Appends entries to the hash-chained audit trail. Writes go through the caller's transaction, so
 * an action and its audit entry land together or not at all.
 */
export class AuditWriter {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records inside `trx` (the transaction of the change being audited). */
  async record(trx: Kysely<Database>, event: AuditEvent): Promise<void> {
    await this.recordMany(trx, [event]);
  }

  /**
   * Records several entries, in order, under one lock of the chain: what a batch of changes in one
   * transaction (e.g. an alert storm in one evaluation cycle) needs, at a fraction of the round trips.
   */
  async recordMany(trx: Kysely<Database>, events: readonly AuditEvent[]): Promise<void> {
    if (events.length === 0) {
      return;
    }
    await lockChain(trx, AUDIT_LOCK_KEY);
    const chain = await trx.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
    const ts = Date.now();
    let prevHash = chain?.head_hash ?? GENESIS_HASH;
    const rows = events.map((event) => {
      const fields = {
        ts,
        actor_id: event.actor.userId,
        actor_name: event.actor.username,
        ip: event.actor.ip,
        action: event.action,
        target_type: event.targetType,
        target_id: event.targetId ?? null,
        outcome: event.outcome ?? 'success',
        before: canonicalJson(event.before),
        after: canonicalJson(event.after),
        prev_hash: prevHash,
      };
      prevHash = entryHash(fields);
      return { ...fields, hash: prevHash };
    });
    // One row per statement keeps ids in chain order on both databases (a multi-row INSERT's RETURNING order is not promised).
    let headId = 0;
    for (const row of rows) {
      headId = (await trx.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow()).id;
    }
    if (chain) {
      await trx.updateTable('audit_chain').set({ head_id: headId, head_hash: prevHash }).where('id', '=', 1).execute();
    } else {
      await trx.insertInto('audit_chain').values({ id: 1, head_id: headId, head_hash: prevHash, anchor_id: 0, anchor_hash: GENESIS_HASH }).execute();
    }
  }

  /** Records in a transaction of its own: for events with no other write (logins, denials, exports). */
  async recordNow(event: AuditEvent): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, event));
  }
}
