import { hostname } from 'node:os';
import { CHECKS_PERMISSIONS, type CheckResult, type CheckSchedulerStats, type CheckType } from '@yunwei/contracts/checks';
import { fromJson } from '../../db/dialect.js';
import type { Actor } from '../../platform/actor.js';
import type { ModuleContext } from '../../platform/module.js';
import { outboundPolicyOf, type OutboundGuard } from '../../platform/net/outbound-policy.js';
import { monitoringOf } from '../monitoring/runtime.js';
import { seriesRef, type PreparedSample, type SeriesRef } from '../monitoring/series.js';
import { runtimeSettings } from './check-settings.js';
import { CheckService } from './check.service.js';
import type { CheckDefinitionTable } from './checks.tables.js';
import { ResultWriter } from './result-writer.js';
import { say } from './probes/probe.js';
import { checkLabels, MemoryBank, messageFields, runCheck, type RunnableCheck } from './run-check.js';
import { CheckScheduler, type Schedulable, type SchedulerOptions } from './scheduler.js';

/** A check as the scheduler holds it: settings opened once per definition change, not per run. */
interface ScheduledCheck extends Schedulable {
  runnable: RunnableCheck;
  /** Why its secrets cannot be opened (the master key changed?): every run is DOWN saying so. */
  problem: string | null;
}

/** Used when the configuration has none (`YUNWEI_CHECK_CONCURRENCY`). */
export const DEFAULT_CHECK_CONCURRENCY = 64;

/**
 * The checks module's long-lived parts for one app: definitions service, the scheduler, the batching
 * result writer and the counter memories (rates between runs). Results go to the result tables and,
 * as samples, to the metrics store.
 */
export class ChecksRuntime {
  readonly service: CheckService;
  readonly scheduler: CheckScheduler<ScheduledCheck>;
  readonly results: ResultWriter;
  readonly memories = new MemoryBank();
  /** The outbound network policy of checks (YUNWEI_OUTBOUND_ALLOW / _DENY). */
  readonly outbound: OutboundGuard;
  #statsTimer: NodeJS.Timeout | undefined;
  #unwatch: (() => void) | undefined;

  constructor(
    private readonly ctx: ModuleContext,
    options: SchedulerOptions = {},
  ) {
    this.service = new CheckService(ctx, ({ probeNow }) => {
      this.scheduler.invalidate();
      if (probeNow) {
        this.scheduler.runSoon(probeNow);
      }
    });
    this.outbound = outboundPolicyOf(ctx.config).guard('check');
    this.results = new ResultWriter(ctx.db, ctx.log);
    const concurrency = ctx.config.checkConcurrency ?? DEFAULT_CHECK_CONCURRENCY;
    this.scheduler = new CheckScheduler<ScheduledCheck>(
      () => this.#load(),
      (check, stop) => this.#execute(check, stop),
      ctx.log,
      { concurrency, ...options },
    );
  }

  /** A definition with its secrets opened, ready to run. */
  runnable(row: CheckDefinitionTable): RunnableCheck {
    const type = row.type as CheckType;
    return { id: row.id, type, ciId: row.ci_id, timeoutMs: row.timeout_ms, settings: runtimeSettings(type, fromJson(row.settings), this.service.openSecrets(row.secrets)) };
  }

  /**
   * The enabled checks this node runs: its share among the cluster's nodes, plus any asked to run now
   * here (a check just saved on this node gets its first result within seconds whoever owns it).
   */
  async #load(): Promise<ScheduledCheck[]> {
    const rows = (await this.service.repo.enabled()).filter((r) => this.ctx.cluster.owns(r.id) || this.scheduler.wantsSoon(r.id));
    this.memories.keepOnly(new Set(rows.map((r) => r.id)));
    return rows.map((row) => ({ id: row.id, intervalMs: row.interval_s * 1000, version: Number(row.updated_at), ...this.#prepare(row) }));
  }

  /**
   * Opens a definition for running. When its secrets cannot be opened (the master key changed, the row
   * was damaged) the check still runs — as DOWN with the reason — instead of vanishing from the schedule.
   */
  #prepare(row: CheckDefinitionTable): { runnable: RunnableCheck; problem: string | null } {
    try {
      return { runnable: this.runnable(row), problem: null };
    } catch (error) {
      // Only identity and labels are needed to record the failure: settings stay empty.
      const identity: RunnableCheck = { id: row.id, type: row.type as CheckType, ciId: row.ci_id, timeoutMs: row.timeout_ms, settings: {} as never };
      return { runnable: identity, problem: (error as Error).message };
    }
  }

  async #execute(check: ScheduledCheck, stop: AbortSignal): Promise<void> {
    const output = check.problem ? this.#failed(check.runnable, check.problem) : await runCheck(check.runnable, this.memories.of(check.id), stop, this.outbound);
    // Stored in batches, not awaited: the concurrency slot is for probing only.
    this.results.add(output.result).catch(() => undefined);
    monitoringOf(this.ctx)
      .ingest.write(output.samples)
      .catch((error: unknown) => this.ctx.log.warn({ err: error, check: check.id }, 'check samples not stored'));
  }

