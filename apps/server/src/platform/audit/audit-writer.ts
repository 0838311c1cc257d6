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
    await lockChain(trx, AUDIT_LOCK_KEY);
    const chain = await trx.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
    const fields = {
      ts: Date.now(),
      actor_id: event.actor.userId,
      actor_name: event.actor.username,
      ip: event.actor.ip,
      action: event.action,
      target_type: event.targetType,
      target_id: event.targetId ?? null,
      outcome: event.outcome ?? 'success',
      before: canonicalJson(event.before),
      after: canonicalJson(event.after),
      prev_hash: chain?.head_hash ?? GENESIS_HASH,
    };
    const hash = entryHash(fields);
    const { id } = await trx
      .insertInto('audit_log')
      .values({ ...fields, hash })
      .returning('id')
      .executeTakeFirstOrThrow();
    if (chain) {
      await trx.updateTable('audit_chain').set({ head_id: id, head_hash: hash }).where('id', '=', 1).execute();
    } else {
      await trx.insertInto('audit_chain').values({ id: 1, head_id: id, head_hash: hash, anchor_id: 0, anchor_hash: GENESIS_HASH }).execute();
    }
  }

  /** Records in a transaction of its own: for events with no other write (logins, denials, exports). */
  async recordNow(event: AuditEvent): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, event));
  }
}
