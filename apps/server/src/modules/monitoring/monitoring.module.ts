import { MONITORING_PERMISSIONS as P } from '@yunwei/contracts/monitoring';
import { defineModule } from '../../platform/module.js';
import { monitoringMigrations } from './monitoring.migrations.js';
import { monitoringRoutes } from './monitoring.routes.js';
import './monitoring.tables.js';
import { monitoringOf } from './runtime.js';

const everyone = ['system_admin', 'security_admin', 'audit_admin', 'operator', 'viewer'] as const;

/** The metrics store: ingestion (push, remote-write, scraping), rollups, retention, queries, utilisation. */
export const monitoringModule = defineModule({
  id: 'monitoring',
  name: { zh: '监控', en: 'Monitoring' },
  skills: ['L3-2.1.2', 'L2-2.1.1'],
  permissions: [
    { id: P.metricRead, name: { zh: '查询监控指标', en: 'Query metrics' }, grants: everyone },
    { id: P.metricWrite, name: { zh: '写入监控指标（推送、远程写入）', en: 'Write metrics (push, remote-write)' }, grants: ['system_admin', 'operator'] },
    { id: P.scrapeRead, name: { zh: '查看采集目标', en: 'View scrape targets' }, grants: everyone },
    { id: P.scrapeWrite, name: { zh: '管理采集目标', en: 'Manage scrape targets' }, grants: ['system_admin', 'operator'] },
    { id: P.mappingRead, name: { zh: '查看指标与配置项映射规则', en: 'View series-to-CI mapping rules' }, grants: everyone },
    { id: P.mappingWrite, name: { zh: '管理指标与配置项映射规则', en: 'Manage series-to-CI mapping rules' }, grants: ['system_admin'] },
    { id: P.settingsRead, name: { zh: '查看监控设置（数据保留期）', en: 'View monitoring settings (retention)' }, grants: ['system_admin', 'security_admin', 'audit_admin', 'operator'] },
    { id: P.settingsWrite, name: { zh: '修改监控设置（数据保留期）', en: 'Change monitoring settings (retention)' }, grants: ['system_admin'] },
  ],
  migrations: monitoringMigrations,
  routes: monitoringRoutes,
  jobs: (ctx) => [
    // Every 5 minutes, a minute past the bucket boundary (late samples of the last bucket have arrived).
    { name: 'monitoring.rollup', cron: '1-59/5 * * * *', leaseMs: 30 * 60_000, run: async () => void (await monitoringOf(ctx).rollups.run()) },
    { name: 'monitoring.retention', cron: '41 3 * * *', leaseMs: 60 * 60_000, run: async () => void (await monitoringOf(ctx).rollups.purge()) },
    // PostgreSQL: day partitions of raw samples, kept a week ahead (hourly: cheap, and soon after a restart).
    { name: 'monitoring.partitions', cron: '23 * * * *', leaseMs: 10 * 60_000, run: async () => void (await monitoringOf(ctx).rollups.ensurePartitions()) },
  ],
  onStart: async (ctx) => {
    // Not fatal: without today's partition samples still land (in the default one) until the job succeeds.
    await monitoringOf(ctx)
      .rollups.ensurePartitions()
      .catch((error: unknown) => ctx.log.error({ err: error }, 'metric sample partitions could not be created'));
    await monitoringOf(ctx).reloadRules();
  },
});
