import { BUSINESS_SYSTEM_CLASS } from '@yunwei/contracts/cmdb';
import type { DocumentBlock } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { MONITORING_PERMISSIONS as P, REPORT_RESOURCES, type ReportResource, type UtilisationFinding } from '@yunwei/contracts/monitoring';
import type { StatusAnalysis, StatusAnalysisQuery, StatusJudgement } from '@yunwei/contracts/reports';
import type { Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { timeSeriesChart, topBarChart } from '../../platform/documents/charts.js';
import { documentProvidersOf, type ProviderParams, type ProviderScope } from '../../platform/documents/providers.js';
import type { ModuleContext } from '../../platform/module.js';
import { ImpactService } from '../cmdb/impact.service.js';
import { ciFacts, fixed1, inReportScope, percent1, percent2, round1, round2 } from '../reports/report-format.js';
import { dailyPeaks, forecast, type Forecast } from './capacity-forecast.js';
import type { MonitoringRuntime } from './runtime.js';
import { byLevel, judgeBusinessSystem, judgeCi, STATUS_NAMES, AVAILABILITY_ABNORMAL, AVAILABILITY_WATCH } from './status-analysis.js';
import { resourceName } from './utilisation-judgement.js';
import { RESOURCES } from './utilisation-report.service.js';

/*
 * The monitoring module's report providers: `monitoring.availability` (per CI and business system, from
 * the `check_up` series), `monitoring.top-users` (the CIs using the most CPU and memory),
 * `capacity.forecast` (utilisation against capacity, daily-peak trend, days to the threshold and to
 * 100 %) and `monitoring.status` (运行状态分析, status-analysis.ts). Every figure goes through the
 * metric queries with the reader as actor, so their series scope applies.
 */

const DAY_MS = 86_400_000;
const TOP = 10;
type Runtime = Pick<MonitoringRuntime, 'queries' | 'reports'>;

// ---------------------------------------------------------------- business systems

/** The business systems a report covers, each with the CIs it relies on (CMDB), named. */
async function businessSystems(ctx: Pick<ModuleContext, 'db'>, actor: Actor, scope: ProviderScope): Promise<{ id: string; name: string; members: string[] }[]> {
  const impact = new ImpactService(ctx);
  let ids: string[];
  if (scope.kind === 'businessSystem') {
    ids = [scope.id!];
  } else {
    const all = await ctx.db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select('c.id').where('k.code', '=', BUSINESS_SYSTEM_CLASS).execute();
    ids = all.map((r) => r.id).filter((id) => inReportScope(scope, id));
  }
  const facts = await ciFacts(ctx.db, ids);
  const units = unitsReached(actor, P.metricRead);
  const out: { id: string; name: string; members: string[] }[] = [];
  for (const id of ids) {
    const f = facts.get(id);
    if (!f || (units !== null && (f.unit === null || !units.has(f.unit)))) {
      continue;
    }
    out.push({ id, name: f.name, members: await impact.reliedOnBy(id) });
  }
  return out.sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}

// ---------------------------------------------------------------- availability

export interface Availability {
  /** Percent of check runs UP, two decimals, per CI with checks. */
  cis: { id: string; name: string; availability: number }[];
  /** A business system is as available as its least available CI. */
  businessSystems: { name: string; availability: number | null; lowest: string | null }[];
}

/** Percent of `check_up` samples that were 1, per CI, in [from, to). */
async function availabilityByCi(m: Runtime, actor: Actor, from: number, to: number): Promise<Map<string, number>> {
  const result = await m.queries.utilisation(actor, { query: 'check_up', start: from, end: to - 1, by: 'ci', k: 1 });
  const out = new Map<string, number>();
  for (const g of result.groups) {
    if (g.key.ci && g.avg !== null) {
      out.set(g.key.ci, round2(g.avg * 100));
    }
  }
  return out;
}

export async function availability(ctx: Pick<ModuleContext, 'db'>, m: Runtime, p: ProviderParams): Promise<Availability> {
  const byCi = await availabilityByCi(m, p.actor, p.from, p.to);
  const facts = await ciFacts(ctx.db, byCi.keys());
  const cis = [...byCi]
    .filter(([id]) => inReportScope(p.scope, id) && facts.has(id))
    .map(([id, a]) => ({ id, name: facts.get(id)!.name, availability: a }))
    .sort((a, b) => a.availability - b.availability || a.name.localeCompare(b.name, 'zh-CN'));
  const systems = (await businessSystems(ctx, p.actor, p.scope)).map((bs) => {
    const members = bs.members.filter((id) => byCi.has(id) && facts.has(id)).map((id) => ({ name: facts.get(id)!.name, a: byCi.get(id)! }));
    const lowest = members.sort((a, b) => a.a - b.a)[0];
    return { name: bs.name, availability: lowest?.a ?? null, lowest: lowest?.name ?? null };
  });
  return { cis, businessSystems: systems };
}

const availabilityTone = (a: number | null) => (a === null ? 'normal' : a < AVAILABILITY_ABNORMAL ? 'danger' : a < AVAILABILITY_WATCH ? 'warning' : 'good');

export function availabilityBlocks(s: Availability, locale: Locale): DocumentBlock[] {
  const en = locale === 'en';
  const blocks: DocumentBlock[] = [];
  if (s.businessSystems.length) {
    blocks.push({ kind: 'heading', level: 3, text: en ? 'Business systems' : '业务系统' });
    blocks.push({
      kind: 'table',
      header: en ? ['Business system', 'Availability', 'Least available CI'] : ['业务系统', '可用率', '可用率最低的配置项'],
      rows: s.businessSystems.map((b) => [b.name, percent2(b.availability), b.lowest ?? '—']),
      tones: s.businessSystems.map((b) => availabilityTone(b.availability)),
    });
  }
  blocks.push({ kind: 'heading', level: 3, text: en ? 'Configuration items' : '配置项' });
  blocks.push(
    s.cis.length
      ? { kind: 'table', header: en ? ['Configuration item', 'Availability'] : ['配置项', '可用率'], rows: s.cis.map((c) => [c.name, percent2(c.availability)]), tones: s.cis.map((c) => availabilityTone(c.availability)) }
      : { kind: 'paragraph', text: en ? 'No configuration item in scope has checks with results in the period.' : '范围内没有配置项在报告期内有拨测结果。' },
  );
  return blocks;
}

// ---------------------------------------------------------------- top users

export interface TopUsers {
  cpu: { name: string; avg: number; p95: number; max: number }[];
  memory: { name: string; avg: number; p95: number; max: number }[];
}

export async function topUsers(ctx: Pick<ModuleContext, 'db'>, m: Runtime, p: ProviderParams): Promise<TopUsers> {
  const out: TopUsers = { cpu: [], memory: [] };
  for (const resource of ['cpu', 'memory'] as const) {
    const result = await m.queries.utilisation(p.actor, { query: RESOURCES[resource].metric, start: p.from, end: p.to - 1, by: 'ci', k: 1 });
    const groups = result.groups.filter((g) => g.key.ci && inReportScope(p.scope, g.key.ci) && g.p95 !== null && g.avg !== null && g.max !== null);
    const facts = await ciFacts(ctx.db, groups.map((g) => g.key.ci!));
    out[resource] = groups
      .filter((g) => facts.has(g.key.ci!))
      .sort((a, b) => b.p95! - a.p95!)
      .slice(0, TOP)
      .map((g) => ({ name: facts.get(g.key.ci!)!.name, avg: round1(g.avg!), p95: round1(g.p95!), max: round1(g.max!) }));
  }
  return out;
}

export function topUsersBlocks(s: TopUsers, locale: Locale): DocumentBlock[] {
  const en = locale === 'en';
  const header = en ? ['Configuration item', 'Average', 'P95', 'Peak'] : ['配置项', '平均值', 'P95', '峰值'];
  const table = (rows: TopUsers['cpu']): DocumentBlock =>
    rows.length ? { kind: 'table', header, rows: rows.map((r) => [r.name, percent1(r.avg), percent1(r.p95), percent1(r.max)]) } : { kind: 'paragraph', text: en ? 'No data in the period.' : '报告期内无数据。' };
  return [
    { kind: 'heading', level: 3, text: en ? `CPU utilisation (top ${TOP} by P95)` : `CPU 使用率（按 P95 前 ${TOP}）` },
    table(s.cpu),
    { kind: 'heading', level: 3, text: en ? `Memory utilisation (top ${TOP} by P95)` : `内存使用率（按 P95 前 ${TOP}）` },
    table(s.memory),
  ];
}

// ---------------------------------------------------------------- capacity forecast

export interface CapacityRow extends Forecast {
  ciId: string;
  ciName: string;
  resource: ReportResource;
  mount: string | null;
  avg: number;
  p95: number;
  peak: number;
  threshold: number;
  /** threshold − p95, points. */
  headroom: number;
  /** The daily peaks the forecast was fitted to. */
  days: number;
}
export interface CapacityForecast {
  thresholds: Record<ReportResource, number>;
  /** The daily peaks of the five most urgent growing resources (drawn as a chart). */
  trends: { name: string; points: [number, number][] }[];
  /** Most urgent first: fewest days to the threshold, then least headroom. */
  rows: CapacityRow[];
  businessSystems: { name: string; worst: string | null; headroom: number | null; daysToThreshold: number | null }[];
}

export async function capacityForecast(ctx: Pick<ModuleContext, 'db'>, m: Runtime, p: ProviderParams): Promise<CapacityForecast> {
  const rows: Omit<CapacityRow, 'ciName'>[] = [];
  const peaksOf = new Map<Omit<CapacityRow, 'ciName'>, { ts: number; value: number }[]>();
  const thresholds = Object.fromEntries(REPORT_RESOURCES.map((r) => [r, RESOURCES[r].threshold])) as Record<ReportResource, number>;
  for (const resource of REPORT_RESOURCES) {
    const { metric, by, threshold } = RESOURCES[resource];
    const keyOf = (labels: Record<string, string>) => (resource === 'fs' ? `${labels.ci}\u0000${labels.mount ?? labels.mountpoint ?? ''}` : (labels.ci ?? ''));
    const stats = await m.queries.utilisation(p.actor, { query: metric, start: p.from, end: p.to - 1, threshold, ...(by ? { by } : {}), k: 1 });
    const range = await m.queries.queryRange(p.actor, { query: metric, start: String(p.from / 1000), end: String((p.to - 1) / 1000), step: '1d', agg: 'max' });
    const peaks = new Map<string, { ts: number; value: number }[]>();
    for (const s of range.data.result) {
      if (!s.metric.ci) {
        continue;
      }
      const list = peaks.get(keyOf(s.metric)) ?? [];
      s.values.forEach(([ts, v]) => list.push({ ts: ts * 1000, value: Number(v) }));
      peaks.set(keyOf(s.metric), list);
    }
    for (const g of stats.groups) {
      const ciId = g.key.ci;
      if (!ciId || !inReportScope(p.scope, ciId) || g.p95 === null || g.avg === null || g.max === null) {
        continue;
      }
      const mount = resource === 'fs' ? (g.key.mount ?? g.key.mountpoint ?? null) : null;
      const daily = dailyPeaks(peaks.get(keyOf(g.key)) ?? [], p.from);
      const row = { ciId, resource, mount, avg: round1(g.avg), p95: round1(g.p95), peak: round1(g.max), threshold, headroom: round1(threshold - g.p95), days: daily.length, ...forecast(daily, p.to, threshold) };
      rows.push(row);
      peaksOf.set(row, daily);
    }
  }
  const facts = await ciFacts(ctx.db, rows.map((r) => r.ciId));
  const named = rows
    .filter((r) => facts.has(r.ciId))
    .map((r) => Object.assign(r, { ciName: facts.get(r.ciId)!.name }))
    .sort((a, b) => (a.daysToThreshold ?? Infinity) - (b.daysToThreshold ?? Infinity) || a.headroom - b.headroom || a.ciName.localeCompare(b.ciName, 'zh-CN'));
  const systems = (await businessSystems(ctx, p.actor, p.scope)).map((bs) => {
    const mine = named.filter((r) => bs.members.includes(r.ciId));
    const worst = mine[0];
    return { name: bs.name, worst: worst ? `${worst.ciName} ${resourceName(worst.resource, worst.mount, p.locale)}` : null, headroom: worst?.headroom ?? null, daysToThreshold: worst?.daysToThreshold ?? null };
  });
  const trends = named
    .filter((r) => r.growth)
    .slice(0, 5)
    .map((r) => ({ name: `${r.ciName} ${resourceName(r.resource, r.mount, p.locale)}`, points: (peaksOf.get(r) ?? []).map((x): [number, number] => [x.ts, round1(x.value)]) }));
  return { thresholds, trends, rows: named, businessSystems: systems };
}

function daysText(row: Pick<Forecast, 'growth' | 'daysToThreshold'>, which: number | null, en: boolean): string {
  if (!row.growth) {
    return en ? 'no growth' : '无增长';
  }
  return which === null ? '—' : which === 0 ? (en ? 'reached' : '已达到') : fixed1(which);
}

export function capacityBlocks(s: CapacityForecast, locale: Locale): DocumentBlock[] {
  const en = locale === 'en';
  if (s.rows.length === 0) {
    return [{ kind: 'paragraph', text: en ? 'No host in scope reported CPU, memory or file system utilisation in the period.' : '范围内没有主机在报告期内上报 CPU、内存或文件系统使用率。' }];
  }
  const tone = (r: CapacityRow) => (r.p95 >= r.threshold || (r.daysToThreshold !== null && r.daysToThreshold <= 30) ? 'danger' : r.peak >= r.threshold || (r.daysToThreshold !== null && r.daysToThreshold <= 90) ? 'warning' : 'normal');
  const blocks: DocumentBlock[] = [
    {
      kind: 'table',
      header: en
        ? ['Configuration item', 'Resource', 'Average', 'P95', 'Peak', 'Threshold', 'Headroom (points)', 'Growth (points/day)', 'Days to threshold', 'Days to 100%']
        : ['配置项', '资源', '平均值', 'P95', '峰值', '阈值', '余量（百分点）', '增长（百分点/天）', '距阈值（天）', '距满载（天）'],
      rows: s.rows.map((r) => [r.ciName, resourceName(r.resource, r.mount, locale), percent1(r.avg), percent1(r.p95), percent1(r.peak), percent1(r.threshold), fixed1(r.headroom), r.slopePerDay === null ? '—' : r.slopePerDay.toFixed(2), daysText(r, r.daysToThreshold, en), daysText(r, r.daysToFull, en)]),
      tones: s.rows.map(tone),
    },
  ];
  if (s.businessSystems.length) {
    blocks.push({ kind: 'heading', level: 3, text: en ? 'By business system (its tightest resource)' : '按业务系统（余量最紧的资源）' });
    blocks.push({
      kind: 'table',
      header: en ? ['Business system', 'Tightest resource', 'Headroom (points)', 'Days to threshold'] : ['业务系统', '最紧资源', '余量（百分点）', '距阈值（天）'],
      rows: s.businessSystems.map((b) => [b.name, b.worst ?? '—', fixed1(b.headroom), b.daysToThreshold === null ? '—' : fixed1(b.daysToThreshold)]),
    });
  }
  return blocks;
}

// ---------------------------------------------------------------- 运行状态分析

/**
 * The judgement of every CI with metrics and every business system (L3-2.1.2), for the utilisation page
 * and the reports. `scope` narrows it to a report's CIs.
 */
export async function statusAnalysis(ctx: Pick<ModuleContext, 'db'>, m: Runtime, actor: Actor, q: StatusAnalysisQuery, locale: Locale, scope: ProviderScope = { kind: 'all', id: null, name: '', ciIds: null }, now = Date.now()): Promise<StatusAnalysis> {
  const end = q.end ?? now;
  const start = q.start ?? end - 7 * DAY_MS;
  const report = await m.reports.build({ ...actor, locale }, { start, end }, locale, now);
  const byCi = await availabilityByCi(m, actor, start, end + 1);
  const findings = new Map<string, UtilisationFinding[]>();
  report.findings.forEach((f) => findings.set(f.ciId, [...(findings.get(f.ciId) ?? []), f]));
  const ids = [...new Set([...findings.keys(), ...byCi.keys()])].filter((id) => inReportScope(scope, id));
  const facts = await ciFacts(ctx.db, ids);
  const cis = ids.filter((id) => facts.has(id)).map((id) => judgeCi({ id, name: facts.get(id)!.name, findings: findings.get(id) ?? [], availability: byCi.get(id) ?? null }, locale));
  const byId = new Map(cis.map((c) => [c.id, c]));
  const systems = (await businessSystems(ctx, actor, scope)).map((bs) => judgeBusinessSystem(bs, bs.members.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : [])), locale));
  return { start, end, items: [...systems.sort(byLevel), ...cis.sort(byLevel)] };
}

