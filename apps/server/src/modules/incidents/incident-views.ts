import {
  INCIDENT_ACTION_NAMES,
  INCIDENT_PERMISSIONS as P,
  INCIDENT_STATUS_NAMES,
  type Incident,
  type IncidentActivityList,
  type IncidentListItem,
  type IncidentMajorRoles,
} from '@yunwei/contracts/incidents';
import { fromJson } from '../../db/dialect.js';
import { type Actor, can } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { type IncidentConfigService, typePath } from './incident-config.service.js';
import { actionsFor } from './incident-rules.js';
import { IncidentSlaClock } from './incident-sla.js';
import type { IncidentTable } from './incidents.tables.js';

type Ref = { id: string; name: string };

declare module '../../platform/events.js' {
  interface EventMap {
    'incidents.incident.changed': { id: string };
  }
}

/** Rows → what people read: names for every id, the SLA clocks, what the reader may do now. */
export class IncidentViews {
  readonly sla: IncidentSlaClock;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly config: IncidentConfigService,
  ) {
    this.sla = new IncidentSlaClock(ctx);
  }

  async listItems(actor: Actor, rows: readonly IncidentTable[]): Promise<IncidentListItem[]> {
    if (!rows.length) {
      return [];
    }
    const en = actor.locale === 'en';
    const ids = rows.map((r) => r.id);
    const names = await this.#names(rows);
    const ciRows = await this.ctx.db.selectFrom('incident_ci as ic').innerJoin('cmdb_ci as c', 'c.id', 'ic.ci_id').select(['ic.incident_id', 'c.name']).where('ic.incident_id', 'in', ids).orderBy('c.name').execute();
    const cis = new Map<string, string[]>();
    for (const r of ciRows) {
      cis.set(r.incident_id, [...(cis.get(r.incident_id) ?? []), r.name]);
    }
    const config = await this.config.config();
    const now = Date.now();
    const cals = await this.sla.calendars(config, now);
    const pauseRows = await this.ctx.db.selectFrom('incident_pause').select(['incident_id', 'from_at', 'to_at']).where('incident_id', 'in', ids).execute();
    return rows.map((r) => {
      const pauses = pauseRows.filter((p) => p.incident_id === r.id).map((p) => ({ from: Number(p.from_at), to: p.to_at === null ? null : Number(p.to_at) }));
      const sla = this.sla.states(config, cals, numeric(r), pauses, now);
      const running = [sla.response, sla.resolution].filter((s) => s && s.stoppedAt === null && s.dueAt !== null).map((s) => s!.dueAt!);
      return {
        id: r.id,
        number: r.number,
        title: r.title,
        status: r.status,
        priority: r.priority,
        source: r.source,
        typeName: r.type_id ? (names.types.get(r.type_id)?.[en ? 'en' : 'zh'] ?? null) : null,
        natureName: r.nature_id ? (names.natures.get(r.nature_id)?.[en ? 'en' : 'zh'] ?? null) : null,
        assigneeName: r.assignee_id ? (names.users.get(r.assignee_id) ?? null) : null,
        groupName: r.group_id ? (names.units.get(r.group_id) ?? null) : null,
        reporterName: r.reporter_id ? (names.users.get(r.reporter_id) ?? null) : null,
        ciNames: cis.get(r.id) ?? [],
        major: r.major === 1,
        detectedAt: Number(r.detected_at),
        resolvedAt: r.resolved_at === null ? null : Number(r.resolved_at),
        slaDueAt: running.length ? Math.min(...running) : null,
        slaBreached: Boolean(sla.response?.breached || sla.resolution?.breached),
        updatedAt: Number(r.updated_at),
      };
    });
  }

  async detail(actor: Actor, r: IncidentTable): Promise<Incident> {
    const en = actor.locale === 'en';
    const config = await this.config.config();
    const now = Date.now();
    const roles = fromJson<IncidentMajorRoles>(r.major_roles);
    const names = await this.#names([r], [roles.commander, roles.techLead, roles.communications]);
    const cis = await this.ctx.db
      .selectFrom('incident_ci as ic')
      .innerJoin('cmdb_ci as c', 'c.id', 'ic.ci_id')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['c.id', 'c.name', 'k.code', 'k.name_zh', 'k.name_en'])
      .where('ic.incident_id', '=', r.id)
      .orderBy('c.name')
      .execute();
    const types = await this.ctx.db.selectFrom('incident_type').select(['id', 'parent_id', 'name_zh', 'name_en']).execute();
    const typeById = new Map(types.map((t) => [t.id, t]));
    const type = r.type_id ? typeById.get(r.type_id) : undefined;
    const nature = r.nature_id ? await this.ctx.db.selectFrom('incident_nature').selectAll().where('id', '=', r.nature_id).executeTakeFirst() : undefined;
    const pauses = (await this.ctx.db.selectFrom('incident_pause').select(['from_at', 'to_at']).where('incident_id', '=', r.id).execute()).map((p) => ({ from: Number(p.from_at), to: p.to_at === null ? null : Number(p.to_at) }));
    const sla = this.sla.states(config, await this.sla.calendars(config, now), numeric(r), pauses, now);
    const pause = r.pause_reason ? config.pauseReasons.find((p) => p.code === r.pause_reason) : undefined;
    const ref = (id: string | null | undefined): Ref | null => (id ? { id, name: names.users.get(id) ?? id } : null);
    const writable = can(actor, P.write);
    const scope = fromJson<Incident['impactScope']>(r.impact_scope);
    return {
      id: r.id,
      number: r.number,
      title: r.title,
      description: r.description,
      status: r.status,
      source: r.source,
      impact: r.impact as 1 | 2 | 3,
      urgency: r.urgency as 1 | 2 | 3,
      priority: r.priority,
      type: type ? { id: r.type_id!, name: en ? type.name_en : type.name_zh, path: typePath(type, typeById, en) } : null,
      nature: nature ? { id: nature.id, name: en ? nature.name_en : nature.name_zh, guidance: en ? nature.guidance_en || nature.guidance_zh : nature.guidance_zh } : null,
      reporter: ref(r.reporter_id),
      assignee: ref(r.assignee_id),
      group: r.group_id ? { id: r.group_id, name: names.units.get(r.group_id) ?? r.group_id } : null,
      major: r.major === 1,
      majorRoles: { commander: ref(roles.commander), techLead: ref(roles.techLead), communications: ref(roles.communications) },
      cis: cis.map((c) => ({ id: c.id, name: c.name, className: en ? c.name_en : c.name_zh, isBusiness: c.code === 'business_system' })),
      impactScope: scope,
      detectedAt: Number(r.detected_at),
      acknowledgedAt: num(r.acknowledged_at),
      mitigatedAt: num(r.mitigated_at),
      resolvedAt: num(r.resolved_at),
      closedAt: num(r.closed_at),
      pauseReason: r.pause_reason ? { code: r.pause_reason, name: pause ? (en ? pause.nameEn : pause.nameZh) : r.pause_reason, pausesSla: pause?.pausesSla ?? false } : null,
      resolution: r.resolution,
      sla,
      actions: writable ? actionsFor({ status: r.status, resolvedAt: num(r.resolved_at), reopenDays: config.reopenDays, now }) : [],
      canEdit: writable,
      alertGroupKey: r.alert_group_key,
      version: Number(r.version),
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    };
  }

  async activity(actor: Actor, incidentId: string): Promise<IncidentActivityList> {
    const en = actor.locale === 'en';
    const rows = await this.ctx.db.selectFrom('incident_activity').selectAll().where('incident_id', '=', incidentId).orderBy('at', 'desc').orderBy('id', 'desc').limit(1000).execute();
    const userIds = new Set<string>();
    for (const r of rows) {
      if (r.actor_id) {userIds.add(r.actor_id);}
      const d = fromJson<Record<string, unknown>>(r.data);
      for (const k of ['from', 'to']) {
        if (r.kind === 'assigned' && typeof d[k] === 'string') {userIds.add(d[k]);}
      }
    }
    const users = await this.#userNames([...userIds]);
    const units = await this.#unitNames(rows.flatMap((r) => (r.kind === 'assigned' ? [fromJson<{ groupTo?: string }>(r.data).groupTo ?? ''] : [])).filter(Boolean));
    return {
      items: rows.map((r) => ({
        id: r.id,
        at: Number(r.at),
        kind: r.kind as IncidentActivityList['items'][number]['kind'],
        actor: r.actor_id ? { id: r.actor_id, name: users.get(r.actor_id) ?? r.actor_id } : null,
        text: activityText(r.kind, fromJson<Record<string, unknown>>(r.data), en, users, units),
        note: r.note,
      })),
    };
  }

  async #names(rows: readonly IncidentTable[], extraUsers: (string | null | undefined)[] = []) {
    const userIds = [...new Set([...rows.flatMap((r) => [r.assignee_id, r.reporter_id]), ...extraUsers].filter((x): x is string => Boolean(x)))];
    const typeIds = [...new Set(rows.map((r) => r.type_id).filter((x): x is string => Boolean(x)))];
    const natureIds = [...new Set(rows.map((r) => r.nature_id).filter((x): x is string => Boolean(x)))];
    const types = typeIds.length ? await this.ctx.db.selectFrom('incident_type').select(['id', 'name_zh', 'name_en']).where('id', 'in', typeIds).execute() : [];
    const natures = natureIds.length ? await this.ctx.db.selectFrom('incident_nature').select(['id', 'name_zh', 'name_en']).where('id', 'in', natureIds).execute() : [];
    return {
      users: await this.#userNames(userIds),
      units: await this.#unitNames(rows.map((r) => r.group_id).filter((x): x is string => Boolean(x))),
      types: new Map(types.map((t) => [t.id, { zh: t.name_zh, en: t.name_en }])),
      natures: new Map(natures.map((t) => [t.id, { zh: t.name_zh, en: t.name_en }])),
    };
  }

  async #userNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) {return new Map();}
    const rows = await this.ctx.db.selectFrom('user').select(['id', 'username', 'display_name']).where('id', 'in', ids).execute();
    return new Map(rows.map((u) => [u.id, u.display_name || u.username]));
  }

  async #unitNames(ids: string[]): Promise<Map<string, string>> {
    if (!ids.length) {return new Map();}
    const rows = await this.ctx.db.selectFrom('org_unit').select(['id', 'name']).where('id', 'in', [...new Set(ids)]).execute();
    return new Map(rows.map((u) => [u.id, u.name]));
  }
}

