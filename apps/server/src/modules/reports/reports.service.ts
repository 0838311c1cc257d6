import { BUSINESS_SYSTEM_CLASS, CMDB_PERMISSIONS } from '@yunwei/contracts/cmdb';
import { Id } from '@yunwei/contracts/common';
import type { DocumentSection, TabularFormat, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { REPORT_MAX_DAYS, type Report, type ReportKind, type ReportQuery } from '@yunwei/contracts/reports';
import type { Actor } from '../../platform/actor.js';
import { unitsReached } from '../../platform/data-scope.js';
import { documentProvidersOf, type ProviderParams, type ProviderScope, type SectionOutcome } from '../../platform/documents/providers.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import { AppError, invalidField } from '../../platform/errors.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import type { AlertsSummary } from '../alerting/report-providers.js';
import type { ChecksDowntime } from '../checks/report-providers.js';
import { ImpactService } from '../cmdb/impact.service.js';
import type { InspectionFindings } from '../inspections/report-providers.js';
import type { Availability, CapacityForecast, TopUsers } from '../monitoring/report-providers.js';
import type { StatusJudgement } from '@yunwei/contracts/reports';
import { performanceRecommendations, runningStatusConclusions, TARGETS } from './report-conclusions.js';
import { fixed1, percent2 } from './report-format.js';

const DAY_MS = 86_400_000;
const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];
const ID_PATTERN = new RegExp((Id as { pattern?: string }).pattern ?? '^[0-9a-fA-F-]{1,64}$');
const CLASS_CODE = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * 系统运行状况报告 (L2-2.1.2) and 系统性能评估报告 (L2-2.2.3): sections from the modules' data providers
 * over a period and a scope, a summary and a 结论与建议 draft computed from their numbers, answered as
 * JSON (numbers + document) and as Word / PDF (downloads audited).
 */
export class ReportsService {
  constructor(private readonly ctx: ModuleContext) {}

  /** The period, checked: from < to, at most 366 days (the schema bounds the epochs). `at`: where the values came (errors name `<at>.to`). */
  period(q: Pick<ReportQuery, 'from' | 'to'>, at: 'querystring' | 'body' = 'querystring'): { from: number; to: number } {
    if (q.to <= q.from) {
      throw invalidField(`${at}.to`, { zh: '必须晚于开始时间（from）', en: 'must be after from' });
    }
    if (q.to - q.from > REPORT_MAX_DAYS * DAY_MS) {
      throw invalidField(`${at}.to`, { zh: `报告区间最长 ${REPORT_MAX_DAYS} 天`, en: `a report covers at most ${REPORT_MAX_DAYS} days` });
    }
    return { from: q.from, to: q.to };
  }

  /** `all`, `businessSystem:<id>` (that system and every CI it relies on) or `ciClass:<code>` (that class's CIs). */
  async scope(actor: Actor, text: string | undefined, locale: Locale, at: 'querystring' | 'body' = 'querystring'): Promise<ProviderScope> {
    const en = locale === 'en';
    const field = `${at}.scope`;
    if (text === undefined || text === 'all') {
      return { kind: 'all', id: null, name: en ? 'All configuration items' : '全部配置项', ciIds: null };
    }
    const [kind, value] = [text.slice(0, text.indexOf(':')), text.slice(text.indexOf(':') + 1)];
    if (kind === 'businessSystem' && ID_PATTERN.test(value)) {
      const row = await this.ctx.db.selectFrom('cmdb_ci as c').innerJoin('cmdb_class as k', 'k.id', 'c.class_id').select(['c.id', 'c.name', 'c.org_unit_id', 'k.code']).where('c.id', '=', value).executeTakeFirst();
      const units = unitsReached(actor, CMDB_PERMISSIONS.ciRead);
      // Outside the reader's CMDB scope it does not exist for them.
      if (!row || (units !== null && (row.org_unit_id === null || !units.has(row.org_unit_id)))) {
        throw new AppError('YW_CMDB_CI_NOT_FOUND', { field, id: value });
      }
      if (row.code !== BUSINESS_SYSTEM_CLASS) {
        throw invalidField(field, { zh: `“${row.name}”不是业务系统`, en: `"${row.name}" is not a business system` });
      }
      const members = await new ImpactService(this.ctx).reliedOnBy(row.id);
      return { kind: 'businessSystem', id: row.id, name: row.name, ciIds: new Set([row.id, ...members]) };
    }
    if (kind === 'ciClass' && CLASS_CODE.test(value)) {
      const cls = await this.ctx.db.selectFrom('cmdb_class').select(['id', 'name_zh', 'name_en']).where('code', '=', value).executeTakeFirst();
      if (!cls) {
        throw new AppError('YW_CMDB_CLASS_NOT_FOUND', { field, code: value });
      }
      const cis = await this.ctx.db.selectFrom('cmdb_ci').select('id').where('class_id', '=', cls.id).execute();
      return { kind: 'ciClass', id: value, name: en ? cls.name_en : cls.name_zh, ciIds: new Set(cis.map((c) => c.id)) };
    }
    throw invalidField(field, { zh: '应为 all、businessSystem:<业务系统 ID> 或 ciClass:<类别代码>', en: 'must be all, businessSystem:<business system id> or ciClass:<class code>' });
  }