export function statusBlocks(items: readonly StatusJudgement[], locale: Locale): DocumentBlock[] {
  const en = locale === 'en';
  if (items.length === 0) {
    return [{ kind: 'paragraph', text: en ? 'No configuration item in scope has metrics in the period.' : '范围内没有配置项在报告期内有指标数据。' }];
  }
  const count = (level: string) => items.filter((i) => i.level === level).length;
  const tones = { abnormal: 'danger', watch: 'warning', normal: 'good' } as const;
  return [
    {
      kind: 'paragraph',
      tone: count('abnormal') ? 'danger' : count('watch') ? 'warning' : 'good',
      text: en
        ? `${items.length} objects judged: ${count('abnormal')} abnormal, ${count('watch')} to watch, ${count('normal')} normal (availability below ${AVAILABILITY_ABNORMAL}% or a resource to expand is abnormal; below ${AVAILABILITY_WATCH}% or a resource to watch is to watch).`
        : `共评估 ${items.length} 个对象：异常 ${count('abnormal')} 个，关注 ${count('watch')} 个，正常 ${count('normal')} 个（可用率低于 ${AVAILABILITY_ABNORMAL}% 或资源需扩容为异常；可用率低于 ${AVAILABILITY_WATCH}% 或资源需关注为关注）。`,
    },
    {
      kind: 'table',
      header: en ? ['Object', 'Type', 'Status', 'Reasons'] : ['对象', '类型', '状态', '原因'],
      rows: items.map((i) => [i.name, i.kind === 'ci' ? (en ? 'Configuration item' : '配置项') : en ? 'Business system' : '业务系统', STATUS_NAMES[i.level][locale], i.reasons.join(en ? '; ' : '；')]),
      tones: items.map((i) => tones[i.level]),
    },
  ];
}

