import { MONITORING_PERMISSIONS as P } from '@yunwei/contracts/monitoring';
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';

/**
 * Which series a reader may see, by the series' CI (null: a series mapped to no CI). `null` instead of
 * a function means every series: an unrestricted grant filters nothing (the range-query hot path).
 */
export type SeriesFilter = ((ciId: string | null) => boolean) | null;

/**
 * The same rule as `MetricScopes.filterFor`, as SQL over `metric_series s` for queries that filter,
 * count and page in the database: a series without a CI, or one whose CI lies in `units` (null: every
 * series).
 */
export function seriesInScope(units: ReadonlySet<string> | null): RawBuilder<SqlBool> {
  if (units === null) {
    return sql<SqlBool>`true`;
  }
  return units.size === 0 ? sql<SqlBool>`s.ci_id is null` : sql<SqlBool>`(s.ci_id is null or s.ci_id in (select c.id from cmdb_ci c where c.org_unit_id in (${sql.join([...units])})))`;
}

/** Longest the CI → org unit map is trusted even when the CMDB looks unchanged (a change not stamping `updated_at`). */
const MAX_AGE_MS = 60_000;

interface CiUnits {
  /** CI count and newest `updated_at` when read: any create, delete or change moves one of them. */
  stamp: string;
  at: number;
  /** When the stamp was last compared with the database. */
  checkedAt: number;
  units: ReadonlyMap<string, string | null>;
}

/** Writes compare the CMDB's stamp at most this often (a CI moved out of a writer's scope is refused within a second). */
const WRITE_STAMP_EVERY_MS = 1_000;
/** Distinct unit sets whose CI sets are kept (one per differently scoped writer, in practice a handful). */
const MAX_CI_SETS = 1_000;

/**
 * Data scopes of `monitoring.metric.read` over series: a series with a CI is seen when that CI exists
 * and lies in a unit the grant reaches (a CI without a unit, or an id naming no CI, only by unrestricted
 * readers, as in the CMDB); a series without a CI by every holder. The CI → org unit map is kept while
 * the CMDB's stamp (count, newest change) stays the same, so a scoped request costs one aggregate query
 * and one pass over the map, and an unrestricted one nothing.
 */
export class MetricScopes {
  #cache: CiUnits | null = null;
  /** CIs inside a unit set (key: the sorted unit ids), for the CMDB map they were computed from. */
  readonly #ciSets = new Map<string, { from: ReadonlyMap<string, string | null>; cis: ReadonlySet<string> }>();

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

  /**
   * The CIs inside `units` (a writer's grant), cached per unit set while the CMDB looks unchanged; the
   * stamp is compared at most every WRITE_STAMP_EVERY_MS, or now with `fresh` (before refusing a write,
   * so a CI created a moment ago is not refused).
   */
  async cisIn(units: ReadonlySet<string>, fresh = false): Promise<ReadonlySet<string>> {
    const map = await this.#ciUnits(fresh ? 0 : WRITE_STAMP_EVERY_MS);
    const key = [...units].sort().join('\u0000');
    const hit = this.#ciSets.get(key);
    if (hit && hit.from === map) {
      return hit.cis;
    }
    const cis = new Set<string>();
    for (const [ciId, unit] of map) {
      if (unit !== null && units.has(unit)) {
        cis.add(ciId);
      }
    }
    if (this.#ciSets.size >= MAX_CI_SETS) {
      this.#ciSets.clear();
    }
    this.#ciSets.set(key, { from: map, cis });
    return cis;
  }

  /** CI id → org unit; the stamp is compared with the database unless it was within `trustMs`. */
  async #ciUnits(trustMs = 0): Promise<ReadonlyMap<string, string | null>> {
    const db = this.ctx.db;
    const now = Date.now();
    if (this.#cache && now - this.#cache.checkedAt < trustMs && now - this.#cache.at < MAX_AGE_MS) {
      return this.#cache.units;
    }
    const head = await db
      .selectFrom('cmdb_ci')
      .select((eb) => [eb.fn.countAll<number>().as('n'), eb.fn.max('updated_at').as('latest')])
      .executeTakeFirstOrThrow();
    const stamp = `${Number(head.n)}:${Number(head.latest ?? 0)}`;
    if (this.#cache && this.#cache.stamp === stamp && now - this.#cache.at < MAX_AGE_MS) {
      this.#cache.checkedAt = now;
      return this.#cache.units;
    }
    const rows = await db.selectFrom('cmdb_ci').select(['id', 'org_unit_id']).execute();
    const units = new Map(rows.map((r) => [r.id, r.org_unit_id]));
    this.#cache = { stamp, at: now, checkedAt: now, units };
    return units;
  }
}
