import type { Kysely } from 'kysely';
import { ALERTING_PERMISSIONS as P, type Alert, type AlertDetail, type AlertList, type AlertListQuery, type AlertState, type RuleAnnotations, type RuleStats, type RuleStatsQuery, type Severity } from '@yunwei/contracts/alerting';
import { pickText, type Locale, type LocalizedText } from '@yunwei/contracts/i18n';
import { fromJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';
import { inScope, requireScope, type Actor } from '../../platform/actor.js';
import { requireReach } from '../../platform/data-scope.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';
import { AppError } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { AlertRepository, type AlertRow } from './alert.repository.js';
import type { AlertEvaluator } from './evaluator.js';

const DAY_MS = 86_400_000;

/** The notes Yunwei itself writes on an alert's timeline (stored in English), as people read them; a person's note stays as typed. */
const SYSTEM_NOTES: Record<string, LocalizedText> = {
  'rule disabled': { zh: '规则已停用', en: 'rule disabled' },
  'rule deleted': { zh: '规则已删除', en: 'rule deleted' },
  'condition cleared before firing': { zh: '条件在触发前已恢复', en: 'condition cleared before firing' },
};

const SEVERITY_NAMES: Record<string, LocalizedText> = { warning: { zh: '警告', en: 'warning' }, critical: { zh: '严重', en: 'critical' } };
const SEVERITY_CHANGE = /^severity (warning|critical) → (warning|critical)$/;

function systemNoteIn(note: string, locale: Locale): string {
  const text = SYSTEM_NOTES[note];
  if (text) {
    return pickText(text, locale);
  }
  const change = SEVERITY_CHANGE.exec(note);
  return change && locale !== 'en' ? `级别 ${SEVERITY_NAMES[change[1]!]!.zh} → ${SEVERITY_NAMES[change[2]!]!.zh}` : note;
}

export function alertView(row: AlertRow, suppressedBy: Alert['suppressedBy'] = []): Alert {
  return {
    id: row.id,
    fingerprint: row.fingerprint,
    ruleId: row.rule_id,
    ruleName: row.rule_name,
    ruleNameEn: row.rule_name_en,
    severity: row.severity as Severity,
    state: row.state as AlertState,
    labels: fromJson<Record<string, string>>(row.labels),
    annotations: fromJson<RuleAnnotations>(row.annotations),
    value: row.value,
    threshold: row.threshold,
    ciId: row.ci_id,
    startedAt: row.started_at,
    firingAt: row.firing_at,
    ackedAt: row.acked_at,
    ackedBy: row.acked_by,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
    suppressedBy,
  };
}

/**
 * Alerts as people see them: lists, detail with the timeline, acknowledgement (a person's
 * transition, serialised with the evaluator's cycles so neither overwrites the other), statistics.
 */
export class AlertService {
  readonly repo: AlertRepository;

  constructor(
    private readonly ctx: ModuleContext,
    private readonly evaluator: AlertEvaluator,
  ) {
    this.repo = new AlertRepository(ctx.db);
  }

  async list(actor: Actor, q: AlertListQuery): Promise<AlertList> {
    const { rows, total } = await this.repo.list(q, scopeOf(actor, P.alertRead));
    const suppressed = await this.repo.suppressions(rows.map((r) => r.id), actor.locale);
    return { items: rows.map((r) => alertView(r, suppressed.get(r.id))), total };
  }

  /** An alert the actor may see (outside their units it does not exist for them; one without a CI every reader sees). */
  async get(actor: Actor, id: string): Promise<AlertDetail> {
    const row = await this.repo.find(this.ctx.db, id);
    if (!row) {
      throw new AppError('YW_ALERTING_ALERT_NOT_FOUND', { id });
    }
    if (row.ci_id !== null) {
      requireReach(actor, await this.repo.unitOf(row.ci_id), P.alertRead, P.alertRead, () => new AppError('YW_ALERTING_ALERT_NOT_FOUND', { id }));
    }
    const suppressed = await this.repo.suppressions([id], actor.locale);
    const events = await this.repo.events(id);
    return {
      ...alertView(row, suppressed.get(id)),
      events: events.map((e) => ({ at: Number(e.at), fromState: e.from_state, toState: e.to_state, actorId: e.actor_id, note: e.note === null ? null : systemNoteIn(e.note, actor.locale) })),
    };
  }

  async ack(actor: Actor, id: string, note?: string): Promise<Alert> {
    const row = await this.repo.find(this.ctx.db, id);
    if (!row) {
      throw new AppError('YW_ALERTING_ALERT_NOT_FOUND', { id });
    }
    // An alert without a CI is read by every holder but belongs to the whole organisation: acknowledging it needs an unrestricted grant.
    if (row.ci_id === null) {
      requireScope(actor, P.alertAck, null);
    } else {
      requireReach(actor, await this.repo.unitOf(row.ci_id), P.alertAck, P.alertRead, () => new AppError('YW_ALERTING_ALERT_NOT_FOUND', { id }));
    }
    const result = await this.bulkAck(actor, [id], note);
    if (result.acknowledged === 0) {
      throw new AppError('YW_ALERTING_ALERT_NOT_OPEN', { id });
    }
    return alertView((await this.repo.find(this.ctx.db, id))!);
  }

  /** Acknowledges the firing alerts among `ids` the actor may acknowledge; the others are counted as skipped. */
  async bulkAck(actor: Actor, ids: readonly string[], note?: string): Promise<{ acknowledged: number; skipped: number }> {
    const units = new Map<string | null, string | null>();
    const unitOf = async (ciId: string | null) => {
      if (!units.has(ciId)) {
        units.set(ciId, await this.repo.unitOf(ciId));
      }
      return units.get(ciId)!;
    };
    const allowed = new Set<string>();
    for (const id of new Set(ids)) {
      const row = await this.repo.find(this.ctx.db, id);
      if (row && inScope(actor, P.alertAck, await unitOf(row.ci_id))) {
        allowed.add(id);
      }
    }
    const changed = await this.evaluator.exclusive(async () => {
      const now = Date.now();
      const done: AlertRow[] = [];
      await this.ctx.db.transaction().execute(async (trx) => {
        for (const id of allowed) {
          const row = await this.repo.find(trx, id);
          if (!row) {
            continue;
          }
          if (row.state !== 'firing') {
            continue;
          }
          const after: AlertRow = { ...row, state: 'acknowledged', acked_at: now, acked_by: actor.userId ?? actor.username, updated_at: Math.max(now, row.updated_at + 1), notify_seq: row.notify_seq + 1 };
          // Only the version read: an alert the evaluator changed meanwhile (on another node) is left as it now is.
          const updated = await trx
            .updateTable('alert')
            .set({ state: after.state, acked_at: after.acked_at, acked_by: after.acked_by, updated_at: after.updated_at, notify_seq: after.notify_seq })
            .where('id', '=', id)
            .where('notify_seq', '=', row.notify_seq)
            .executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) {
            continue;
          }
          await trx.insertInto('alert_event').values({ alert_id: id, at: now, from_state: 'firing', to_state: 'acknowledged', actor_id: actor.userId, note: note ?? null }).execute();
          await this.ctx.audit.record(trx, { actor, action: 'alerting.alert.acknowledge', targetType: 'alert', targetId: id, before: { state: 'firing' }, after: { state: 'acknowledged', note: note ?? null } });
          done.push(after);
        }
      });
      for (const row of done) {
        this.evaluator.state.replace(row);
      }
      return done;
    });
    if (changed.length) {
      // The node that evaluates re-reads its copy of the alerts (this node's was updated above).
      this.evaluator.alertsChangedHere();
    }
    for (const row of changed) {
      this.ctx.events.emit('alerting.alert.changed', { alertId: row.id, state: 'acknowledged', at: row.updated_at });
    }
    return { acknowledged: changed.length, skipped: new Set(ids).size - changed.length };
  }

  /**
   * A rule was deleted or disabled: its open alerts resolve now, by the person who did it (inside
   * their transaction). The evaluator reloads its state after the commit (see the runtime).
   */
  async closeAlertsOfRule(trx: Kysely<Database>, actor: Actor, ruleId: string, note: string): Promise<string[]> {
    const now = Date.now();
    const rows = await this.repo.openOfRule(trx, ruleId);
    const closed: string[] = [];
    for (const row of rows) {
      const updated = await trx
        .updateTable('alert')
        .set({ state: 'resolved', resolved_at: now, updated_at: Math.max(now, row.updated_at + 1), notify_seq: row.notify_seq + 1 })
        .where('id', '=', row.id)
        .where('notify_seq', '=', row.notify_seq)
        .executeTakeFirst();
      if (Number(updated.numUpdatedRows) !== 1) {
        // Changed by the evaluator on another node meanwhile: it resolves alerts of a rule that is gone itself.
        continue;
      }
      closed.push(row.id);
      await trx.insertInto('alert_event').values({ alert_id: row.id, at: now, from_state: row.state, to_state: 'resolved', actor_id: actor.userId, note }).execute();
      await this.ctx.audit.record(trx, { actor, action: 'alerting.alert.resolved', targetType: 'alert', targetId: row.id, before: { state: row.state }, after: { state: 'resolved', note } });
    }
    return closed;
  }

  /** Per rule, over the alerts the actor may read (a limited reader's figures count their units' alerts only). */
  async stats(actor: Actor, q: RuleStatsQuery): Promise<RuleStats> {
    const to = q.to ?? Date.now();
    const from = q.from ?? to - 30 * DAY_MS;
    const rows = await this.repo.stats({ from, to }, scopeOf(actor, P.alertRead));
    return { items: rows.map((r) => ({ ruleId: r.rule_id, ruleName: r.rule_name, ruleNameEn: r.rule_name_en, fired: r.fired, mttaMs: r.mtta, mttrMs: r.mttr })) };
  }
}