// ---------------------------------------------------------------- charts

/** A chart as blocks; a chart that cannot be drawn leaves a sentence saying so (the figures are in the tables). */
async function chartBlocks(draw: () => Promise<DocumentBlock>, locale: Locale): Promise<DocumentBlock[]> {
  try {
    return [await draw()];
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    return [{ kind: 'paragraph', tone: 'warning', text: locale === 'en' ? `The chart could not be drawn (${why}); the figures are in the table.` : `图表未能生成（${why}），数据见表格。` }];
  }
}

async function topUsersCharts(s: TopUsers, p: ProviderParams): Promise<DocumentBlock[]> {
  const en = p.locale === 'en';
  const out: DocumentBlock[] = [];
  for (const [key, title] of [['cpu', en ? 'CPU utilisation P95' : 'CPU 使用率 P95'], ['memory', en ? 'Memory utilisation P95' : '内存使用率 P95']] as const) {
    if (s[key].length) {
      out.push(...(await chartBlocks(() => topBarChart({ title, unit: '%', items: s[key].map((r) => ({ name: r.name, value: r.p95 })), top: TOP, locale: p.locale }), p.locale)));
    }
  }
  return out;
}

async function capacityCharts(s: CapacityForecast, p: ProviderParams): Promise<DocumentBlock[]> {
  if (s.trends.length === 0) {
    return [];
  }
  const en = p.locale === 'en';
  return chartBlocks(
    () =>
      timeSeriesChart({
        title: en ? 'Daily peaks of the growing resources' : '增长资源的日峰值',
        unit: '%',
        min: 0,
        max: 100,
        series: s.trends.map((t) => ({ name: t.name, points: t.points })),
        timeZone: p.timeZone,
        locale: p.locale,
        caption: en ? 'The forecast extends the least-squares line through these peaks.' : '预测即按这些日峰值的最小二乘直线外推。',
      }),
    p.locale,
  );
}

