import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import type { PageOf } from '@yunwei/contracts/common';
import { CMDB_PERMISSIONS as P, type GroupCreate, type GroupQuery, type GroupUpdate, type RedundancyGroup } from '@yunwei/contracts/cmdb';
import { isUniqueViolation } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { type Actor, inScope, requireScope } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { CmdbRepository, type GroupRow } from './cmdb.repository.js';
import { isForeignKeyViolation } from './cmdb.shared.js';

type MemberRow = Awaited<ReturnType<CmdbRepository['members']>>[number];

function groupView(actor: Actor, row: GroupRow, members: MemberRow[]): RedundancyGroup {
  return {
    id: row.id,
    name: row.name,
    minUp: row.min_up,
    description: row.description,
    members: members.map((m) => {
      const visible = inScope(actor, P.ciRead, m.org_unit_id);
      return { id: m.ci_id, name: visible ? m.name : '', classCode: visible ? m.class_code : '', status: visible ? m.status : '', restricted: !visible };
    }),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/**
 * Redundancy groups: CIs that stand in for each other (a web cluster). A relation may target a group;
 * the group fails only when fewer than `minUp` members are up. Changing a group needs write scope
 * over every member, before and after the change.
 */
export class GroupService {
  private readonly repo: CmdbRepository;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {
    this.repo = new CmdbRepository(ctx.db);
  }

  async list(actor: Actor, query: GroupQuery): Promise<PageOf<RedundancyGroup>> {
    const { rows, total } = await this.repo.listGroups({ offset: query.offset ?? 0, limit: query.limit ?? 50, q: query.q });
    const members = await this.repo.members(rows.map((r) => r.id));
    return { items: rows.map((r) => groupView(actor, r, members.filter((m) => m.group_id === r.id))), total };
  }

  async get(actor: Actor, id: string): Promise<RedundancyGroup> {
    const row = await this.repo.findGroup(id);
    if (!row) {
      throw new AppError('YW_CMDB_GROUP_NOT_FOUND', { id });
    }
    return groupView(actor, row, await this.repo.members([id]));
  }

  async create(actor: Actor, input: GroupCreate): Promise<RedundancyGroup> {
    await this.#checkMembers(actor, input.memberIds, input.minUp);
    const now = Date.now();
    const row: GroupRow = { id: uuidv7(), name: input.name.trim(), min_up: input.minUp, description: input.description ?? '', created_at: now, updated_at: now };
    await this.#write(async (repo, trx) => {
      if (await repo.groupNamed(row.name)) {
        throw new AppError('YW_CMDB_GROUP_NAME_TAKEN', { field: 'body.name' });
      }
      await repo.insertGroup(trx, row);
      await repo.replaceMembers(trx, row.id, input.memberIds);
      await this.ctx.audit.record(trx, { actor, action: 'cmdb.group.create', targetType: 'cmdb_group', targetId: row.id, after: { name: row.name, minUp: row.min_up, description: row.description, memberIds: input.memberIds } });
    });
    return this.get(actor, row.id);
  }

  async update(actor: Actor, id: string, input: GroupUpdate): Promise<RedundancyGroup> {
    const before = await this.get(actor, id);
    await this.#requireMembersWritable(actor, id);
    const memberIds = input.memberIds ?? before.members.map((m) => m.id);
    const minUp = input.minUp ?? before.minUp;
    if (input.memberIds) {
      await this.#checkMembers(actor, memberIds, minUp);
    } else if (minUp > memberIds.length) {
      throw new AppError('YW_CMDB_GROUP_MIN_UP', { field: 'body.minUp', members: memberIds.length });
    }
    const patch = { name: input.name?.trim() ?? before.name, min_up: minUp, description: input.description ?? before.description, updated_at: Date.now() };
    await this.#write(async (repo, trx) => {
      if (patch.name !== before.name && (await repo.groupNamed(patch.name, id))) {
        throw new AppError('YW_CMDB_GROUP_NAME_TAKEN', { field: 'body.name' });
      }
      await repo.updateGroup(trx, id, patch);
      if (input.memberIds) {
        await repo.replaceMembers(trx, id, memberIds);
      }
      await this.ctx.audit.record(trx, {
        actor,
        action: 'cmdb.group.update',
        targetType: 'cmdb_group',
        targetId: id,
        before: { name: before.name, minUp: before.minUp, description: before.description, memberIds: before.members.map((m) => m.id) },
        after: { name: patch.name, minUp, description: patch.description, memberIds },
      });
    });
    return this.get(actor, id);
  }

  /** Deletes a group with its memberships and the relations that target it. */
  async remove(actor: Actor, id: string): Promise<void> {
    const before = await this.get(actor, id);
    await this.#requireMembersWritable(actor, id);
    await this.#write(async (repo, trx) => {
      const relations = await repo.deleteGroup(trx, id);
      await this.ctx.audit.record(trx, {
        actor,
        action: 'cmdb.group.delete',
        targetType: 'cmdb_group',
        targetId: id,
        before: { name: before.name, minUp: before.minUp, memberIds: before.members.map((m) => m.id), removedRelations: relations },
      });
    });
  }

  async #requireMembersWritable(actor: Actor, groupId: string): Promise<void> {
    for (const m of await this.repo.members([groupId])) {
      requireScope(actor, P.ciWrite, m.org_unit_id);
    }
  }

  async #checkMembers(actor: Actor, memberIds: readonly string[], minUp: number): Promise<void> {
    const found = new Map((await this.repo.findCis(memberIds)).map((r) => [r.id, r]));
    for (const [i, id] of memberIds.entries()) {
      const row = found.get(id);
      if (!row) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: `body.memberIds.${i}`, id });
      }
      requireScope(actor, P.ciWrite, row.org_unit_id);
    }
    if (minUp > memberIds.length) {
      throw new AppError('YW_CMDB_GROUP_MIN_UP', { field: 'body.minUp', members: memberIds.length });
    }
  }

  async #write(body: (repo: CmdbRepository, trx: Kysely<Database>) => Promise<void>): Promise<void> {
    try {
      await this.ctx.db.transaction().execute((trx) => body(new CmdbRepository(trx), trx));
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError('YW_CMDB_GROUP_NAME_TAKEN', { field: 'body.name' });
      }
      if (isForeignKeyViolation(error)) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field: 'body.memberIds' });
      }
      throw error;
    }
  }
}
