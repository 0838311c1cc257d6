import type { DocumentBlock } from '@yunwei/contracts/documents';
import type { IncidentStats } from '@yunwei/contracts/incident-reports';
import { INCIDENT_PERMISSIONS as P } from '@yunwei/contracts/incidents';
import { documentProvidersOf } from '../../platform/documents/providers.js';
import type { ModuleContext } from '../../platform/module.js';
import { IncidentStatsService } from './incident-stats.js';

/** `incidents.summary`: the incidents detected in a period, as the statistics page counts them. */
export interface IncidentsSummary {
  count: number;
  p1Count: number;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
  /** Share of resolved incidents resolved within their SLA target, % (null: none resolved). */
  slaCompliance: number | null;
  stats: IncidentStats;
}

export function summaryOf(stats: IncidentStats): IncidentsSummary {
  const resolved = stats.sla.reduce((n, r) => n + r.resolutionTotal, 0);
  const met = stats.sla.reduce((n, r) => n + r.resolutionMet, 0);
  return {
    count: stats.total,
    p1Count: stats.byPriority.find((r) => r.key === 'P1')?.count ?? 0,
    mttaMinutes: stats.mttaMinutes,
    mttrMinutes: stats.mttrMinutes,
    slaCompliance: resolved ? Math.round((met / resolved) * 1000) / 10 : null,
    stats,
  };
}

/** Registers the incidents module's data provider for reports and library templates (called as its routes are set up). */
export function registerIncidentProviders(ctx: ModuleContext): void {
  const service = new IncidentStatsService(ctx);
  documentProvidersOf(ctx).register<IncidentsSummary>({
    name: 'incidents.summary',
    title: { zh: '故障统计', en: 'Incidents' },
    permission: P.read,
    async produce(p) {
      const data = summaryOf(await service.stats(p.actor, { from: p.from, to: p.to, groupBy: 'month' }, p.locale, p.scope.ciIds));
      const en = p.locale === 'en';
      const n1 = (v: number | null) => (v === null ? '—' : v.toFixed(1));
      const blocks: DocumentBlock[] = [
        {
          kind: 'table',
          header: en ? ['Figure', 'Value'] : ['指标', '数值'],
          rows: [
            [en ? 'Incidents' : '故障数', String(data.count)],
            [en ? 'P1 incidents' : 'P1 故障数', String(data.p1Count)],
            [en ? 'MTTA (min)' : 'MTTA（分钟）', n1(data.mttaMinutes)],
            [en ? 'MTTR (min)' : 'MTTR（分钟）', n1(data.mttrMinutes)],
            [en ? 'Resolved within SLA' : 'SLA 解决达成率', data.slaCompliance === null ? '—' : `${data.slaCompliance.toFixed(1)}%`],
          ],
        },
        { kind: 'table', header: en ? ['Fault class', 'Incidents'] : ['故障大类', '故障数'], rows: data.stats.byTopType.map((r) => [r.name, String(r.count)]) },
      ];
      return { blocks, data };
    },
    fields: {
      count: { title: { zh: '故障数', en: 'Incidents' }, format: 'number' },
      p1Count: { title: { zh: 'P1 故障数', en: 'P1 incidents' }, format: 'number' },
      mttaMinutes: { title: { zh: '故障平均响应时长（MTTA）', en: 'Incident MTTA' }, format: 'minutes' },
      mttrMinutes: { title: { zh: '故障平均解决时长（MTTR）', en: 'Incident MTTR' }, format: 'minutes' },
      slaCompliance: { title: { zh: 'SLA 解决达成率', en: 'Resolved within SLA' }, format: 'percent' },
    },
    value: (s, field) => (field === 'count' || field === 'p1Count' || field === 'mttaMinutes' || field === 'mttrMinutes' || field === 'slaCompliance' ? s[field] : null),
  });
}
