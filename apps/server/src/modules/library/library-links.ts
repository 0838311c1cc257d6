import type { Kysely } from 'kysely';
import { ALERTING_PERMISSIONS } from '@yunwei/contracts/alerting';
import { CHECKS_PERMISSIONS } from '@yunwei/contracts/checks';
import { CMDB_PERMISSIONS } from '@yunwei/contracts/cmdb';
import { LIBRARY_PERMISSIONS, type LibraryLinkKind } from '@yunwei/contracts/library';
import { sql } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Actor, can, inScope } from '../../platform/actor.js';

const IN_CHUNK = 500;
const BUSINESS_SYSTEM_CLASS = 'business_system';

/** What a link points at, as the reader may see it. */
export interface LinkTarget {
  name: string;
  href: string;
  /** The unit whose scope decides who sees it (null: the whole organisation). */
  unitId: string | null;
  /** Alerts without a CI are read by every holder of the read permission. */
  everyone?: boolean;
}

const READ_OF: Record<LibraryLinkKind, string> = {
  ci: CMDB_PERMISSIONS.ciRead,
  business_system: CMDB_PERMISSIONS.ciRead,
  check: CHECKS_PERMISSIONS.checkRead,
  alert: ALERTING_PERMISSIONS.alertRead,
  document: LIBRARY_PERMISSIONS.read,
};

/**
 * Names of the things documents link to, looked up when read (a renamed CI shows its new name), each as
 * its own module would show it to this reader: outside the reader's permission or data scope the name is
 * withheld (null), so a link never reveals another unit's items.
 */
export class LinkTargets {
  constructor(private readonly db: Kysely<Database>) {}

  /** The targets of `kind` that exist, by id. */
  async find(kind: LibraryLinkKind, ids: readonly string[], db: Kysely<Database> = this.db): Promise<Map<string, LinkTarget>> {
    const out = new Map<string, LinkTarget>();
    const unique = [...new Set(ids)];
    for (let i = 0; i < unique.length; i += IN_CHUNK) {
      const chunk = unique.slice(i, i + IN_CHUNK);
      switch (kind) {
        case 'ci':
        case 'business_system': {
          let q = db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select(['c.id', 'c.name', 'c.org_unit_id']).where('c.id', 'in', chunk);
          if (kind === 'business_system') {
            q = q.where('k.code', '=', BUSINESS_SYSTEM_CLASS);
          }
          for (const r of await q.execute()) {
            out.set(r.id, { name: r.name, href: `/cmdb/cis/${r.id}`, unitId: r.org_unit_id });
          }
          break;
        }
        case 'check': {
          const rows = await db
            .selectFrom('check_definition as d')
            .leftJoin('cmdb_ci as c', 'c.id', 'd.ci_id')
            .select(['d.id', 'd.name', sql<string | null>`case when d.ci_id is null then d.org_unit_id else c.org_unit_id end`.as('unit_id')])
            .where('d.id', 'in', chunk)
            .execute();
          for (const r of rows) {
            out.set(r.id, { name: r.name, href: `/monitoring/checks?q=${encodeURIComponent(r.name)}`, unitId: r.unit_id });
          }
          break;
        }
        case 'alert': {
          const rows = await db
            .selectFrom('alert as a')
            .leftJoin('cmdb_ci as c', 'c.id', 'a.ci_id')
            .select(['a.id', 'a.rule_name', 'a.ci_id', 'a.started_at', 'c.name as ci_name', 'c.org_unit_id'])
            .where('a.id', 'in', chunk)
            .execute();
          for (const r of rows) {
            out.set(r.id, { name: r.ci_name ? `${r.rule_name}（${r.ci_name}）` : r.rule_name, href: `/alerts/${r.id}`, unitId: r.org_unit_id, everyone: r.ci_id === null });
          }
          break;
        }
        case 'document': {
          for (const r of await db.selectFrom('document').select(['id', 'number', 'title', 'org_unit_id']).where('id', 'in', chunk).execute()) {
            out.set(r.id, { name: `${r.number} ${r.title}`, href: `/library/documents/${r.id}`, unitId: r.org_unit_id });
          }
          break;
        }
      }
    }
    return out;
  }

  /** True when `actor` may read `target` of `kind` in its own module. */
  visible(actor: Actor, kind: LibraryLinkKind, target: LinkTarget): boolean {
    const permission = READ_OF[kind] as `${string}.${string}.${string}`;
    if (target.everyone) {
      return can(actor, permission);
    }
    return inScope(actor, permission, target.unitId);
  }
}
