import { type Expression, type SqlBool, sql } from 'kysely';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { INCIDENT_STATS_MAX_DAYS, type IncidentStats, type IncidentStatsCount, type IncidentStatsGroup, type IncidentStatsQuery } from '@yunwei/contracts/incident-reports';
import { INCIDENT_PERMISSIONS as P, INCIDENT_PRIORITIES, type IncidentPriority } from '@yunwei/contracts/incidents';
import { fromJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import { invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { addDays, localMoment, weekday, zonedEpoch } from '../oncall/zoned-time.js';
import { dayText, sectionHeading, timeText } from './incident-doc-format.js';
import { incidentsOf } from './runtime.js';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const TOP_RECURRING = 20;
const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));
const pad = (n: number) => String(n).padStart(2, '0');

/** The trend's buckets over [from, to): weeks from Monday or calendar months, local midnight to local midnight. */
export function buckets(from: number, to: number, group: IncidentStatsGroup, timeZone: string): { start: number; label: string }[] {
  const first = localMoment(from, timeZone).date;
  let date = group === 'week' ? addDays(first, -((weekday(first) + 6) % 7)) : `${first.slice(0, 7)}-01`;
  const out: { start: number; label: string }[] = [];
  for (let guard = 0; guard < 200; guard++) {
    const start = zonedEpoch(date, 0, timeZone);
    if (start >= to) {
      break;
    }
    out.push({ start, label: group === 'week' ? date : date.slice(0, 7) });
    if (group === 'week') {
      date = addDays(date, 7);
    } else {
      const [y, m] = date.split('-').map(Number) as [number, number];
      date = m === 12 ? `${y + 1}-01-01` : `${y}-${pad(m + 1)}-01`;
    }
  }
  return out;
}

/**
 * Incident statistics over a period (incidents detected in it, within the reader's data scope): counts by priority,
 * fault type (recorded and top level), nature, CI class and business system; MTTA and MTTR overall and per week or
 * month; SLA compliance per priority (24×7 clocks without pauses counted in SQL, the others on the business calendar
 * with their pauses); the faults that recur (same type on the same CI). Counts and averages are computed by the
 * database, so 100,000 incidents are not read into memory.
 */
export class IncidentStatsService {
  constructor(private readonly ctx: ModuleContext) {}