const num = (v: number | null): number | null => (v === null ? null : Number(v));

function numeric(r: IncidentTable) {
  return { priority: r.priority, status: r.status, detected_at: Number(r.detected_at), acknowledged_at: num(r.acknowledged_at), resolved_at: num(r.resolved_at) };
}

/** The columns an edit may change, as people call them. */
const FIELD_NAMES: Record<string, { zh: string; en: string }> = {
  title: { zh: '标题', en: 'title' },
  description: { zh: '描述', en: 'description' },
  impact: { zh: '影响度', en: 'impact' },
  urgency: { zh: '紧急度', en: 'urgency' },
  priority: { zh: '优先级', en: 'priority' },
  type_id: { zh: '故障类型', en: 'fault type' },
  nature_id: { zh: '故障性质', en: 'fault nature' },
  major: { zh: '重大故障', en: 'major incident' },
  major_roles: { zh: '重大故障角色', en: 'major-incident roles' },
  impact_scope: { zh: '影响范围', en: 'impact scope' },
  org_unit_id: { zh: '所属单位', en: 'unit' },
};

/** One activity row in words (stored as data, worded on read in the reader's language). */
function activityText(kind: string, d: Record<string, unknown>, en: boolean, users: Map<string, string>, units: Map<string, string>): string {
  const user = (id: unknown) => (typeof id === 'string' ? (users.get(id) ?? id) : en ? 'nobody' : '无');
  switch (kind) {
    case 'created':
      return en ? `Recorded (${String(d.priority)})` : `登记故障（${String(d.priority)}）`;
    case 'status': {
      const action = INCIDENT_ACTION_NAMES[d.action as keyof typeof INCIDENT_ACTION_NAMES];
      const to = INCIDENT_STATUS_NAMES[d.to as keyof typeof INCIDENT_STATUS_NAMES];
      return en ? `${action?.en ?? String(d.action)} → ${to?.en ?? String(d.to)}` : `${action?.zh ?? String(d.action)} → ${to?.zh ?? String(d.to)}`;
    }
    case 'assigned': {
      const group = typeof d.groupTo === 'string' ? (units.get(d.groupTo) ?? d.groupTo) : null;
      const who = `${user(d.to)}${group ? (en ? ` (${group})` : `（${group}）`) : ''}`;
      return d.transfer ? (en ? `Transferred from ${user(d.from)} to ${who}` : `由 ${user(d.from)} 转派给 ${who}`) : en ? `Assigned to ${who}` : `指派给 ${who}`;
    }
    case 'updated': {
      const fields = ((d.fields as string[] | undefined) ?? []).map((f) => FIELD_NAMES[f] ?? { zh: f, en: f });
      return en ? `Changed ${fields.map((f) => f.en).join(', ')}` : `修改了${fields.map((f) => f.zh).join('、')}`;
    }
    case 'times':
      return en ? 'Corrected the times' : '更正了时间';
    case 'comment':
      return en ? 'Comment' : '备注';
    case 'sla':
      return String((en ? d.en : d.zh) ?? '');
    default:
      return String((en ? d.en : d.zh) ?? kind);
  }
}
