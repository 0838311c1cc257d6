import { uuidv7 } from 'uuidv7';
import type { Kysely } from 'kysely';
import type { Actor } from '../../platform/actor.js';
import type { IncidentConfig, IncidentConfigInput, IncidentNature, IncidentNatureInput, IncidentType, IncidentTypeInput, IncidentTypeRule } from '@yunwei/contracts/incidents';
import { INCIDENT_LIMITS } from '@yunwei/contracts/incidents';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { DEFAULT_CONFIG, SEED_NATURES, SEED_TYPES } from './incident-seeds.js';
import type { IncidentNatureTable, IncidentTypeTable } from './incidents.tables.js';

const minuteOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * What incidents are classified and measured by: the fault-type tree, the natures, the priority matrix, SLA
 * targets, working hours and pause reasons. All data: administrators change them, built-ins are seeded once.
 */
export class IncidentConfigService {
  constructor(private readonly ctx: ModuleContext) {}

  /** Seeds what is missing (by code); never overwrites an administrator's change. */
  async seed(): Promise<void> {
    const now = Date.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      const have = new Map((await trx.selectFrom('incident_type').select(['id', 'code']).execute()).map((r) => [r.code, r.id]));
      const existing = new Set(have.keys());
      for (const t of SEED_TYPES) {
        have.set(t.code, have.get(t.code) ?? uuidv7());
      }
      // Parents come before their children in SEED_TYPES, so a child's parent row exists when it is inserted.
      for (const [i, t] of SEED_TYPES.entries()) {
        if (existing.has(t.code)) {
          continue;
        }
        await trx
          .insertInto('incident_type')
          .values({ id: have.get(t.code)!, parent_id: t.parent ? (have.get(t.parent) ?? null) : null, code: t.code, name_zh: t.zh, name_en: t.en, description: '', rules: toJson(t.rules ?? []), sort: i * 10, enabled: 1, builtin: 1, created_at: now, updated_at: now })
          .execute();
      }
      const natures = new Set((await trx.selectFrom('incident_nature').select('code').execute()).map((r) => r.code));
      for (const [i, n] of SEED_NATURES.entries()) {
        if (!natures.has(n.code)) {
          await trx
            .insertInto('incident_nature')
            .values({ id: uuidv7(), code: n.code, name_zh: n.zh, name_en: n.en, guidance_zh: n.gzh, guidance_en: n.gen, sort: i * 10, enabled: 1, builtin: 1, created_at: now, updated_at: now })
            .execute();
        }
      }
      const config = await trx.selectFrom('incident_config').select('id').where('id', '=', 1).executeTakeFirst();
      if (!config) {
        await trx.insertInto('incident_config').values({ id: 1, config: toJson(DEFAULT_CONFIG), updated_at: null, updated_by: null }).execute();
      }
    });
  }

  async config(db: Kysely<Database> = this.ctx.db): Promise<IncidentConfig> {
    const row = await db.selectFrom('incident_config').selectAll().where('id', '=', 1).executeTakeFirst();
    const stored = row ? fromJson<IncidentConfigInput>(row.config) : DEFAULT_CONFIG;
    return { ...DEFAULT_CONFIG, ...stored, timeZone: this.ctx.config.timeZone, updatedAt: row?.updated_at ? Number(row.updated_at) : null };
  }

  async updateConfig(actor: Actor, input: IncidentConfigInput): Promise<IncidentConfig> {
    const windows = input.businessHours.map((w) => ({ start: minuteOf(w.start), end: minuteOf(w.end) })).sort((a, b) => a.start - b.start);
    input.businessHours.forEach((w, i) => {
      if (minuteOf(w.end) <= minuteOf(w.start)) {
        throw invalidField(`body.businessHours.${i}.end`, { zh: '结束时间须晚于开始时间', en: 'the end must be after the start' });
      }
    });
    for (let i = 1; i < windows.length; i++) {
      if (windows[i]!.start < windows[i - 1]!.end) {
        throw invalidField('body.businessHours', { zh: '工作时间段不能重叠', en: 'working-hour windows must not overlap' });
      }
    }
    const codes = new Set<string>();
    input.pauseReasons.forEach((r, i) => {
      if (codes.has(r.code)) {
        throw invalidField(`body.pauseReasons.${i}.code`, { zh: `挂起原因编码“${r.code}”重复`, en: `pause reason code "${r.code}" is repeated` });
      }
      codes.add(r.code);
    });
    for (const [priority, policyId] of Object.entries(input.escalation ?? {})) {
      if (policyId && !(await this.ctx.db.selectFrom('alert_escalation_policy').select('id').where('id', '=', policyId).executeTakeFirst())) {
        throw invalidField(`body.escalation.${priority}`, { zh: '升级策略不存在', en: 'no such escalation policy' });
      }
    }
    const before = await this.config();
    const now = Date.now();
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx.updateTable('incident_config').set({ config: toJson(input), updated_at: now, updated_by: actor.userId }).where('id', '=', 1).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.config.update', targetType: 'incident_config', targetId: '1', before: stripMeta(before), after: input });
    });
    return this.config();
  }

  // ------------------------------------------------------------ types

  async types(actor: Actor): Promise<IncidentType[]> {
    const rows = await this.ctx.db.selectFrom('incident_type').selectAll().orderBy('sort').orderBy('code').execute();
    const uses = await this.#uses('type_id');
    const byId = new Map(rows.map((r) => [r.id, r]));
    return rows.map((r) => typeView(r, byId, actor.locale === 'en', uses.get(r.id) ?? 0));
  }

  async createType(actor: Actor, input: IncidentTypeInput): Promise<IncidentType> {
    const now = Date.now();
    const row: IncidentTypeTable = { id: uuidv7(), ...(await this.#typeColumns(input, null)), builtin: 0, created_at: now, updated_at: now };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#uniqueCode(trx, 'incident_type', input.code, null);
      await trx.insertInto('incident_type').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.type.create', targetType: 'incident_type', targetId: row.id, after: typeAudit(row) });
    });
    return (await this.types(actor)).find((t) => t.id === row.id)!;
  }

  async updateType(actor: Actor, id: string, input: IncidentTypeInput): Promise<IncidentType> {
    const before = await this.#type(id);
    const patch = { ...(await this.#typeColumns(input, id)), updated_at: Date.now() };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#uniqueCode(trx, 'incident_type', input.code, id);
      await trx.updateTable('incident_type').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.type.update', targetType: 'incident_type', targetId: id, before: typeAudit(before), after: typeAudit({ ...before, ...patch }) });
    });
    return (await this.types(actor)).find((t) => t.id === id)!;
  }

  async removeType(actor: Actor, id: string): Promise<void> {
    const before = await this.#type(id);
    await this.ctx.db.transaction().execute(async (trx) => {
      const child = await trx.selectFrom('incident_type').select('id').where('parent_id', '=', id).executeTakeFirst();
      const used = await trx.selectFrom('incident').select('id').where('type_id', '=', id).executeTakeFirst();
      if (child || used) {
        throw new AppError('YW_INCIDENT_CONFIG_IN_USE', { field: 'params.id', children: Boolean(child) });
      }
      await trx.deleteFrom('incident_type').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.type.delete', targetType: 'incident_type', targetId: id, before: typeAudit(before) });
    });
  }

  // ------------------------------------------------------------ natures

  async natures(actor: Actor): Promise<IncidentNature[]> {
    const rows = await this.ctx.db.selectFrom('incident_nature').selectAll().orderBy('sort').orderBy('code').execute();
    const uses = await this.#uses('nature_id');
    return rows.map((r) => natureView(r, actor.locale === 'en', uses.get(r.id) ?? 0));
  }

  async createNature(actor: Actor, input: IncidentNatureInput): Promise<IncidentNature> {
    const now = Date.now();
    const row: IncidentNatureTable = { id: uuidv7(), ...natureColumns(input), builtin: 0, created_at: now, updated_at: now };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#uniqueCode(trx, 'incident_nature', input.code, null);
      await trx.insertInto('incident_nature').values(row).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.nature.create', targetType: 'incident_nature', targetId: row.id, after: natureColumns(input) });
    });
    return (await this.natures(actor)).find((n) => n.id === row.id)!;
  }

  async updateNature(actor: Actor, id: string, input: IncidentNatureInput): Promise<IncidentNature> {
    const before = await this.#nature(id);
    const patch = { ...natureColumns(input), updated_at: Date.now() };
    await this.ctx.db.transaction().execute(async (trx) => {
      await this.#uniqueCode(trx, 'incident_nature', input.code, id);
      await trx.updateTable('incident_nature').set(patch).where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.nature.update', targetType: 'incident_nature', targetId: id, before: { code: before.code, nameZh: before.name_zh, nameEn: before.name_en, enabled: before.enabled === 1 }, after: natureColumns(input) });
    });
    return (await this.natures(actor)).find((n) => n.id === id)!;
  }

  async removeNature(actor: Actor, id: string): Promise<void> {
    const before = await this.#nature(id);
    await this.ctx.db.transaction().execute(async (trx) => {
      if (await trx.selectFrom('incident').select('id').where('nature_id', '=', id).executeTakeFirst()) {
        throw new AppError('YW_INCIDENT_CONFIG_IN_USE', { field: 'params.id' });
      }
      await trx.deleteFrom('incident_nature').where('id', '=', id).execute();
      await this.ctx.audit.record(trx, { actor, action: 'incidents.nature.delete', targetType: 'incident_nature', targetId: id, before: { code: before.code, nameZh: before.name_zh } });
    });
  }

  /** An enabled type / nature for an incident, else 400 naming the field. */
  async requireUsable(field: 'typeId' | 'natureId', id: string | null | undefined, db: Kysely<Database> = this.ctx.db): Promise<void> {
    if (!id) {
      return;
    }
    const row = field === 'typeId' ? await db.selectFrom('incident_type').select('enabled').where('id', '=', id).executeTakeFirst() : await db.selectFrom('incident_nature').select('enabled').where('id', '=', id).executeTakeFirst();
    if (!row || row.enabled !== 1) {
      throw invalidField(`body.${field}`, field === 'typeId' ? { zh: '故障类型不存在或已停用', en: 'no such fault type, or it is disabled' } : { zh: '故障性质不存在或已停用', en: 'no such fault nature, or it is disabled' });
    }
  }

  /** The enabled types with their rules, for suggesting a type from an alert (L3-2.3.1). */
  async typeRules(): Promise<{ id: string; code: string; depth: number; rules: IncidentTypeRule[] }[]> {
    const rows = await this.ctx.db.selectFrom('incident_type').select(['id', 'code', 'parent_id', 'rules', 'enabled']).execute();
    const byId = new Map(rows.map((r) => [r.id, r]));
    const depth = (r: { parent_id: string | null }): number => (r.parent_id && byId.has(r.parent_id) ? 1 + depth(byId.get(r.parent_id)!) : 0);
    return rows.filter((r) => r.enabled === 1).map((r) => ({ id: r.id, code: r.code, depth: depth(r), rules: fromJson<IncidentTypeRule[]>(r.rules) }));
  }

  async #typeColumns(input: IncidentTypeInput, id: string | null): Promise<Omit<IncidentTypeTable, 'id' | 'builtin' | 'created_at' | 'updated_at'>> {
    if (input.parentId) {
      const rows = await this.ctx.db.selectFrom('incident_type').select(['id', 'parent_id']).execute();
      const byId = new Map(rows.map((r) => [r.id, r.parent_id]));
      if (!byId.has(input.parentId)) {
        throw invalidField('body.parentId', { zh: '上级类型不存在', en: 'no such parent type' });
      }
      let depth = 1;
      for (let p: string | null | undefined = input.parentId; p; p = byId.get(p)) {
        if (p === id) {
          throw invalidField('body.parentId', { zh: '不能把类型放到它自己或它的下级之下', en: 'a type cannot be placed under itself or its own descendants' });
        }
        depth++;
      }
      if (depth > INCIDENT_LIMITS.typeDepth) {
        throw invalidField('body.parentId', { zh: `故障类型最多 ${INCIDENT_LIMITS.typeDepth} 级`, en: `fault types are at most ${INCIDENT_LIMITS.typeDepth} levels deep` });
      }
    }
    return { parent_id: input.parentId, code: input.code, name_zh: input.nameZh.trim(), name_en: input.nameEn.trim(), description: input.description ?? '', rules: toJson(input.rules ?? []), sort: input.sort ?? 0, enabled: input.enabled ? 1 : 0 };
  }

  async #uniqueCode(trx: Kysely<Database>, table: 'incident_type' | 'incident_nature', code: string, id: string | null): Promise<void> {
    const row = await trx.selectFrom(table).select('id').where('code', '=', code).executeTakeFirst();
    if (row && row.id !== id) {
      throw new AppError('YW_CONFLICT', { field: 'body.code', code });
    }
  }

  async #uses(column: 'type_id' | 'nature_id'): Promise<Map<string, number>> {
    const rows = await this.ctx.db.selectFrom('incident').select([column, (eb) => eb.fn.countAll<number>().as('n')]).where(column, 'is not', null).groupBy(column).execute();
    return new Map(rows.map((r) => [r[column] as string, Number(r.n)]));
  }

  async #type(id: string): Promise<IncidentTypeTable> {
    const row = await this.ctx.db.selectFrom('incident_type').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INCIDENT_TYPE_NOT_FOUND', { field: 'params.id', id });
    }
    return row;
  }

  async #nature(id: string): Promise<IncidentNatureTable> {
    const row = await this.ctx.db.selectFrom('incident_nature').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) {
      throw new AppError('YW_INCIDENT_NATURE_NOT_FOUND', { field: 'params.id', id });
    }
    return row;
  }
}

