import { uuidv7 } from 'uuidv7';
import { CMDB_PERMISSIONS as P, RELATION_TYPE_INFO, type CiRelations, type Relation, type RelationCreate, type RelationUpdate } from '@yunwei/contracts/cmdb';
import { isUniqueViolation } from '../../db/dialect.js';
import { type Actor, inScope, requireScope } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { CmdbRepository, type RelationRow, type RelationViewRow } from './cmdb.repository.js';
import { isForeignKeyViolation } from './cmdb.shared.js';

/** A relation as shown to `actor`: the name of an end outside the actor's scope is left empty. */
function relationView(actor: Actor, r: RelationViewRow): Relation {
  const sourceVisible = inScope(actor, P.ciRead, r.source_org_unit_id);
  const targetVisible = r.target_group_id !== null || inScope(actor, P.ciRead, r.target_org_unit_id);
  return {
    id: r.id,
    sourceId: r.source_id,
    sourceName: sourceVisible ? r.source_name : '',
    targetKind: r.target_group_id !== null ? 'group' : 'ci',
    targetId: (r.target_ci_id ?? r.target_group_id)!,
    targetName: targetVisible ? (r.target_ci_name ?? r.target_group_name ?? '') : '',
    type: r.type,
    propagates: r.propagates === 1,
    description: r.description,
    createdAt: Number(r.created_at),
    updatedAt: Number(r.updated_at),
  };
}

/**
 * Typed relations `source —type→ target` (target: a CI or a redundancy group). Changing a relation
 * needs write scope on its source CI; its target must be visible to the actor.
 */
export class RelationService {
  private readonly repo: CmdbRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new CmdbRepository(ctx.db);
  }

  async listOf(actor: Actor, ciId: string): Promise<CiRelations> {
    const ci = await this.repo.findCi(ciId);
    if (!ci) {
      throw new AppError('YW_CMDB_CI_NOT_FOUND', { id: ciId });
    }
    requireScope(actor, P.ciRead, ci.org_unit_id);
    const { outgoing, incoming } = await this.repo.relationsOf(ciId);
    return { outgoing: outgoing.map((r) => relationView(actor, r)), incoming: incoming.map((r) => relationView(actor, r)) };
  }

  async create(actor: Actor, input: RelationCreate): Promise<Relation> {
    const source = await this.repo.findCi(input.sourceId);
    if (!source) {
      throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'body.sourceId', id: input.sourceId });
    }
    requireScope(actor, P.ciWrite, source.org_unit_id);
    const kind = input.targetKind ?? 'ci';
    if (kind === 'ci') {
      if (input.targetId === input.sourceId) {
        throw new AppError('YW_CMDB_RELATION_SELF', { field: 'body.targetId' });
      }
      const target = await this.repo.findCi(input.targetId);
      if (!target) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'body.targetId', id: input.targetId });
      }
      requireScope(actor, P.ciRead, target.org_unit_id);
    } else {
      if (!(await this.repo.findGroup(input.targetId))) {
        throw new AppError('YW_CMDB_GROUP_NOT_FOUND', { field: 'body.targetId', id: input.targetId });
      }
      if ((await this.repo.groupsOfCi(input.sourceId)).some((g) => g.id === input.targetId)) {
        throw new AppError('YW_CMDB_RELATION_SELF', { field: 'body.targetId' });
      }
    }
    const now = Date.now();
    const row: RelationRow = {
      id: uuidv7(),
      source_id: input.sourceId,
      target_ci_id: kind === 'ci' ? input.targetId : null,
      target_group_id: kind === 'group' ? input.targetId : null,
      type: input.type,
      propagates: (input.propagates ?? RELATION_TYPE_INFO[input.type].propagates) ? 1 : 0,
      description: input.description ?? '',
      created_at: now,
      updated_at: now,
    };
    try {
      await this.ctx.db.transaction().execute(async (trx) => {
        const repo = new CmdbRepository(trx);
        if (await repo.findDuplicateRelation(row.source_id, kind === 'ci' ? { ci: input.targetId } : { group: input.targetId }, row.type)) {
          throw new AppError('YW_CMDB_RELATION_DUPLICATE', { field: 'body.targetId' });
        }
        await repo.insertRelation(trx, row);
        const view = await repo.findRelation(row.id);
        await this.ctx.audit.record(trx, { actor, action: 'cmdb.relation.create', targetType: 'cmdb_relation', targetId: row.id, after: relationView(actor, view!) });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_CMDB_RELATION_DUPLICATE', { field: 'body.targetId' });
      }
      if (isForeignKeyViolation(error)) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'body.targetId', id: input.targetId });
      }
      throw error;
    }
    return this.#view(actor, row.id);
  }

  async update(actor: Actor, id: string, input: RelationUpdate): Promise<Relation> {
    const before = await this.#requireWritable(actor, id);
    const patch = { propagates: input.propagates === undefined ? before.propagates : input.propagates ? 1 : 0, description: input.description ?? before.description, updated_at: Date.now() };
    await this.ctx.db.transaction().execute(async (trx) => {
      const repo = new CmdbRepository(trx);
      await repo.updateRelation(trx, id, patch);
      const after = await repo.findRelation(id);
      if (!after) {
        throw new AppError('YW_CMDB_RELATION_NOT_FOUND', { id });
      }
      await this.ctx.audit.record(trx, { actor, action: 'cmdb.relation.update', targetType: 'cmdb_relation', targetId: id, before: relationView(actor, before), after: relationView(actor, after) });
    });
    return this.#view(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.#requireWritable(actor, id);
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.deleteRelation(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'cmdb.relation.delete', targetType: 'cmdb_relation', targetId: id, before: relationView(actor, before) });
    });
  }

  async #requireWritable(actor: Actor, id: string): Promise<RelationViewRow> {
    const row = await this.repo.findRelation(id);
    if (!row) {
      throw new AppError('YW_CMDB_RELATION_NOT_FOUND', { id });
    }
    requireScope(actor, P.ciWrite, row.source_org_unit_id);
    return row;
  }

  async #view(actor: Actor, id: string): Promise<Relation> {
    const row = await this.repo.findRelation(id);
    if (!row) {
      throw new AppError('YW_CMDB_RELATION_NOT_FOUND', { id });
    }
    return relationView(actor, row);
  }
}
