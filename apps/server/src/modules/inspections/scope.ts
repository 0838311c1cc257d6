import type { InspectionScope } from '@yunwei/contracts/inspections';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { invalidField } from '../../platform/errors.js';
import { walkDependencies } from '../cmdb/impact-analysis.js';
import { ImpactService } from '../cmdb/impact.service.js';

export interface ScopeCi {
  id: string;
  name: string;
  classCode: string;
}

/** Checks what the schema cannot: the fields a scope kind needs, and that the class / system exists. */
export async function checkScope(db: Kysely<Database>, scope: InspectionScope, field = 'body.scope', allowed: readonly InspectionScope['kind'][] = ['class', 'business_system', 'cis']): Promise<void> {
  if (!allowed.includes(scope.kind)) {
    throw invalidField(`${field}.kind`, `must be one of ${allowed.join(', ')}`);
  }
  if (scope.kind === 'class') {
    if (!scope.classCode) {
      throw invalidField(`${field}.classCode`, 'is required for a class scope');
    }
    const found = await db.selectFrom('cmdb_class').select('id').where('code', '=', scope.classCode).executeTakeFirst();
    if (!found) {
      throw invalidField(`${field}.classCode`, `no CI class has the code ${scope.classCode}`);
    }
  } else if (scope.kind === 'business_system') {
    if (!scope.ciId) {
      throw invalidField(`${field}.ciId`, 'is required for a business-system scope');
    }
    const found = await db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select('k.code')
      .where('c.id', '=', scope.ciId)
      .executeTakeFirst();
    if (!found) {
      throw invalidField(`${field}.ciId`, `no CI has the id ${scope.ciId}`);
    }
    if (found.code !== 'business_system') {
      throw invalidField(`${field}.ciId`, 'must be a CI of the business-system class');
    }
  } else {
    if (!scope.ciIds?.length) {
      throw invalidField(`${field}.ciIds`, 'lists the CIs to inspect');
    }
    const ids = [...new Set(scope.ciIds)];
    const rows = await db.selectFrom('cmdb_ci').select('id').where('id', 'in', ids).execute();
    const known = new Set(rows.map((r) => r.id));
    const missing = ids.find((id) => !known.has(id));
    if (missing) {
      throw invalidField(`${field}.ciIds`, `no CI has the id ${missing}`);
    }
  }
}

/**
 * The CIs a scope covers today, by name. A class: its CIs that are not retired. A business system:
 * every CI it contains or depends on, over any relation type and through redundancy groups (the
 * CMDB dependency walk), itself excluded. Explicit CIs: those still there.
 */
export async function resolveScope(db: Kysely<Database>, scope: InspectionScope): Promise<ScopeCi[]> {
  let query = db
    .selectFrom('cmdb_ci as c')
    .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
    .select(['c.id', 'c.name', 'k.code as classCode'])
    .where('c.status', '!=', 'retired');
  if (scope.kind === 'class') {
    query = query.where('k.code', '=', scope.classCode ?? '');
  } else {
    let ids: string[];
    if (scope.kind === 'business_system') {
      const graph = await new ImpactService({ db }).graph();
      ids = walkDependencies(graph, scope.ciId ?? '', { includeAll: true })
        .dependencies.filter((d) => d.kind === 'ci')
        .map((d) => d.id);
    } else {
      ids = [...new Set(scope.ciIds ?? [])];
    }
    if (ids.length === 0) {
      return [];
    }
    const out: ScopeCi[] = [];
    for (let i = 0; i < ids.length; i += 500) {
      out.push(...(await query.where('c.id', 'in', ids.slice(i, i + 500)).execute()));
    }
    return out.sort(byName);
  }
  return (await query.execute()).sort(byName);
}

const byName = (a: ScopeCi, b: ScopeCi) => a.name.localeCompare(b.name, 'zh-CN') || a.id.localeCompare(b.id);
