import type { Kysely } from 'kysely';
import type { CiRef } from '@yunwei/contracts/cmdb';
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

/**
 * Names of `ciIds` for display, those lying in `units` (null: every CI that exists): silences and
 * maintenance windows name their CIs by id, and people read names. A CI of another unit or since
 * deleted is left out, so its name is never shown to someone who may not see it.
 */
export async function ciRefsInReach(db: Kysely<Database>, ciIds: Iterable<string>, units: ReadonlySet<string> | null): Promise<Map<string, CiRef>> {
  const ids = [...new Set(ciIds)];
  const out = new Map<string, CiRef>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['c.id', 'c.name', 'c.org_unit_id', 'k.code'])
      .where('c.id', 'in', ids.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      if (units === null || (r.org_unit_id !== null && units.has(r.org_unit_id))) {
        out.set(r.id, { id: r.id, name: r.name, classCode: r.code });
      }
    }
  }
  return out;
}
