import type { HostInventoryData } from '@yunwei/contracts/agents';
import type { RiskSource, RiskSourceRef } from '@yunwei/contracts/incident-problems';
import { fromJson } from '../../db/dialect.js';
import { systemActor } from '../../platform/actor.js';
import { documentProvidersOf, type ProviderParams } from '../../platform/documents/providers.js';
import type { ModuleContext } from '../../platform/module.js';
import type { CapacityForecast } from '../monitoring/report-providers.js';
import { resourceName } from '../monitoring/utilisation-judgement.js';
import { endOfSupportFindings } from './risk-level.js';

const DAY_MS = 86_400_000;

/** A condition one collector saw: de-duplicated in the register by (source, key). */
export interface RiskFinding {
  source: Exclude<RiskSource, 'manual'>;
  key: string;
  title: string;
  description: string;
  ciId: string | null;
  likelihood: number;
  impact: number;
  ownerId: string | null;
  ref: RiskSourceRef;
  /** Suggested measures for a new risk. */
  measures: string;
}

export interface CollectOptions {
  horizonDays: number;
  certificateDays: number;
  now: number;
}

type Collector = (ctx: ModuleContext, o: CollectOptions) => Promise<RiskFinding[]>;

/**
 * Capacity: resources whose daily-peak trend (the `capacity.forecast` provider, over the last 30 days) crosses
 * their threshold within the horizon. Collected as the system: the register is organisation-wide.
 */
const capacity: Collector = async (ctx, o) => {
  const params: ProviderParams = {
    actor: systemActor('risks'),
    locale: 'zh-CN',
    from: o.now - 30 * DAY_MS,
    to: o.now,
    scope: { kind: 'all', id: null, name: '全部', ciIds: null },
    now: o.now,
    timeZone: ctx.config.timeZone,
  };
  const outcome = await documentProvidersOf(ctx).run<CapacityForecast>('capacity.forecast', '', params, ctx.log);
  if (!outcome.ok || !outcome.data) {
    throw new Error(outcome.error ?? 'capacity.forecast failed');
  }
  return outcome.data.rows
    .filter((r) => r.growth && r.daysToThreshold !== null && r.daysToThreshold <= o.horizonDays)
    .map((r) => {
      const days = r.daysToThreshold!;
      const what = resourceName(r.resource, r.mount, 'zh-CN');
      return {
        source: 'capacity' as const,
        key: `${r.ciId}|${r.resource}|${r.mount ?? ''}`,
        title: `${r.ciName} ${what}将超过阈值 ${r.threshold}%`,
        description: days === 0
          ? `${r.ciName} ${what}已达到阈值 ${r.threshold}%（P95 ${r.p95}%，峰值 ${r.peak}%）。`
          : `按近 ${r.days} 天的日峰值趋势（每天增长 ${r.slopePerDay ?? '—'} 个百分点），${r.ciName} ${what}预计 ${days} 天后超过阈值 ${r.threshold}%（当前 P95 ${r.p95}%，峰值 ${r.peak}%）。`,
        ciId: r.ciId,
        likelihood: days <= 7 ? 5 : days <= 14 ? 4 : 3,
        impact: r.resource === 'fs' ? 4 : 3,
        ownerId: null,
        ref: { id: r.ciId, label: `${r.ciName} ${what}`, link: `/cmdb/cis/${r.ciId}` },
        measures: r.resource === 'fs' ? '清理或归档历史数据、扩容文件系统，并复核数据保留策略。' : '分析资源增长原因，优化占用或扩容，必要时调整负载分布。',
      };
    });
};

/** Certificates: HTTPS checks whose certificate expires within `certificateDays` (or has expired). */
const certificate: Collector = async (ctx, o) => {
  const rows = await ctx.db
    .selectFrom('check_definition as d')
    .innerJoin('check_state as s', 's.check_id', 'd.id')
    .select(['d.id', 'd.name', 'd.target', 'd.ci_id', 's.values'])
    .where('d.enabled', '=', 1)
    .execute();
  const out: RiskFinding[] = [];
  for (const r of rows) {
    const days = fromJson<Record<string, number>>(r.values).check_tls_days_left;
    if (typeof days !== 'number' || days > o.certificateDays) {
      continue;
    }
    const left = Math.floor(days);
    out.push({
      source: 'certificate',
      key: r.id,
      title: `${r.name} 的 TLS 证书即将到期`,
      description: left <= 0 ? `检查“${r.name}”（${r.target}）的证书已过期。` : `检查“${r.name}”（${r.target}）的证书将在 ${left} 天后到期。`,
      ciId: r.ci_id,
      likelihood: left <= 7 ? 5 : left <= 14 ? 4 : 3,
      impact: 4,
      ownerId: null,
      ref: { id: r.id, label: r.name, link: `/monitoring/checks?q=${encodeURIComponent(r.name)}` },
      measures: '申请并部署新证书，部署后确认检查结果中的剩余天数已更新。',
    });
  }
  return out;
};

