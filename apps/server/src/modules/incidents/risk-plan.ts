import type { DocumentBlock, DocumentSection, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import { RISK_LEVEL_NAMES, RISK_LEVELS, RISK_SOURCE_NAMES, RISK_STATUS_NAMES, type PreventionPlanFile, type PreventionPlanFiled, type Risk, type RiskLevel, type RiskListQuery } from '@yunwei/contracts/incident-problems';
import { LIBRARY_DEFAULT_FLOW } from '@yunwei/contracts/library';
import type { Locale } from '@yunwei/contracts/i18n';
import type { Actor } from '../../platform/actor.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import type { ModuleContext } from '../../platform/module.js';
import { bodyFromSections } from '../library/library-from-blocks.js';
import { LibraryRepository } from '../library/library.repository.js';
import { libraryOf } from '../library/library.runtime.js';
import { requireLibraryWriter } from './incident-documents.js';
import { LEVEL_DUE_DAYS } from './risk-level.js';
import { RisksService } from './risks.service.js';

const DAY_MS = 86_400_000;

/** The library document type the 故障预防方案 is filed under (seeded at start when missing). */
export const PREVENTION_PLAN_TYPE = { code: 'fault_prevention_plan', nameZh: '故障预防方案', nameEn: 'Fault prevention plan', numberPrefix: 'GZYF', reviewMonths: 12 } as const;

/** How often risks of each level are reviewed (the plan's 复查安排). */
const REVIEW: Record<RiskLevel, { zh: string; en: string; days: number }> = {
  critical: { zh: '每周', en: 'weekly', days: 7 },
  high: { zh: '每两周', en: 'every two weeks', days: 14 },
  medium: { zh: '每月', en: 'monthly', days: 30 },
  low: { zh: '每季度', en: 'quarterly', days: 90 },
};
const TONE: Record<RiskLevel, DocumentTone> = { critical: 'danger', high: 'danger', medium: 'warning', low: 'normal' };

/**
 * Inserts the document type when missing (any node, every start; an existing one is left as is). Not marked
 * built-in: the library's built-in list is its own 15 types; deleted by an administrator, it comes back at the next start.
 */
export async function seedPreventionPlanType(ctx: Pick<ModuleContext, 'db'>): Promise<void> {
  const now = Date.now();
  const flow = await ctx.db.selectFrom('approval_flow').select('code').where('code', '=', LIBRARY_DEFAULT_FLOW).executeTakeFirst();
  const t = PREVENTION_PLAN_TYPE;
  await new LibraryRepository(ctx.db).seedType(ctx.db, { code: t.code, name_zh: t.nameZh, name_en: t.nameEn, number_prefix: t.numberPrefix, flow_code: flow ? LIBRARY_DEFAULT_FLOW : null, review_months: t.reviewMonths, built_in: 0, created_at: now, updated_at: now });
}

/**
 * 故障预防方案 (L1-2.3.2) and the register's workbook, written from the 隐患 register and the problems: purpose,
 * scope, the risks by level with measures, owners and due dates, the recurring faults of the last 90 days, the
 * prevention measures per risk and the review schedule. Downloaded as Word / PDF, or filed into the document
 * library as a draft submitted for approval.
 */
export class RiskPlan {
  constructor(
    private readonly ctx: ModuleContext,
    private readonly risks: RisksService,
  ) {}

  async register(actor: Actor, q: RiskListQuery): Promise<DocumentFile> {
    const en = actor.locale === 'en';
    const rows = (await this.risks.list(actor, { ...q, limit: 500 })).items;
    const doc: WrittenDocument = {
      title: en ? 'Latent risk register' : '隐患台账',
      facts: [[en ? 'Exported' : '导出时间', this.#day(this.risks.now())], [en ? 'Risks' : '隐患数', String(rows.length)]],
      sections: [{ heading: en ? 'Register' : '台账', blocks: [this.#table(rows, en, true)] }],
    };
    return renderDocument(doc, 'xlsx', en ? 'latent-risks' : '隐患台账', actor.locale);
  }

  async document(actor: Actor): Promise<WrittenDocument> {
    const en = actor.locale === 'en';
    const now = this.risks.now();
    const all = (await this.risks.list(actor, { limit: 500 })).items;
    const active = all.filter((r) => r.status === 'open' || r.status === 'mitigating').sort(RisksService.byLevel);
    const accepted = all.filter((r) => r.status === 'accepted').sort(RisksService.byLevel);
    const L = (level: RiskLevel) => (en ? RISK_LEVEL_NAMES[level].en : RISK_LEVEL_NAMES[level].zh);
    const none = en ? 'None.' : '无。';
    const sections: DocumentSection[] = [];

    sections.push({
      heading: en ? '1 Purpose' : '一、目的',
      blocks: [{ kind: 'paragraph', text: en
        ? 'To find latent risks before they become incidents, rate them by likelihood × impact, and assign each a measure, an owner and a due date, so that recurring and foreseeable faults are prevented rather than handled.'
        : '在隐患演变为故障之前发现并消除它们：按“可能性 × 影响”评定每项隐患的等级，明确整改措施、责任人与完成期限，使重复发生和可预见的故障得到预防，而不是事后处置。' }],
    });
    const bySource = new Map<string, number>();
    for (const r of active) {
      bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
    }
    sections.push({
      heading: en ? '2 Scope' : '二、范围',
      blocks: [
        { kind: 'paragraph', text: en
          ? `The latent-risk register as of ${this.#day(now)}: ${active.length} open or mitigating risks from problems, inspections, capacity forecasts, certificates, end-of-support software and manual records, and the incidents of the last 90 days.`
          : `截至 ${this.#day(now)} 的隐患台账：来自问题、巡检、容量预测、证书到期、软件停止支持及人工登记的待处理和整改中隐患共 ${active.length} 项，以及近 90 天的故障。` },
        { kind: 'list', items: [...bySource.entries()].map(([s, n]) => `${en ? RISK_SOURCE_NAMES[s as Risk['source']].en : RISK_SOURCE_NAMES[s as Risk['source']].zh}: ${n}`) },
      ],
    });
    sections.push({
      heading: en ? '3 Risks by level' : '三、隐患清单（按等级）',
      blocks: [],
      sections: RISK_LEVELS.slice()
        .reverse()
        .map((level) => {
          const mine = active.filter((r) => r.level === level);
          return { heading: en ? `${L(level)} (${mine.length})` : `${L(level)}（${mine.length} 项）`, blocks: mine.length ? [this.#table(mine, en, false)] : [{ kind: 'paragraph' as const, text: none }] };
        }),
    });
    sections.push({ heading: en ? '4 Recurring faults (last 90 days)' : '四、近 90 天高发故障', blocks: await this.#recurring(actor, now) });
    sections.push({
      heading: en ? '5 Prevention measures per risk' : '五、各隐患的预防措施',
      blocks: active.length
        ? active.flatMap((r, i): DocumentBlock[] => [
            { kind: 'heading', level: 3, text: `${i + 1}. ${r.title}（${L(r.level)}）` },
            { kind: 'paragraph', text: r.measures.trim() || (en ? 'Measures to be defined by the owner.' : '措施待责任人制定。'), ...(r.measures.trim() ? {} : { tone: 'warning' as const }) },
            { kind: 'paragraph', text: en ? `Owner: ${r.owner?.name ?? 'unassigned'}; due: ${r.dueAt ? this.#day(r.dueAt) : '—'}; status: ${RISK_STATUS_NAMES[r.status].en}.` : `责任人：${r.owner?.name ?? '未指定'}；完成期限：${r.dueAt ? this.#day(r.dueAt) : '—'}；状态：${RISK_STATUS_NAMES[r.status].zh}。` },
          ])
        : [{ kind: 'paragraph', text: none }],
    });
    if (accepted.length) {
      sections.push({ heading: en ? '6 Accepted risks' : '六、已接受的风险', blocks: [this.#table(accepted, en, true)] });
    }
    sections.push({
      heading: en ? `${accepted.length ? 7 : 6} Review schedule` : `${accepted.length ? '七' : '六'}、复查安排`,
      blocks: [
        {
          kind: 'table',
          header: en ? ['Level', 'Review', 'Rectify within (days)', 'Risks', 'Next review'] : ['等级', '复查频率', '整改期限（天）', '隐患数', '下次复查'],
          rows: RISK_LEVELS.slice()
            .reverse()
            .map((level) => [L(level), en ? REVIEW[level].en : REVIEW[level].zh, String(LEVEL_DUE_DAYS[level]), String(active.filter((r) => r.level === level).length), this.#day(now + REVIEW[level].days * DAY_MS)]),
          tones: RISK_LEVELS.slice().reverse().map((level) => TONE[level]),
        },
        { kind: 'paragraph', text: en ? 'The plan itself is reviewed every quarter and after every major incident; overdue risks are escalated to the owner\'s manager.' : '本方案每季度及每次重大故障后复查一次；逾期未整改的隐患上报责任人的上级。' },
      ],
    });
    return {
      title: en ? 'Fault prevention plan' : '故障预防方案',
      facts: [
        [en ? 'Date' : '编制日期', this.#day(now)],
        [en ? 'Author' : '编制人', actor.username],
        [en ? 'Open risks' : '待处理隐患', String(active.length)],
        [en ? 'Critical / high' : '极高 / 高', `${active.filter((r) => r.level === 'critical').length} / ${active.filter((r) => r.level === 'high').length}`],
      ],
      sections,
    };
  }

  async file(actor: Actor, format: 'docx' | 'pdf', locale: Locale): Promise<DocumentFile> {
    const doc = await this.document({ ...actor, locale });
    const file = await renderDocument(doc, format, locale === 'en' ? `fault-prevention-plan-${this.#day(this.risks.now())}` : `故障预防方案-${this.#day(this.risks.now())}`, locale);
    await this.ctx.audit.recordNow({ actor, action: 'incidents.risk.plan-download', targetType: 'latent_risk', after: { filename: file.filename, format } });
    return file;
  }

  /** Files the plan into the library (type 故障预防方案) and submits it for approval unless `submit` is false. */
  async fileToLibrary(actor: Actor, input: PreventionPlanFile): Promise<PreventionPlanFiled> {
    requireLibraryWriter(actor);
    await seedPreventionPlanType(this.ctx);
    const doc = await this.document(actor);
    const library = libraryOf(this.ctx).documents;
    const title = input.title?.trim() || `${doc.title}（${this.#day(this.risks.now())}）`;
    let filed = await library.create(actor, { typeCode: PREVENTION_PLAN_TYPE.code, title, body: bodyFromSections(doc.sections, doc.facts), changeNote: actor.locale === 'en' ? 'Generated from the latent-risk register' : '由隐患台账生成' });
    if (input.submit !== false) {
      filed = await library.submit(actor, filed.id);
    }
    return { documentId: filed.id, number: filed.number, status: filed.status };
  }

  #table(rows: readonly Risk[], en: boolean, withStatus: boolean): DocumentBlock {
    const header = en
      ? ['Level', 'Latent risk', 'Source', 'CI', 'Likelihood × impact', 'Owner', 'Due', ...(withStatus ? ['Status'] : []), 'Measures']
      : ['等级', '隐患', '来源', '配置项', '可能性×影响', '责任人', '完成期限', ...(withStatus ? ['状态'] : []), '整改措施'];
    return {
      kind: 'table',
      header,
      rows: rows.map((r) => [
        en ? RISK_LEVEL_NAMES[r.level].en : RISK_LEVEL_NAMES[r.level].zh,
        r.title,
        en ? RISK_SOURCE_NAMES[r.source].en : RISK_SOURCE_NAMES[r.source].zh,
        r.ci?.name ?? '—',
        `${r.likelihood} × ${r.impact} = ${r.score}`,
        r.owner?.name ?? (en ? 'unassigned' : '未指定'),
        r.dueAt ? this.#day(r.dueAt) : '—',
        ...(withStatus ? [en ? RISK_STATUS_NAMES[r.status].en : RISK_STATUS_NAMES[r.status].zh] : []),
        r.measures.trim() || (en ? 'to be defined' : '待制定'),
      ]),
      tones: rows.map((r) => TONE[r.level]),
    };
  }

  /** The fault types with the most incidents in the last 90 days, and the problems behind them. */
  async #recurring(actor: Actor, now: number): Promise<DocumentBlock[]> {
    const en = actor.locale === 'en';
    const since = now - 90 * DAY_MS;
    const top = await this.ctx.db
      .selectFrom('incident as i')
      .leftJoin('incident_type as t', 't.id', 'i.type_id')
      .select(['t.name_zh', 't.name_en', (eb) => eb.fn.countAll<number>().as('n')])
      .where('i.detected_at', '>=', since)
      .groupBy(['t.name_zh', 't.name_en'])
      .orderBy('n', 'desc')
      .limit(10)
      .execute();
    const problems = await this.ctx.db.selectFrom('problem').select(['number', 'title', 'status', 'workaround', 'permanent_fix']).where('status', 'in', ['new', 'analysing', 'known_error']).orderBy('updated_at', 'desc').limit(20).execute();
    const blocks: DocumentBlock[] = [];
    if (!top.length) {
      blocks.push({ kind: 'paragraph', text: en ? 'No incidents in the last 90 days.' : '近 90 天没有故障。' });
    } else {
      blocks.push({
        kind: 'table',
        header: en ? ['Fault type', 'Incidents'] : ['故障类型', '故障数'],
        rows: top.map((r) => [(en ? r.name_en : r.name_zh) ?? (en ? 'Unclassified' : '未分类'), String(r.n)]),
      });
    }
    if (problems.length) {
      blocks.push({ kind: 'heading', level: 3, text: en ? 'Open problems' : '未解决的问题' });
      blocks.push({
        kind: 'table',
        header: en ? ['Problem', 'Title', 'Workaround', 'Permanent fix'] : ['问题编号', '标题', '临时解决办法', '永久解决方案'],
        rows: problems.map((p) => [p.number, p.title, p.workaround || '—', p.permanent_fix || (en ? 'pending' : '待制定')]),
      });
    }
    return blocks;
  }

  #day(at: number): string {
    return new Intl.DateTimeFormat('sv-SE', { timeZone: this.ctx.config.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  }
}