  /** The report; `conclusions` (the author's edit) replaces the generated 结论与建议 draft. */
  async build(kind: ReportKind, actor: Actor, q: ReportQuery, locale: Locale, now = Date.now(), conclusions?: readonly string[]): Promise<Report> {
    const { from, to } = this.period(q);
    const scope = await this.scope(actor, q.scope, locale);
    const params: ProviderParams = { actor: { ...actor, locale }, locale, from, to, scope, now, timeZone: this.ctx.config.timeZone };
    return kind === 'running-status' ? this.#runningStatus(params, conclusions) : this.#performance(params, conclusions);
  }

  /** The report as a Word, PDF or Excel file; the download is audited (kind, period, scope, sections missing). */
  async file(kind: ReportKind, actor: Actor, q: ReportQuery, locale: Locale, format: TabularFormat, conclusions?: readonly string[], now = Date.now()): Promise<DocumentFile> {
    const report = await this.build(kind, actor, q, locale, now, conclusions);
    const day = formatMessageTime(now, this.ctx.config.timeZone).slice(0, 10);
    const file = await renderDocument(report.document, format, `${report.document.title}-${day}`, locale);
    await this.ctx.audit.recordNow({
      actor,
      action: 'reports.report.download',
      targetType: 'report',
      targetId: kind,
      after: { filename: file.filename, from: report.from, to: report.to, scope: report.scope, editedConclusions: conclusions !== undefined, missing: report.sections.filter((s) => !s.ok).map((s) => s.provider) },
    });
    return file;
  }

