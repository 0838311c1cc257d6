import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { entryHash, GENESIS_HASH } from './audit-hash.js';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  brokenAt: number | null;
  reason: string | null;
}

const BATCH = 5000;

/**
 * Walks the chain from the retention anchor to the head. Reports the first entry whose content no
 * longer matches its hash (altered), whose link does not match its predecessor (a row before it was
 * deleted or altered), or a head that is missing (rows deleted at the end).
 */
export async function verifyAuditChain(db: Kysely<Database>): Promise<ChainVerification> {
  const chain = await db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
  let expectedPrev = chain?.anchor_hash ?? GENESIS_HASH;
  let lastId = chain?.anchor_id ?? 0;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      checked++;
      if (row.prev_hash !== expectedPrev) {
        return { ok: false, checked, brokenAt: row.id, reason: 'link: the entry before it was altered or deleted' };
      }
      if (entryHash(row) !== row.hash) {
        return { ok: false, checked, brokenAt: row.id, reason: 'hash: the entry was altered' };
      }
      expectedPrev = row.hash;
      lastId = row.id;
    }
    if (rows.length < BATCH) {
      break;
    }
  }
  if (chain && (chain.head_id !== lastId || chain.head_hash !== expectedPrev)) {
    return { ok: false, checked, brokenAt: chain.head_id, reason: 'head: entries at the end of the trail were deleted' };
  }
  return { ok: true, checked, brokenAt: null, reason: null };
}
