import type { Kysely } from 'kysely';
import { uuidv7 } from 'uuidv7';
import { alertObjectName, type RuleAnnotations } from '@yunwei/contracts/alerting';
import type { Matcher } from '@yunwei/contracts/alert-routing';
import type { IncidentAlertList, RuleIncidentOption } from '@yunwei/contracts/incident-alerts';
import { fromJson, isUniqueViolation, toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { systemActor } from '../../platform/actor.js';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import type { AlertTable } from '../alerting/alerts.tables.js';
import { routeOf, type RoutePolicy } from '../alerting/default-channels.js';
import { orderedPolicies } from '../alerting/notification-policy.service.js';
import { compileMatchers } from '../alerting/routing-matchers.js';
import { suggestType } from './incident-classify.js';
import './incident-alerts.tables.js';
import { incidentsOf } from './runtime.js';

const SYSTEM = systemActor('incidents');
const SEVERITY_NAMES: Record<string, { zh: string; en: string }> = { critical: { zh: '严重', en: 'critical' }, warning: { zh: '警告', en: 'warning' } };
const CLOSED = ['closed', 'cancelled'];
const MAX_TITLE = 200;

/** Raised inside a transaction when another node changed the group's claim first: the whole step runs again. */
class ClaimTaken extends Error {}

interface GroupPolicy extends RoutePolicy {
  groupBy: string[];
}

/**
 * 告警 → 故障 (L4-2.3.1): alerts of rules with the 自动创建故障 option open, or join, the incident of their alert
 * group, and the incident's activity says when each fires and resolves (it is never resolved automatically: a
 * person verifies).
 *
 * **The group key.** The alert's group is the one the dispatcher routes it into: the first enabled notification
 * policy whose matchers take its labels, and that policy's group-by label values — `group:<policy id>:<values>`
 * (the dispatcher's own `alert_group` key, computed here from the same policies so the incident does not wait for a
 * dispatcher tick). An alert no policy routes (e.g. a warning under the built-in default policy, which takes
 * critical alerts only) has its own key from its rule and CI: `rule:<rule id>:ci:<ci id | ->`. The key is fixed
 * when the alert first fires; later changes of the same alert stay with its incident.
 *
 * **Once per group across nodes.** `incident_alert_key` holds, per key, the incident it belongs to now: claimed by an
 * insert (the primary key refuses a second) or, after that incident was closed or cancelled, by a compare-and-set
 * on the incident it named — in the transaction that records the new incident. The loser's transaction rolls back
 * and it joins the winner's incident. Links and "resolved" notes are conditional writes, so the event being heard on
 * every node of a cluster (it is shared) and the reconciliation (at start and every minute) change nothing twice.
 */
export class IncidentAlertsService {
  #pending = new Set<string>();
  #running: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;

  constructor(private readonly ctx: ModuleContext) {}

  /** Hears alert changes (idempotent). */
  attach(): void {
    this.#unsubscribe ??= this.ctx.events.on('alerting.alert.changed', (e) => this.notify(e.alertId));
  }

  detach(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = null;
  }

  /** Handles an alert's change soon (one at a time on this node). */
  notify(alertId: string): void {
    this.#pending.add(alertId);
    if (this.#running) {
      return;
    }
    this.#running = (async () => {
      while (this.#pending.size) {
        const ids = [...this.#pending];
        this.#pending.clear();
        for (const id of ids) {
          try {
            await this.sync(id);
          } catch (error) {
            this.ctx.log.error({ err: error, alert: id }, 'incidents: an alert change was not applied to its incident (the reconciliation retries it)');
          }
        }
      }
    })().finally(() => {
      this.#running = null;
    });
  }

  /** Waits until the alert changes heard so far are handled (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.#running) {
      await this.#running;
    }
  }

  /**
   * What a lost event would have done: firing alerts of rules with the option that no incident has, and linked
   * alerts that resolved (or were removed) without the incident hearing of it. Returns how many it handled.
   */
  async reconcile(): Promise<number> {
    const db = this.ctx.db;
    const unlinked = await db
      .selectFrom('alert as a')
      .innerJoin('alert_rule as r', 'r.id', 'a.rule_id')
      .select(['a.id', 'r.incident'])
      .where('a.state', 'in', ['firing', 'acknowledged'])
      .where('r.incident', 'is not', null)
      .where((eb) => eb.not(eb.exists(eb.selectFrom('incident_alert as ia').select('ia.alert_id').whereRef('ia.alert_id', '=', 'a.id'))))
      .execute();
    const unresolved = await db
      .selectFrom('incident_alert as ia')
      .leftJoin('alert as a', 'a.id', 'ia.alert_id')
      .select('ia.alert_id')
      .where('ia.resolved_noted_at', 'is', null)
      .where((eb) => eb.or([eb('a.id', 'is', null), eb('a.state', '=', 'resolved')]))
      .execute();
    const ids = [...new Set([...unlinked.filter((r) => r.incident && fromJson<RuleIncidentOption>(r.incident).open).map((r) => r.id), ...unresolved.map((r) => r.alert_id)])];
    for (const id of ids) {
      await this.sync(id);
    }
    return ids.length;
  }

  /** Brings one alert's incident up to date: links a firing alert (opening the incident), notes a resolved one. */
  async sync(alertId: string): Promise<void> {
    const db = this.ctx.db;
    const alert = await db.selectFrom('alert').selectAll().where('id', '=', alertId).executeTakeFirst();
    const links = await db.selectFrom('incident_alert').select(['incident_id', 'resolved_noted_at']).where('alert_id', '=', alertId).execute();
    if (!alert || alert.state === 'resolved') {
      for (const link of links.filter((l) => l.resolved_noted_at === null)) {
        await this.#noteResolved(link.incident_id, alertId, alert ?? null);
      }
      return;
    }
    if (alert.state === 'pending' || links.length) {
      return;
    }
    const rule = await db.selectFrom('alert_rule').select(['incident']).where('id', '=', alert.rule_id).executeTakeFirst();
    const option = rule?.incident ? fromJson<RuleIncidentOption>(rule.incident) : null;
    if (!option?.open) {
      return;
    }
    await this.#open(alert, option);
  }

  /** The linked alerts of an incident the reader may read, by name. */
  async alerts(actor: Actor, incidentId: string): Promise<IncidentAlertList> {
    await incidentsOf(this.ctx).get(actor, incidentId);
    const en = actor.locale === 'en';
    const rows = await this.ctx.db
      .selectFrom('incident_alert as ia')
      .leftJoin('alert as a', 'a.id', 'ia.alert_id')
      .leftJoin('cmdb_ci as c', 'c.id', 'a.ci_id')
      .select(['ia.alert_id', 'ia.linked_at', 'ia.resolved_noted_at', 'a.id', 'a.rule_id', 'a.rule_name', 'a.rule_name_en', 'a.ci_id', 'c.name as ci_name', 'a.labels', 'a.annotations', 'a.severity', 'a.state', 'a.started_at', 'a.firing_at', 'a.resolved_at'])
      .where('ia.incident_id', '=', incidentId)
      .orderBy('ia.linked_at')
      .orderBy('ia.alert_id')
      .execute();
    const items = rows.map((r) => {
      const labels = r.labels ? fromJson<Record<string, string>>(r.labels) : {};
      const annotations = r.annotations ? fromJson<RuleAnnotations>(r.annotations) : null;
      const num = (v: number | null | undefined) => (v === null || v === undefined ? null : Number(v));
      return {
        id: r.alert_id,
        ruleId: r.rule_id ?? '',
        ruleName: (en ? (r.rule_name_en ?? r.rule_name) : r.rule_name) ?? '',
        ciId: r.ci_id ?? null,
        ciName: r.ci_name ?? labels.ci_name ?? null,
        object: alertObjectName(labels),
        summary: annotations ? annotations[en ? 'en' : 'zh'].summary : '',
        severity: r.severity ?? '',
        state: r.state ?? 'gone',
        startedAt: num(r.started_at),
        firingAt: num(r.firing_at),
        resolvedAt: num(r.resolved_at),
        linkedAt: Number(r.linked_at),
      };
    });
    return { items, allResolved: items.length > 0 && items.every((i) => i.state === 'resolved' || i.state === 'gone') };
  }

  // ------------------------------------------------------------ opening and linking

  async #open(alert: AlertTable, option: RuleIncidentOption): Promise<void> {
    const key = await this.#groupKey(alert);
    const draft = await this.#draft(alert, option, key);
    for (let attempt = 0; attempt < 5; attempt++) {
      try {
        const incidentId = await this.ctx.db.transaction().execute(async (trx) => {
          if (await trx.selectFrom('incident_alert').select('incident_id').where('alert_id', '=', alert.id).executeTakeFirst()) {
            return null; // another node linked it meanwhile
          }
          const claim = await trx
            .selectFrom('incident_alert_key as k')
            .innerJoin('incident as i', 'i.id', 'k.incident_id')
            .select(['k.incident_id', 'i.status'])
            .where('k.group_key', '=', key)
            .executeTakeFirst();
          if (claim && !CLOSED.includes(claim.status)) {
            await this.#link(trx, claim.incident_id, alert);
            return claim.incident_id;
          }
          const now = Date.now();
          const id = await incidentsOf(this.ctx).record(SYSTEM, draft.incident, trx);
          if (draft.suggested) {
            await trx.updateTable('incident').set({ suggested_type_id: draft.suggested.typeId, suggested_reason: toJson({ kind: draft.suggested.rule.kind, pattern: draft.suggested.rule.pattern, value: draft.suggested.value }) }).where('id', '=', id).execute();
          }
          if (claim) {
            const moved = await trx.updateTable('incident_alert_key').set({ incident_id: id, updated_at: now }).where('group_key', '=', key).where('incident_id', '=', claim.incident_id).executeTakeFirst();
            if (Number(moved.numUpdatedRows) !== 1) {
              throw new ClaimTaken();
            }
          } else {
            await trx.insertInto('incident_alert_key').values({ group_key: key, incident_id: id, updated_at: now }).execute();
          }
          await this.#link(trx, id, alert);
          return id;
        });
        if (incidentId) {
          this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
        }
        return;
      } catch (error) {
        if (!(error instanceof ClaimTaken) && !isUniqueViolation(error)) {
          throw error;
        }
        // Another node opened the group's incident first: join it on the next attempt.
      }
    }
    throw new Error(`incidents: could not claim alert group ${key} for alert ${alert.id}`);
  }

  /** Links an alert to an incident with its activity row and audit entry (the incident row is locked first). */
  async #link(trx: Kysely<Database>, incidentId: string, alert: AlertTable): Promise<void> {
    const now = Date.now();
    await trx.updateTable('incident').set({ updated_at: now }).where('id', '=', incidentId).execute();
    await trx.insertInto('incident_alert').values({ incident_id: incidentId, alert_id: alert.id, linked_at: now, resolved_noted_at: null }).execute();
    const { zh, en } = summaries(alert);
    const sev = SEVERITY_NAMES[alert.severity] ?? { zh: alert.severity, en: alert.severity };
    await this.#activity(trx, incidentId, now, { zh: `告警「${zh}」触发（${sev.zh}）`, en: `Alert "${en}" fired (${sev.en})`, alertId: alert.id, state: 'firing' });
    await this.ctx.audit.record(trx, { actor: SYSTEM, action: 'incidents.incident.link-alert', targetType: 'incident', targetId: incidentId, after: { alertId: alert.id, rule: alert.rule_name, summary: zh, severity: alert.severity } });
  }

  /** Notes once that a linked alert resolved (or was removed), and when it was the last one open, says so. */
  async #noteResolved(incidentId: string, alertId: string, alert: AlertTable | null): Promise<void> {
    const noted = await this.ctx.db.transaction().execute(async (trx) => {
      const now = Date.now();
      // Locks the incident: two alerts of one incident resolving at once are noted one after the other.
      await trx.updateTable('incident').set({ updated_at: now }).where('id', '=', incidentId).execute();
      const done = await trx.updateTable('incident_alert').set({ resolved_noted_at: now }).where('incident_id', '=', incidentId).where('alert_id', '=', alertId).where('resolved_noted_at', 'is', null).executeTakeFirst();
      if (Number(done.numUpdatedRows) !== 1) {
        return false;
      }
      const { zh, en } = alert ? summaries(alert) : { zh: alertId, en: alertId };
      await this.#activity(trx, incidentId, now, alert ? { zh: `告警「${zh}」已恢复`, en: `Alert "${en}" resolved`, alertId, state: 'resolved' } : { zh: '一条关联告警已不再存在（规则已删除或告警已清理）', en: 'A linked alert no longer exists (its rule was deleted or it was purged)', alertId, state: 'gone' });
      const open = await trx.selectFrom('incident_alert').select('alert_id').where('incident_id', '=', incidentId).where('resolved_noted_at', 'is', null).executeTakeFirst();
      if (!open) {
        await this.#activity(trx, incidentId, now, { zh: '所有关联告警均已恢复，请验证后解决故障', en: 'Every linked alert has resolved: verify, then resolve the incident', allResolved: true });
      }
      await this.ctx.audit.record(trx, { actor: SYSTEM, action: 'incidents.incident.alert-resolved', targetType: 'incident', targetId: incidentId, after: { alertId, summary: zh, allResolved: !open } });
      return true;
    });
    if (noted) {
      this.ctx.events.emit('incidents.incident.changed', { id: incidentId });
    }
  }

  async #activity(trx: Kysely<Database>, incidentId: string, at: number, data: Record<string, unknown>): Promise<void> {
    await trx.insertInto('incident_activity').values({ id: uuidv7(), incident_id: incidentId, at, kind: 'alert', actor_id: null, data: toJson(data), note: '' }).execute();
  }

  // ------------------------------------------------------------ what the incident is recorded with

  /** The key of the alert group the dispatcher routes the alert into (see the class comment). */
  async #groupKey(alert: AlertTable): Promise<string> {
    const labels = fromJson<Record<string, string>>(alert.labels);
    const policies: GroupPolicy[] = [];
    for (const row of (await orderedPolicies(this.ctx.db)).filter((p) => p.enabled === 1)) {
      try {
        policies.push({ id: row.id, matchers: compileMatchers(fromJson<Matcher[]>(row.matchers)), continues: row.continue_matching === 1, toDefaults: row.notify_default_channels === 1, immediate: new Set(), groupBy: fromJson<string[]>(row.group_by) });
      } catch {
        // A policy that no longer compiles routes nothing (as in the dispatcher).
      }
    }
    const first = routeOf(labels, policies)[0];
    if (first) {
      return `group:${first.id}:${toJson(Object.fromEntries(first.groupBy.map((n) => [n, labels[n] ?? ''])))}`;
    }
    return `rule:${alert.rule_id}:ci:${alert.ci_id ?? '-'}`;
  }

  async #draft(alert: AlertTable, option: RuleIncidentOption, key: string) {
    const db = this.ctx.db;
    const labels = fromJson<Record<string, string>>(alert.labels);
    const ci = alert.ci_id
      ? await db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select(['c.id', 'c.name', 'k.code']).where('c.id', '=', alert.ci_id).executeTakeFirst()
      : undefined;
    const types = await incidentsOf(this.ctx).config.typeRules();
    const metric = labels.__name__ ?? null;
    const suggested = suggestType(types, { checkType: metric === 'check_up' ? (labels.type ?? null) : null, metric, ciClass: ci?.code ?? null });
    const critical = alert.severity === 'critical';
    const { zh, zhDescription } = summaries(alert);
    const object = alertObjectName(labels);
    const title = (zh || `${alert.rule_name}${object ? `：${object}` : ''}`).slice(0, MAX_TITLE);
    const description = [zhDescription, `告警规则：${alert.rule_name}`, object ? `告警对象：${object}` : '', `级别：${SEVERITY_NAMES[alert.severity]?.zh ?? alert.severity}`, alert.value === null ? '' : `当前值：${Number(alert.value)}`]
      .filter(Boolean)
      .join('\n');
    const detectedAt = Math.min(Number(alert.firing_at ?? alert.started_at), Date.now());
    return {
      suggested,
      incident: {
        title,
        description,
        typeId: option.typeId ?? suggested?.typeId ?? null,
        natureId: option.natureId ?? null,
        impact: option.impact ?? (critical ? 1 : 2),
        urgency: option.urgency ?? (critical ? 1 : 2),
        ciIds: ci ? [ci.id] : [],
        detectedAt,
        assigneeId: null,
        groupId: null,
        major: false,
        majorRoles: {},
        source: 'alert' as const,
        reporterId: null,
        alertGroupKey: key,
        note: `由告警自动创建：${title}`,
      },
    };
  }
}

function summaries(alert: Pick<AlertTable, 'annotations' | 'rule_name'>): { zh: string; en: string; zhDescription: string } {
  const a = fromJson<RuleAnnotations>(alert.annotations);
  return { zh: a.zh.summary.trim() || alert.rule_name, en: a.en.summary.trim() || alert.rule_name, zhDescription: a.zh.description.trim() };
}