  /** `ciIds`: only incidents affecting one of these CIs (a report's scope); absent: every incident the reader sees. */
  async stats(actor: Actor, q: IncidentStatsQuery, locale: Locale = actor.locale, ciIds: ReadonlySet<string> | null = null): Promise<IncidentStats> {
    if (q.to <= q.from) {
      throw invalidField('querystring.to', { zh: '必须晚于开始时间（from）', en: 'must be after from' });
    }
    if (q.to - q.from > INCIDENT_STATS_MAX_DAYS * DAY_MS) {
      throw invalidField('querystring.to', { zh: `统计区间最长 ${INCIDENT_STATS_MAX_DAYS} 天`, en: `statistics cover at most ${INCIDENT_STATS_MAX_DAYS} days` });
    }
    const en = locale === 'en';
    const db = this.ctx.db;
    const groupBy = q.groupBy ?? 'month';
    const scope = this.#scope(actor, ciIds);
    const inPeriod = sql<SqlBool>`incident.detected_at >= ${q.from} and incident.detected_at < ${q.to}`;
    const base = () => db.selectFrom('incident').where(inPeriod).where(scope);
    const none = en ? 'Not classified' : '未分类';

    const byStatus = await base().select(['priority', 'status', (eb) => eb.fn.countAll<number>().as('n')]).groupBy(['priority', 'status']).execute();
    const total = byStatus.reduce((s, r) => s + Number(r.n), 0);
    const cancelled = byStatus.filter((r) => r.status === 'cancelled').reduce((s, r) => s + Number(r.n), 0);
    const byPriority = INCIDENT_PRIORITIES.map((p) => ({ key: p, name: p, count: byStatus.filter((r) => r.priority === p).reduce((s, r) => s + Number(r.n), 0) }));

    const types = await db.selectFrom('incident_type').select(['id', 'parent_id', 'name_zh', 'name_en']).execute();
    const typeById = new Map(types.map((t) => [t.id, t]));
    const typeName = (id: string) => {
      const t = typeById.get(id);
      return t ? (en ? t.name_en : t.name_zh) : id;
    };
    const rootOf = (id: string) => {
      let t = typeById.get(id);
      for (let guard = 0; t?.parent_id && typeById.has(t.parent_id) && guard < 10; guard++) {
        t = typeById.get(t.parent_id);
      }
      return t?.id ?? id;
    };
    const typeRows = await base().select(['type_id', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('type_id').execute();
    const byType = sorted(typeRows.map((r) => ({ key: r.type_id ?? 'none', name: r.type_id ? typeName(r.type_id) : none, count: Number(r.n) })));
    const tops = new Map<string, number>();
    for (const r of typeRows) {
      const key = r.type_id ? rootOf(r.type_id) : 'none';
      tops.set(key, (tops.get(key) ?? 0) + Number(r.n));
    }
    const byTopType = sorted([...tops].map(([key, count]) => ({ key, name: key === 'none' ? none : typeName(key), count })));

    const natureRows = await base()
      .leftJoin('incident_nature as n', 'n.id', 'incident.nature_id')
      .select(['incident.nature_id', 'n.name_zh', 'n.name_en', (eb) => eb.fn.countAll<number>().as('c')])
      .groupBy(['incident.nature_id', 'n.name_zh', 'n.name_en'])
      .execute();
    const byNature = sorted(natureRows.map((r) => ({ key: r.nature_id ?? 'none', name: r.nature_id ? ((en ? r.name_en : r.name_zh) ?? r.nature_id) : none, count: Number(r.c) })));

    const classRows = await base()
      .innerJoin('incident_ci as ic', 'ic.incident_id', 'incident.id')
      .innerJoin('cmdb_ci as c', 'c.id', 'ic.ci_id')
      .innerJoin('cmdb_class as k', 'k.id', 'c.class_id')
      .select(['k.code', 'k.name_zh', 'k.name_en', sql<number>`count(distinct incident.id)`.as('n')])
      .groupBy(['k.code', 'k.name_zh', 'k.name_en'])
      .execute();
    const byCiClass = sorted(classRows.map((r) => ({ key: r.code, name: en ? r.name_en : r.name_zh, count: Number(r.n) })));

    // The impact scope is kept as JSON with the incident: only those naming a business system are read.
    const scopes = await base().select('impact_scope').where('impact_scope', 'not like', '%"businessSystems":[]%').execute();
    const systems = new Map<string, { name: string; count: number }>();
    for (const r of scopes) {
      for (const b of fromJson<{ businessSystems?: { id: string; name: string }[] }>(r.impact_scope).businessSystems ?? []) {
        const s = systems.get(b.id) ?? { name: b.name, count: 0 };
        s.count++;
        systems.set(b.id, s);
      }
    }
    const byBusinessSystem = sorted([...systems].map(([key, s]) => ({ key, name: s.name, count: s.count })));

    const counted = () => base().where('status', '<>', 'cancelled');
    const overall = await counted()
      .select([sql<number | null>`avg(acknowledged_at - detected_at)`.as('mtta'), sql<number | null>`avg(resolved_at - detected_at)`.as('mttr')])
      .executeTakeFirst();

    const edges = buckets(q.from, q.to, groupBy, this.ctx.config.timeZone);
    const bucketOf = edges.length > 1 ? sql<number>`case ${sql.join(edges.slice(1).map((e, i) => sql`when incident.detected_at < ${e.start} then ${i}`), sql` `)} else ${edges.length - 1} end` : sql<number>`0`;
    const trendRows = await base()
      .select([
        bucketOf.as('b'),
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number | null>`avg(case when status <> 'cancelled' then acknowledged_at - detected_at end)`.as('mtta'),
        sql<number | null>`avg(case when status <> 'cancelled' then resolved_at - detected_at end)`.as('mttr'),
      ])
      .groupBy(sql`1`)
      .execute();
    const trend = edges.map((e, i) => {
      const r = trendRows.find((x) => Number(x.b) === i);
      return { start: e.start, label: e.label, count: r ? Number(r.n) : 0, mttaMinutes: minutes(r?.mtta), mttrMinutes: minutes(r?.mttr) };
    });

    const sla = await this.#sla(q, scope);

    const recurringRows = await base()
      .innerJoin('incident_ci as ic', 'ic.incident_id', 'incident.id')
      .innerJoin('cmdb_ci as c', 'c.id', 'ic.ci_id')
      .where('incident.type_id', 'is not', null)
      .select(['incident.type_id', 'c.name', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('incident.detected_at').as('last')])
      .groupBy(['incident.type_id', 'ic.ci_id', 'c.name'])
      .having((eb) => eb.fn.countAll(), '>=', 2)
      .orderBy('n', 'desc')
      .orderBy('last', 'desc')
      .limit(TOP_RECURRING)
      .execute();
    const recurring = recurringRows.map((r) => ({ typeName: typeName(r.type_id!), ciName: r.name, count: Number(r.n), lastAt: Number(r.last) }));

    return {
      from: q.from,
      to: q.to,
      groupBy,
      total,
      cancelled,
      mttaMinutes: minutes(overall?.mtta),
      mttrMinutes: minutes(overall?.mttr),
      byPriority,
      byTopType,
      byType,
      byNature,
      byCiClass,
      byBusinessSystem,
      trend,
      sla,
      recurring,
    };
  }

  /** The statistics as a workbook: a summary sheet, then one sheet per table. */
  async workbook(actor: Actor, q: IncidentStatsQuery, locale: Locale): Promise<DocumentFile> {
    const s = await this.stats(actor, q, locale);
    const en = locale === 'en';
    const t = (zh: string, e: string) => (en ? e : zh);
    const tz = this.ctx.config.timeZone;
    const n1 = (v: number | null) => (v === null ? '' : v.toFixed(1));
    const counts = (i: number, zh: string, e: string, rows: IncidentStatsCount[]) => ({
      heading: sectionHeading(i, zh, e, locale),
      blocks: [{ kind: 'table' as const, header: [t('分类', 'Class'), t('故障数', 'Incidents')], rows: rows.map((r) => [r.name, String(r.count)]) }],
    });
    const doc: WrittenDocument = {
      title: t('故障统计', 'Incident statistics'),
      facts: [
        [t('统计区间', 'Period'), `${timeText(s.from, tz)} — ${timeText(s.to, tz)}`],
        [t('故障总数', 'Incidents'), String(s.total)],
        [t('已取消', 'Cancelled'), String(s.cancelled)],
        [t('MTTA（分钟）', 'MTTA (min)'), n1(s.mttaMinutes) || '—'],
        [t('MTTR（分钟）', 'MTTR (min)'), n1(s.mttrMinutes) || '—'],
      ],
      sections: [
        counts(1, '按优先级', 'By priority', s.byPriority),
        counts(2, '按故障大类', 'By fault class', s.byTopType),
        counts(3, '按故障类型', 'By fault type', s.byType),
        counts(4, '按故障性质', 'By nature', s.byNature),
        counts(5, '按配置项类别', 'By CI class', s.byCiClass),
        counts(6, '按业务系统', 'By business system', s.byBusinessSystem),
        {
          heading: sectionHeading(7, 'MTTA与MTTR趋势', 'MTTA and MTTR trend', locale),
          blocks: [{ kind: 'table', header: [s.groupBy === 'week' ? t('周（起）', 'Week of') : t('月份', 'Month'), t('故障数', 'Incidents'), t('MTTA（分钟）', 'MTTA (min)'), t('MTTR（分钟）', 'MTTR (min)')], rows: s.trend.map((r) => [r.label, String(r.count), n1(r.mttaMinutes), n1(r.mttrMinutes)]) }],
        },
        {
          heading: sectionHeading(8, 'SLA达成率', 'SLA compliance', locale),
          blocks: [
            {
              kind: 'table',
              header: [t('优先级', 'Priority'), t('已响应', 'Responded'), t('按时响应', 'In time'), t('响应达成率（%）', 'Response (%)'), t('已解决', 'Resolved'), t('按时解决', 'In time'), t('解决达成率（%）', 'Resolution (%)')],
              rows: s.sla.map((r) => [r.priority, String(r.responseTotal), String(r.responseMet), n1(r.responseRate), String(r.resolutionTotal), String(r.resolutionMet), n1(r.resolutionRate)]),
            },
          ],
        },
        {
          heading: sectionHeading(9, '重复发生的故障', 'Recurring faults', locale),
          blocks: [{ kind: 'table', header: [t('故障类型', 'Fault type'), t('配置项', 'Configuration item'), t('次数', 'Times'), t('最近一次', 'Last')], rows: s.recurring.map((r) => [r.typeName, r.ciName, String(r.count), timeText(r.lastAt, tz)]) }],
        },
      ],
    };
    return renderDocument(doc, 'xlsx', `${doc.title}-${dayText(s.from, tz)}-${dayText(s.to - 1, tz)}`, locale);
  }

  /** Handlers read within their scope (and what they reported or handle), as the list does. */
  #scope(actor: Actor, ciIds: ReadonlySet<string> | null): Expression<SqlBool> {
    const units = unitsReached(actor, P.read);
    const cis = ciIds === null ? sql`` : ciIds.size ? sql` and exists (select 1 from incident_ci sc where sc.incident_id = incident.id and sc.ci_id in (${sql.join([...ciIds])}))` : sql` and 1 = 0`;
    if (units === null) {
      return sql<SqlBool>`1 = 1${cis}`;
    }
    const me = actor.userId ?? '';
    const inUnits = units.size ? sql`incident.org_unit_id in (${sql.join([...units])}) or ` : sql``;
    return sql<SqlBool>`(${inUnits}incident.org_unit_id is null or incident.reporter_id = ${me} or incident.assignee_id = ${me})${cis}`;
  }

  /**
   * Per priority, the share of stopped clocks within target. A 24×7 clock without pauses is within target when
   * stop − detected ≤ target (counted by the database); the others are measured one by one on the calendar.
   */
  async #sla(q: IncidentStatsQuery, scope: Expression<SqlBool>): Promise<IncidentStats['sla']> {
    const db = this.ctx.db;
    const incidents = incidentsOf(this.ctx);
    const config = await incidents.config.config();
    const out = new Map<IncidentPriority, IncidentStats['sla'][number]>(INCIDENT_PRIORITIES.map((p) => [p, { priority: p, responseTotal: 0, responseMet: 0, responseRate: null, resolutionTotal: 0, resolutionMet: 0, resolutionRate: null }]));
    const base = () =>
      db
        .selectFrom('incident')
        .where(sql<SqlBool>`incident.detected_at >= ${q.from} and incident.detected_at < ${q.to}`)
        .where(scope)
        .where('status', '<>', 'cancelled')
        .where((eb) => eb.or([eb('acknowledged_at', 'is not', null), eb('resolved_at', 'is not', null)]));
    const paused = sql<SqlBool>`exists (select 1 from incident_pause ip where ip.incident_id = incident.id)`;
    const plain = INCIDENT_PRIORITIES.filter((p) => config.sla[p].mode === '24x7');
    for (const p of plain) {
      const target = config.sla[p];
      const r = await base()
        .where('priority', '=', p)
        .where(sql<SqlBool>`not exists (select 1 from incident_pause ip where ip.incident_id = incident.id)`)
        .select([
          sql<number>`sum(case when acknowledged_at is not null then 1 else 0 end)`.as('rt'),
          sql<number>`sum(case when acknowledged_at is not null and acknowledged_at - detected_at <= ${target.responseMinutes * MINUTE_MS} then 1 else 0 end)`.as('rm'),
          sql<number>`sum(case when resolved_at is not null then 1 else 0 end)`.as('st'),
          sql<number>`sum(case when resolved_at is not null and resolved_at - detected_at <= ${target.resolutionMinutes * MINUTE_MS} then 1 else 0 end)`.as('sm'),
        ])
        .executeTakeFirst();
      const o = out.get(p)!;
      o.responseTotal += Number(r?.rt ?? 0);
      o.responseMet += Number(r?.rm ?? 0);
      o.resolutionTotal += Number(r?.st ?? 0);
      o.resolutionMet += Number(r?.sm ?? 0);
    }
    // The rest: business-hours priorities, and 24×7 incidents that were paused.
    const rest = await base()
      .where((eb) => eb.or([...(plain.length ? [eb('priority', 'not in', plain)] : [eb.lit(true)]), paused]))
      .select(['id', 'priority', 'status', 'detected_at', 'acknowledged_at', 'resolved_at'])
      .execute();
    if (rest.length) {
      const now = Date.now();
      const clock = incidents.views.sla;
      const cals = await clock.calendars(config, now);
      const pauses = new Map<string, { from: number; to: number | null }[]>();
      for (let i = 0; i < rest.length; i += 500) {
        const rows = await db.selectFrom('incident_pause').select(['incident_id', 'from_at', 'to_at']).where('incident_id', 'in', rest.slice(i, i + 500).map((r) => r.id)).execute();
        for (const p of rows) {
          pauses.set(p.incident_id, [...(pauses.get(p.incident_id) ?? []), { from: Number(p.from_at), to: numOrNull(p.to_at) }]);
        }
      }
      for (const r of rest) {
        const states = clock.states(config, cals, { priority: r.priority, status: r.status, detected_at: Number(r.detected_at), acknowledged_at: numOrNull(r.acknowledged_at), resolved_at: numOrNull(r.resolved_at) }, pauses.get(r.id) ?? [], now);
        const o = out.get(r.priority)!;
        if (states.response && states.response.stoppedAt !== null) {
          o.responseTotal++;
          o.responseMet += states.response.breached ? 0 : 1;
        }
        if (states.resolution && states.resolution.stoppedAt !== null) {
          o.resolutionTotal++;
          o.resolutionMet += states.resolution.breached ? 0 : 1;
        }
      }
    }
    return [...out.values()].map((o) => ({ ...o, responseRate: o.responseTotal ? round1((o.responseMet / o.responseTotal) * 100) : null, resolutionRate: o.resolutionTotal ? round1((o.resolutionMet / o.resolutionTotal) * 100) : null }));
  }
}

const minutes = (ms: unknown): number | null => {
  const v = numOrNull(ms);
  return v === null ? null : round1(v / MINUTE_MS);
};

function sorted(rows: IncidentStatsCount[]): IncidentStatsCount[] {
  return rows.filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name));
}