  #failed(check: RunnableCheck, message: string) {
    const result: CheckResult = { checkId: check.id, at: Date.now(), status: 'down', latencyMs: null, ...messageFields(say('run.secretsUnreadable', { detail: message })), values: { check_up: 0 } };
    const labels = checkLabels(check);
    return { result, samples: [{ series: seriesRef('check_up', labels) as SeriesRef, ts: result.at, value: 0 }] as PreparedSample[] };
  }

  /** Runs a check now (any check in the actor's run scope, enabled or not) and returns its result once stored. */
  async runNow(actor: Actor, id: string): Promise<CheckResult> {
    const { runnable, problem } = this.#prepare(await this.service.definition(actor, id, CHECKS_PERMISSIONS.checkRun));
    const output = problem ? this.#failed(runnable, problem) : await runCheck(runnable, this.memories.of(id), undefined, this.outbound);
    await Promise.all([this.results.add(output.result), monitoringOf(this.ctx).ingest.write(output.samples)]);
    return output.result;
  }

  stats(): CheckSchedulerStats {
    return this.scheduler.stats();
  }

  /**
   * Starts the scheduler, and every minute writes its own figures to the metrics store:
   * `yunwei_check_scheduler_jitter_seconds{quantile="0.5"|"0.99"|"1"}`, `yunwei_check_scheduler_in_flight` and
   * `yunwei_check_scheduler_checks`, each labelled with the node (`node="<host>:<port>"`).
   */
  start(): void {
    // Nodes joining or leaving move checks between them: re-read which are ours at once.
    this.#unwatch ??= this.ctx.cluster.onMembershipChange(() => this.scheduler.invalidate());
    this.scheduler.start();
    this.#statsTimer ??= setInterval(() => void this.#writeStats(), 60_000);
    this.#statsTimer.unref();
  }

  async #writeStats(): Promise<void> {
    const s = this.stats();
    if (!s.jitterMs.samples) {
      return;
    }
    const ts = Date.now();
    // Each node of a cluster schedules its own share: its figures are a series of their own.
    const node = `${hostname()}:${this.ctx.config.port}`;
    const sample = (metric: string, labels: Record<string, string>, value: number): PreparedSample => ({ series: seriesRef(metric, { ...labels, node }) as SeriesRef, ts, value });
    await monitoringOf(this.ctx)
      .ingest.write([
        sample('yunwei_check_scheduler_jitter_seconds', { quantile: '0.5' }, s.jitterMs.p50 / 1000),
        sample('yunwei_check_scheduler_jitter_seconds', { quantile: '0.99' }, s.jitterMs.p99 / 1000),
        sample('yunwei_check_scheduler_jitter_seconds', { quantile: '1' }, s.jitterMs.max / 1000),
        sample('yunwei_check_scheduler_in_flight', {}, s.inFlight),
        sample('yunwei_check_scheduler_checks', {}, s.checks),
      ])
      .catch((error: unknown) => this.ctx.log.warn({ err: error }, 'check scheduler figures not stored'));
  }

  /** Stops the scheduler (runs in flight end as cancelled) and writes the results still queued. */
  async close(): Promise<void> {
    clearInterval(this.#statsTimer);
    this.#statsTimer = undefined;
    this.#unwatch?.();
    this.#unwatch = undefined;
    await this.scheduler.stop();
    await this.results.close();
  }
}

const runtimes = new WeakMap<ModuleContext, ChecksRuntime>();

export function checksOf(ctx: ModuleContext): ChecksRuntime {
  let runtime = runtimes.get(ctx);
  if (!runtime) {
    runtime = new ChecksRuntime(ctx);
    runtimes.set(ctx, runtime);
  }
  return runtime;
}
