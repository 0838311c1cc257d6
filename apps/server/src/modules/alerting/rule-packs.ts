import type { RuleCreate, RulePack, RulePackAppliesTo, RuleSpec, RuleTarget } from '@yunwei/contracts/alerting';
import type { LocalizedText } from '@yunwei/contracts/i18n';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { RuleService } from './rule.service.js';

export interface PackRule {
  name: LocalizedText;
  spec: RuleSpec;
  severity?: 'warning' | 'critical';
  forSeconds?: number;
}

/**
 * A rule pack applies by what a thing is, not by the CMDB class someone filed it under: the host rules
 * to every host (target `hosts`: CIs of class `server` and every CI with an agent), the check rules
 * to every check of their types whatever its CI, or none (target `all`, each rule reading only those
 * checks' series: `checkType`, `{type="…"}`).
 */
export interface Pack {
  id: string;
  name: LocalizedText;
  description: LocalizedText;
  appliesTo: RulePackAppliesTo;
  /** `appliesTo` as people read it, shown beside the pack. */
  binds: LocalizedText;
  rules: PackRule[];
}

const metric = (selector: string, op: '>' | '<', warning: number | undefined, critical: number | undefined, windowSeconds = 300, reducer: 'avg' | 'last' = 'avg'): RuleSpec => ({
  kind: 'metric',
  selector,
  reducer,
  windowSeconds,
  op,
  thresholds: { ...(warning === undefined ? {} : { warning }), ...(critical === undefined ? {} : { critical }) },
});

/** Metric names are the ones the agent (`apps/agent`) and the checks' probes really write. */
export const RULE_PACKS: readonly Pack[] = [
  {
    id: 'hosts',
    name: { zh: '主机', en: 'Hosts' },
    description: { zh: 'CPU、内存、磁盘使用率，磁盘 7 天内写满预测，Agent 失联', en: 'CPU, memory and disk usage, disk full within 7 days, agent silent' },
    appliesTo: { kind: 'hosts' },
    binds: { zh: '服务器类配置项及有 Agent 的主机', en: 'server CIs and every host with an agent' },
    rules: [
      { name: { zh: '主机 CPU 使用率过高', en: 'Host CPU usage high' }, spec: metric('host_cpu_usage_percent', '>', 90, undefined), forSeconds: 300 },
      { name: { zh: '主机内存使用率过高', en: 'Host memory usage high' }, spec: metric('host_memory_usage_percent', '>', 90, 95), forSeconds: 300 },
      { name: { zh: '主机磁盘使用率过高', en: 'Host disk usage high' }, spec: metric('host_fs_usage_percent', '>', 90, 95, 300, 'last'), forSeconds: 300 },
      { name: { zh: '主机磁盘 7 天内将写满', en: 'Host disk full within 7 days' }, spec: { kind: 'capacity', selector: 'host_fs_usage_percent', op: '>', threshold: 100, horizonSeconds: 7 * 86_400, lookbackSeconds: 3 * 86_400 } },
      { name: { zh: '主机 Agent 失联', en: 'Host agent silent' }, spec: { kind: 'absent', subject: 'agent' }, severity: 'critical', forSeconds: 120 },
    ],
  },
  {
    id: 'databases',
    name: { zh: '数据库', en: 'Databases' },
    description: { zh: '数据库不可用、连接数接近上限、主从复制延迟', en: 'Database down, connections near the maximum, replica lag' },
    appliesTo: { kind: 'checks', checkTypes: ['postgres', 'mysql'] },
    binds: { zh: '每个 PostgreSQL、MySQL 检查', en: 'every PostgreSQL and MySQL check' },
    rules: [
      { name: { zh: 'PostgreSQL 不可用', en: 'PostgreSQL down' }, spec: { kind: 'check', checkType: 'postgres', consecutiveDown: 2 }, severity: 'critical' },
      { name: { zh: 'MySQL 不可用', en: 'MySQL down' }, spec: { kind: 'check', checkType: 'mysql', consecutiveDown: 2 }, severity: 'critical' },
      // The probes report the connection count, not the server's maximum: the defaults' 100 (max_connections) is assumed.
      { name: { zh: '数据库连接数接近上限', en: 'Database connections near the maximum' }, spec: metric('db_connections{type=~"postgres|mysql"}', '>', 80, 95), forSeconds: 300 },
      { name: { zh: '数据库主从复制延迟', en: 'Database replica lag' }, spec: metric('db_replication_lag_seconds{type=~"postgres|mysql"}', '>', 30, 300), forSeconds: 120 },
    ],
  },
  {
    id: 'http',
    name: { zh: 'HTTP 服务', en: 'HTTP services' },
    description: { zh: '连续 3 次检查失败、TLS 证书 14 天内到期、响应变慢', en: 'Check down 3 times in a row, TLS certificate expiring within 14 days, slow responses' },
    appliesTo: { kind: 'checks', checkTypes: ['http'] },
    binds: { zh: '每个 HTTP 检查', en: 'every HTTP check' },
    rules: [
      { name: { zh: 'HTTP 服务不可用', en: 'HTTP service down' }, spec: { kind: 'check', checkType: 'http', consecutiveDown: 3, flapping: { changes: 4, window: 10 } }, severity: 'critical' },
      { name: { zh: 'TLS 证书即将到期', en: 'TLS certificate expiring' }, spec: metric('check_tls_days_left{type="http"}', '<', 14, 7, 3600, 'last') },
      { name: { zh: 'HTTP 响应变慢', en: 'HTTP responses slow' }, spec: metric('check_latency_seconds{type="http"}', '>', 1, 3), forSeconds: 300 },
    ],
  },
];

/** The rule target a pack's rules are installed with. */
export function packTarget(pack: Pick<Pack, 'appliesTo'>): RuleTarget {
  return pack.appliesTo.kind === 'hosts' ? { kind: 'hosts' } : { kind: 'all' };
}

export async function listPacks(rules: RuleService): Promise<{ items: RulePack[] }> {
  const counts = await rules.repo.packCounts();
  return { items: RULE_PACKS.map((p) => ({ id: p.id, name: p.name, description: p.description, appliesTo: p.appliesTo, binds: p.binds, rules: p.rules.length, installed: counts.get(p.id) ?? 0 })) };
}

/** Creates the pack's rules not installed yet (by name), bound to what the pack applies to. */
export async function installPack(rules: RuleService, actor: Actor, id: string): Promise<{ created: number; skipped: number }> {
  const pack = RULE_PACKS.find((p) => p.id === id);
  if (!pack) {
    throw new AppError('YW_ALERTING_PACK_NOT_FOUND', { id });
  }
  const installed = await rules.repo.namesOfPack(pack.id);
  let created = 0;
  for (const r of pack.rules) {
    if (installed.has(r.name.zh)) {
      continue;
    }
    const input: RuleCreate = { name: r.name.zh, nameEn: r.name.en, spec: r.spec, severity: r.severity ?? 'warning', forSeconds: r.forSeconds ?? 0, target: packTarget(pack) };
    await rules.create(actor, input, pack.id);
    created++;
  }
  return { created, skipped: pack.rules.length - created };
}
