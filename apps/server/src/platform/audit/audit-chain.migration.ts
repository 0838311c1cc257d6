import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { epochType } from '../../db/dialect.js';
import type { MigrationDeps, SealingMigration } from '../../db/migrator.js';
import { GENESIS_STATE, lockHead } from './audit-chain.js';
import { auditChainKey, chainSeal, type ChainState } from './audit-hash.js';

/**
 * Switches the chain to keyed hashes. Entries written so far keep their SHA-256 hashes (scheme 1) and
 * verify as before up to the switch point `keyed_after` (today's head); every later entry carries an
 * HMAC. The first keyed entry links to the last unkeyed one, so rewriting old entries (and
 * recomputing their unkeyed hashes) still breaks the chain there. The head record, switch point
 * included, is sealed with the key, so the switch point cannot be moved to pass forged entries off
 * as old ones. A database without a head record (a fresh install) gets a sealed genesis head, so an
 * empty trail can be told from a wiped one.
 */
export async function keyAuditChain(db: Kysely<Database>, key: Buffer): Promise<ChainState> {
  const head = await lockHead(db);
  if (!head.exists) {
    await db.insertInto('audit_chain').values({ id: 1, ...GENESIS_STATE, seal: chainSeal(key, GENESIS_STATE), exported_at: null, exported: null }).execute();
    return GENESIS_STATE;
  }
  const { n } = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).where('id', '>', head.state.anchor_id).executeTakeFirstOrThrow();
  const state: ChainState = { ...head.state, appended: Number(n), purged: 0, keyed_after: head.state.head_id };
  await db.updateTable('audit_chain').set({ ...state, seal: chainSeal(key, state) }).where('id', '=', 1).execute();
  return state;
}

const COUNTERS = ['appended', 'purged', 'keyed_after'] as const;

export const keyedAuditChainMigration: SealingMigration = {
  async up(db: Kysely<any>, deps?: MigrationDeps) {
    if (!deps?.secrets) {
      throw new Error('the keyed audit chain needs the master key (MigrationDeps.secrets)');
    }
    for (const column of COUNTERS) {
      await db.schema.alterTable('audit_chain').addColumn(column, epochType, (c) => c.notNull().defaultTo(0)).execute();
    }
    await db.schema.alterTable('audit_chain').addColumn('seal', 'text', (c) => c.notNull().defaultTo('')).execute();
    await db.schema.alterTable('audit_chain').addColumn('exported_at', epochType).execute();
    await db.schema.alterTable('audit_chain').addColumn('exported', 'text').execute();
    await keyAuditChain(db as Kysely<Database>, auditChainKey(deps.secrets));
  },
  async down(db: Kysely<any>) {
    for (const column of [...COUNTERS, 'seal', 'exported_at', 'exported']) {
      await db.schema.alterTable('audit_chain').dropColumn(column).execute();
    }
  },
};