  #heading(i: number, title: string, locale: Locale): string {
    return locale === 'en' ? `${i}. ${title}` : `${NUMERALS[i - 1]}、${title}`;
  }

  #facts(p: ProviderParams): WrittenDocument['facts'] {
    const en = p.locale === 'en';
    const time = (at: number) => formatMessageTime(at, p.timeZone);
    return [
      [en ? 'Period' : '报告区间', `${time(p.from)} — ${time(p.to)}`],
      [en ? 'Scope' : '报告范围', p.scope.name],
      [en ? 'Prepared by' : '编制人', p.actor.username],
      [en ? 'Generated' : '生成时间', time(p.now)],
    ];
  }

  async #sections(names: readonly string[], p: ProviderParams, first: number): Promise<SectionOutcome[]> {
    const registry = documentProvidersOf(this.ctx);
    const out: SectionOutcome[] = [];
    for (const [i, name] of names.entries()) {
      const title = registry.list().find((x) => x.name === name)?.title;
      out.push(await registry.run(name, this.#heading(first + i, title ? (p.locale === 'en' ? title.en : title.zh) : name, p.locale), p, this.ctx.log));
    }
    return out;
  }

  #report(kind: ReportKind, p: ProviderParams, title: string, outcomes: SectionOutcome[], conclusions: string[], sections: DocumentSection[]): Report {
    return {
      kind,
      from: p.from,
      to: p.to,
      generatedAt: p.now,
      scope: { kind: p.scope.kind, id: p.scope.id, name: p.scope.name },
      sections: outcomes.map((o) => ({ provider: o.provider, title: o.title, ok: o.ok, error: o.error, data: o.data })),
      conclusions,
      document: { title, facts: this.#facts(p), sections },
    };
  }

  async #runningStatus(p: ProviderParams, edited?: readonly string[]): Promise<Report> {
    const en = p.locale === 'en';
    const names = ['monitoring.status', 'monitoring.availability', 'alerts.summary', 'checks.downtime', 'monitoring.top-users', 'inspections.findings'] as const;
    const outcomes = await this.#sections(names, p, 2);
    const data = <T>(name: string) => (outcomes.find((o) => o.provider === name)?.data ?? null) as T | null;
    const alerts = data<AlertsSummary>('alerts.summary');
    const checks = data<ChecksDowntime>('checks.downtime');
    const availability = data<Availability>('monitoring.availability');
    const inspections = data<InspectionFindings>('inspections.findings');
    const status = data<StatusJudgement[]>('monitoring.status');
    // The trend of the alert count: the same provider over the previous period of the same length.
    let previousAlerts: number | null = null;
    if (alerts) {
      const before = await documentProvidersOf(this.ctx).run<AlertsSummary>('alerts.summary', '', { ...p, from: p.from - (p.to - p.from), to: p.from }, this.ctx.log);
      previousAlerts = before.data?.count ?? null;
    }
    const missing = outcomes.filter((o) => !o.ok).map((o) => o.title);
    const conclusions = edited ? [...edited] : runningStatusConclusions({ alerts, previousAlerts, checks, availability, inspections, status, missing }, p.locale);
    const dash = '—';
    const summaryRows: [string, string][] = [
      [en ? 'Objects judged abnormal / to watch / normal' : '运行状态 异常 / 关注 / 正常', status ? ['abnormal', 'watch', 'normal'].map((l) => String(status.filter((s) => s.level === l).length)).join(' / ') : dash],
      [en ? 'Check availability (all runs)' : '拨测可用率（全部运行）', checks ? percent2(checks.availability) : dash],
      [en ? 'Check down-time (min)' : '拨测停机时长（分钟）', checks?.checks.length ? fixed1(checks.downtimeMinutes) : dash],
      [en ? 'Alerts fired' : '告警数', alerts ? String(alerts.count) : dash],
      [en ? 'MTTA (min)' : 'MTTA（分钟）', alerts ? fixed1(alerts.mttaMinutes) : dash],
      [en ? 'MTTR (min)' : 'MTTR（分钟）', alerts ? fixed1(alerts.mttrMinutes) : dash],
      [en ? 'Inspections / abnormal findings' : '巡检次数 / 异常项', inspections ? `${inspections.records} / ${inspections.abnormal}` : dash],
    ];
    const last = names.length + 2;
    const sections: DocumentSection[] = [
      { heading: this.#heading(1, en ? 'Summary' : '总体概况', p.locale), blocks: [{ kind: 'table', header: en ? ['Figure', 'Value'] : ['指标', '数值'], rows: summaryRows }] },
      ...outcomes.map((o) => o.section),
      {
        heading: this.#heading(last, en ? 'Conclusions and recommendations' : '结论与建议', p.locale),
        blocks: [
          ...(edited ? [] : [{ kind: 'paragraph' as const, text: en ? 'First draft generated from the figures above; the author reviews and edits it.' : '以下为根据上述数据自动生成的初稿，由编制人审核修改。' }]),
          { kind: 'list', ordered: true, items: conclusions },
        ],
      },
      {
        heading: this.#heading(last + 1, en ? 'Method and thresholds' : '说明', p.locale),
        blocks: [
          {
            kind: 'list',
            items: en
              ? [
                  `Availability is the share of check runs that were UP (the check_up series); a business system is as available as its least available configuration item. Target ${TARGETS.availability}%, below ${TARGETS.availabilityAbnormal}% abnormal.`,
                  `MTTA is the mean time from an alert's start to its acknowledgement, MTTR to its resolution, over the alerts that fired in the period (targets ${TARGETS.mttaMinutes} and ${TARGETS.mttrMinutes} minutes). Down-time is failed runs × the check's interval.`,
                  `The alert trend compares the count with the previous period of the same length (a change of ${TARGETS.alertTrendShare * 100}% or more is named).`,
                ]
              : [
                  `可用率为拨测运行中成功的比例（check_up 指标）；业务系统的可用率取其可用率最低的配置项。目标 ${TARGETS.availability}%，低于 ${TARGETS.availabilityAbnormal}% 为异常。`,
                  `MTTA 为告警从开始到确认的平均时间，MTTR 为从开始到恢复的平均时间，统计报告期内触发的告警（目标分别为 ${TARGETS.mttaMinutes} 分钟和 ${TARGETS.mttrMinutes} 分钟）。停机时长为失败次数 × 拨测间隔。`,
                  `告警趋势与相同长度的上一周期比较（变化达 ${TARGETS.alertTrendShare * 100}% 及以上时写明）。`,
                ],
          },
        ],
      },
    ];
    return this.#report('running-status', p, en ? 'System running status report' : '系统运行状况报告', outcomes, conclusions, sections);
  }

  async #performance(p: ProviderParams, edited?: readonly string[]): Promise<Report> {
    const en = p.locale === 'en';
    const names = ['capacity.forecast', 'monitoring.top-users', 'monitoring.status'] as const;
    const outcomes = await this.#sections(names, p, 2);
    const capacity = (outcomes[0]!.data ?? null) as CapacityForecast | null;
    const top = (outcomes[1]!.data ?? null) as TopUsers | null;
    const missing = outcomes.filter((o) => !o.ok).map((o) => o.title);
    const recommendations = edited ? [...edited] : performanceRecommendations(capacity, missing, p.locale);
    const dash = '—';
    const growing = capacity ? capacity.rows.filter((r) => r.growth).length : null;
    const tightest = capacity?.rows[0];
    const summaryRows: [string, string][] = [
      [en ? 'Resources analysed' : '分析资源项', capacity ? String(capacity.rows.length) : dash],
      [en ? 'Over the threshold (P95)' : 'P95 超过阈值', capacity ? String(capacity.rows.filter((r) => r.p95 >= r.threshold).length) : dash],
      [en ? 'Growing (daily peaks)' : '呈增长趋势（日峰值）', growing === null ? dash : String(growing)],
      [en ? 'Nearest to its threshold' : '最接近阈值', tightest ? `${tightest.ciName}（${fixed1(tightest.headroom)}）` : dash],
      [en ? 'Busiest CPU (P95)' : 'CPU 最高（P95）', top?.cpu[0] ? `${top.cpu[0].name} ${top.cpu[0].p95.toFixed(1)}%` : dash],
    ];
    const last = names.length + 2;
    const t = capacity?.thresholds ?? { cpu: 80, memory: 85, fs: 90 };
    const sections: DocumentSection[] = [
      { heading: this.#heading(1, en ? 'Summary' : '总体概况', p.locale), blocks: [{ kind: 'table', header: en ? ['Figure', 'Value'] : ['指标', '数值'], rows: summaryRows }] },
      ...outcomes.map((o) => o.section),
      { heading: this.#heading(last, en ? 'Recommendations (most urgent first)' : '优化与扩容建议（按紧迫程度排序）', p.locale), blocks: [{ kind: 'list', ordered: true, items: recommendations }] },
      {
        heading: this.#heading(last + 1, en ? 'Method' : '评估方法', p.locale),
        blocks: [
          {
            kind: 'list',
            items: en
              ? [
                  `Thresholds (capacity policy): CPU ${t.cpu}%, memory ${t.memory}%, file systems ${t.fs}%; headroom = threshold − P95.`,
                  'The forecast is a least-squares line through the daily peaks (highest value of each day of the period); days to the threshold and to 100% run from the end of the period. A line that does not rise is "no growth".',
                  `Expand: P95 over the threshold or the line reaches it within ${TARGETS.expandWithinDays} days; capacity plan: within ${TARGETS.watchWithinDays} days.`,
                ]
              : [
                  `阈值（容量策略）：CPU ${t.cpu}%，内存 ${t.memory}%，文件系统 ${t.fs}%；余量 = 阈值 − P95。`,
                  '预测为对每日峰值（报告期内每天的最高值）的最小二乘直线拟合；距阈值、距满载天数自报告期末起算。斜率不大于 0 时为“无增长”。',
                  `需扩容：P95 已超过阈值，或按趋势 ${TARGETS.expandWithinDays} 天内达到阈值；纳入容量计划：${TARGETS.watchWithinDays} 天内达到阈值。`,
                ],
          },
        ],
      },
    ];
    return this.#report('performance', p, en ? 'System performance assessment report' : '系统性能评估报告', outcomes, recommendations, sections);
  }
}
