import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { safeEqual } from '../crypto.js';
import { headProblem, lockHead, readHead } from './audit-chain.js';
import { anchorSignature, type AnchorFields } from './audit-hash.js';

export type { AnchorFields } from './audit-hash.js';

/** One line of the anchor file: the head at `time` (entry #seq, its hash, entries appended), signed. */
export interface ExportedAnchor extends AnchorFields {
  sig: string;
}

const HEX64 = /^[0-9a-f]{64}$/;
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** The anchor in a JSON line, or null when the line is not one. */
export function parseAnchor(line: string): ExportedAnchor | null {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return null;
  }
  const a = value as Partial<ExportedAnchor> | null;
  if (!a || typeof a !== 'object' || !isCount(a.seq) || !isCount(a.count) || !isCount(a.time) || typeof a.hash !== 'string' || !HEX64.test(a.hash) || typeof a.sig !== 'string' || !HEX64.test(a.sig)) {
    return null;
  }
  return { seq: a.seq, hash: a.hash, count: a.count, time: a.time, sig: a.sig };
}

/**
 * Appends the signed head to `file` (JSON lines, created 0600) under the chain lock, and records it
 * in the head record. Several nodes may run this for the same tick: whoever comes second finds an
 * export less than `minIntervalMs` old and writes nothing, so each anchor is written once.
 * Refuses to sign a head whose seal does not hold.
 */
export async function exportAnchor(db: Kysely<Database>, key: Buffer, file: string, minIntervalMs: number, now: number): Promise<ExportedAnchor | null> {
  return db.transaction().execute(async (trx) => {
    const head = await lockHead(trx);
    const problem = headProblem(key, head);
    if (problem) {
      throw new Error(`audit anchor not exported: ${problem.en}`);
    }
    const last = await trx.selectFrom('audit_chain').select('exported_at').where('id', '=', 1).executeTakeFirstOrThrow();
    if (last.exported_at !== null && now - Number(last.exported_at) < minIntervalMs) {
      return null;
    }
    const fields: AnchorFields = { seq: head.state.head_id, hash: head.state.head_hash, count: head.state.appended, time: now };
    const anchor: ExportedAnchor = { ...fields, sig: anchorSignature(key, fields) };
    const line = JSON.stringify(anchor);
    await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    await appendFile(file, `${line}\n`, { mode: 0o600 });
    await trx.updateTable('audit_chain').set({ exported_at: now, exported: line }).where('id', '=', 1).execute();
    return anchor;
  });
}

export interface AnchorCheck {
  /** Anchors found in the trail at their place. */
  matched: number;
  /** Anchors older than the retention anchor: their entries were purged, nothing left to compare. */
  purged: number;
  /** `line N: reason` for every anchor that does not hold. */
  problems: string[];
}

/**
 * Checks an auditor's copy of the anchor file against the trail: each line must carry this
 * installation's signature, and its hash must be found at its entry, with as many entries up to it
 * as it counted. This catches what the database alone cannot: the whole database (head record
 * included) rolled back to an earlier copy, or rewritten by someone holding the key after the fact.
 */
export async function checkAnchors(db: Kysely<Database>, key: Buffer, text: string): Promise<AnchorCheck> {
  const { state } = await readHead(db);
  const result: AnchorCheck = { matched: 0, purged: 0, problems: [] };
  const live: { line: number; anchor: ExportedAnchor }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = i + 1;
    if (raw.trim() === '') {
      return;
    }
    const anchor = parseAnchor(raw);
    if (!anchor) {
      result.problems.push(`line ${line}: not an anchor (JSON with seq, hash, count, time, sig)`);
    } else if (!safeEqual(anchor.sig, anchorSignature(key, anchor))) {
      result.problems.push(`line ${line}: the signature does not match (altered, or not signed with this installation's master key)`);
    } else if (anchor.seq > state.head_id) {
      result.problems.push(`line ${line}: anchor at entry #${anchor.seq}, but the trail ends at #${state.head_id}: entries after it were deleted or the database was rolled back`);
    } else if (anchor.seq < state.anchor_id) {
      result.purged++;
    } else if (anchor.seq === state.anchor_id) {
      if (anchor.hash === state.anchor_hash) {
        result.matched++;
      } else {
        result.problems.push(`line ${line}: entry #${anchor.seq} (the retention anchor) differs from the anchor: the trail was rewritten`);
      }
    } else {
      live.push({ line, anchor });
    }
  });
  // In order of entry, counting the entries between neighbouring anchors once (not the whole trail per anchor).
  live.sort((a, b) => a.anchor.seq - b.anchor.seq);
  let counted = 0;
  let countedTo = state.anchor_id;
  for (const { line, anchor } of live) {
    const row = await db.selectFrom('audit_log').select('hash').where('id', '=', anchor.seq).executeTakeFirst();
    if (!row) {
      result.problems.push(`line ${line}: entry #${anchor.seq} is missing from the trail`);
      continue;
    }
    if (row.hash !== anchor.hash) {
      result.problems.push(`line ${line}: entry #${anchor.seq} differs from the anchor: the trail was rewritten`);
      continue;
    }
    const between = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', countedTo).where('id', '<=', anchor.seq).executeTakeFirstOrThrow();
    counted += Number(between.n);
    countedTo = anchor.seq;
    // Retention only ever removes entries below its anchor, which lies below this one: they were all counted.
    const expected = anchor.count - state.purged;
    if (counted !== expected) {
      result.problems.push(`line ${line}: ${counted} entries up to #${anchor.seq}, the anchor counted ${expected} (after retention): entries were deleted`);
      continue;
    }
    result.matched++;
  }
  return result;
}
