import { uuidv7 } from 'uuidv7';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { INCIDENT_RULE_KIND_NAMES, type IncidentClassification, type IncidentClassify } from '@yunwei/contracts/incident-alerts';
import { fromJson, toJson } from '../../db/dialect.js';
import { type Actor, inScope } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { typePath } from './incident-config.service.js';
import { suggestType } from './incident-classify.js';
import './incident-alerts.tables.js';
import type { IncidentTypeTable } from './incidents.tables.js';
import { incidentsOf } from './runtime.js';

type TypeRow = Pick<IncidentTypeTable, 'id' | 'parent_id' | 'name_zh' | 'name_en'>;
interface Reason {
  kind: keyof typeof INCIDENT_RULE_KIND_NAMES;
  pattern: string;
  value: string;
}

/**
 * 区分故障类型 (L3-2.3.1): the type the rules suggested (stored when an alert opened the incident; for other incidents
 * computed from the classes of its CIs), and the handler's confirmation or change of type and nature — versioned
 * like every change of an incident, with its activity row and audit entry.
 */
export class IncidentClassificationService {
  constructor(private readonly ctx: ModuleContext) {}

  async get(actor: Actor, id: string): Promise<IncidentClassification> {
    const incident = await incidentsOf(this.ctx).get(actor, id);
    const en = actor.locale === 'en';
    const row = await this.ctx.db.selectFrom('incident').select(['suggested_type_id', 'suggested_reason']).where('id', '=', id).executeTakeFirstOrThrow();
    const types = await this.ctx.db.selectFrom('incident_type').select(['id', 'parent_id', 'name_zh', 'name_en']).execute();
    const byId = new Map<string, TypeRow>(types.map((t) => [t.id, t]));
    let suggestion: { typeId: string; reason: Reason } | null = row.suggested_type_id && row.suggested_reason ? { typeId: row.suggested_type_id, reason: fromJson<Reason>(row.suggested_reason) } : null;
    if (!suggestion) {
      suggestion = await this.#fromCis(id);
    }
    const suggestedType = suggestion ? byId.get(suggestion.typeId) : undefined;
    const confirmed = await this.ctx.db.selectFrom('incident_activity').select('id').where('incident_id', '=', id).where('kind', '=', 'classify').executeTakeFirst();
    return {
      suggested:
        suggestion && suggestedType
          ? {
              type: { id: suggestedType.id, name: en ? suggestedType.name_en : suggestedType.name_zh, path: typePath(suggestedType, byId, en) },
              reason: { ...suggestion.reason, text: `${INCIDENT_RULE_KIND_NAMES[suggestion.reason.kind]?.[en ? 'en' : 'zh'] ?? suggestion.reason.kind} ${suggestion.reason.value}` },
            }
          : null,
      type: incident.type,
      nature: incident.nature,
      confirmed: confirmed !== undefined,
      version: incident.version,
    };
  }

  /** The handler confirms (or changes) the type and nature: 409 when someone changed the incident since `version`. */
  async classify(actor: Actor, id: string, input: IncidentClassify): Promise<IncidentClassification> {
    await incidentsOf(this.ctx).get(actor, id);
    const config = incidentsOf(this.ctx).config;
    await this.ctx.db.transaction().execute(async (trx) => {
      const before = await trx.selectFrom('incident').selectAll().where('id', '=', id).executeTakeFirst();
      if (!before) {
        throw new AppError('YW_INCIDENT_NOT_FOUND', { field: 'params.id', id });
      }
      if (!inScope(actor, P.write, before.org_unit_id) && before.org_unit_id !== null && before.assignee_id !== actor.userId) {
        throw new AppError('YW_OUT_OF_SCOPE', { permission: P.write });
      }
      if (Number(before.version) !== input.version) {
        throw new AppError('YW_INCIDENT_VERSION_CONFLICT', { field: 'body.version', version: Number(before.version), updatedAt: Number(before.updated_at) });
      }
      await config.requireUsable('typeId', input.typeId, trx);
      const natureId = input.natureId === undefined ? before.nature_id : input.natureId;
      await config.requireUsable('natureId', natureId, trx);
      const now = Date.now();
      const done = await trx
        .updateTable('incident')
        .set({ type_id: input.typeId, nature_id: natureId, version: input.version + 1, updated_at: now, updated_by: actor.userId })
        .where('id', '=', id)
        .where('version', '=', input.version)
        .executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        throw new AppError('YW_INCIDENT_VERSION_CONFLICT', { field: 'body.version' });
      }
      const types = await trx.selectFrom('incident_type').select(['id', 'parent_id', 'name_zh', 'name_en']).execute();
      const byId = new Map<string, TypeRow>(types.map((t) => [t.id, t]));
      const path = (typeId: string | null | undefined, en: boolean) => {
        const t = typeId ? byId.get(typeId) : undefined;
        return t ? typePath(t, byId, en) : en ? 'none' : '无';
      };
      const nature = natureId ? await trx.selectFrom('incident_nature').select(['name_zh', 'name_en']).where('id', '=', natureId).executeTakeFirst() : undefined;
      const suggested = before.suggested_type_id ?? null;
      const agrees = suggested !== null && suggested === input.typeId;
      const zh = `${agrees ? '确认故障类型' : '确定故障类型'}：${path(input.typeId, false)}${suggested && !agrees ? `（建议为 ${path(suggested, false)}）` : ''}${nature ? `；故障性质：${nature.name_zh}` : ''}`;
      const en = `${agrees ? 'Confirmed the fault type' : 'Set the fault type'}: ${path(input.typeId, true)}${suggested && !agrees ? ` (suggested: ${path(suggested, true)})` : ''}${nature ? `; nature: ${nature.name_en}` : ''}`;
      await trx
        .insertInto('incident_activity')
        .values({ id: uuidv7(), incident_id: id, at: now, kind: 'classify', actor_id: actor.userId, data: toJson({ zh, en, typeId: input.typeId, natureId, suggestedTypeId: suggested }), note: '' })
        .execute();
      await this.ctx.audit.record(trx, {
        actor,
        action: 'incidents.incident.classify',
        targetType: 'incident',
        targetId: id,
        before: { number: before.number, typeId: before.type_id, natureId: before.nature_id },
        after: { number: before.number, typeId: input.typeId, natureId, suggestedTypeId: suggested },
      });
    });
    this.ctx.events.emit('incidents.incident.changed', { id });
    return this.get(actor, id);
  }

  /** For an incident no alert opened: what its CIs' classes suggest. */
  async #fromCis(id: string): Promise<{ typeId: string; reason: Reason } | null> {
    const classes = await this.ctx.db
      .selectFrom('incident_ci as ic')
      .innerJoin('cmdb_ci as c', 'c.id', 'ic.ci_id')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select('k.code')
      .where('ic.incident_id', '=', id)
      .orderBy('c.name')
      .execute();
    const types = await incidentsOf(this.ctx).config.typeRules();
    for (const { code } of classes) {
      const s = suggestType(types, { ciClass: code });
      if (s) {
        return { typeId: s.typeId, reason: { kind: s.rule.kind, pattern: s.rule.pattern, value: s.value } };
      }
    }
    return null;
  }
}
