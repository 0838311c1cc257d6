import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { BUSINESS_SYSTEM_CLASS, type CiRef } from '@yunwei/contracts/cmdb';
import type { MaintenanceCreate, MaintenanceList, MaintenanceSchedule, MaintenanceScope, MaintenanceUpdate, MaintenanceWindow } from '@yunwei/contracts/alert-routing';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { ALERTING_PERMISSIONS as P } from '@yunwei/contracts/alerting';
import { inScope, type Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { ciRefsInReach, cisInReach } from './ci-reach.js';
import { occurrenceAt, validateSchedule } from './maintenance-schedule.js';
import type { AlertMaintenanceTable } from './routing.tables.js';

const NO_NAMES: ReadonlyMap<string, CiRef> = new Map();

const namedIn = (scope: MaintenanceScope) => [...scope.ciIds, ...scope.businessSystemIds];

export function maintenanceView(row: AlertMaintenanceTable, now: number, names: ReadonlyMap<string, CiRef> = NO_NAMES): MaintenanceWindow {
  const schedule = fromJson<MaintenanceSchedule>(row.schedule);
  const scope = fromJson<MaintenanceScope>(row.scope);
  const enabled = row.enabled === 1;
  const next = enabled ? occurrenceAt(schedule, now) : null;
  return {
    id: row.id,
    name: row.name,
    comment: row.comment,
    scope,
    schedule,
    enabled,
    active: next !== null && next.startsAt <= now && now < next.endsAt,
    nextStartsAt: next?.startsAt ?? null,
    nextEndsAt: next?.endsAt ?? null,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
    cis: namedIn(scope).flatMap((id) => names.get(id) ?? []),
  };
}

const auditView = (w: MaintenanceWindow) => ({ name: w.name, comment: w.comment, scope: w.scope, schedule: w.schedule, enabled: w.enabled });

/**
 * Refuses unknown CIs, classes and business systems, naming the offending entry, and what lies
 * outside the actor's data scope: a window silences other people's alerts, so its CIs must be in the
 * scope of `alerting.maintenance.write`, and a whole class (every unit's CIs) needs an unrestricted one.
 */
async function validateScope(db: Kysely<Database>, actor: Actor, scope: MaintenanceScope): Promise<void> {
  if (!scope.ciIds.length && !scope.classCodes.length && !scope.businessSystemIds.length) {
    throw invalidField('body.scope', { zh: '请至少选择一个配置项、配置项类别或业务系统', en: 'name at least one CI, CI class or business system' });
  }
  const ids = [...new Set([...scope.ciIds, ...scope.businessSystemIds])];
  const cis = ids.length ? await db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select(['c.id', 'c.org_unit_id', 'k.code']).where('c.id', 'in', ids).execute() : [];
  const byId = new Map(cis.map((c) => [c.id, c]));
  const check = (list: readonly string[], key: 'ciIds' | 'businessSystemIds') =>
    list.forEach((id, i) => {
      const ci = byId.get(id);
      if (!ci || (key === 'businessSystemIds' && ci.code !== BUSINESS_SYSTEM_CLASS)) {
        throw invalidField(`body.scope.${key}.${i}`, key === 'ciIds' ? { zh: '配置项不存在', en: 'no such configuration item' } : { zh: '业务系统不存在', en: 'no such business system' });
      }
      if (!inScope(actor, P.maintenanceWrite, ci.org_unit_id)) {
        throw new AppError('YW_OUT_OF_SCOPE', { permission: P.maintenanceWrite, field: `body.scope.${key}.${i}` });
      }
    });
  check(scope.ciIds, 'ciIds');
  check(scope.businessSystemIds, 'businessSystemIds');
  if (scope.classCodes.length && actor.kind !== 'system' && actor.scopes.get(P.maintenanceWrite) !== 'all') {
    throw new AppError('YW_OUT_OF_SCOPE', { permission: P.maintenanceWrite, field: 'body.scope.classCodes' });
  }
  const codes = scope.classCodes.length ? new Set((await db.selectFrom('cmdb_class').select('code').where('code', 'in', scope.classCodes).execute()).map((c) => c.code)) : new Set();
  scope.classCodes.forEach((code, i) => {
    if (!codes.has(code)) {
      throw invalidField(`body.scope.classCodes.${i}`, { zh: '配置项类别不存在', en: 'no such CI class' });
    }
  });
}

/** Changing or deleting a window needs the same reach as creating it (CIs since deleted are ignored). */
async function requireManageable(db: Kysely<Database>, actor: Actor, row: AlertMaintenanceTable): Promise<void> {
  const scope = fromJson<MaintenanceScope>(row.scope);
  const ids = [...scope.ciIds, ...scope.businessSystemIds];
  const units = ids.length ? await db.selectFrom('cmdb_ci').select('org_unit_id').where('id', 'in', ids).execute() : [];
  const unrestricted = actor.kind === 'system' || actor.scopes.get(P.maintenanceWrite) === 'all';
  if ((scope.classCodes.length && !unrestricted) || units.some((u) => !inScope(actor, P.maintenanceWrite, u.org_unit_id))) {
    throw new AppError('YW_OUT_OF_SCOPE', { permission: P.maintenanceWrite, id: row.id });
  }
}

/**
 * Of `rows`, the windows that touch `units` (null: all of them): a CI or business system named in
 * one of those units now, or a class with a CI there. As for silences, a limited reader sees what
 * keeps some of their alerts quiet (alert lists name the window as the reason) and nothing of
 * windows over other units' CIs only; changing one needs the reach over all of it (`requireManageable`).
 */
async function windowsTouching(db: Kysely<Database>, rows: AlertMaintenanceTable[], units: ReadonlySet<string> | null): Promise<AlertMaintenanceTable[]> {
  if (units === null) {
    return rows;
  }
  const scopes = rows.map((r) => fromJson<MaintenanceScope>(r.scope));
  const inReach = await cisInReach(db, scopes.flatMap((sc) => [...sc.ciIds, ...sc.businessSystemIds]), units);
  const codes = [...new Set(scopes.flatMap((sc) => sc.classCodes))];
  const classesHere =
    codes.length && units.size
      ? new Set(
          (await db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select('k.code').distinct().where('k.code', 'in', codes).where('c.org_unit_id', 'in', [...units]).execute()).map((r) => r.code),
        )
      : new Set<string>();
  return rows.filter((_, i) => {
    const sc = scopes[i]!;
    return [...sc.ciIds, ...sc.businessSystemIds].some((id) => inReach.has(id)) || sc.classCodes.some((c) => classesHere.has(c));
  });
}

/** Maintenance windows: one-off or recurring, over CIs, classes and business systems (audited). */
export class MaintenanceService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>,
    private readonly onChange: () => void,
    private readonly now: () => number = Date.now,
  ) {}

  /** The windows; a reader limited to some units sees those touching their units (see `windowsTouching`). */
  async list(actor: Actor): Promise<MaintenanceList> {
    const now = this.now();
    const rows = await this.ctx.db.selectFrom('alert_maintenance').selectAll().orderBy('created_at', 'desc').execute();
    const units = unitsReached(actor, P.alertRead);
    const visible = await windowsTouching(this.ctx.db, rows, units);
    const names = await this.#names(actor, visible);
    return { items: visible.map((r) => maintenanceView(r, now, names)) };
  }

  /** Names of the CIs and business systems the windows name, those the reader may see. */
  #names(actor: Actor, rows: readonly AlertMaintenanceTable[]): Promise<Map<string, CiRef>> {
    return ciRefsInReach(this.ctx.db, rows.flatMap((r) => namedIn(fromJson<MaintenanceScope>(r.scope))), unitsReached(actor, P.alertRead));
  }

  /** A window the actor may read (one touching none of their units does not exist for them: 404). */
  async #row(actor: Actor, id: string): Promise<AlertMaintenanceTable> {
    const row = await this.ctx.db.selectFrom('alert_maintenance').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row || !(await windowsTouching(this.ctx.db, [row], unitsReached(actor, P.alertRead))).length) {
      throw new AppError('YW_ROUTING_MAINTENANCE_NOT_FOUND', { id });
    }
    return row;
  }

  async get(actor: Actor, id: string): Promise<MaintenanceWindow> {
    const row = await this.#row(actor, id);
    return maintenanceView(row, this.now(), await this.#names(actor, [row]));
  }

  async create(actor: Actor, input: MaintenanceCreate): Promise<MaintenanceWindow> {
    validateSchedule(input.schedule);
    await validateScope(this.ctx.db, actor, input.scope);
    const now = this.now();
    const row: AlertMaintenanceTable = {
      id: uuidv7(),
      name: input.name.trim(),
      comment: input.comment?.trim() ?? '',
      scope: toJson(input.scope),
      schedule: toJson(input.schedule),
      enabled: input.enabled === false ? 0 : 1,
      created_by: actor.username,
      created_at: now,
      updated_at: now,
    };
    const window = maintenanceView(row, now, await this.#names(actor, [row]));
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('alert_maintenance').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.maintenance.create', targetType: 'alert_maintenance', targetId: row.id, after: auditView(window) });
    });
    this.onChange();
    return window;
  }

  async update(actor: Actor, id: string, input: MaintenanceUpdate): Promise<MaintenanceWindow> {
    const before = await this.#row(actor, id);
    await requireManageable(this.ctx.db, actor, before);
    if (input.schedule) {
      validateSchedule(input.schedule);
    }
    if (input.scope) {
      await validateScope(this.ctx.db, actor, input.scope);
    }
    const now = this.now();
    const after: AlertMaintenanceTable = {
      ...before,
      name: input.name?.trim() ?? before.name,
      comment: input.comment?.trim() ?? before.comment,
      scope: input.scope ? toJson(input.scope) : before.scope,
      schedule: input.schedule ? toJson(input.schedule) : before.schedule,
      enabled: input.enabled === undefined ? before.enabled : input.enabled ? 1 : 0,
      updated_at: now,
    };
    const { id: _id, created_at: _c, created_by: _b, ...patch } = after;
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('alert_maintenance').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.maintenance.update', targetType: 'alert_maintenance', targetId: id, before: auditView(maintenanceView(before, now)), after: auditView(maintenanceView(after, now)) });
    });
    this.onChange();
    return maintenanceView(after, now, await this.#names(actor, [after]));
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#row(actor, id);
    await requireManageable(this.ctx.db, actor, before);
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('alert_maintenance').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.maintenance.delete', targetType: 'alert_maintenance', targetId: id, before: auditView(maintenanceView(before, this.now())) });
    });
    this.onChange();
  }
}