/** Inspections: an item whose latest signed result (last 90 days) is abnormal. */
const inspection: Collector = async (ctx, o) => {
  const rows = await ctx.db
    .selectFrom('inspection_result as r')
    .innerJoin('inspection_record as rec', 'rec.id', 'r.record_id')
    .select(['r.ci_id', 'r.ci_name', 'r.item_key', 'r.item_name', 'r.verdict', 'r.value', 'r.unit', 'r.detail', 'r.limit_text', 'r.note', 'rec.id as record_id', 'rec.template_name', 'rec.signed_at'])
    .where('rec.status', '=', 'signed')
    .where('rec.signed_at', '>=', o.now - 90 * DAY_MS)
    .orderBy('rec.signed_at')
    .execute();
  const latest = new Map<string, (typeof rows)[number]>();
  for (const r of rows) {
    if (r.verdict === 'normal' || r.verdict === 'abnormal') {
      latest.set(`${r.ci_id}|${r.item_key}`, r);
    }
  }
  return [...latest.entries()]
    .filter(([, r]) => r.verdict === 'abnormal')
    .map(([key, r]) => ({
      source: 'inspection' as const,
      key,
      title: `${r.ci_name} 巡检异常：${r.item_name}`,
      description: `巡检“${r.template_name}”发现 ${r.ci_name} 的“${r.item_name}”异常${r.value !== null ? `（${r.value}${r.unit}${r.limit_text ? `，要求 ${r.limit_text}` : ''}）` : r.detail ? `（${r.detail}）` : ''}${r.note ? `：${r.note}` : ''}。`,
      ciId: r.ci_id,
      likelihood: 3,
      impact: 3,
      ownerId: null,
      ref: { id: r.record_id, label: r.template_name, link: `/inspections/records/${r.record_id}` },
      measures: '查明异常原因并整改，在下次巡检中确认恢复正常。',
    }));
};

/** Problems still without a permanent fix: the cause is known (or sought) but can strike again. */
const problem: Collector = async (ctx) => {
  const rows = await ctx.db.selectFrom('problem').selectAll().where('status', 'in', ['new', 'analysing', 'known_error']).where('permanent_fix', '=', '').execute();
  const counts = rows.length ? await ctx.db.selectFrom('problem_incident').select(['problem_id', (eb) => eb.fn.countAll<number>().as('n')]).where('problem_id', 'in', rows.map((r) => r.id)).groupBy('problem_id').execute() : [];
  return rows.map((p) => {
    const n = Number(counts.find((c) => c.problem_id === p.id)?.n ?? 0);
    const ciIds = fromJson<string[]>(p.ci_ids);
    return {
      source: 'problem' as const,
      key: p.id,
      title: `问题 ${p.number} 尚无永久解决方案：${p.title}`,
      description: `问题 ${p.number}（已关联 ${n} 起故障）尚无永久解决方案，同类故障可能再次发生。${p.root_cause ? `根本原因：${p.root_cause}` : ''}`,
      ciId: ciIds[0] ?? null,
      likelihood: Math.min(5, 2 + n),
      impact: 3,
      ownerId: p.owner_id,
      ref: { id: p.id, label: p.number, link: `/incidents/problems/${p.id}` },
      measures: p.workaround ? `临时解决办法：${p.workaround}；尽快制定并实施永久解决方案。` : '完成根本原因分析，制定并实施永久解决方案。',
    };
  });
};

/** End-of-support software in the agents' inventory (operating systems and packages). */
const software: Collector = async (ctx, o) => {
  const rows = await ctx.db.selectFrom('agent_inventory as a').innerJoin('cmdb_ci as c', 'c.id', 'a.ci_id').select(['a.ci_id', 'a.body', 'c.name']).execute();
  const out: RiskFinding[] = [];
  for (const r of rows) {
    const inv = fromJson<Partial<HostInventoryData>>(r.body);
    if (!inv.os) {
      continue;
    }
    for (const f of endOfSupportFindings({ os: inv.os, packages: inv.packages ?? [] }, o.now)) {
      out.push({
        source: 'software',
        key: `${r.ci_id}|${f.product}`,
        title: `${r.name} 运行的 ${f.product} ${f.past ? '已停止支持' : '即将停止支持'}`,
        description: `${r.name} 安装的 ${f.installed} 于 ${f.endOfSupport} ${f.past ? '已停止厂商支持，不再获得安全更新' : '停止厂商支持'}。`,
        ciId: r.ci_id,
        likelihood: f.past ? 4 : 3,
        impact: f.past ? 4 : 3,
        ownerId: null,
        ref: { id: r.ci_id, label: `${r.name} ${f.installed}`, link: `/cmdb/cis/${r.ci_id}` },
        measures: `制定 ${f.product} 升级或迁移计划；升级前加强监控与访问控制。`,
      });
    }
  }
  return out;
};

export const COLLECTORS: Record<RiskFinding['source'], Collector> = { capacity, certificate, inspection, problem, software };
