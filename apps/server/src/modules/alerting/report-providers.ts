import { ALERTING_PERMISSIONS as P, SEVERITIES, type Severity } from '@yunwei/contracts/alerting';
import type { DocumentBlock } from '@yunwei/contracts/documents';
import { unitsReached } from '../../platform/data-scope.js';
import { documentProvidersOf, type ProviderParams } from '../../platform/documents/providers.js';
import type { ModuleContext } from '../../platform/module.js';
import { ciFacts, fixed1, inReportScope, mean, round1 } from '../reports/report-format.js';

/*
 * `alerts.summary`: the alerts that fired in a report's period (started in it; pending alerts that never
 * fired are left out), by severity and by rule, with MTTA = mean(ack − start) and MTTR =
 * mean(resolve − start) in minutes over those acknowledged / resolved. Data scope: an alert follows its
 * CI's unit; one without a CI is read by every holder (as the alert list), and only in a report on `all`.
 */

export interface AlertFigures {
  count: number;
  acknowledged: number;
  resolved: number;
  /** Minutes, one decimal; null when none was acknowledged / resolved. */
  mttaMinutes: number | null;
  mttrMinutes: number | null;
}
export interface AlertsSummary extends AlertFigures {
  bySeverity: ({ severity: Severity } & AlertFigures)[];
  /** The 10 rules with the most alerts. */
  byRule: ({ rule: string } & AlertFigures)[];
  /** Alerts still open at the end of the period. */
  open: number;
}

const MINUTE_MS = 60_000;
const TOP_RULES = 10;
const SEVERITY_NAMES: Record<Severity, { zh: string; en: string }> = { critical: { zh: '严重', en: 'Critical' }, warning: { zh: '警告', en: 'Warning' } };

interface Row {
  severity: string;
  rule: string;
  started: number;
  acked: number | null;
  resolved: number | null;
}

function figures(rows: readonly Row[]): AlertFigures {
  const acked = rows.filter((r) => r.acked !== null).map((r) => (r.acked! - r.started) / MINUTE_MS);
  const resolved = rows.filter((r) => r.resolved !== null).map((r) => (r.resolved! - r.started) / MINUTE_MS);
  const mtta = mean(acked);
  const mttr = mean(resolved);
  return { count: rows.length, acknowledged: acked.length, resolved: resolved.length, mttaMinutes: mtta === null ? null : round1(mtta), mttrMinutes: mttr === null ? null : round1(mttr) };
}

export async function alertsSummary(ctx: Pick<ModuleContext, 'db'>, p: ProviderParams): Promise<AlertsSummary> {
  const rows = await ctx.db
    .selectFrom('alert')
    .select(['ci_id', 'severity', 'rule_name', 'rule_name_en', 'started_at', 'acked_at', 'resolved_at'])
    .where('started_at', '>=', p.from)
    .where('started_at', '<', p.to)
    .where('firing_at', 'is not', null)
    .execute();
  const units = unitsReached(p.actor, P.alertRead);
  const facts = await ciFacts(ctx.db, rows.flatMap((r) => (r.ci_id ? [r.ci_id] : [])));
  const en = p.locale === 'en';
  const seen: Row[] = [];
  for (const r of rows) {
    if (r.ci_id === null ? p.scope.kind !== 'all' : !inReportScope(p.scope, r.ci_id)) {
      continue;
    }
    if (r.ci_id !== null) {
      const unit = facts.get(r.ci_id)?.unit ?? null;
      if (!facts.has(r.ci_id) ? units !== null : units !== null && (unit === null || !units.has(unit))) {
        continue;
      }
    }
    // A resolution or acknowledgement after the period's end has not happened yet as far as the report knows.
    const within = (at: number | null) => (at !== null && at < p.to ? Number(at) : null);
    seen.push({ severity: r.severity, rule: (en ? r.rule_name_en : null) ?? r.rule_name, started: Number(r.started_at), acked: within(r.acked_at), resolved: within(r.resolved_at) });
  }
  const byRule = new Map<string, Row[]>();
  seen.forEach((r) => byRule.set(r.rule, [...(byRule.get(r.rule) ?? []), r]));
  return {
    ...figures(seen),
    open: seen.filter((r) => r.resolved === null).length,
    bySeverity: SEVERITIES.map((severity) => ({ severity, ...figures(seen.filter((r) => r.severity === severity)) })),
    byRule: [...byRule.entries()]
      .map(([rule, list]) => ({ rule, ...figures(list) }))
      .sort((a, b) => b.count - a.count || a.rule.localeCompare(b.rule, 'zh-CN'))
      .slice(0, TOP_RULES),
  };
}

