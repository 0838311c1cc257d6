import { METRIC_LIMITS } from '@yunwei/contracts/monitoring';
import type { AlertRuleTable } from './alerts.tables.js';
import type { ModuleContext } from '../../platform/module.js';
import { MetricsRepository } from '../monitoring/metrics.repository.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { seriesMatches } from '../monitoring/selector.js';
import { AlertStateStore, fingerprintOf, type Observation } from './alert-state.js';
import { buildBaseline } from './baseline.js';
import { observeRule, type Binding, type SlowInputs } from './evaluator-observe.js';
import { TargetResolver } from './evaluator-targets.js';
import { insert, SeriesWindow, type TrackedSeries } from './evaluator-window.js';

/** The topic on which a node that changed rules or alerts tells the evaluating node to re-read them. */
const INVALIDATE_TOPIC = 'alerting.invalidate';
import { compileRule, type CompiledRule } from './rule-model.js';

export interface EvaluatorOptions {
  intervalMs?: number;
  /** How often capacity and baseline rules re-read their rollups. */
  slowRefreshMs?: number;
}

export interface CycleStats {
  at: number;
  ms: number;
  rules: number;
  series: number;
  observations: number;
  changes: number;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** How far back a restart looks for the results of checks that check rules count. */
const CHECK_HISTORY_MS = HOUR_MS;
/** Most series a capacity or baseline rule reads from the rollups per refresh. */
const SLOW_MAX_SERIES = 10_000;

/** The alert identity of a (rule, series): series labels, rule labels, and what every alert carries. */
export function alertLabels(rule: CompiledRule, series: Pick<TrackedSeries, 'metric' | 'labels' | 'ci'>): Record<string, string> {
  const labels: Record<string, string> = { __name__: series.metric, ...series.labels, ...rule.labels, alertname: rule.name, rule: rule.id };
  if (series.ci) {
    labels.ci = series.ci;
  }
  return labels;
}

export function bind(rule: CompiledRule, series: TrackedSeries): Binding {
  const labels = alertLabels(rule, series);
  const binding: Binding = { series, labels, fingerprint: fingerprintOf(rule.id, labels) };
  if (rule.spec.kind === 'check' && rule.spec.flapping) {
    const flapping = { ...labels, flapping: 'true' };
    binding.flapping = { labels: flapping, fingerprint: fingerprintOf(rule.id, flapping) };
  }
  return binding;
}

/** Rules that read the in-memory window (capacity rules read rollups only). */
const windowed = (r: CompiledRule) => r.matchers !== null && r.kind !== 'capacity';

/**
 * The alert evaluator: every `intervalMs` it evaluates every enabled rule over the in-memory series
 * window and turns what it sees into alert transitions (AlertStateStore). Rules are re-read when they
 * change (`invalidate`); samples arrive through the ingest writer's commit listener, warm-loaded from
 * the store at start and when a rule reads a metric not read before.
 */
export class AlertEvaluator {
  readonly window: SeriesWindow;
  readonly state: AlertStateStore;
  readonly targets: TargetResolver;
  last: CycleStats | null = null;
  #rules: CompiledRule[] = [];
  #byMetric = new Map<string, CompiledRule[]>();
  #wildcard: CompiledRule[] = [];
  #bindings = new Map<string, Binding[]>();
  #slow = new Map<string, SlowInputs>();
  #warmMetrics = new Set<string>();
  #retentionMs = 0;
  #minKeep = 1;
  #dirty = true;
  /** After the rules are re-read: open alerts whose rule no longer selects their series resolve. */
  #orphanCheck = false;
  #stateLoaded = false;
  #lock: Promise<unknown> = Promise.resolve();
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  /** While this node evaluates for a cluster: the other nodes' samples and invalidations. */
  #peers: (() => void)[] = [];
  readonly #intervalMs: number;
  readonly #slowRefreshMs: number;

