import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { unitsOfCis } from '../cmdb/cmdb.shared.js';

/**
 * Of `ciIds`, those lying in `units` (null: every unit, so every CI that exists). The data scope of the
 * routing half's lists is judged by the CIs' units now: a CI that moved out or was deleted is out.
 */
export async function cisInReach(db: Kysely<Database>, ciIds: Iterable<string>, units: ReadonlySet<string> | null): Promise<Set<string>> {
  const found = await unitsOfCis(db, ciIds);
  return new Set([...found].filter(([, unit]) => units === null || (unit !== null && units.has(unit))).map(([id]) => id));
}
