import { MONITORING_PERMISSIONS as P } from '@yunwei/contracts/monitoring';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';

/**
 * Which series a reader may see, by the series' CI (null: a series mapped to no CI). `null` instead of
 * a function means every series: an unrestricted grant filters nothing (the range-query hot path).
 */
export type SeriesFilter = ((ciId: string | null) => boolean) | null;

/** Longest the CI → org unit map is trusted even when the CMDB looks unchanged (a change not stamping `updated_at`). */
const MAX_AGE_MS = 60_000;

interface CiUnits {
  /** CI count and newest `updated_at` when read: any create, delete or change moves one of them. */
  stamp: string;
  at: number;
  units: ReadonlyMap<string, string | null>;
}

/**
 * Data scopes of `monitoring.metric.read` over series: a series with a CI is seen when that CI exists
 * and lies in a unit the grant reaches (a CI without a unit, or an id naming no CI, only by unrestricted
 * readers, as in the CMDB); a series without a CI by every holder. The CI → org unit map is kept while
 * the CMDB's stamp (count, newest change) stays the same, so a scoped request costs one aggregate query
 * and one pass over the map, and an unrestricted one nothing.
 */
export class MetricScopes {
  #cache: CiUnits | null = null;

  constructor(private readonly ctx: Pick<ModuleContext, 'db'>) {}

  /** The org units the actor's metric grant reaches; null = all (nothing to filter). */
  units(actor: Actor): ReadonlySet<string> | null {
    return scopeOf(actor, P.metricRead);
  }

  /** The filter for one request (resolve once, apply to every series of it). */
  async filterFor(actor: Actor): Promise<SeriesFilter> {
    const units = this.units(actor);
    if (units === null) {
      return null;
    }
    const visible = new Set<string>();
    if (units.size > 0) {
      for (const [ciId, unit] of await this.#ciUnits()) {
        if (unit !== null && units.has(unit)) {
          visible.add(ciId);
        }
      }
    }
    return (ciId) => ciId === null || visible.has(ciId);
  }

  async #ciUnits(): Promise<ReadonlyMap<string, string | null>> {
    const db = this.ctx.db;
    const now = Date.now();
    const head = await db
      .selectFrom('cmdb_ci')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
      .executeTakeFirstOrThrow();
    const stamp = `${Number(head.n)}:${Number(head.latest ?? 0)}`;
    if (this.#cache && this.#cache.stamp === stamp && now - this.#cache.at < MAX_AGE_MS) {
      return this.#cache.units;
    }
    const rows = await db.selectFrom('cmdb_ci').select(['id', 'org_unit_id']).execute();
    const units = new Map(rows.map((r) => [r.id, r.org_unit_id]));
    this.#cache = { stamp, at: now, units };
    return units;
  }
}
