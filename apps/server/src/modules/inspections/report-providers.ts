import type { DocumentBlock } from '@yunwei/contracts/documents';
import { INSPECTION_PERMISSIONS as P } from '@yunwei/contracts/inspections';
import { unitsReached } from '../../platform/data-scope.js';
import { documentProvidersOf, type ProviderParams } from '../../platform/documents/providers.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import type { ModuleContext } from '../../platform/module.js';
import { ciFacts, inReportScope } from '../reports/report-format.js';

/*
 * `inspections.findings`: the inspection records run in a report's period and their abnormal findings.
 * Data scope per CI through its CMDB unit (as the records): a record counts with its in-scope rows only.
 */

export interface InspectionFinding {
  ciName: string;
  item: string;
  value: string;
  limit: string;
  template: string;
  at: string;
  note: string;
}
export interface InspectionFindings {
  records: number;
  signed: number;
  /** Rows (CI × item) inspected. */
  items: number;
  abnormal: number;
  /** The abnormal rows, newest first (at most 100 listed). */
  findings: InspectionFinding[];
}

const MAX_LISTED = 100;

export async function inspectionFindings(ctx: Pick<ModuleContext, 'db'>, p: ProviderParams): Promise<InspectionFindings> {
  const rows = await ctx.db
    .selectFrom('inspection_result as r')
    .innerJoin('inspection_record as c', 'c.id', 'r.record_id')
    .select(['r.record_id', 'r.ci_id', 'r.ci_name', 'r.item_name', 'r.value', 'r.unit', 'r.detail', 'r.limit_text', 'r.verdict', 'r.note', 'c.template_name', 'c.created_at', 'c.status'])
    .where('c.created_at', '>=', p.from)
    .where('c.created_at', '<', p.to)
    .execute();
  const units = unitsReached(p.actor, P.recordRead);
  const facts = await ciFacts(ctx.db, rows.map((r) => r.ci_id));
  const seen = rows.filter((r) => {
    if (!inReportScope(p.scope, r.ci_id)) {
      return false;
    }
    const unit = facts.get(r.ci_id)?.unit ?? null;
    return units === null || (unit !== null && units.has(unit));
  });
  const records = new Map(seen.map((r) => [r.record_id, r.status]));
  const abnormal = seen.filter((r) => r.verdict === 'abnormal').sort((a, b) => Number(b.created_at) - Number(a.created_at) || a.ci_name.localeCompare(b.ci_name, 'zh-CN'));
  return {
    records: records.size,
    signed: [...records.values()].filter((s) => s === 'signed').length,
    items: seen.length,
    abnormal: abnormal.length,
    findings: abnormal.slice(0, MAX_LISTED).map((r) => ({
      ciName: facts.get(r.ci_id)?.name ?? r.ci_name,
      item: r.item_name,
      value: r.value === null ? r.detail || '—' : `${r.value}${r.unit ? ` ${r.unit}` : ''}`,
      limit: r.limit_text || '—',
      template: r.template_name,
      at: formatMessageTime(Number(r.created_at), p.timeZone).slice(0, 16),
      note: r.note,
    })),
  };
}

export function findingsBlocks(s: InspectionFindings, p: Pick<ProviderParams, 'locale'>): DocumentBlock[] {
  const en = p.locale === 'en';
  if (s.records === 0) {
    return [{ kind: 'paragraph', tone: 'warning', text: en ? 'No inspection was run in the period.' : '报告期内没有执行巡检。' }];
  }
  const blocks: DocumentBlock[] = [
    {
      kind: 'paragraph',
      tone: s.abnormal > 0 ? 'warning' : 'good',
      text: en
        ? `${s.records} inspection records (${s.signed} signed) covering ${s.items} items; ${s.abnormal} abnormal findings.`
        : `报告期内共执行巡检 ${s.records} 次（已签字 ${s.signed} 次），检查 ${s.items} 项，发现异常 ${s.abnormal} 项。`,
    },
  ];
  if (s.findings.length) {
    blocks.push({
      kind: 'table',
      header: en ? ['Configuration item', 'Item', 'Measured', 'Standard', 'Inspection', 'Time', 'Note'] : ['配置项', '巡检项', '测量值', '标准', '巡检模板', '时间', '备注'],
      rows: s.findings.map((f) => [f.ciName, f.item, f.value, f.limit, f.template, f.at, f.note || '—']),
      tones: s.findings.map(() => 'danger'),
    });
  }
  return blocks;
}

/** Registers the inspections module's providers (called as its routes are set up). */
export function registerInspectionsProviders(ctx: ModuleContext): void {
  documentProvidersOf(ctx).register<InspectionFindings>({
    name: 'inspections.findings',
    title: { zh: '巡检发现', en: 'Inspection findings' },
    permission: P.recordRead,
    async produce(p) {
      const data = await inspectionFindings(ctx, p);
      return { blocks: findingsBlocks(data, p), data };
    },
    fields: {
      records: { title: { zh: '巡检记录数', en: 'Inspection records' }, format: 'number' },
      signed: { title: { zh: '已签字记录数', en: 'Signed records' }, format: 'number' },
      items: { title: { zh: '巡检项数', en: 'Items inspected' }, format: 'number' },
      abnormal: { title: { zh: '异常项数', en: 'Abnormal items' }, format: 'number' },
    },
    value: (s, field) => (field === 'records' || field === 'signed' || field === 'items' || field === 'abnormal' ? s[field] : null),
  });
}
