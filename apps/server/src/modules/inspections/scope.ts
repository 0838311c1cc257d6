import type { PermissionId } from '@yunwei/contracts/access';
import { INSPECTION_PERMISSIONS as P, type InspectionScope } from '@yunwei/contracts/inspections';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import { walkDependencies } from '../cmdb/impact-analysis.js';
import { ImpactService } from '../cmdb/impact.service.js';

export interface ScopeCi {
  id: string;
  name: string;
  classCode: string;
  /** The CI's org unit (data scopes). */
  orgUnitId: string | null;
}

/** Who changes a definition with which permission: CIs it names must lie inside that permission's scope. */
export interface ScopeWriter {
  actor: Actor;
  permission: PermissionId;
}

/** The CIs of `cis` the actor reaches with `permission`. */
export function reachable<T extends Pick<ScopeCi, 'orgUnitId'>>(actor: Actor, permission: PermissionId, cis: readonly T[]): T[] {
  return cis.filter((c) => inScope(actor, permission, c.orgUnitId));
}

function requireWritable(writer: ScopeWriter | undefined, units: (string | null)[], field: string): void {
  if (writer && units.some((unit) => !inScope(writer.actor, writer.permission, unit))) {
    throw new AppError('YW_OUT_OF_SCOPE', { permission: writer.permission, field });
  }
}

/**
 * The org units a scope names: null for a class (it has none: each reader's scope filters its CIs when
 * it is run or covered), else those of the business system or CIs that still exist — none left, and it
 * is the whole organisation's.
 */
export async function unitsOfScope(db: Kysely<Database>, scope: InspectionScope): Promise<(string | null)[] | null> {
  if (scope.kind === 'class') {
    return null;
  }
  const ids = scope.kind === 'business_system' ? [scope.ciId ?? ''] : [...new Set(scope.ciIds ?? [])];
  const units: (string | null)[] = [];
  for (let i = 0; i < ids.length; i += 500) {
    units.push(...(await db.selectFrom('cmdb_ci').select('org_unit_id').where('id', 'in', ids.slice(i, i + 500)).execute()).map((r) => r.org_unit_id));
  }
  return units.length ? units : [null];
}

/** Changing a definition needs every unit it names; reading or running it, any of them. */
const NEEDS_EVERY_UNIT: readonly PermissionId[] = [P.templateWrite, P.scheduleWrite, P.policyWrite];

/** True when the actor reaches a definition of this scope with `permission` (see NEEDS_EVERY_UNIT). */
export async function reachesScope(db: Kysely<Database>, actor: Actor, permission: PermissionId, scope: InspectionScope): Promise<boolean> {
  const units = await unitsOfScope(db, scope);
  if (units === null) {
    return true;
  }
  return NEEDS_EVERY_UNIT.includes(permission) ? units.every((u) => inScope(actor, permission, u)) : units.some((u) => inScope(actor, permission, u));
}

/**
 * A template, schedule or policy for `permission`: not readable (`readPermission`), it does not exist
 * for the actor (`notFound`); readable but out of reach, a 403 (naming `field` when a request field chose it).
 */
export async function requireScopeReach(
  db: Kysely<Database>,
  actor: Actor,
  permission: PermissionId,
  readPermission: PermissionId,
  scope: InspectionScope,
  notFound: () => AppError,
  field?: string,
): Promise<void> {
  if (await reachesScope(db, actor, permission, scope)) {
    return;
  }
  if (permission !== readPermission && (await reachesScope(db, actor, readPermission, scope))) {
    throw new AppError('YW_OUT_OF_SCOPE', { permission, ...(field ? { field } : {}) });
  }
  throw notFound();
}

/**
 * Checks what the schema cannot: the fields a scope kind needs, that the class / system exists, and
 * (given a `writer`) that a business system or CIs named lie inside the writer's scope — a class has no
 * unit: its CIs are filtered by each reader's scope when it is run or covered.
 */
export async function checkScope(
  db: Kysely<Database>,
  scope: InspectionScope,
  field = 'body.scope',
  allowed: readonly InspectionScope['kind'][] = ['class', 'business_system', 'cis'],
  writer?: ScopeWriter,
): Promise<void> {
  if (!allowed.includes(scope.kind)) {
    throw invalidField(`${field}.kind`, { zh: `必须是以下之一：${allowed.join('、')}`, en: `must be one of ${allowed.join(', ')}` });
  }
  if (scope.kind === 'class') {
    if (!scope.classCode) {
      throw invalidField(`${field}.classCode`, { zh: '按类别巡检时必须填写', en: 'is required for a class scope' });
    }
    const found = await db.selectFrom('cmdb_class').select('id').where('code', '=', scope.classCode).executeTakeFirst();
    if (!found) {
      throw invalidField(`${field}.classCode`, { zh: `没有编码为 ${scope.classCode} 的配置项类别`, en: `no CI class has the code ${scope.classCode}` });
    }
  } else if (scope.kind === 'business_system') {
    if (!scope.ciId) {
      throw invalidField(`${field}.ciId`, { zh: '按业务系统巡检时必须填写', en: 'is required for a business-system scope' });
    }
    const found = await db
      .selectFrom('cmdb_ci as c')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['k.code', 'c.org_unit_id'])
      .where('c.id', '=', scope.ciId)
      .executeTakeFirst();
    if (!found) {
      throw invalidField(`${field}.ciId`, { zh: `没有编号为 ${scope.ciId} 的配置项`, en: `no CI has the id ${scope.ciId}` });
    }
    if (found.code !== 'business_system') {
      throw invalidField(`${field}.ciId`, { zh: '必须是业务系统类别的配置项', en: 'must be a CI of the business-system class' });
    }
    requireWritable(writer, [found.org_unit_id], `${field}.ciId`);
  } else {
    if (!scope.ciIds?.length) {
      throw invalidField(`${field}.ciIds`, { zh: '请列出要巡检的配置项', en: 'lists the CIs to inspect' });
    }
    const ids = [...new Set(scope.ciIds)];
    const rows = await db.selectFrom('cmdb_ci').select(['id', 'org_unit_id']).where('id', 'in', ids).execute();
    const known = new Set(rows.map((r) => r.id));
    const missing = ids.find((id) => !known.has(id));
    if (missing) {
      throw invalidField(`${field}.ciIds`, { zh: `没有编号为 ${missing} 的配置项`, en: `no CI has the id ${missing}` });
    }
    requireWritable(writer, rows.map((r) => r.org_unit_id), `${field}.ciIds`);
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
    .select(['c.id', 'c.name', 'k.code as classCode', 'c.org_unit_id as orgUnitId'])
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
