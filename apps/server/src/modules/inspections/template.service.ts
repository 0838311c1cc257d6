import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { INSPECTION_PERMISSIONS as P, type InspectionItem, type InspectionScope, type InspectionTemplate, type InspectionTemplateCreate, type InspectionTemplateList, type InspectionTemplateUpdate } from '@yunwei/contracts/inspections';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import type { PermissionId } from '@yunwei/contracts/access';
import { type Actor, systemActor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { BUILTIN_TEMPLATES } from './builtin-templates.js';
import type { InspectionTemplateTable } from './inspections.tables.js';
import { checkItems } from './items.js';
import { checkScope, reachesScope, requireScopeReach } from './scope.js';

export function templateView(row: InspectionTemplateTable): InspectionTemplate {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    builtinKey: row.builtin_key,
    scope: fromJson<InspectionScope>(row.scope),
    items: fromJson<InspectionItem[]>(row.items),
    version: Number(row.version),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Inspection templates: CRUD, audited; a change of scope or items is a new version (the old one is kept).
 * Data scope: a class template has no unit (each reader's scope filters its CIs when run); one naming a
 * business system or CIs is seen by whoever reaches any of their units and changed by whoever reaches all.
 */
export class TemplateService {
  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {}

  async list(actor: Actor): Promise<InspectionTemplateList> {
    const rows = await this.ctx.db.selectFrom('inspection_template').selectAll().orderBy('builtin_key', 'desc').orderBy('name').execute();
    const items: InspectionTemplate[] = [];
    for (const row of rows) {
      const template = templateView(row);
      if (await reachesScope(this.ctx.db, actor, P.templateRead, template.scope)) {
        items.push(template);
      }
    }
    return { items, total: items.length };
  }

  /** The template, if the actor reaches it with `permission` (read, run: any unit it names; change: all). */
  async get(actor: Actor, id: string, permission: PermissionId = P.templateRead): Promise<InspectionTemplate> {
    const template = templateView(await this.#row(this.ctx.db, id));
    await requireScopeReach(this.ctx.db, actor, permission, P.templateRead, template.scope, () => new AppError('YW_INSPECTION_TEMPLATE_NOT_FOUND', { id }));
    return template;
  }

  /** A template as it was at `version` (records show the items they were run with). */
  async version(id: string, version: number): Promise<{ name: string; scope: InspectionScope; items: InspectionItem[] } | undefined> {
    const row = await this.ctx.db.selectFrom('inspection_template_version').selectAll().where('template_id', '=', id).where('version', '=', version).executeTakeFirst();
    return row ? { name: row.name, scope: fromJson(row.scope), items: fromJson(row.items) } : undefined;
  }

  async create(actor: Actor, input: InspectionTemplateCreate, builtinKey: string | null = null): Promise<InspectionTemplate> {
    checkItems(input.items);
    await checkScope(this.ctx.db, input.scope, 'body.scope', undefined, { actor, permission: P.templateWrite });
    const now = Date.now();
    const row: InspectionTemplateTable = {
      id: uuidv7(),
      name: input.name.trim(),
      description: input.description ?? '',
      builtin_key: builtinKey,
      scope: toJson(input.scope),
      items: toJson(input.items),
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('inspection_template').values(row).execute();
      await this.#keepVersion(trx, row, now);
      await this.ctx.audit.record(trx, { actor, action: 'inspections.template.create', targetType: 'inspection_template', targetId: row.id, after: templateView(row) });
    });
    return templateView(row);
  }

  async update(actor: Actor, id: string, input: InspectionTemplateUpdate): Promise<InspectionTemplate> {
    await this.get(actor, id, P.templateWrite);
    if (input.items) {
      checkItems(input.items);
    }
    if (input.scope) {
      await checkScope(this.ctx.db, input.scope, 'body.scope', undefined, { actor, permission: P.templateWrite });
    }
    return this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#row(trx, id);
      const now = Date.now();
      const changes: Partial<InspectionTemplateTable> = { updated_at: now };
      if (input.name !== undefined) {
        changes.name = input.name.trim();
      }
      if (input.description !== undefined) {
        changes.description = input.description;
      }
      if (input.scope !== undefined) {
        changes.scope = toJson(input.scope);
      }
      if (input.items !== undefined) {
        changes.items = toJson(input.items);
      }
      const definitionChanged = (changes.scope !== undefined && changes.scope !== before.scope) || (changes.items !== undefined && changes.items !== before.items) || (changes.name !== undefined && changes.name !== before.name);
      if (definitionChanged) {
        changes.version = Number(before.version) + 1;
      }
      const after = { ...before, ...changes };
      await trx.updateTable('inspection_template').set(changes).where('id', '=', id).execute();
      if (definitionChanged) {
        await this.#keepVersion(trx, after, now);
      }
      await this.ctx.audit.record(trx, { actor, action: 'inspections.template.update', targetType: 'inspection_template', targetId: id, before: templateView(before), after: templateView(after) });
      return templateView(after);
    });
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.get(actor, id, P.templateWrite);
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#row(trx, id);
      if (before.builtin_key) {
        throw new AppError('YW_INSPECTION_TEMPLATE_BUILTIN', { id });
      }
      const schedule = await trx.selectFrom('inspection_schedule').select('id').where('template_id', '=', id).executeTakeFirst();
      const policies = await trx.selectFrom('monitoring_policy').select(['id', 'inspections']).execute();
      const policy = policies.find((p) => fromJson<{ templateId: string }[]>(p.inspections).some((x) => x.templateId === id));
      if (schedule || policy) {
        throw new AppError('YW_INSPECTION_TEMPLATE_IN_USE', { id, scheduleId: schedule?.id ?? null, policyId: policy?.id ?? null });
      }
      await trx.deleteFrom('inspection_template').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'inspections.template.delete', targetType: 'inspection_template', targetId: id, before: templateView(before) });
    });
  }

  /** Seeds the built-in templates once (a changed or deleted class scope is left as the user made it). */
  async seedBuiltins(): Promise<void> {
    const present = new Set((await this.ctx.db.selectFrom('inspection_template').select('builtin_key').where('builtin_key', 'is not', null).execute()).map((r) => r.builtin_key));
    for (const t of BUILTIN_TEMPLATES) {
      if (!present.has(t.key)) {
        await this.create(systemActor('inspections'), { name: t.name, description: t.description, scope: t.scope, items: t.items }, t.key);
      }
    }
  }

  async #row(db: Kysely<Database>, id: string): Promise<InspectionTemplateTable> {
    const row = await db.selectFrom('inspection_template').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INSPECTION_TEMPLATE_NOT_FOUND', { id });
    }
    return row;
  }

  async #keepVersion(trx: Kysely<Database>, row: InspectionTemplateTable, now: number): Promise<void> {
    await trx.insertInto('inspection_template_version').values({ template_id: row.id, version: Number(row.version), name: row.name, scope: row.scope, items: row.items, created_at: now }).execute();
  }
}
