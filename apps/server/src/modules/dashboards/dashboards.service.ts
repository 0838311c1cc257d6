import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import { DASHBOARD_PERMISSIONS as P, GRID_COLUMNS, type Dashboard, type DashboardCreate, type DashboardList, type DashboardUpdate, type Panel } from '@yunwei/contracts/dashboards';
import type { Database } from '../../db/schema.js';
import { toJson } from '../../db/dialect.js';
import { type Actor, can } from '../../platform/actor.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { parseDuration, parseSelector, SelectorError } from '../monitoring/selector.js';
import type { DashboardTable } from './dashboards.tables.js';

type Row = DashboardTable & { owner_name: string | null };

/** Checks what the schema cannot: selectors parse, steps are durations, panels fit the grid, ids are unique. */
export function checkPanels(panels: readonly Panel[]): void {
  const ids = new Set<string>();
  panels.forEach((p, i) => {
    const at = `body.panels.${i}`;
    if (ids.has(p.id)) {
      throw invalidField(`${at}.id`, { zh: `已被另一个面板使用（${p.id}）`, en: `is used by another panel (${p.id})` });
    }
    ids.add(p.id);
    try {
      parseSelector(p.query.selector);
    } catch (error) {
      if (error instanceof SelectorError) {
        throw invalidField(`${at}.query.selector`, error.text);
      }
      throw error;
    }
    if (p.query.step !== undefined) {
      const step = parseDuration(p.query.step);
      if (step === null || step < 1000) {
        throw invalidField(`${at}.query.step`, { zh: '必须是至少 1s 的时长（30s、5m、1h）', en: 'must be a duration of at least 1s (30s, 5m, 1h)' });
      }
    }
    if (p.grid.x + p.grid.w > GRID_COLUMNS) {
      throw invalidField(`${at}.grid.w`, { zh: `x + w 不能超过 ${GRID_COLUMNS} 列`, en: `x + w must not exceed ${GRID_COLUMNS} columns` });
    }
  });
}

/**
 * Custom dashboards. A private dashboard is visible to its owner only (others get "not found", not
 * "forbidden": its existence is private too); a shared one to everyone who may read dashboards.
 * Owners change their own; shared dashboards of others need dashboards.dashboard.manage.
 */
export class DashboardService {
  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {}

  async list(actor: Actor, q?: string): Promise<DashboardList> {
    let query = this.#select(this.ctx.db).where((eb) => eb.or([eb('d.shared', '=', 1), eb('d.owner_id', '=', actor.userId ?? '')]));
    if (q) {
      query = query.where('d.name', 'like', `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
    }
    const rows = await query.orderBy('d.name').execute();
    const items = rows.map((r) => {
      const { panels: _panels, ...summary } = this.#view(actor, r);
      return summary;
    });
    return { items, total: items.length };
  }

  async get(actor: Actor, id: string): Promise<Dashboard> {
    return this.#view(actor, await this.#visible(this.ctx.db, actor, id));
  }

  async create(actor: Actor, input: DashboardCreate): Promise<Dashboard> {
    const panels = input.panels ?? [];
    checkPanels(panels);
    if (input.shared) {
      this.#requireShare(actor);
    }
    const now = Date.now();
    const row: DashboardTable = { id: uuidv7(), name: input.name.trim(), description: input.description ?? '', shared: input.shared ? 1 : 0, owner_id: actor.userId, panels: toJson(panels), created_at: now, updated_at: now };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.insertInto('dashboard').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'dashboards.dashboard.create', targetType: 'dashboard', targetId: row.id, after: this.#auditView(row) });
    });
    return this.get(actor, row.id);
  }

  async update(actor: Actor, id: string, input: DashboardUpdate): Promise<Dashboard> {
    if (input.panels) {
      checkPanels(input.panels);
    }
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#editable(trx, actor, id);
      if (input.shared === true && before.shared === 0) {
        this.#requireShare(actor);
      }
      const changes: Partial<DashboardTable> = { updated_at: Date.now() };
      if (input.name !== undefined) {
        changes.name = input.name.trim();
      }
      if (input.description !== undefined) {
        changes.description = input.description;
      }
      if (input.shared !== undefined) {
        changes.shared = input.shared ? 1 : 0;
      }
      if (input.panels !== undefined) {
        changes.panels = toJson(input.panels);
      }
      await trx.updateTable('dashboard').set(changes).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'dashboards.dashboard.update', targetType: 'dashboard', targetId: id, before: this.#auditView(before), after: this.#auditView({ ...before, ...changes }) });
    });
    return this.get(actor, id);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await this.#editable(trx, actor, id);
      await trx.deleteFrom('dashboard').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'dashboards.dashboard.delete', targetType: 'dashboard', targetId: id, before: this.#auditView(before) });
    });
  }

  #select(db: Kysely<Database>) {
    return db
      .selectFrom('dashboard as d')
      .leftJoin('user as u', 'u.id', 'd.owner_id')
      .select(['d.id', 'd.name', 'd.description', 'd.shared', 'd.owner_id', 'd.panels', 'd.created_at', 'd.updated_at', 'u.display_name as owner_name']);
  }

  async #visible(db: Kysely<Database>, actor: Actor, id: string): Promise<Row> {
    const row = (await this.#select(db).where('d.id', '=', id).executeTakeFirst()) as Row | undefined;
    if (!row || (row.shared !== 1 && (row.owner_id === null || row.owner_id !== actor.userId))) {
      throw new AppError('YW_DASHBOARD_NOT_FOUND', { id });
    }
    return row;
  }

  async #editable(trx: Kysely<Database>, actor: Actor, id: string): Promise<Row> {
    const row = await this.#visible(trx, actor, id);
    if (!this.#canEdit(actor, row)) {
      throw new AppError('YW_FORBIDDEN', { permission: P.manage });
    }
    return row;
  }

  #canEdit(actor: Actor, row: Pick<Row, 'owner_id'>): boolean {
    return (row.owner_id !== null && row.owner_id === actor.userId && can(actor, P.write)) || can(actor, P.manage);
  }

  #requireShare(actor: Actor): void {
    if (!can(actor, P.share)) {
      throw new AppError('YW_FORBIDDEN', { permission: P.share, field: 'body.shared' });
    }
  }

  #view(actor: Actor, r: Row): Dashboard {
    return {
      id: r.id,
      name: r.name,
      description: r.description,
      shared: r.shared === 1,
      ownerId: r.owner_id,
      ownerName: r.owner_name,
      panels: JSON.parse(r.panels) as Panel[],
      editable: this.#canEdit(actor, r),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  #auditView(r: DashboardTable): Record<string, unknown> {
    const panels = JSON.parse(r.panels) as Panel[];
    return { name: r.name, description: r.description, shared: r.shared === 1, ownerId: r.owner_id, panels: panels.map((p) => ({ id: p.id, type: p.type, selector: p.query.selector })) };
  }
}
