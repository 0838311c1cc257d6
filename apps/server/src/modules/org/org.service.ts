import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { ORG_PERMISSIONS, type OrgUnit, type OrgUnitCreate, type OrgUnitUpdate } from '@yunwei/contracts/org';

import { lockChain } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, requireScope } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { descendantsOf, OrgRepository, type OrgUnitRow } from './org.repository.js';

const ORG_TREE_LOCK_KEY = 7_202_612;

function toView(row: OrgUnitRow & { user_count?: number; leader_name?: string | null }): OrgUnit {
  return {
    id: row.id,
    parentId: row.parent_id,
    name: row.name,
    code: row.code,
    sortOrder: row.sort_order,
    leaderId: row.leader_id,
    leaderName: row.leader_id ? (row.leader_name ?? null) : null,
    userCount: Number(row.user_count ?? 0),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Organisation units: the tree of departments that data scopes are expressed in. */
export class OrgService {
  private readonly repo: OrgRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new OrgRepository(ctx.db);
  }

  async list(): Promise<OrgUnit[]> {
    return (await this.repo.list()).map(toView);
  }

  async get(id: string): Promise<OrgUnit> {
    const row = await this.repo.find(id);
    if (!row) {
      throw new AppError('YW_ORG_NOT_FOUND', { id });
    }
    return toView(row);
  }

  async exists(id: string): Promise<boolean> {
    return Boolean(await this.repo.find(id));
  }

  async create(actor: Actor, input: OrgUnitCreate): Promise<OrgUnit> {
    const parentId = input.parentId ?? null;
    requireScope(actor, ORG_PERMISSIONS.unitWrite, parentId);
    if (parentId) {
      await this.get(parentId);
    }
    const name = input.name.trim();
    const now = Date.now();
    const row: OrgUnitRow = { id: uuidv7(), parent_id: parentId, name, code: input.code ?? '', sort_order: input.sortOrder ?? 0, leader_id: input.leaderId ?? null, created_at: now, updated_at: now };
    await this.ctx.db.transaction().execute(async (trx) => {
      const repo = await this.#lockTree(trx);
      await this.#requireUniqueName(repo, parentId, name);
      await this.#requireLeader(repo, row.leader_id);
      await repo.insert(trx, row);
      const after = await repo.find(row.id);
      await this.ctx.audit.record(trx, { actor, action: 'org.unit.create', targetType: 'org_unit', targetId: row.id, after: toView(after ?? row) });
    });
    return this.get(row.id);
  }

  async update(actor: Actor, id: string, input: OrgUnitUpdate): Promise<OrgUnit> {
    const before = await this.get(id);
    requireScope(actor, ORG_PERMISSIONS.unitWrite, id);
    const parentId = input.parentId === undefined ? before.parentId : input.parentId;
    if (parentId !== before.parentId) {
      requireScope(actor, ORG_PERMISSIONS.unitWrite, parentId);
      if (parentId) {
        await this.get(parentId);
      }
    }
    const name = input.name?.trim() ?? before.name;
    const leaderId = input.leaderId === undefined ? before.leaderId : input.leaderId;
    const patch = { parent_id: parentId, name, code: input.code ?? before.code, sort_order: input.sortOrder ?? before.sortOrder, leader_id: leaderId, updated_at: Date.now() };
    await this.ctx.db.transaction().execute(async (trx) => {
      const repo = await this.#lockTree(trx);
      if (parentId && parentId !== before.parentId && descendantsOf(await repo.edges(), [id]).has(parentId)) {
        throw new AppError('YW_ORG_CYCLE', { field: 'body.parentId' });
      }
      await this.#requireUniqueName(repo, parentId, name, id);
      if (leaderId !== before.leaderId) {
        await this.#requireLeader(repo, leaderId);
      }
      await repo.update(trx, id, patch);
      // The leader's name as read in this transaction (it is written to the trail, not just the id).
      const after = await repo.find(id);
      await this.ctx.audit.record(trx, { actor, action: 'org.unit.update', targetType: 'org_unit', targetId: id, before, after: after ? toView(after) : { ...before, ...patch } });
    });
    return this.get(id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(id);
    requireScope(actor, ORG_PERMISSIONS.unitWrite, id);
    if (await this.repo.hasChildrenOrUsers(id)) {
      throw new AppError('YW_ORG_HAS_CHILDREN', { id });
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.repo.delete(trx, id);
      await this.ctx.audit.record(trx, { actor, action: 'org.unit.delete', targetType: 'org_unit', targetId: id, before });
    });
  }

  /** The given units and all their descendants. */
  async expand(unitIds: Iterable<string>): Promise<Set<string>> {
    return descendantsOf(await this.repo.edges(), unitIds);
  }

  /**
   * Tree writes take turns (an advisory lock on PostgreSQL; SQLite transactions are serial anyway),
   * so the sibling-name and cycle checks made inside the transaction still hold at commit.
   */
  async #lockTree(trx: Kysely<Database>): Promise<OrgRepository> {
    await lockChain(trx, ORG_TREE_LOCK_KEY);
    return new OrgRepository(trx);
  }

  /** A leader is an active user (null: none). */
  async #requireLeader(repo: OrgRepository, leaderId: string | null): Promise<void> {
    if (leaderId && !(await repo.isActiveUser(leaderId))) {
      throw invalidField('body.leaderId', { zh: '负责人须为已存在且启用的用户', en: 'The leader must be an existing, active user' });
    }
  }

  async #requireUniqueName(repo: OrgRepository, parentId: string | null, name: string, exceptId?: string): Promise<void> {
    if (await repo.siblingNamed(parentId, name, exceptId)) {
      throw new AppError('YW_ORG_NAME_TAKEN', { field: 'body.name' });
    }
  }
}