  constructor(
    private readonly ctx: ModuleContext,
    options: EvaluatorOptions = {},
  ) {
    this.#intervalMs = options.intervalMs ?? 15_000;
    this.#slowRefreshMs = options.slowRefreshMs ?? 300_000;
    this.state = new AlertStateStore(ctx);
    this.targets = new TargetResolver(ctx);
    this.window = new SeriesWindow(
      (metric, labels) => this.#interested(metric).some((r) => windowed(r) && seriesMatches(r.matchers!, metric, labels)),
      (series) => {
        for (const r of this.#interested(series.metric)) {
          if (windowed(r) && seriesMatches(r.matchers!, series.metric, series.labels)) {
            this.#bindingsOf(r.id).push(bind(r, series));
          }
        }
      },
    );
  }

  /** True when an alert of this fingerprint is open: its series must be observed even when fine (to resolve it). */
  readonly #tracked = (fingerprint: string): boolean => this.state.open.has(fingerprint);

  get rules(): readonly CompiledRule[] {
    return this.#rules;
  }

  #interested(metric: string): readonly CompiledRule[] {
    const exact = this.#byMetric.get(metric);
    return exact ? (this.#wildcard.length ? [...exact, ...this.#wildcard] : exact) : this.#wildcard;
  }

  #bindingsOf(ruleId: string): Binding[] {
    let list = this.#bindings.get(ruleId);
    if (!list) {
      list = [];
      this.#bindings.set(ruleId, list);
    }
    return list;
  }

