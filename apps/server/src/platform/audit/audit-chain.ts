import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { lockChain } from '../../db/dialect.js';
import { safeEqual } from '../crypto.js';
import { chainSeal, GENESIS_HASH, type ChainState } from './audit-hash.js';

const AUDIT_LOCK_KEY = 7_202_611;

/** Seals the writer leaves when the head it found was not sealed by the key: verification keeps failing. */
export const SEAL_MISSING = 'broken:missing';
export const SEAL_ALTERED = 'broken:altered';

export const GENESIS_STATE: ChainState = { head_id: 0, head_hash: GENESIS_HASH, anchor_id: 0, anchor_hash: GENESIS_HASH, appended: 0, purged: 0, keyed_after: 0 };

export interface ChainHead {
  state: ChainState;
  seal: string;
  exists: boolean;
}

function stateOf(row: ChainState): ChainState {
  const { head_id, head_hash, anchor_id, anchor_hash, appended, purged, keyed_after } = row;
  return { head_id: Number(head_id), head_hash, anchor_id: Number(anchor_id), anchor_hash, appended: Number(appended), purged: Number(purged), keyed_after: Number(keyed_after) };
}

export async function readHead(db: Kysely<Database>): Promise<ChainHead> {
  const row = await db.selectFrom('audit_chain').selectAll().where('id', '=', 1).executeTakeFirst();
  return row ? { state: stateOf(row), seal: row.seal, exists: true } : { state: GENESIS_STATE, seal: SEAL_MISSING, exists: false };
}

/** Why the head record cannot be trusted, or null when its seal holds. */
export function headProblem(key: Buffer, head: ChainHead): LocalizedText | null {
  if (!head.exists) {
    return { zh: 'head：链头记录缺失，审计日志已被清空（新安装的系统在首次启动时即会创建）', en: 'head: the chain record is missing: the trail was wiped (a fresh install has one from its first start)' };
  }
  if (head.seal === SEAL_MISSING) {
    return { zh: 'head：链头记录曾被删除后重建，此前的审计日志已被清空', en: 'head: the chain record was deleted and has been recreated: the trail before it was wiped' };
  }
  if (!safeEqual(head.seal, chainSeal(key, head.state))) {
    return { zh: 'seal：链头记录（链头、条数或保留锚点）在没有密钥的情况下被改动', en: 'seal: the chain record (head, count or retention anchor) was changed without the key' };
  }
  return null;
}

/** Takes the chain lock of `trx` (PostgreSQL; SQLite transactions already write one at a time) and reads the head. */
export async function lockHead(trx: Kysely<Database>): Promise<ChainHead> {
  await lockChain(trx, AUDIT_LOCK_KEY);
  return readHead(trx);
}

/**
 * Stores the next head. It is sealed only when the head it follows was: otherwise the writer would
 * launder a moved head or anchor into a valid one, so it leaves a marker that verification reports.
 */
export async function saveHead(trx: Kysely<Database>, key: Buffer, previous: ChainHead, next: ChainState): Promise<void> {
  const seal = headProblem(key, previous) === null ? chainSeal(key, next) : previous.exists ? (previous.seal.startsWith('broken:') ? previous.seal : SEAL_ALTERED) : SEAL_MISSING;
  if (previous.exists) {
    await trx.updateTable('audit_chain').set({ ...next, seal }).where('id', '=', 1).execute();
  } else {
    await trx.insertInto('audit_chain').values({ id: 1, ...next, seal, exported_at: null, exported: null }).execute();
  }
}
