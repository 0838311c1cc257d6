import { MONITORING_PERMISSIONS as P } from '@yunwei/contracts/monitoring';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { EventBus } from '../../platform/events.js';
import type { ModuleContext } from '../../platform/module.js';
import { scopeOf } from '../cmdb/cmdb.shared.js';
import { ciIdFor, type CompiledCiRule } from './ci-mapping.js';
import type { IngestService } from './ingest.service.js';
import { SeriesBudgets } from './series-budget.js';
import type { MetricScopes } from './metric-scope.js';
import type { DropReason, PreparedSample, SeriesRef } from './series.js';
import type { MonitoringSettingsService } from './settings.service.js';

/** Where samples came from (a label of the `/metrics` counters). */
export type WriteSource = 'push' | 'remote_write' | 'agent' | 'scrape';

declare module '../../platform/events.js' {
  interface EventMap {
    /** Samples not stored, by reason (`yunwei_samples_dropped_total`). */
    'monitoring.samples.dropped': { source: WriteSource; reason: DropReason; count: number };
    /**
     * A write refused for its credential's new-series budget (`yunwei_series_budget_refusals_total`).
     * Not counted as dropped samples: the sender is told to retry (429, Retry-After) and Prometheus does.
     */
    'monitoring.series.budget.refused': { source: WriteSource };
  }
}

/** Who writes: a person or API token (data scope and budget), or an agent (budget; its samples name its own CI). */
export type Writer = { actor: Actor } | { agentId: string };

/** The budget key of a writer; null: not budgeted (the server's own collectors). */
function credentialOf(writer: Writer): string | null {
  if ('agentId' in writer) {
    return `agent:${writer.agentId}`;
  }
  const a = writer.actor;
  return a.kind === 'token' ? `token:${a.tokenId}` : a.kind === 'user' ? `user:${a.userId}` : null;
}

/** Publishes dropped samples by reason, for `/metrics` (platform/http/metrics.ts); a debug log line is not enough to notice. */
export function reportDropped(events: Pick<EventBus, 'emit'>, source: WriteSource, byReason: Partial<Record<DropReason, number>>): void {
  for (const [reason, count] of Object.entries(byReason) as [DropReason, number][]) {
    if (count > 0) {
      events.emit('monitoring.samples.dropped', { source, reason, count });
    }
  }
}

/**
 * What a writer may store, checked before anything is queued (a refused batch stores nothing):
 *
 * - **Data scope.** A series belongs to the CI its `ci` label or the mapping rules name (ci-mapping.ts,
 *   as ingestion will attach it). A writer whose `monitoring.metric.write` grant is limited to some org
 *   units may write only series of CIs in those units, or of no CI; else 403 `YW_OUT_OF_SCOPE` naming the
 *   CI. Otherwise a writer of 甲 could forge `check_up{ci=<乙's CI>}`, which rules and inspections trust.
 *   An unrestricted grant costs nothing; a restricted one a set lookup per sample (the CI of each series
 *   is memoised, the writer's CI set cached while the CMDB is unchanged).
 * - **New-series budget.** Each credential (API token, user, agent) may create `newSeriesPerMinute`
 *   series per minute (a token bucket holding one minute's worth); a request needing more than is left
 *   is refused whole with 429 `YW_MONITORING_SERIES_BUDGET`. Series already stored cost nothing. The
 *   buckets live in the database (series-budget.ts): one budget per credential across a cluster.
 */
