import type { Locale } from '@yunwei/contracts/i18n';
import type { DocumentFormat } from '@yunwei/contracts/documents';
import type { ReportResource, UtilisationFinding, UtilisationReport, UtilisationReportQuery } from '@yunwei/contracts/monitoring';
import type { Actor } from '../../platform/actor.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import type { QueryService } from './query.service.js';
import { judge, recommendation } from './utilisation-judgement.js';
import { byUrgency, utilisationDocument } from './utilisation-report.js';

/** What each resource reads, grouped how, and its default threshold (the utilisation page's presets). */
export const RESOURCES: Record<ReportResource, { metric: string; by: string | undefined; threshold: number }> = {
  cpu: { metric: 'host_cpu_usage_percent', by: 'ci', threshold: 80 },
  memory: { metric: 'host_memory_usage_percent', by: 'ci', threshold: 85 },
  // One group per series: a host's file systems are judged one by one (by mount point).
  fs: { metric: 'host_fs_usage_percent', by: undefined, threshold: 90 },
};
const WEEK_MS = 7 * 86_400_000;

/**
 * The written utilisation analysis (L3-2.1.2): CPU, memory and every file system of each host the
 * reader may see, analysed over the period by the utilisation query (same scope, same figures as the
 * page), judged against the thresholds, and written up as a document — on screen as JSON, and as a
 * .docx or .pdf whose download is audited.
 */
export class UtilisationReportService {
  constructor(
    private readonly ctx: Pick<ModuleContext, 'db' | 'audit' | 'config'>,
    private readonly queries: QueryService,
  ) {}

  async build(actor: Actor, q: UtilisationReportQuery, locale: Locale, now = Date.now()): Promise<UtilisationReport> {
    const end = q.end ?? now;
    const start = q.start ?? end - WEEK_MS;
    const thresholds = { cpu: q.cpuThreshold ?? RESOURCES.cpu.threshold, memory: q.memoryThreshold ?? RESOURCES.memory.threshold, fs: q.fsThreshold ?? RESOURCES.fs.threshold };
    const measured: Omit<UtilisationFinding, 'ciName'>[] = [];
    for (const resource of ['cpu', 'memory', 'fs'] as const) {
      const { metric, by } = RESOURCES[resource];
      const threshold = thresholds[resource];
      const result = await this.queries.utilisation(actor, { query: metric, start, end, threshold, ...(by ? { by } : {}), k: 1 }, now);
      for (const g of result.groups) {
        // The report is about configuration items: series without one are left to the page.
        const ciId = g.key.ci;
        if (!ciId) {
          continue;
        }
        const mount = resource === 'fs' ? (g.key.mount ?? g.key.mountpoint ?? null) : null;
        const m = { resource, mount, threshold, p95: g.p95, max: g.max, trendPerDay: g.trendPerDay };
        const j = judge(g, threshold, result.end);
        measured.push({ ...m, ciId, avg: g.avg, daysToThreshold: j.daysToThreshold, verdict: j.verdict, recommendation: recommendation(m, j, locale) });
      }
    }
    const names = await this.#names(measured.map((m) => m.ciId));
    const findings = measured.map((m) => ({ ...m, ciName: names.get(m.ciId) ?? m.ciId })).sort(byUrgency);
    const time = (at: number) => formatMessageTime(at, this.ctx.config.timeZone);
    const document = utilisationDocument(findings, { period: `${time(start)} — ${time(end)}`, generatedAt: time(now), author: actor.username, thresholds }, locale);
    return { start, end, generatedAt: now, thresholds, findings, document };
  }

  /** The analysis as a Word or PDF file; the download is audited (what was judged, over which period). */
  async file(actor: Actor, q: UtilisationReportQuery, locale: Locale, format: DocumentFormat, now = Date.now()): Promise<DocumentFile> {
    const report = await this.build(actor, q, locale, now);
    const day = formatMessageTime(now, this.ctx.config.timeZone).slice(0, 10);
    const file = await renderDocument(report.document, format, `${report.document.title}-${day}`, locale);
    const verdicts = Object.fromEntries(['expand', 'watch', 'normal', 'no_data'].map((v) => [v, report.findings.filter((f) => f.verdict === v).length]));
    await this.ctx.audit.recordNow({ actor, action: 'monitoring.report.download', targetType: 'utilisation_report', after: { filename: file.filename, start: report.start, end: report.end, thresholds: report.thresholds, verdicts } });
    return file;
  }

  /** The names of the CIs the findings are about (the reader's series scope already chose them). */
  async #names(ids: readonly string[]): Promise<Map<string, string>> {
    const unique = [...new Set(ids)];
    const out = new Map<string, string>();
    for (let i = 0; i < unique.length; i += 500) {
      const rows = await this.ctx.db.selectFrom('cmdb_ci').select(['id', 'name']).where('id', 'in', unique.slice(i, i + 500)).execute();
      rows.forEach((r) => out.set(r.id, r.name));
    }
    return out;
  }
}
