import type { MonitoringSettings, MonitoringSettingsUpdate } from '@yunwei/contracts/monitoring';
import type { Actor } from '../../platform/actor.js';
import { invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { RetentionDays } from './query-plan.js';

/** Retention defaults: raw 15 days, 5-minute rollups 90 days, 1-hour rollups 2 years. */
export const DEFAULT_RETENTION: RetentionDays = { raw: 15, rollup5m: 90, rollup1h: 730 };
/**
 * New series one credential may create per minute. A Prometheus of 100 node_exporters (~100,000
 * series) is taken in within a minute; a token minting random labels is held to this rate.
 */
export const DEFAULT_NEW_SERIES_PER_MINUTE = 100_000;
/** How long ingestion trusts the budget it read (a change on this node applies at once, see update()). */
const BUDGET_TTL_MS = 10_000;

export function retentionOf(s: MonitoringSettings): RetentionDays {
  return { raw: s.rawRetentionDays, rollup5m: s.rollup5mRetentionDays, rollup1h: s.rollup1hRetentionDays };
}

/** Monitoring settings (retention, the new-series budget), one row once changed; defaults until then. */
export class MonitoringSettingsService {
  #budget: { value: number; at: number } | null = null;

  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {}

  async get(): Promise<MonitoringSettings> {
    const row = await this.ctx.db.selectFrom('monitoring_settings').selectAll().where('id', '=', 1).executeTakeFirst();
    if (!row) {
      return {
        rawRetentionDays: DEFAULT_RETENTION.raw,
        rollup5mRetentionDays: DEFAULT_RETENTION.rollup5m,
        rollup1hRetentionDays: DEFAULT_RETENTION.rollup1h,
        newSeriesPerMinute: DEFAULT_NEW_SERIES_PER_MINUTE,
        updatedAt: null,
      };
    }
    return {
      rawRetentionDays: row.raw_retention_days,
      rollup5mRetentionDays: row.rollup_5m_retention_days,
      rollup1hRetentionDays: row.rollup_1h_retention_days,
      newSeriesPerMinute: Number(row.new_series_per_minute),
      updatedAt: Number(row.updated_at),
    };
  }

  /** The new-series budget per credential and minute, read at most every BUDGET_TTL_MS (ingestion asks per request). */
  async newSeriesPerMinute(): Promise<number> {
    const now = Date.now();
    if (!this.#budget || now - this.#budget.at >= BUDGET_TTL_MS) {
      this.#budget = { value: (await this.get()).newSeriesPerMinute, at: now };
    }
    return this.#budget.value;
  }

  async retention(): Promise<RetentionDays> {
    return retentionOf(await this.get());
  }

  async update(actor: Actor, input: MonitoringSettingsUpdate): Promise<MonitoringSettings> {
    const before = await this.get();
    const next = { ...before, ...input, updatedAt: Date.now() };
    // Coarser data is kept at least as long as finer data: queries fall back to it.
    if (next.rollup5mRetentionDays < next.rawRetentionDays) {
      throw invalidField(input.rollup5mRetentionDays === undefined ? 'body.rawRetentionDays' : 'body.rollup5mRetentionDays', { zh: '5 分钟汇总数据的保留期不能短于原始样本', en: '5-minute rollups must be kept at least as long as raw samples' });
    }
    if (next.rollup1hRetentionDays < next.rollup5mRetentionDays) {
      throw invalidField(input.rollup1hRetentionDays === undefined ? 'body.rollup5mRetentionDays' : 'body.rollup1hRetentionDays', { zh: '1 小时汇总数据的保留期不能短于 5 分钟汇总数据', en: '1-hour rollups must be kept at least as long as 5-minute rollups' });
    }
    const columns = {
      raw_retention_days: next.rawRetentionDays,
      rollup_5m_retention_days: next.rollup5mRetentionDays,
      rollup_1h_retention_days: next.rollup1hRetentionDays,
      new_series_per_minute: next.newSeriesPerMinute,
      updated_at: next.updatedAt,
    };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('monitoring_settings')
        .values({ id: 1, ...columns })
        .onConflict((oc) => oc.column('id').doUpdateSet(columns))
        .execute();
      await this.ctx.audit.record(trx, { actor, action: 'monitoring.settings.update', targetType: 'monitoring_settings', targetId: '1', before, after: next });
    });
    this.#budget = null;
    return next;
  }
}