export class IngestGuard {
  /** In the database: the nodes of a cluster share each credential's budget. */
  readonly #budgets: SeriesBudgets;
  /** The CI of each series under the rules it was computed with (refs are shared across requests). */
  readonly #cis = new WeakMap<SeriesRef, { rules: readonly CompiledCiRule[]; ci: string | null }>();

  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'events'>,
    private readonly ingest: Pick<IngestService, 'newSeries'>,
    private readonly scopes: Pick<MetricScopes, 'cisIn'>,
    private readonly rules: () => readonly CompiledCiRule[],
    private readonly settings: Pick<MonitoringSettingsService, 'newSeriesPerMinute'>,
  ) {
    this.#budgets = new SeriesBudgets(ctx.db);
  }

  /** Resolves when `samples` may be written; throws 403 (scope) or 429 (budget) otherwise. */
  async admit(writer: Writer, samples: readonly PreparedSample[], source: WriteSource): Promise<void> {
    if (samples.length === 0) {
      return;
    }
    if ('actor' in writer) {
      await this.#checkScope(writer.actor, samples);
    }
    const credential = credentialOf(writer);
    if (credential !== null) {
      await this.#spend(credential, samples, source);
    }
  }

  /** Counts samples that were not stored (remote-write drops invalid ones and stores the rest). */
  dropped(source: WriteSource, byReason: Partial<Record<DropReason, number>>): void {
    reportDropped(this.ctx.events, source, byReason);
  }

  #ciOf(ref: SeriesRef, rules: readonly CompiledCiRule[]): string | null {
    const hit = this.#cis.get(ref);
    if (hit && hit.rules === rules) {
      return hit.ci;
    }
    const ci = ciIdFor(rules, ref.metric, ref.labels);
    this.#cis.set(ref, { rules, ci });
    return ci;
  }

  async #checkScope(actor: Actor, samples: readonly PreparedSample[]): Promise<void> {
    const units = scopeOf(actor, P.metricWrite);
    if (units === null) {
      return;
    }
    const rules = this.rules();
    let cis = await this.scopes.cisIn(units);
    let fresh = false;
    let last: SeriesRef | null = null;
    for (const s of samples) {
      if (s.series === last) {
        continue;
      }
      last = s.series;
      const ci = this.#ciOf(s.series, rules);
      if (ci === null || cis.has(ci)) {
        continue;
      }
      if (!fresh) {
        // The cached set may predate a CI just created in (or moved into) the writer's units.
        cis = await this.scopes.cisIn(units, true);
        fresh = true;
        if (cis.has(ci)) {
          continue;
        }
      }
      throw await this.#outOfScope(ci, s.series);
    }
  }

  async #outOfScope(ciId: string, ref: SeriesRef): Promise<AppError> {
    const row = await this.ctx.db.selectFrom('cmdb_ci').select('name').where('id', '=', ciId).executeTakeFirst();
    const ci = row?.name ?? ciId;
    const how = ref.labels.ci === undefined ? { zh: '（由映射规则关联）', en: ' (through a mapping rule)' } : { zh: '', en: '' };
    // An id naming no CI is refused too (reads show such series only to unrestricted readers).
    const explanation = row
      ? {
          zh: `指标 ${ref.metric} 属于配置项「${ci}」${how.zh}，该配置项不在您的写入范围内；本批样本均未保存`,
          en: `${ref.metric} belongs to CI "${ci}"${how.en}, outside the units you may write metrics for; nothing of this batch was stored`,
        }
      : {
          zh: `指标 ${ref.metric} 指向的配置项 ${ciId}${how.zh} 不存在，仅不受范围限制的用户可写入；本批样本均未保存`,
          en: `${ref.metric} names CI ${ciId}${how.en}, which does not exist; only writers without a unit restriction may write it; nothing of this batch was stored`,
        };
    return new AppError('YW_OUT_OF_SCOPE', { permission: P.metricWrite, ci, ciId, metric: ref.metric, explanation });
  }

  async #spend(credential: string, samples: readonly PreparedSample[], source: WriteSource): Promise<void> {
    const fresh = await this.ingest.newSeries(samples);
    if (fresh.length === 0) {
      return;
    }
    const perMinute = await this.settings.newSeriesPerMinute();
    const spent = await this.#budgets.spend(credential, fresh.length, perMinute);
    if (!spent.ok) {
      this.ctx.events.emit('monitoring.series.budget.refused', { source });
      const retryAfterSeconds = Math.max(1, Math.ceil(((Math.min(fresh.length, perMinute) - spent.available) * 60) / perMinute));
      throw new AppError('YW_MONITORING_SERIES_BUDGET', {
        budget: 'newSeriesPerMinute',
        limit: perMinute,
        newSeries: fresh.length,
        available: spent.available,
        retryAfterSeconds,
        explanation:
          fresh.length > perMinute
            ? { zh: `本批含 ${fresh.length} 个新序列，超过每分钟 ${perMinute} 个的预算（监控设置 newSeriesPerMinute），请分批发送`, en: `this batch has ${fresh.length} new series, more than the budget of ${perMinute} per minute (monitoring setting newSeriesPerMinute); send them in smaller batches` }
            : { zh: `本批含 ${fresh.length} 个新序列，本凭据当前仅剩 ${spent.available} 个（每分钟 ${perMinute} 个，监控设置 newSeriesPerMinute），请 ${retryAfterSeconds} 秒后重试`, en: `this batch has ${fresh.length} new series, ${spent.available} left of this credential's ${perMinute} per minute (monitoring setting newSeriesPerMinute); retry in ${retryAfterSeconds} s` },
      });
    }
  }
}
