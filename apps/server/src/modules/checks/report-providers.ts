import { CHECKS_PERMISSIONS as P } from '@yunwei/contracts/checks';
import type { DocumentBlock } from '@yunwei/contracts/documents';
import { unitsReached } from '../../platform/data-scope.js';
import { documentProvidersOf, type ProviderParams } from '../../platform/documents/providers.js';
import type { ModuleContext } from '../../platform/module.js';
import { ciFacts, fixed1, inReportScope, percent2, round1, round2 } from '../reports/report-format.js';

/*
 * `checks.downtime`: per check, its runs in the period (the hourly up/total counts, kept 31 days), the
 * share that were UP and the down-time — failed runs × the check's interval. Data scope: a check on a
 * CI belongs to the CI's unit, one without a CI to its own unit (as the check list).
 */

export interface CheckDowntime {
  name: string;
  target: string;
  ciName: string | null;
  runs: number;
  failed: number;
  /** Percent UP, two decimals. */
  availability: number;
  /** failed × interval, minutes, one decimal. */
  downtimeMinutes: number;
}
export interface ChecksDowntime {
  checks: CheckDowntime[];
  /** Over every run of every check; null without runs. */
  availability: number | null;
  downtimeMinutes: number;
}

const HOUR_MS = 3_600_000;

export async function checksDowntime(ctx: Pick<ModuleContext, 'db'>, p: ProviderParams): Promise<ChecksDowntime> {
  const defs = await ctx.db.selectFrom('check_definition').select(['id', 'name', 'target', 'ci_id', 'org_unit_id', 'interval_s']).execute();
  const facts = await ciFacts(ctx.db, defs.flatMap((d) => (d.ci_id ? [d.ci_id] : [])));
  const units = unitsReached(p.actor, P.checkRead);
  const visible = defs.filter((d) => {
    if (d.ci_id === null ? p.scope.kind !== 'all' : !inReportScope(p.scope, d.ci_id)) {
      return false;
    }
    const unit = d.ci_id ? (facts.get(d.ci_id)?.unit ?? null) : d.org_unit_id;
    return units === null || (unit !== null && units.has(unit));
  });
  const counts = new Map<string, { up: number; total: number }>();
  const ids = visible.map((d) => d.id);
  // Hours starting inside the period (results are counted per UTC hour).
  const first = Math.ceil(p.from / HOUR_MS) * HOUR_MS;
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await ctx.db
      .selectFrom('check_uptime_hour')
      .select(['check_id', (eb) => eb.fn.sum<number>('up').as('up'), (eb) => eb.fn.sum<number>('total').as('total')])
      .where('check_id', 'in', ids.slice(i, i + 500))
      .where('hour_start', '>=', first)
      .where('hour_start', '<', p.to)
      .groupBy('check_id')
      .execute();
    rows.forEach((r) => counts.set(r.check_id, { up: Number(r.up), total: Number(r.total) }));
  }
  let up = 0;
  let total = 0;
  let downtime = 0;
  const checks: CheckDowntime[] = [];
  for (const d of visible) {
    const c = counts.get(d.id);
    if (!c || c.total === 0) {
      continue;
    }
    up += c.up;
    total += c.total;
    const minutes = ((c.total - c.up) * d.interval_s) / 60;
    downtime += minutes;
    checks.push({ name: d.name, target: d.target, ciName: d.ci_id ? (facts.get(d.ci_id)?.name ?? null) : null, runs: c.total, failed: c.total - c.up, availability: round2((c.up / c.total) * 100), downtimeMinutes: round1(minutes) });
  }
  checks.sort((a, b) => b.downtimeMinutes - a.downtimeMinutes || a.name.localeCompare(b.name, 'zh-CN'));
  return { checks, availability: total ? round2((up / total) * 100) : null, downtimeMinutes: round1(downtime) };
}

export function downtimeBlocks(s: ChecksDowntime, p: Pick<ProviderParams, 'locale'>): DocumentBlock[] {
  const en = p.locale === 'en';
  if (s.checks.length === 0) {
    return [{ kind: 'paragraph', text: en ? 'No check ran in the period.' : '报告期内没有拨测运行记录。' }];
  }
  const down = s.checks.filter((c) => c.failed > 0).length;
  return [
    {
      kind: 'paragraph',
      tone: down > 0 ? 'warning' : 'good',
      text: en
        ? `${s.checks.length} checks ran; ${down} of them failed at least once. Availability over all runs ${percent2(s.availability)}, down-time ${fixed1(s.downtimeMinutes)} min in total.`
        : `共 ${s.checks.length} 项拨测运行，其中 ${down} 项出现过失败；全部拨测的可用率 ${percent2(s.availability)}，累计停机 ${fixed1(s.downtimeMinutes)} 分钟。`,
    },
    {
      kind: 'table',
      header: en ? ['Check', 'Target', 'Configuration item', 'Runs', 'Failed', 'Availability', 'Down-time (min)'] : ['拨测', '目标', '配置项', '运行次数', '失败次数', '可用率', '停机时长（分钟）'],
      rows: s.checks.map((c) => [c.name, c.target, c.ciName ?? '—', String(c.runs), String(c.failed), percent2(c.availability), fixed1(c.downtimeMinutes)]),
      tones: s.checks.map((c) => (c.failed === 0 ? 'normal' : c.availability < 99 ? 'danger' : 'warning')),
    },
  ];
}

/** Registers the checks module's providers (called as its routes are set up). */
export function registerChecksProviders(ctx: ModuleContext): void {
  documentProvidersOf(ctx).register<ChecksDowntime>({
    name: 'checks.downtime',
    title: { zh: '拨测与停机时长', en: 'Checks and down-time' },
    permission: P.checkRead,
    async produce(p) {
      const data = await checksDowntime(ctx, p);
      return { blocks: downtimeBlocks(data, p), data };
    },
    fields: {
      availability: { title: { zh: '拨测可用率', en: 'Check availability' }, format: 'percent' },
      downtimeMinutes: { title: { zh: '停机时长', en: 'Down-time' }, format: 'minutes' },
      checks: { title: { zh: '拨测数', en: 'Checks' }, format: 'number' },
    },
    value: (s, field) => (field === 'checks' ? s.checks.length : field === 'availability' || field === 'downtimeMinutes' ? s[field] : null),
  });
}
