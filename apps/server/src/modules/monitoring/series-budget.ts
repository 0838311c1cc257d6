import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Rows of credentials idle this long are full again anyway: deleted now and then. */
const IDLE_MS = 3_600_000;

export type Spent = { ok: true } | { ok: false; available: number };

/**
 * New-series budgets in the database, one token bucket per credential holding a minute's worth, so
 * a writer spreading its pushes over the nodes of a cluster gets one budget, not one per node. Each
 * spend is one conditional UPDATE (refill by the time since the last one, then take `cost` only if
 * that many are there): two nodes spending at once cannot both take the last tokens. Tokens are
 * counted in thousandths, so the refill is integer arithmetic on both databases.
 */
export class SeriesBudgets {
  #calls = 0;

  constructor(private readonly db: Kysely<Database>) {}

  async spend(credential: string, cost: number, perMinute: number, now = Date.now()): Promise<Spent> {
    const capacity = perMinute * 1000;
    await this.db.insertInto('series_budget').values({ credential, milli_tokens: capacity, at: now }).onConflict((oc) => oc.column('credential').doNothing()).execute();
    // (now - at) ms × perMinute / 60,000 ms × 1,000 = (now - at) × perMinute / 60; a node whose clock is behind refills nothing.
    const gained = sql<number>`(case when ${now} > at then (${now} - at) * ${perMinute} / 60 else 0 end)`;
    const refilled = sql<number>`(case when milli_tokens + ${gained} > ${capacity} then ${capacity} else milli_tokens + ${gained} end)`;
    const taken = await this.db
      .updateTable('series_budget')
      .set({ milli_tokens: sql<number>`${refilled} - ${cost * 1000}`, at: sql<number>`(case when ${now} > at then ${now} else at end)` })
      .where('credential', '=', credential)
      .where(sql<boolean>`${refilled} >= ${cost * 1000}`)
      .executeTakeFirst();
    if (++this.#calls % 1000 === 0) {
      void this.db.deleteFrom('series_budget').where('at', '<', now - IDLE_MS).execute().catch(() => undefined);
    }
    if (Number(taken.numUpdatedRows) === 1) {
      return { ok: true };
    }
    const left = await this.db.selectFrom('series_budget').select(refilled.as('milli')).where('credential', '=', credential).executeTakeFirst();
    return { ok: false, available: Math.floor(Number(left?.milli ?? capacity) / 1000) };
  }
}