  /** Runs `fn` alone: cycles, acknowledgements and rule removals never interleave their writes. */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(fn, fn);
    this.#lock = run.catch(() => undefined);
    return run;
  }

  /**
   * Rules changed (and, with `alerts`, alerts changed outside the evaluator): the next cycle re-reads
   * them — here, and on the node of the cluster that evaluates (told through the cluster).
   */
  invalidate(alerts = false): void {
    this.#invalidateHere(alerts);
    void this.ctx.cluster.publish(INVALIDATE_TOPIC, { alerts }).catch((error: unknown) => this.ctx.log.warn({ err: error }, 'alerting: could not tell the other nodes that rules changed'));
  }

  /** Alerts changed outside the evaluator and this node's copy is up to date: only the evaluating node (if another) re-reads. */
  alertsChangedHere(): void {
    void this.ctx.cluster.publish(INVALIDATE_TOPIC, { alerts: true }).catch((error: unknown) => this.ctx.log.warn({ err: error }, 'alerting: could not tell the other nodes that alerts changed'));
  }

  #invalidateHere(alerts: boolean): void {
    this.#dirty = true;
    this.#stateLoaded &&= !alerts;
    this.targets.invalidate();
  }

  /** Loads state and rules, listens to committed samples, and evaluates every interval. */
  async start(): Promise<void> {
    this.#listen();
    // Samples stored and changes made on the other nodes of a cluster reach the one that evaluates.
    if (!this.#peers.length) {
      this.#peers = [
        monitoringOf(this.ctx).peers.fromPeers((samples) => this.window.add(samples)),
        this.ctx.cluster.subscribe(INVALIDATE_TOPIC, (payload) => this.#invalidateHere((payload as { alerts?: unknown }).alerts === true)),
      ];
    }
    await this.exclusive(() => this.#prepare(Date.now()));
    let running = false;
    this.#timer ??= setInterval(() => {
      // A cycle that outlasts the interval is not queued behind: the next tick evaluates the newer data.
      if (running) {
        return;
      }
      running = true;
      this.cycle()
        .catch((error: unknown) => this.ctx.log.error({ err: error }, 'alert evaluation failed'))
        .finally(() => (running = false));
    }, this.#intervalMs);
    this.#timer.unref();
  }

  #listen(): void {
    this.#unsubscribe ??= monitoringOf(this.ctx).ingest.onCommitted((samples) => this.window.add(samples));
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    for (const off of this.#peers.splice(0)) {
      off();
    }
    await this.exclusive(async () => undefined);
  }

  /** One evaluation at `now` (tests pass the time their samples were written for). */
  cycle(now = Date.now()): Promise<CycleStats> {
    return this.exclusive(async () => {
      const started = performance.now();
      this.#listen();
      await this.#prepare(now);
      const observations: Observation[] = [];
      for (const rule of this.#rules) {
        if (rule.kind === 'capacity' || rule.kind === 'baseline') {
          await this.#refreshSlow(rule, now);
        }
        const cis = await this.targets.cisOf(rule.target, now);
        observeRule(rule, this.#bindings.get(rule.id) ?? [], cis, now, this.#slow.get(rule.id), observations, this.#tracked);
      }
      await this.#observeAgents(now, observations);
      if (this.#orphanCheck) {
        this.#orphanCheck = false;
        this.#observeOrphans(observations);
      }
      const changes = await this.state.apply(observations, now);
      this.window.trim(now - this.#retentionMs, this.#minKeep);
      this.last = { at: now, ms: performance.now() - started, rules: this.#rules.length, series: this.window.series.size, observations: observations.length, changes };
      return this.last;
    });
  }

  async #prepare(now: number): Promise<void> {
    if (!this.#stateLoaded) {
      await this.state.load();
      this.#stateLoaded = true;
    }
    if (this.#dirty) {
      this.#dirty = false;
      this.#orphanCheck = true;
      const rows = await this.ctx.db.selectFrom('alert_rule').selectAll().where('enabled', '=', 1).orderBy('id').execute();
      const known = new Set(this.#rules.map((r) => `${r.id}@${r.version}`));
      const warm = new Set(this.#warmMetrics);
      this.#setRules(rows);
      await this.#warmLoad(now);
      // A rule new (or changed) since may want series of a metric already read that the window ignored
      // until now, their samples dropped as they came (a check's first results, probed as it is saved).
      const fresh = this.#rules.filter((r) => !known.has(`${r.id}@${r.version}`) && windowed(r) && r.metric !== null && warm.has(r.metric));
      if (fresh.length) {
        await this.#catchUp(fresh, now);
      }
    }
  }

  #setRules(rows: readonly AlertRuleTable[]): void {
    const rules: CompiledRule[] = [];
    for (const row of rows) {
      try {
        rules.push(compileRule(row));
      } catch (error) {
        // Validated when saved: only a damaged row gets here. The others still run.
        this.ctx.log.error({ err: error, rule: row.id }, 'alert rule cannot be compiled; skipped');
      }
    }
    this.#rules = rules;
    this.#byMetric.clear();
    this.#wildcard = [];
    let retention = 0;
    let keep = 1;
    for (const r of rules) {
      if (!windowed(r)) {
        continue;
      }
      if (r.metric === null) {
        this.#wildcard.push(r);
      } else {
        this.#byMetric.set(r.metric, [...(this.#byMetric.get(r.metric) ?? []), r]);
      }
      const s = r.spec;
      retention = Math.max(retention, s.kind === 'metric' ? s.windowSeconds * 1000 : s.kind === 'baseline' ? (s.windowSeconds ?? 300) * 1000 : s.kind === 'absent' ? r.forMs + 60_000 : 0);
      if (s.kind === 'check') {
        keep = Math.max(keep, s.consecutiveDown, s.flapping?.window ?? 0);
      }
    }
    if (retention > this.#retentionMs) {
      this.#warmMetrics.clear(); // older samples are needed now
    }
    this.#retentionMs = retention;
    this.#minKeep = keep;
    this.#slow.clear();
    // Rebind every tracked series (cheap: once per rule change, not per cycle).
    this.#bindings.clear();
    this.window.forgetIgnored();
    for (const s of this.window.series.values()) {
      for (const r of this.#interested(s.metric)) {
        if (windowed(r) && seriesMatches(r.matchers!, s.metric, s.labels)) {
          this.#bindingsOf(r.id).push(bind(r, s));
        }
      }
    }
  }

  /** Reads the series (and their recent samples) of metrics rules started to read. */
  async #warmLoad(now: number): Promise<void> {
    const repo = new MetricsRepository(this.ctx.db);
    let metrics: string[] | null = [...this.#byMetric.keys()].filter((m) => !this.#warmMetrics.has(m));
    if (this.#wildcard.length) {
      metrics = null; // a rule without an exact metric may read any series
    }
    if (metrics !== null && metrics.length === 0) {
      return;
    }
    const rows = await repo.seriesOf(metrics, 1_000_000);
    await this.#load(repo, rows, now, (metric, labels) => this.#interested(metric).some((r) => windowed(r) && seriesMatches(r.matchers!, metric, labels)));
    for (const m of metrics ?? [...this.#byMetric.keys()]) {
      this.#warmMetrics.add(m);
    }
  }

  /** The series of `rules` not in the window yet, with their recent samples. */
  async #catchUp(rules: readonly CompiledRule[], now: number): Promise<void> {
    const repo = new MetricsRepository(this.ctx.db);
    const rows = await repo.seriesOf([...new Set(rules.map((r) => r.metric!))], 1_000_000);
    const untracked = rows.filter((row) => !this.window.series.has(row.metric + row.labels));
    await this.#load(repo, untracked, now, (metric, labels) => rules.some((r) => r.metric === metric && seriesMatches(r.matchers!, metric, labels)));
  }

  /** Tracks the series `wanted` among `rows` (binding them to every rule that reads them) and reads their recent samples. */
  async #load(repo: MetricsRepository, rows: Awaited<ReturnType<MetricsRepository['seriesOf']>>, now: number, wanted: (metric: string, labels: Record<string, string>) => boolean): Promise<void> {
    const ids: number[] = [];
    const byId = new Map<number, TrackedSeries>();
    for (const row of rows) {
      const labels = JSON.parse(row.labels) as Record<string, string>;
      if (!wanted(row.metric, labels)) {
        continue;
      }
      ids.push(row.id);
      byId.set(row.id, this.window.track(row.metric + row.labels, row.metric, labels, row.ci_id));
    }
    // Up to the newest sample (ingestion accepts samples a little ahead of the clock).
    const from = now - Math.max(this.#retentionMs, 60_000);
    for (const r of await repo.rawSamples(ids, from, Math.max(now, Date.now()) + METRIC_LIMITS.futureMs)) {
      insert(byId.get(r.series_id)!, r.ts, r.value);
    }
    // Check rules count results, not time: their series get their last hour (then trimmed to the newest few).
    const checks = ids.filter((id) => byId.get(id)!.metric === 'check_up');
    if (this.#minKeep > 1 && checks.length) {
      for (const r of await repo.rawSamples(checks, now - CHECK_HISTORY_MS, from)) {
        insert(byId.get(r.series_id)!, r.ts, r.value);
      }
    }
    // A series without samples in the window was last heard of before it (absent rules need no more).
    for (const s of byId.values()) {
      if (s.lastTs === -Infinity) {
        s.lastTs = from;
      }
    }
  }

  /** Capacity and baseline rules: rollup buckets re-read every few minutes. */
  async #refreshSlow(rule: CompiledRule, now: number): Promise<void> {
    const known = this.#slow.get(rule.id);
    if (known && now - known.at < this.#slowRefreshMs && known.at <= now) {
      return;
    }
    this.#slow.set(rule.id, await slowInputsOf(this.ctx, rule, now, (series) => this.#bindCapacity(rule, series)));
  }

  #bindCapacity(rule: CompiledRule, series: TrackedSeries[]): void {
    if (rule.kind === 'capacity') {
      this.#bindings.set(rule.id, series.map((s) => bind(rule, s)));
    }
  }

  #observeOrphans(out: Observation[]): void {
    const rules = new Map(this.#rules.map((r) => [r.id, r]));
    const bound = new Set<string>();
    for (const list of this.#bindings.values()) {
      for (const b of list) {
        bound.add(b.fingerprint);
        if (b.flapping) {
          bound.add(b.flapping.fingerprint);
        }
      }
    }
    for (const alert of this.state.open.values()) {
      const rule = rules.get(alert.rule_id);
      // Capacity and agent rules bind outside the window: they are judged by their own refresh.
      if (!rule || !windowed(rule) || bound.has(alert.fingerprint)) {
        continue;
      }
      const { severity: _severity, ...labels } = JSON.parse(alert.labels) as Record<string, string>;
      out.push({ rule, fingerprint: alert.fingerprint, labels, ci: alert.ci_id, value: alert.value, breach: null, clear: true });
    }
  }

  async #observeAgents(now: number, out: Observation[]): Promise<void> {
    const rules = this.#rules.filter((r) => r.spec.kind === 'absent' && r.spec.subject === 'agent');
    if (rules.length === 0) {
      return;
    }
    const agents = await this.ctx.db.selectFrom('agent').select(['id', 'hostname', 'ci_id', 'last_contact_at', 'enrolled_at']).where('revoked_at', 'is', null).execute();
    for (const rule of rules) {
      const spec = rule.spec as Extract<CompiledRule['spec'], { kind: 'absent' }>;
      const cis = await this.targets.cisOf(rule.target, now);
      for (const a of agents) {
        if ((spec.agentId && a.id !== spec.agentId) || (cis !== null && (a.ci_id === null || !cis.has(a.ci_id)))) {
          continue;
        }
        const series: TrackedSeries = { key: `agent:${a.id}`, metric: 'agent_last_contact', labels: { agent: a.id, instance: a.hostname }, ci: a.ci_id, ts: [], values: [], lastTs: Number(a.last_contact_at ?? a.enrolled_at) };
        const b = bind(rule, series);
        observeRule(rule, [b], null, now, undefined, out);
      }
    }
  }
}

