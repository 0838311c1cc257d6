import type { Kysely, Transaction } from 'kysely';
import type { RulePreview, RuleSpec } from '@yunwei/contracts/alerting';
import { joinedTransaction } from '../../db/joined-transaction.js';
import type { Database } from '../../db/schema.js';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { MetricsRepository } from '../monitoring/metrics.repository.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { seriesMatches } from '../monitoring/selector.js';
import { NameBook, objectName } from './alert-names.js';
import type { Observation } from './alert-state.js';
import { AlertService } from './alert.service.js';
import type { AlertRuleTable } from './alerts.tables.js';
import { observeRule } from './evaluator-observe.js';
import { AlertEvaluator, bind, slowInputsOf } from './evaluator.js';
import { insert, type TrackedSeries } from './evaluator-window.js';
import { compileRule } from './rule-model.js';
import { RuleService } from './rule.service.js';

const PREVIEW_MAX_SERIES = 2_000;
const PREVIEW_MAX_ITEMS = 200;

/** The alerts half's long-lived parts for one app: the evaluator, rules and alerts services. */
export class AlertsRuntime {
  readonly evaluator: AlertEvaluator;
  readonly alerts: AlertService;
  readonly rules: RuleService;
  #closed: string[] = [];

  constructor(private readonly ctx: ModuleContext) {
    this.evaluator = new AlertEvaluator(ctx, { intervalMs: ctx.config.alertEvalIntervalSeconds * 1000 });
    this.alerts = new AlertService(ctx, this.evaluator);
    this.rules = new RuleService(ctx, {
      changed: () => this.rulesChanged(),
      closeAlerts: (trx, actor, ruleId, note) => this.#closeAlerts(trx, actor, ruleId, note),
      preview: (spec, row) => this.preview(spec, row),
      exclusive: (fn) => this.evaluator.exclusive(fn),
    });
    // A node that does not evaluate sends the samples it stores to the one that does.
    monitoringOf(ctx).peers.sendWhile(() => ctx.cluster.tokenOf(EVALUATOR_LEASE) === null);
  }

  async #closeAlerts(trx: Kysely<Database>, actor: Actor, ruleId: string, note: string): Promise<void> {
    this.#closed.push(...(await this.alerts.closeAlertsOfRule(trx, actor, ruleId, note)));
  }

  /**
   * Rules written inside a caller's transaction (the checks module keeps each check's own rule in step
   * with its form, in the check's transaction): validated and audited as always. The caller runs its
   * transaction within `exclusive` and calls `rulesChanged()` after the commit. Only rules that read no
   * selector (kind `check`): parsing a selector needs the monitoring runtime of the app's own context.
   */
  rulesWithin(trx: Transaction<Database>): RuleService {
    return new RuleService(
      { ...this.ctx, db: joinedTransaction(trx) },
      {
        changed: () => undefined,
        closeAlerts: (inner, actor, ruleId, note) => this.#closeAlerts(inner, actor, ruleId, note),
        preview: (spec, row) => this.preview(spec, row),
        // The caller holds the evaluator's lock already.
        exclusive: (fn) => fn(),
      },
    );
  }

  /** Serialises with the evaluator's cycles (rules disabled or deleted resolve their alerts). */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    return this.evaluator.exclusive(fn);
  }

  /** After rules changed: the evaluator re-reads them; alerts their change resolved are announced. */
  rulesChanged(): void {
    const closed = this.#closed;
    this.#closed = [];
    this.evaluator.invalidate(closed.length > 0);
    for (const alertId of closed) {
      this.ctx.events.emit('alerting.alert.changed', { alertId, state: 'resolved', at: Date.now() });
    }
  }

  /** Evaluates a draft rule now over the stored samples, without touching any alert. */
  async preview(spec: RuleSpec, row: AlertRuleTable, now = Date.now()): Promise<RulePreview> {
    const rule = compileRule(row);
    const out: Observation[] = [];
    let series: TrackedSeries[] = [];
    const slow = spec.kind === 'capacity' || spec.kind === 'baseline' ? await slowInputsOf(this.ctx, rule, now, (s) => (series = s)) : undefined;
    if (spec.kind !== 'capacity' && rule.matchers) {
      const repo = new MetricsRepository(this.ctx.db);
      const rows = (await repo.seriesOf(rule.metric === null ? null : [rule.metric], 200_000)).filter((r) => seriesMatches(rule.matchers!, r.metric, JSON.parse(r.labels) as Record<string, string>)).slice(0, PREVIEW_MAX_SERIES);
      const byId = new Map<number, TrackedSeries>();
      for (const r of rows) {
        const labels = JSON.parse(r.labels) as Record<string, string>;
        byId.set(r.id, { key: r.metric + r.labels, metric: r.metric, labels, ci: labels.ci ?? r.ci_id, ts: [], values: [], lastTs: Number(r.last_seen) });
      }
      const windowMs = spec.kind === 'metric' ? spec.windowSeconds * 1000 : spec.kind === 'baseline' ? (spec.windowSeconds ?? 300) * 1000 : 86_400_000;
      for (const r of await repo.rawSamples([...byId.keys()], now - windowMs, now + 1)) {
        insert(byId.get(r.series_id)!, r.ts, r.value);
      }
      series = [...byId.values()];
    }
    const cis = await this.evaluator.targets.cisOf(rule.target, now);
    observeRule(rule, series.map((s) => bind(rule, s)), cis, now, slow, out);
    out.sort((a, b) => Number(b.breach !== null) - Number(a.breach !== null) || (b.value ?? 0) - (a.value ?? 0));
    const shown = out.slice(0, PREVIEW_MAX_ITEMS);
    // What each would be called in an alert: the names are looked up as when an alert fires.
    const names = new NameBook(this.ctx.db);
    await names.prepare(shown.map((o) => ({ labels: o.labels, target: rule.target })), now);
    return {
      evaluatedAt: now,
      series: out.length,
      items: shown.map((o) => {
        const labels = { ...o.labels, ...names.namesOf(o.labels, rule.target) };
        return { labels, object: objectName(labels), value: o.value, severity: o.breach?.severity ?? null, threshold: o.breach?.threshold ?? null };
      }),
    };
  }

  /** Starts evaluating; alert state is read afresh (another node of a cluster may have evaluated meanwhile). */
  start(): Promise<void> {
    this.evaluator.invalidate(true);
    return this.evaluator.start();
  }

  close(): Promise<void> {
    return this.evaluator.stop();
  }
}

/** The lease of the node that evaluates alert rules (one node of a cluster). */
export const EVALUATOR_LEASE = 'alerting.evaluator';

const runtimes = new WeakMap<ModuleContext, AlertsRuntime>();

export function alertingOf(ctx: ModuleContext): AlertsRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new AlertsRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