export function alertsBlocks(s: AlertsSummary, p: Pick<ProviderParams, 'locale'>): DocumentBlock[] {
  const en = p.locale === 'en';
  if (s.count === 0) {
    return [{ kind: 'paragraph', tone: 'good', text: en ? 'No alert fired in the period.' : '报告期内没有触发告警。' }];
  }
  const head = en ? ['Alerts', 'Acknowledged', 'Resolved', 'MTTA (min)', 'MTTR (min)'] : ['告警数', '已确认', '已恢复', 'MTTA（分钟）', 'MTTR（分钟）'];
  const cells = (f: AlertFigures) => [String(f.count), String(f.acknowledged), String(f.resolved), fixed1(f.mttaMinutes), fixed1(f.mttrMinutes)];
  const critical = s.bySeverity.find((x) => x.severity === 'critical')?.count ?? 0;
  return [
    {
      kind: 'paragraph',
      tone: critical > 0 ? 'warning' : 'normal',
      text: en
        ? `${s.count} alerts fired in the period (${critical} critical); ${s.open} were still open at its end. MTTA ${fixed1(s.mttaMinutes)} min, MTTR ${fixed1(s.mttrMinutes)} min.`
        : `报告期内共触发告警 ${s.count} 条（严重 ${critical} 条），期末仍未恢复 ${s.open} 条；平均确认时间（MTTA）${fixed1(s.mttaMinutes)} 分钟，平均恢复时间（MTTR）${fixed1(s.mttrMinutes)} 分钟。`,
    },
    { kind: 'heading', level: 3, text: en ? 'By severity' : '按级别' },
    {
      kind: 'table',
      header: [en ? 'Severity' : '级别', ...head],
      rows: [...s.bySeverity.map((x) => [SEVERITY_NAMES[x.severity][en ? 'en' : 'zh'], ...cells(x)]), [en ? 'Total' : '合计', ...cells(s)]],
      tones: [...s.bySeverity.map((x) => (x.severity === 'critical' && x.count > 0 ? ('danger' as const) : ('normal' as const))), 'normal' as const],
    },
    { kind: 'heading', level: 3, text: en ? `By rule (top ${TOP_RULES})` : `按规则（前 ${TOP_RULES} 条）` },
    { kind: 'table', header: [en ? 'Rule' : '告警规则', ...head], rows: s.byRule.map((x) => [x.rule, ...cells(x)]) },
  ];
}

/** Registers the alerting module's providers (called as its routes are set up). */
export function registerAlertingProviders(ctx: ModuleContext): void {
  documentProvidersOf(ctx).register<AlertsSummary>({
    name: 'alerts.summary',
    title: { zh: '告警统计', en: 'Alerts' },
    permission: P.alertRead,
    async produce(p) {
      const data = await alertsSummary(ctx, p);
      return { blocks: alertsBlocks(data, p), data };
    },
    fields: {
      count: { title: { zh: '告警数', en: 'Alerts' }, format: 'number' },
      critical: { title: { zh: '严重告警数', en: 'Critical alerts' }, format: 'number' },
      open: { title: { zh: '期末未恢复告警数', en: 'Alerts open at the end' }, format: 'number' },
      mttaMinutes: { title: { zh: '平均确认时长（MTTA）', en: 'Mean time to acknowledge (MTTA)' }, format: 'minutes' },
      mttrMinutes: { title: { zh: '平均恢复时长（MTTR）', en: 'Mean time to resolve (MTTR)' }, format: 'minutes' },
    },
    value: (s, field) => (field === 'critical' ? (s.bySeverity.find((x) => x.severity === 'critical')?.count ?? 0) : field === 'count' || field === 'open' || field === 'mttaMinutes' || field === 'mttrMinutes' ? s[field] : null),
  });
}