function stripMeta(c: IncidentConfig): IncidentConfigInput {
  const { timeZone: _tz, updatedAt: _u, ...rest } = c;
  return rest;
}

/** "环境 / 电力": the names from the root down. */
export function typePath(row: Pick<IncidentTypeTable, 'parent_id' | 'name_zh' | 'name_en'>, byId: ReadonlyMap<string, Pick<IncidentTypeTable, 'parent_id' | 'name_zh' | 'name_en'>>, en: boolean): string {
  const names: string[] = [];
  let cur: Pick<IncidentTypeTable, 'parent_id' | 'name_zh' | 'name_en'> | undefined = row;
  for (let guard = 0; cur && guard < 10; guard++) {
    names.unshift(en ? cur.name_en : cur.name_zh);
    cur = cur.parent_id ? byId.get(cur.parent_id) : undefined;
  }
  return names.join(' / ');
}

function typeView(r: IncidentTypeTable, byId: ReadonlyMap<string, IncidentTypeTable>, en: boolean, inUse: number): IncidentType {
  return {
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    name: en ? r.name_en : r.name_zh,
    path: typePath(r, byId, en),
    description: r.description,
    rules: fromJson<IncidentTypeRule[]>(r.rules),
    sort: Number(r.sort),
    enabled: r.enabled === 1,
    builtin: r.builtin === 1,
    inUse,
  };
}

const typeAudit = (r: Omit<IncidentTypeTable, 'id' | 'created_at' | 'updated_at' | 'builtin'>) => ({ parentId: r.parent_id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en, rules: fromJson<unknown>(r.rules), enabled: r.enabled === 1 });

function natureColumns(input: IncidentNatureInput) {
  return { code: input.code, name_zh: input.nameZh.trim(), name_en: input.nameEn.trim(), guidance_zh: input.guidanceZh ?? '', guidance_en: input.guidanceEn ?? '', sort: input.sort ?? 0, enabled: input.enabled ? 1 : 0 };
}

function natureView(r: IncidentNatureTable, en: boolean, inUse: number): IncidentNature {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    name: en ? r.name_en : r.name_zh,
    guidanceZh: r.guidance_zh,
    guidanceEn: r.guidance_en,
    guidance: en ? r.guidance_en || r.guidance_zh : r.guidance_zh,
    sort: Number(r.sort),
    enabled: r.enabled === 1,
    builtin: r.builtin === 1,
    inUse,
  };
}
