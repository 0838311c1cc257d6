import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { PageOf } from '@yunwei/contracts/common';
import { CMDB_PERMISSIONS as P, type Ci, type CiCreate, type CiDetail, type CiListItem, type CiQuery, type CiUpdate } from '@yunwei/contracts/cmdb';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope, requireScope } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { checkAttributes, checkCiFields, type Problem } from './attributes.js';
import { ClassService } from './class.service.js';
import { type CiFilter, CmdbRepository, type CiRow } from './cmdb.repository.js';
import type { CmdbCiTable } from './cmdb.tables.js';
import { ciView, isForeignKeyViolation, problemsError, scopeOf } from './cmdb.shared.js';
import { businessSystemsOf } from './impact-analysis.js';
import { ImpactService } from './impact.service.js';

/** At most this many CIs in a business-system filter (a parameter list). */
const MAX_MEMBERSHIP_FILTER = 20_000;

/** Configuration items: search, read, create, change, delete — within the actor's data scope. */
export class CiService {
  private readonly repo: CmdbRepository;
  private readonly classes: ClassService;
  private readonly impact: ImpactService;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new CmdbRepository(ctx.db);
    this.classes = new ClassService(ctx);
    this.impact = new ImpactService(ctx);
  }

  /** The list / export filter of a query, within the actor's scope for `permission`. */
  async filterOf(actor: Actor, query: Omit<CiQuery, 'offset' | 'limit' | 'sort' | 'order'>, permission = P.ciRead): Promise<CiFilter> {
    let ids: string[] | null = null;
    if (query.businessSystemId) {
      if (!(await this.repo.findCi(query.businessSystemId))) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'querystring.businessSystemId', id: query.businessSystemId });
      }
      ids = (await this.impact.reliedOnBy(query.businessSystemId)).slice(0, MAX_MEMBERSHIP_FILTER);
    }
    return { q: query.q, classId: query.classId, subtype: query.subtype, status: query.status, orgUnitId: query.orgUnitId, ownerId: query.ownerId, orgUnits: scopeOf(actor, permission), ids };
  }

  async list(actor: Actor, query: CiQuery): Promise<PageOf<CiListItem>> {
    const { rows, total } = await this.repo.listCis(await this.filterOf(actor, query), {
      offset: query.offset ?? 0,
      limit: query.limit ?? 50,
      sort: query.sort ?? 'name',
      order: query.order ?? 'asc',
    });
    if (!query.withBusinessSystems || rows.length === 0) {
      return { items: rows.map(ciView), total };
    }
    // One load of the graph for the whole page; systems outside the caller's scope are left out.
    const graph = await this.impact.graph();
    const systemsOf = new Map(rows.map((r) => [r.id, businessSystemsOf(graph, r.id)]));
    const systems = new Map(
      (await this.repo.findCis([...new Set([...systemsOf.values()].flat())]))
        .filter((s) => inScope(actor, P.ciRead, s.org_unit_id))
        .map((s) => [s.id, { id: s.id, name: s.name, classCode: s.class_code }]),
    );
    const named = (ids: string[]) => ids.flatMap((id) => systems.get(id) ?? []).sort((a, b) => a.name.localeCompare(b.name));
    return { items: rows.map((r) => ({ ...ciView(r), businessSystems: named(systemsOf.get(r.id) ?? []) })), total };
  }

  async get(actor: Actor, id: string): Promise<CiDetail> {
    const row = await this.#find(id);
    requireScope(actor, P.ciRead, row.org_unit_id);
    const systems = await this.repo.findCis(await this.impact.businessSystemsOf(id));
    return {
      ...ciView(row),
      businessSystems: systems
        .filter((s) => inScope(actor, P.ciRead, s.org_unit_id))
        .map((s) => ({ id: s.id, name: s.name, classCode: s.class_code }))
        .sort((a, b) => a.name.localeCompare(b.name)),
      groups: await this.repo.groupsOfCi(id),
    };
  }

  async create(actor: Actor, input: CiCreate): Promise<Ci> {
    const cls = await this.classes.require(input.classId, 'body.classId');
    const orgUnitId = input.orgUnitId ?? null;
    requireScope(actor, P.ciWrite, orgUnitId);
    const draft = {
      name: input.name.trim(),
      subtype: input.subtype ?? null,
      status: input.status ?? 'active',
      ip: (input.ip ?? '').trim(),
      hostname: (input.hostname ?? '').trim(),
      description: input.description ?? '',
    };
    const attributes = checkAttributes(cls.attributes, input.attributes ?? {});
    const problems = [...checkCiFields(cls, draft), ...attributes.problems];
    if (problems.length) {
      throw problemsError(problems, 'body');
    }
    await this.#requireRefs(input.ownerId ?? null, orgUnitId);
    const now = Date.now();
    const row: CmdbCiTable = {
      id: uuidv7(),
      class_id: cls.id,
      ...draft,
      status: draft.status,
      owner_id: input.ownerId ?? null,
      org_unit_id: orgUnitId,
      attributes: toJson(attributes.values),
      created_at: now,
      updated_at: now,
    };
    await this.#write(async (trx) => this.insert(trx, actor, row));
    return ciView((await this.repo.findCi(row.id))!);
  }

  /**
   * Inserts a validated CI and its audit entry inside the caller's transaction (also used by the
   * import, one transaction per row). Refuses a name taken in the class with a 409.
   */
  async insert(trx: Kysely<Database>, actor: Actor, row: CmdbCiTable, audit: Record<string, unknown> = {}): Promise<Ci> {
    const repo = new CmdbRepository(trx);
    if (await repo.ciNamed(row.class_id, row.name)) {
      throw new AppError('YW_CMDB_CI_NAME_TAKEN', { field: 'body.name' });
    }
    await repo.insertCi(trx, row);
    const view = ciView((await repo.findCi(row.id))!);
    await this.ctx.audit.record(trx, { actor, action: 'cmdb.ci.create', targetType: 'cmdb_ci', targetId: row.id, after: { ...view, ...audit } });
    return view;
  }

  async update(actor: Actor, id: string, input: CiUpdate): Promise<Ci> {
    const before = await this.#find(id);
    requireScope(actor, P.ciWrite, before.org_unit_id);
    const orgUnitId = input.orgUnitId === undefined ? before.org_unit_id : input.orgUnitId;
    if (orgUnitId !== before.org_unit_id) {
      requireScope(actor, P.ciWrite, orgUnitId);
    }
    const cls = await this.classes.require(before.class_id, 'body.classId');
    const draft = {
      name: input.name?.trim() ?? before.name,
      subtype: input.subtype === undefined ? before.subtype : input.subtype,
      status: input.status ?? before.status,
      ip: input.ip?.trim() ?? before.ip,
      hostname: input.hostname?.trim() ?? before.hostname,
      description: input.description ?? before.description,
    };
    // Only what is being changed is checked: a class may have changed since the CI was written.
    const problems: Problem[] = checkCiFields(cls, draft).filter((p) => (input as Record<string, unknown>)[p.field] !== undefined);
    let attributes = fromJson<Record<string, unknown>>(before.attributes);
    if (input.attributes) {
      const checked = checkAttributes(cls.attributes, input.attributes);
      problems.push(...checked.problems);
      attributes = checked.values;
    }
    if (problems.length) {
      throw problemsError(problems, 'body');
    }
    const ownerId = input.ownerId === undefined ? before.owner_id : input.ownerId;
    await this.#requireRefs(ownerId !== before.owner_id ? ownerId : null, orgUnitId !== before.org_unit_id ? orgUnitId : null);
    const patch: Partial<CmdbCiTable> = { ...draft, owner_id: ownerId, org_unit_id: orgUnitId, attributes: toJson(attributes), updated_at: Date.now() };
    await this.#write(async (trx) => {
      const repo = new CmdbRepository(trx);
      if (draft.name !== before.name && (await repo.ciNamed(before.class_id, draft.name, id))) {
        throw new AppError('YW_CMDB_CI_NAME_TAKEN', { field: 'body.name' });
      }
      await repo.updateCi(trx, id, patch);
      const after = await repo.findCi(id);
      if (!after) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { id });
      }
      await this.ctx.audit.record(trx, { actor, action: 'cmdb.ci.update', targetType: 'cmdb_ci', targetId: id, before: ciView(before), after: ciView(after) });
    });
    return ciView((await this.repo.findCi(id))!);
  }

  /** Deletes a CI with its relations and group memberships. */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#find(id);
    requireScope(actor, P.ciWrite, before.org_unit_id);
    await this.#write(async (trx) => {
      const removed = await new CmdbRepository(trx).deleteCi(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'cmdb.ci.delete', targetType: 'cmdb_ci', targetId: id, before: { ...ciView(before), removedRelations: removed.relations, removedMemberships: removed.memberships } });
    });
  }

  async #find(id: string): Promise<CiRow> {
    const row = await this.repo.findCi(id);
    if (!row) {
      throw new AppError('YW_CMDB_CI_NOT_FOUND', { id });
    }
    return row;
  }

  async #requireRefs(ownerId: string | null, orgUnitId: string | null): Promise<void> {
    if (ownerId && !(await this.repo.findUser(ownerId))) {
      throw new AppError('YW_USER_NOT_FOUND', { field: 'body.ownerId', id: ownerId });
    }
    if (orgUnitId && !(await this.repo.findOrgUnit(orgUnitId))) {
      throw new AppError('YW_ORG_NOT_FOUND', { field: 'body.orgUnitId', id: orgUnitId });
    }
  }

  /** A write transaction; races on the unique name or a deleted reference become 409 / 404. */
  async #write(body: (trx: Kysely<Database>) => Promise<unknown>): Promise<void> {
    try {
      await this.ctx.db.transaction().execute(body);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_CMDB_CI_NAME_TAKEN', { field: 'body.name' });
      }
      if (isForeignKeyViolation(error)) {
        throw new AppError('YW_CMDB_CLASS_NOT_FOUND', { field: 'body.classId' });
      }
      throw error;
    }
  }
}
