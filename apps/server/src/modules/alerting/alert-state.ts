import { createHash } from 'node:crypto';
import { uuidv7 } from 'uuidv7';
import type { AlertState, RuleAnnotations, Severity } from '@yunwei/contracts/alerting';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import { toJson } from '../../db/dialect.js';
import { systemActor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { NameBook, objectName } from './alert-names.js';
import type { AlertTable } from './alerts.tables.js';
import type { CompiledRule } from './rule-model.js';
import { renderParts } from './template.js';

/** What one rule saw for one label set in one evaluation. */
export interface Observation {
  rule: CompiledRule;
  fingerprint: string;
  /** The alert's labels without `severity`. */
  labels: Record<string, string>;
  ci: string | null;
  value: number | null;
  /** The condition holds now, at this severity and threshold. */
  breach: { severity: Severity; threshold: number | null } | null;
  /** A firing alert may resolve (hysteresis: not merely "no breach"). */
  clear: boolean;
  eta?: number | null;
}

/** SHA-256 of the rule id and the sorted labels (severity is never among them). */
export function fingerprintOf(ruleId: string, labels: Readonly<Record<string, string>>): string {
  const keys = Object.keys(labels).sort();
  return createHash('sha256')
    .update(ruleId)
    .update(JSON.stringify(keys.map((k) => [k, labels[k]])))
    .digest('hex');
}

interface Change {
  before: AlertTable | null;
  after: AlertTable | null;
  from: AlertState | null;
  to: AlertState | 'inactive';
  note: string | null;
}

const SYSTEM = systemActor('alerting');
/** Rows per multi-row INSERT (SQLite allows 32,766 bound parameters; an alert row has 19). */
const WRITE_CHUNK = 500;
const SEVERITY_ZH: Record<Severity, string> = { warning: '警告', critical: '严重' };

/**
 * `labels`: the alert's labels with their names (`NameBook.namesOf`), so `$object` names what it is about;
 * `reason`: what the latest result of its check said (`NameBook.reasonOf`), for `$reason`.
 */
export function renderAnnotations(rule: CompiledRule, o: Pick<Observation, 'labels' | 'value' | 'eta'>, severity: Severity, threshold: number | null, timeZone?: string, reason?: LocalizedText | null): RuleAnnotations {
  const data = { labels: o.labels, value: o.value, threshold, severity, rule: rule.nameEn ?? rule.name, eta: o.eta ?? null, object: objectName(o.labels), reason: reason?.en, timeZone };
  // {{ $severity }}, {{ $rule }} and {{ $reason }} read as words of the annotation's own language.
  const zh = { ...data, severity: SEVERITY_ZH[severity], rule: rule.name, reason: reason?.zh };
  const t = rule.templates;
  return {
    zh: { summary: renderParts(t.zh.summary, zh), description: renderParts(t.zh.description, zh) },
    en: { summary: renderParts(t.en.summary, data), description: renderParts(t.en.description, data) },
  };
}

/**
 * The open alerts (pending, firing, acknowledged) and the n-of-m breach histories, in memory and in
 * the database. `apply` turns a cycle's observations into transitions, writes them with their events
 * and audit entries in one transaction, and only then changes memory and publishes
 * `alerting.alert.changed` — so a failed write is retried by the next cycle, and a restart reloads
 * exactly what was committed (a pending timer keeps its `started_at`, a firing alert is not re-fired).
 */
export class AlertStateStore {
  readonly open = new Map<string, AlertTable>();
  readonly histories = new Map<string, string>();
  readonly names: NameBook;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'events' | 'log' | 'config'>) {
    this.names = new NameBook(ctx.db);
  }

  async load(): Promise<void> {
    this.open.clear();
    this.histories.clear();
    for (const row of await this.ctx.db.selectFrom('alert').selectAll().where('state', '<>', 'resolved').execute()) {
      this.open.set(row.fingerprint, normalise(row));
    }
    for (const row of await this.ctx.db.selectFrom('alert_rule_state').selectAll().execute()) {
      this.histories.set(`${row.rule_id}\u0000${row.fingerprint}`, row.history);
    }
  }

  async apply(observations: readonly Observation[], now: number): Promise<number> {
    // Names are read only for what can change an alert now (a breach, or an open alert).
    await this.names.prepare(
      observations.filter((o) => o.breach || this.open.has(o.fingerprint)).map((o) => ({ labels: o.labels, target: o.rule.target })),
      now,
    );
    const changes: Change[] = [];
    const historyWrites = new Map<string, { rule: string; fp: string; history: string }>();
    for (const o of observations) {
      const change = this.#next(o, now, historyWrites);
      if (change) {
        changes.push(change);
      }
    }
    if (changes.length === 0 && historyWrites.size === 0) {
      return 0;
    }
    try {
      await this.#write(changes, historyWrites, now);
    } catch (error) {
      if (!(error instanceof ChangedElsewhere)) {
        throw error;
      }
      // Someone acknowledged (or a rule's removal closed) an alert on another node since this state
      // was read: nothing of this cycle was written; the next one decides again from the stored rows.
      this.ctx.log.info({ alert: error.alertId }, 'alerting: an alert changed on another node during evaluation; state re-read');
      await this.load();
      return 0;
    }
    for (const c of changes) {
      if (c.after && c.after.state !== 'resolved') {
        this.open.set(c.after.fingerprint, c.after);
      } else {
        this.open.delete((c.before ?? c.after)!.fingerprint);
      }
    }
    for (const [key, h] of historyWrites) {
      if (h.history.includes('1')) {
        this.histories.set(key, h.history);
      } else {
        this.histories.delete(key);
      }
    }
    for (const c of changes) {
      const row = c.after ?? c.before!;
      this.ctx.events.emit('alerting.alert.changed', { alertId: row.id, state: (c.after?.state ?? 'resolved') as AlertState, at: now });
    }
    return changes.length;
  }

  #next(o: Observation, now: number, historyWrites: Map<string, { rule: string; fp: string; history: string }>): Change | null {
    const rule = o.rule;
    const open = this.open.get(o.fingerprint);
    const nOfM = rule.spec.kind === 'metric' ? rule.spec.nOfM : undefined;
    let breaches = o.breach ? 1 : 0;
    if (nOfM) {
      const key = `${rule.id}\u0000${o.fingerprint}`;
      const before = this.histories.get(key) ?? '';
      const history = (before + (o.breach ? '1' : '0')).slice(-nOfM.m);
      breaches = [...history].filter((b) => b === '1').length;
      if (history !== before && (history.includes('1') || before !== '')) {
        historyWrites.set(key, { rule: rule.id, fp: o.fingerprint, history });
      }
    }
    const enough = nOfM ? breaches >= nOfM.n : o.breach !== null;
    // An absent rule's "for" is the silence itself: once it is breached, the alert fires.
    const forMs = rule.kind === 'absent' ? 0 : rule.forMs;
    if (!open) {
      if (!o.breach) {
        return null;
      }
      const ready = enough && forMs === 0;
      return this.#create(o, now, ready ? 'firing' : 'pending');
    }
    if (open.state === 'pending') {
      if (o.breach && enough && now - open.started_at >= forMs) {
        return this.#transition(open, o, now, 'firing', null);
      }
      if (!o.breach && breaches === 0) {
        return { before: open, after: null, from: 'pending', to: 'inactive', note: 'condition cleared before firing' };
      }
      return null;
    }
    if (o.clear) {
      return this.#transition(open, o, now, 'resolved', null);
    }
    if (o.breach && o.breach.severity !== open.severity) {
      return this.#transition(open, o, now, open.state as AlertState, `severity ${open.severity} → ${o.breach.severity}`);
    }
    return null;
  }

  /** The observation's labels with the names they stand for (the stored names when one is gone). */
  #named(o: Observation, before: AlertTable | null): Record<string, string> {
    const stored = before ? (JSON.parse(before.labels) as Record<string, string>) : undefined;
    return { ...o.labels, ...this.names.namesOf(o.labels, o.rule.target, stored) };
  }

  #create(o: Observation, now: number, state: 'pending' | 'firing'): Change {
    const severity = o.breach!.severity;
    const threshold = o.breach!.threshold;
    const labels = this.#named(o, null);
    const row: AlertTable = {
      id: uuidv7(),
      fingerprint: o.fingerprint,
      rule_id: o.rule.id,
      rule_name: o.rule.name,
      rule_name_en: o.rule.nameEn,
      severity,
      state,
      labels: toJson({ ...labels, severity }),
      annotations: toJson(renderAnnotations(o.rule, { ...o, labels }, severity, threshold, this.ctx.config.timeZone, this.names.reasonOf(o.labels))),
      value: o.value,
      threshold,
      ci_id: o.ci,
      started_at: now,
      firing_at: state === 'firing' ? now : null,
      acked_at: null,
      acked_by: null,
      resolved_at: null,
      updated_at: now,
      notify_seq: 1,
    };
    return { before: null, after: row, from: null, to: state, note: null };
  }

  #transition(open: AlertTable, o: Observation, now: number, to: AlertState, note: string | null): Change {
    const severity = o.breach?.severity ?? (open.severity as Severity);
    const threshold = o.breach?.threshold ?? open.threshold;
    const labels = this.#named(o, open);
    const after: AlertTable = {
      ...open,
      severity,
      state: to,
      labels: toJson({ ...labels, severity }),
      annotations: toJson(renderAnnotations(o.rule, { ...o, labels }, severity, threshold, this.ctx.config.timeZone, this.names.reasonOf(o.labels))),
      value: o.value,
      threshold,
      firing_at: to === 'firing' && open.firing_at === null ? now : open.firing_at,
      resolved_at: to === 'resolved' ? now : null,
      updated_at: Math.max(now, open.updated_at + 1),
      notify_seq: open.notify_seq + 1,
    };
    return { before: open, after, from: open.state as AlertState, to, note };
  }

  async #write(changes: readonly Change[], histories: Map<string, { rule: string; fp: string; history: string }>, now: number): Promise<void> {
    await this.ctx.db.transaction().execute(async (trx) => {
      // New alerts and events in one statement each (a storm is hundreds of them); updates one by one.
      const inserts = changes.filter((c) => !c.before).map((c) => c.after!);
      for (let i = 0; i < inserts.length; i += WRITE_CHUNK) {
        await trx.insertInto('alert').values(inserts.slice(i, i + WRITE_CHUNK)).execute();
      }
      const events = changes.filter((c) => c.after).map((c) => ({ alert_id: c.after!.id, at: now, from_state: c.from, to_state: c.to, actor_id: null, note: c.note }));
      for (const c of changes) {
        const id = (c.after ?? c.before)!.id;
        // Each write names the version it read (notify_seq grows with every change, wherever made).
        if (c.before && !c.after) {
          await trx.deleteFrom('alert_event').where('alert_id', '=', id).execute();
          const deleted = await trx.deleteFrom('alert').where('id', '=', id).where('notify_seq', '=', c.before.notify_seq).executeTakeFirst();
          if (Number(deleted.numDeletedRows) !== 1) {
            throw new ChangedElsewhere(id);
          }
        } else if (c.before) {
          const { id: _id, ...patch } = c.after!;
          const updated = await trx.updateTable('alert').set(patch).where('id', '=', id).where('notify_seq', '=', c.before.notify_seq).executeTakeFirst();
          if (Number(updated.numUpdatedRows) !== 1) {
            throw new ChangedElsewhere(id);
          }
        }
      }
      for (let i = 0; i < events.length; i += WRITE_CHUNK) {
        await trx.insertInto('alert_event').values(events.slice(i, i + WRITE_CHUNK)).execute();
      }
      await this.ctx.audit.recordMany(
        trx,
        changes.map((c) => {
          const row = c.after ?? c.before!;
          return {
            actor: SYSTEM,
            action: `alerting.alert.${c.to}`,
            targetType: 'alert',
            targetId: row.id,
            before: c.before ? { state: c.before.state, severity: c.before.severity } : undefined,
            after: { rule: row.rule_id, fingerprint: row.fingerprint, state: c.to, severity: row.severity, value: row.value, note: c.note },
          };
        }),
      );
      for (const h of histories.values()) {
        if (h.history.includes('1')) {
          await trx
            .insertInto('alert_rule_state')
            .values({ rule_id: h.rule, fingerprint: h.fp, history: h.history, updated_at: now })
            .onConflict((oc) => oc.columns(['rule_id', 'fingerprint']).doUpdateSet({ history: h.history, updated_at: now }))
            .execute();
        } else {
          await trx.deleteFrom('alert_rule_state').where('rule_id', '=', h.rule).where('fingerprint', '=', h.fp).execute();
        }
      }
    });
  }

  /** A user acknowledged or a rule went away: the row changed outside the evaluator. */
  replace(row: AlertTable): void {
    if (row.state === 'resolved') {
      this.open.delete(row.fingerprint);
    } else {
      this.open.set(row.fingerprint, normalise(row));
    }
  }
}

/** An alert's stored row is newer than the evaluator's copy (changed by a person on another node). */
class ChangedElsewhere extends Error {
  constructor(readonly alertId: string) {
    super(`alert ${alertId} changed since the evaluator read it`);
  }
}

/** Numbers from PostgreSQL's bigint columns arrive as strings. */
export function normalise(row: AlertTable): AlertTable {
  const n = (v: number | null) => (v === null ? null : Number(v));
  return {
    ...row,
    value: n(row.value),
    threshold: n(row.threshold),
    started_at: Number(row.started_at),
    firing_at: n(row.firing_at),
    acked_at: n(row.acked_at),
    resolved_at: n(row.resolved_at),
    updated_at: Number(row.updated_at),
    notify_seq: Number(row.notify_seq),
  };
}
