import type { Kysely } from 'kysely';
import type { Actor } from '../actor.js';
import type { Database } from '../../db/schema.js';
import { exportAnchor, type ExportedAnchor } from './audit-anchor.js';
import { lockHead, saveHead } from './audit-chain.js';
import { canonicalJson, entryMac } from './audit-hash.js';
import { verifyAuditChain, type ChainVerification } from './audit-verify.js';

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

/**
 * Appends entries to the audit trail, a chain of HMACs under a key derived from the master key (so
 * it lives outside the database), and keeps its sealed head record. Writes go through the caller's
 * transaction, so an action and its audit entry land together or not at all.
 */
export class AuditWriter {
  constructor(
    private readonly db: Kysely<Database>,
    /** auditChainKey(secrets). */
    private readonly key: Buffer,
  ) {}

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
    const head = await lockHead(trx);
    const ts = Date.now();
    let prevHash = head.state.head_hash;
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
      prevHash = entryMac(this.key, fields);
      return { ...fields, hash: prevHash };
    });
    // One row per statement keeps ids in chain order on both databases (a multi-row INSERT's RETURNING order is not promised).
    let headId = 0;
    for (const row of rows) {
      headId = (await trx.insertInto('audit_log').values(row).returning('id').executeTakeFirstOrThrow()).id;
    }
    await saveHead(trx, this.key, head, { ...head.state, head_id: headId, head_hash: prevHash, appended: head.state.appended + rows.length });
  }

  /**
   * Retention, inside `trx`: deletes the entries up to `last` (the newest expired one) and moves the
   * anchor to it, under the chain lock. Returns how many were deleted.
   */
  async purgeThrough(trx: Kysely<Database>, last: { id: number; hash: string }): Promise<number> {
    const head = await lockHead(trx);
    const deleted = Number((await trx.deleteFrom('audit_log').where('id', '<=', last.id).executeTakeFirst()).numDeletedRows);
    await saveHead(trx, this.key, head, { ...head.state, anchor_id: last.id, anchor_hash: last.hash, purged: head.state.purged + deleted });
    return deleted;
  }

  /** Walks the chain from the retention anchor to the head (see verifyAuditChain). */
  verify(): Promise<ChainVerification> {
    return verifyAuditChain(this.db, this.key);
  }

  /** Appends the signed head to `file`, unless another node exported one less than `minIntervalMs` ago. */
  exportAnchor(file: string, minIntervalMs: number, now = Date.now()): Promise<ExportedAnchor | null> {
    return exportAnchor(this.db, this.key, file, minIntervalMs, now);
  }

  /** Records in a transaction of its own: for events with no other write (logins, denials, exports). */
  async recordNow(event: AuditEvent): Promise<void> {
    await this.db.transaction().execute((trx) => this.record(trx, event));
  }
}