// ---------------------------------------------------------------- registration

/** Registers the monitoring module's providers (called as its routes are set up). */
export function registerMonitoringProviders(ctx: ModuleContext, m: Runtime): void {
  const registry = documentProvidersOf(ctx);
  registry.register<Availability>({
    name: 'monitoring.availability',
    title: { zh: '可用性', en: 'Availability' },
    permission: P.metricRead,
    async produce(p) {
      const data = await availability(ctx, m, p);
      return { blocks: availabilityBlocks(data, p.locale), data };
    },
    fields: {
      overall: { title: { zh: '平均可用率（按配置项）', en: 'Mean availability (per CI)' }, format: 'percent' },
      lowest: { title: { zh: '最低可用率', en: 'Lowest availability' }, format: 'percent' },
      lowestCi: { title: { zh: '可用率最低的配置项', en: 'Least available CI' }, format: 'text' },
      cis: { title: { zh: '有拨测数据的配置项数', en: 'CIs with check data' }, format: 'number' },
    },
    value: (s, field) => {
      const lowest = s.cis.reduce<Availability['cis'][number] | null>((low, c) => (low === null || c.availability < low.availability ? c : low), null);
      if (field === 'overall') {
        return s.cis.length ? Math.round((s.cis.reduce((sum, c) => sum + c.availability, 0) / s.cis.length) * 100) / 100 : null;
      }
      return field === 'lowest' ? (lowest?.availability ?? null) : field === 'lowestCi' ? (lowest?.name ?? null) : field === 'cis' ? s.cis.length : null;
    },
  });
  registry.register<TopUsers>({
    name: 'monitoring.top-users',
    title: { zh: '资源占用排行', en: 'Top resource users' },
    permission: P.metricRead,
    async produce(p) {
      const data = await topUsers(ctx, m, p);
      return { blocks: [...(await topUsersCharts(data, p)), ...topUsersBlocks(data, p.locale)], data };
    },
  });
  registry.register<CapacityForecast>({
    name: 'capacity.forecast',
    title: { zh: '容量与增长预测', en: 'Capacity and growth forecast' },
    permission: P.metricRead,
    async produce(p) {
      const data = await capacityForecast(ctx, m, p);
      return { blocks: [...capacityBlocks(data, p.locale), ...(await capacityCharts(data, p))], data };
    },
    fields: {
      analysed: { title: { zh: '分析的资源数', en: 'Resources analysed' }, format: 'number' },
      overThreshold: { title: { zh: '峰值（P95）超过阈值的资源数', en: 'Resources over the threshold (p95)' }, format: 'number' },
      minDaysToThreshold: { title: { zh: '最早到达阈值的天数', en: 'Fewest days to a threshold' }, format: 'number' },
    },
    value: (s, field) => {
      if (field === 'analysed') {
        return s.rows.length;
      }
      if (field === 'overThreshold') {
        return s.rows.filter((r) => r.headroom < 0).length;
      }
      const days = s.rows.map((r) => r.daysToThreshold).filter((d): d is number => d !== null);
      return field === 'minDaysToThreshold' && days.length ? Math.min(...days) : null;
    },
  });
  registry.register<StatusJudgement[]>({
    name: 'monitoring.status',
    title: { zh: '运行状态分析', en: 'Running status analysis' },
    permission: P.metricRead,
    async produce(p) {
      const data = (await statusAnalysis(ctx, m, p.actor, { start: p.from, end: p.to - 1 }, p.locale, p.scope, p.now)).items;
      return { blocks: statusBlocks(data, p.locale), data };
    },
  });
}
