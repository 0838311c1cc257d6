import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { parseAnchor, type AnchorFields } from './audit-anchor.js';
import { headProblem, readHead } from './audit-chain.js';
import { entryMac, legacyEntryHash } from './audit-hash.js';

export interface ChainVerification {
  ok: boolean;
  checked: number;
  brokenAt: number | null;
  /** What failed, starting with `head`, `seal`, `link`, `hash` or `count` (English, for logs and the CLI). */
  reason: string | null;
  /** The same in both languages, for people. */
  reasonText: LocalizedText | null;
  /** The last head exported to the anchor file, if any (what an auditor's copy should end with). */
  lastAnchor: AnchorFields | null;
}

const BATCH = 5000;

/**
 * Walks the chain from the retention anchor to the head. Fails on a head record that is missing or
 * whose seal does not hold (head, anchor or count moved), on the first entry whose MAC does not
 * match (altered, even with its hash recomputed: that needs the key), whose link does not match its
 * predecessor (deleted or altered before it), on entries beyond the head or missing at its end, and
 * on a number of entries other than the head records.
 */
export async function verifyAuditChain(db: Kysely<Database>, key: Buffer): Promise<ChainVerification> {
  const head = await readHead(db);
  const lastAnchor = await lastExported(db);
  const fail = (checked: number, brokenAt: number | null, reason: LocalizedText): ChainVerification => ({ ok: false, checked, brokenAt, reason: reason.en, reasonText: reason, lastAnchor });
  const problem = headProblem(key, head);
  if (problem) {
    return fail(0, head.exists ? head.state.head_id : null, problem);
  }
  const chain = head.state;
  let expectedPrev = chain.anchor_hash;
  let lastId = chain.anchor_id;
  let checked = 0;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('id', '>', lastId).orderBy('id').limit(BATCH).execute();
    for (const row of rows) {
      checked++;
      if (row.id > chain.head_id) {
        return fail(checked, row.id, { zh: 'head：该条目位于记录的链头之后（绕过应用写入）', en: 'head: the entry lies beyond the recorded head (written around the application)' });
      }
      if (row.prev_hash !== expectedPrev) {
        return fail(checked, row.id, { zh: 'link：它之前的条目被改动或删除', en: 'link: the entry before it was altered or deleted' });
      }
      const expected = row.id <= chain.keyed_after ? legacyEntryHash(row) : entryMac(key, row);
      if (expected !== row.hash) {
        return fail(checked, row.id, { zh: 'hash：该条目被改动', en: 'hash: the entry was altered' });
      }
      expectedPrev = row.hash;
      lastId = row.id;
    }
    if (rows.length < BATCH) {
      break;
    }
  }
  if (chain.head_id !== lastId || chain.head_hash !== expectedPrev) {
    const what =
      checked === 0
        ? { zh: `所有条目都被删除（链头记录为第 ${chain.head_id} 条）`, en: `every entry was deleted (the head records #${chain.head_id})` }
        : { zh: '日志末尾的条目被删除', en: 'entries at the end of the trail were deleted' };
    return fail(checked, chain.head_id, { zh: `head：${what.zh}`, en: `head: ${what.en}` });
  }
  const expectedCount = chain.appended - chain.purged;
  if (checked !== expectedCount) {
    return fail(checked, null, { zh: `count：日志中有 ${checked} 条，链头记录为 ${expectedCount} 条`, en: `count: the trail holds ${checked} entries, the head records ${expectedCount}` });
  }
  return { ok: true, checked, brokenAt: null, reason: null, reasonText: null, lastAnchor };
}

async function lastExported(db: Kysely<Database>): Promise<AnchorFields | null> {
  const row = await db.selectFrom('audit_chain').select('exported').where('id', '=', 1).executeTakeFirst();
  const anchor = row?.exported ? parseAnchor(row.exported) : null;
  return anchor ? { seq: anchor.seq, hash: anchor.hash, count: anchor.count, time: anchor.time } : null;
}
