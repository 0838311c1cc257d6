import type { DocumentFormat, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { VERDICT_NAMES, type InspectionRecord, type Verdict } from '@yunwei/contracts/inspections';
import type { Actor } from '../../platform/actor.js';
import { renderDocument, type DocumentFile } from '../../platform/documents/render.js';
import type { ModuleContext } from '../../platform/module.js';
import { formatMessageTime } from '../../platform/notify/message-format.js';
import type { RecordService } from './record.service.js';

/*
 * One inspection record as a written document (Word / PDF), beside the XLSX: the facts of the run, a
 * table of every CI × item with its verdict (abnormal rows in red), the totals, the conclusion and the
 * signature with the record's SHA-256. Pure: the record (already cut to the reader's scope) in, the
 * document out, in the reader's language.
 */

const TONES: Record<Verdict, DocumentTone> = { normal: 'normal', abnormal: 'danger', unavailable: 'normal', no_data: 'warning', pending: 'warning' };
const KIND_NAMES: Record<string, { zh: string; en: string }> = { metric: { zh: '指标', en: 'Metric' }, check: { zh: '拨测', en: 'Check' }, fresh: { zh: '上报', en: 'Reporting' }, manual: { zh: '人工', en: 'Manual' } };

export function recordDocument(record: InspectionRecord, locale: Locale, timeZone: string): WrittenDocument {
  const en = locale === 'en';
  const l = en ? 'en' : 'zh';
  const time = (at: number | null) => (at === null ? '—' : formatMessageTime(at, timeZone));
  const t = record.totals;
  const abnormal = record.results.filter((r) => r.verdict === 'abnormal');
  const value = (v: number | null, unit: string) => (v === null ? '—' : `${v}${unit ? ` ${unit}` : ''}`);
  return {
    title: en ? `Inspection record: ${record.templateName}` : `${record.templateName} 巡检记录`,
    facts: [
      [en ? 'Record' : '记录编号', record.id],
      [en ? 'Template version' : '模板版本', String(record.templateVersion)],
      [en ? 'Schedule' : '巡检计划', record.scheduleName ?? (en ? '(run by hand)' : '（手动执行）')],
      [en ? 'Inspected at' : '巡检时间', time(record.createdAt)],
      [en ? 'Run by' : '执行人', record.startedByName],
      [en ? 'Status' : '状态', record.status === 'signed' ? (en ? 'Signed' : '已签字') : en ? 'Awaiting signature' : '待签字'],
    ],
    sections: [
      {
        heading: en ? '1. Summary' : '一、巡检概况',
        blocks: [
          {
            kind: 'paragraph',
            tone: t.abnormal > 0 ? 'danger' : t.pending + t.no_data > 0 ? 'warning' : 'good',
            text: en
              ? `${record.ciCount} configuration items, ${t.total} items: ${t.normal} normal, ${t.abnormal} abnormal, ${t.unavailable} not exposed, ${t.no_data} without data, ${t.pending} to fill in.`
              : `共巡检 ${record.ciCount} 个配置项、${t.total} 项：正常 ${t.normal} 项，异常 ${t.abnormal} 项，不支持 ${t.unavailable} 项，无数据 ${t.no_data} 项，待填写 ${t.pending} 项。`,
          },
          ...(abnormal.length ? [{ kind: 'list' as const, items: abnormal.map((r) => `${r.ciName}${en ? ' — ' : '：'}${r.itemName} ${value(r.value, r.unit)}${r.limit ? `（${en ? 'standard' : '标准'} ${r.limit}）` : ''}${r.note ? ` ${r.note}` : ''}`) }] : []),
        ],
      },
      {
        heading: en ? '2. Results' : '二、巡检明细',
        blocks: [
          {
            kind: 'table',
            header: en ? ['Configuration item', 'Item', 'Kind', 'Measured', 'Standard', 'Verdict', 'Detail', 'Note', 'Filled by'] : ['配置项', '巡检项', '类型', '测量值', '标准', '结论', '明细', '备注', '填写人'],
            rows: record.results.map((r) => [r.ciName, r.itemName, KIND_NAMES[r.kind]?.[l] ?? r.kind, value(r.value, r.unit), r.limit || '—', VERDICT_NAMES[r.verdict][l], r.detail || '—', r.note || '—', r.filledBy ?? '—']),
            tones: record.results.map((r) => TONES[r.verdict]),
          },
        ],
      },
      {
        heading: en ? '3. Conclusion and signature' : '三、巡检结论与签字',
        blocks: [
          { kind: 'paragraph', text: `${en ? 'Conclusion: ' : '巡检结论：'}${record.conclusion || '—'}` },
          { kind: 'paragraph', text: `${en ? 'Signed by: ' : '签字人：'}${record.signedByName ?? '—'}` },
          { kind: 'paragraph', text: `${en ? 'Signed at: ' : '签字时间：'}${time(record.signedAt)}` },
          { kind: 'paragraph', text: `${en ? 'Checksum (SHA-256): ' : '校验值（SHA-256）：'}${record.hash ?? '—'}` },
        ],
      },
    ],
  };
}

/** The record as a Word or PDF file (the reader's scope and language); the download is audited. */
export async function recordFile(ctx: Pick<ModuleContext, 'audit' | 'config'>, records: RecordService, actor: Actor, id: string, locale: Locale, format: DocumentFormat): Promise<DocumentFile> {
  const record = await records.get({ ...actor, locale }, id);
  const doc = recordDocument(record, locale, ctx.config.timeZone);
  const day = formatMessageTime(record.createdAt, ctx.config.timeZone).slice(0, 10);
  const file = await renderDocument(doc, format, `${doc.title}-${day}`, locale);
  await ctx.audit.recordNow({ actor, action: 'inspections.record.download', targetType: 'inspection_record', targetId: record.id, after: { filename: file.filename, abnormal: record.totals.abnormal } });
  return file;
}
