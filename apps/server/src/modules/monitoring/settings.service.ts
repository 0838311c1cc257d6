import type { MonitoringSettings, MonitoringSettingsUpdate } from '@yunwei/contracts/monitoring';
import type { Actor } from '../../platform/actor.js';
import { invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import type { RetentionDays } from './query-plan.js';

/** Retention defaults: raw 15 days, 5-minute rollups 90 days, 1-hour rollups 2 years. */
export const DEFAULT_RETENTION: RetentionDays = { raw: 15, rollup5m: 90, rollup1h: 730 };

export function retentionOf(s: MonitoringSettings): RetentionDays {
  return { raw: s.rawRetentionDays, rollup5m: s.rollup5mRetentionDays, rollup1h: s.rollup1hRetentionDays };
}

/** Monitoring settings (retention), one row once changed; defaults until then. */
export class MonitoringSettingsService {
  constructor(private readonly ctx: Pick<ModuleContext, 'db' | 'audit'>) {}

  async get(): Promise<MonitoringSettings> {
    const row = await this.ctx.db.selectFrom('monitoring_settings').selectAll().where('id', '=', 1).executeTakeFirst();
    if (!row) {
      return { rawRetentionDays: DEFAULT_RETENTION.raw, rollup5mRetentionDays: DEFAULT_RETENTION.rollup5m, rollup1hRetentionDays: DEFAULT_RETENTION.rollup1h, updatedAt: null };
    }
    return { rawRetentionDays: row.raw_retention_days, rollup5mRetentionDays: row.rollup_5m_retention_days, rollup1hRetentionDays: row.rollup_1h_retention_days, updatedAt: Number(row.updated_at) };
  }

  async retention(): Promise<RetentionDays> {
    return retentionOf(await this.get());
  }

  async update(actor: Actor, input: MonitoringSettingsUpdate): Promise<MonitoringSettings> {
    const before = await this.get();
    const next = { ...before, ...input, updatedAt: Date.now() };
    // Coarser data is kept at least as long as finer data: queries fall back to it.
    if (next.rollup5mRetentionDays < next.rawRetentionDays) {
      throw invalidField(input.rollup5mRetentionDays === undefined ? 'body.rawRetentionDays' : 'body.rollup5mRetentionDays', '5-minute rollups must be kept at least as long as raw samples');
    }
    if (next.rollup1hRetentionDays < next.rollup5mRetentionDays) {
      throw invalidField(input.rollup1hRetentionDays === undefined ? 'body.rollup5mRetentionDays' : 'body.rollup1hRetentionDays', '1-hour rollups must be kept at least as long as 5-minute rollups');
    }
    const row = { id: 1, raw_retention_days: next.rawRetentionDays, rollup_5m_retention_days: next.rollup5mRetentionDays, rollup_1h_retention_days: next.rollup1hRetentionDays, updated_at: next.updatedAt };
    await this.ctx.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('monitoring_settings')
        .values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ raw_retention_days: row.raw_retention_days, rollup_5m_retention_days: row.rollup_5m_retention_days, rollup_1h_retention_days: row.rollup_1h_retention_days, updated_at: row.updated_at }))
        .execute();
      await this.ctx.audit.record(trx, { actor, action: 'monitoring.settings.update', targetType: 'monitoring_settings', targetId: '1', before, after: next });
    });
    return next;
  }
}