/**
 * Capacity: bucket averages over the lookback (5-minute buckets up to two days, hourly beyond);
 * baseline: hourly averages over the last weeks, folded per hour of the week. Through the monitoring
 * query layer, so the not-yet-rolled-up tail comes from raw samples.
 */
export async function slowInputsOf(ctx: ModuleContext, rule: CompiledRule, now: number, onSeries: (series: TrackedSeries[]) => void): Promise<SlowInputs> {
  const spec = rule.spec;
  if (spec.kind !== 'capacity' && spec.kind !== 'baseline') {
    return { at: now };
  }
  const queries = monitoringOf(ctx).queries;
  const found = await queries.select(spec.selector, 'spec.selector', SLOW_MAX_SERIES).catch(() => []);
  const series: TrackedSeries[] = found.map((s) => ({ key: s.metric + JSON.stringify(sortKeys(s.labels)), metric: s.metric, labels: s.labels, ci: s.labels.ci ?? s.ciId, ts: [], values: [], lastTs: s.lastSeen }));
  onSeries(series);
  const ids = found.map((s) => s.id);
  const span = spec.kind === 'capacity' ? spec.lookbackSeconds * 1000 : (spec.weeks ?? 4) * WEEK_MS;
  const step = spec.kind === 'capacity' && span <= 2 * 24 * HOUR_MS ? 300_000 : HOUR_MS;
  const grid = Math.floor((now - span) / step) * step;
  const buckets = await queries.buckets(ids, step === HOUR_MS ? '1h' : '5m', grid, now, step);
  const points = new Map<string, { t: number; v: number }[]>();
  found.forEach((s, i) => {
    const list = buckets.get(s.id) ?? [];
    points.set(series[i]!.key, list.filter((b) => b.count > 0).map((b) => ({ t: b.ts + step / 2, v: b.sum / b.count })));
  });
  if (spec.kind === 'capacity') {
    return { at: now, points };
  }
  // The hour in progress is what is being judged: it does not join its own baseline.
  const hourStart = Math.floor(now / HOUR_MS) * HOUR_MS;
  return { at: now, baselines: new Map([...points].map(([key, list]) => [key, buildBaseline(list.filter((p) => p.t < hourStart))])) };
}

function sortKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.keys(labels).sort().map((k) => [k, labels[k]!]));
}
