import type { Kysely } from 'kysely';
import type { PermissionId } from '@yunwei/contracts/access';
import type { AttributeDefinition, Ci, CiClass, Subtype } from '@yunwei/contracts/cmdb';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { Problem } from './attributes.js';
import type { CiRow, ClassRow } from './cmdb.repository.js';

/** The org units `permission` reaches for the actor: null = all of them. */
export function scopeOf(actor: Actor, permission: PermissionId): ReadonlySet<string> | null {
  if (actor.kind === 'system') {
    return null;
  }
  const scope = actor.scopes.get(permission);
  return scope === 'all' ? null : (scope ?? new Set());
}

/**
 * The current org unit of each of `ciIds` that exists (null: a CI of the whole organisation). Other
 * modules judge data scope by the unit a CI has now: one that moved out or was deleted is out.
 */
export async function unitsOfCis(db: Kysely<Database>, ciIds: Iterable<string>): Promise<Map<string, string | null>> {
  const ids = [...new Set(ciIds)];
  const out = new Map<string, string | null>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await db.selectFrom('cmdb_ci').select(['id', 'org_unit_id']).where('id', 'in', ids.slice(i, i + 500)).execute();
    rows.forEach((r) => out.set(r.id, r.org_unit_id));
  }
  return out;
}

/** A class row with its JSON columns parsed. */
export interface ClassDef {
  id: string;
  code: string;
  name: { zh: string; en: string };
  builtin: boolean;
  subtypes: Subtype[];
  attributes: AttributeDefinition[];
  description: string;
  createdAt: number;
  updatedAt: number;
}

export function classDef(row: ClassRow): ClassDef {
  return {
    id: row.id,
    code: row.code,
    name: { zh: row.name_zh, en: row.name_en },
    builtin: row.builtin === 1,
    subtypes: fromJson<Subtype[]>(row.subtypes),
    attributes: fromJson<AttributeDefinition[]>(row.attributes),
    description: row.description,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export function classView(row: ClassRow, ciCount: number): CiClass {
  const def = classDef(row);
  return { ...def, businessSystem: def.code === 'business_system', ciCount };
}

export function ciView(row: CiRow): Ci {
  return {
    id: row.id,
    classId: row.class_id,
    classCode: row.class_code,
    className: { zh: row.class_name_zh, en: row.class_name_en },
    subtype: row.subtype,
    name: row.name,
    status: row.status,
    ip: row.ip,
    hostname: row.hostname,
    ownerId: row.owner_id,
    ownerName: row.owner_id ? row.owner_name : null,
    ownerUsername: row.owner_id ? row.owner_username : null,
    orgUnitId: row.org_unit_id,
    orgUnitName: row.org_unit_id ? row.org_unit_name : null,
    attributes: fromJson<Record<string, unknown>>(row.attributes),
    description: row.description,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** A 400 naming the first problem's field under `prefix` (e.g. `body`), listing them all. */
export function problemsError(problems: readonly Problem[], prefix: string): AppError {
  const fields = problems.map((p) => ({ field: `${prefix}.${p.field}`, message: p.message }));
  return new AppError('YW_VALIDATION', { field: fields[0]!.field, fields });
}

/** True when `error` is a foreign-key violation (a row referenced was deleted meanwhile). */
export function isForeignKeyViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || e?.code === '23503';
}
