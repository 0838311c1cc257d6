import ExcelJS from 'exceljs';
import { VERDICT_NAMES, type Coverage, type InspectionRecord, type InspectionRecordSummary, type Verdict } from '@yunwei/contracts/inspections';

/** Fills of highlighted rows: abnormal / not covered in red, not exposed in grey, to fill in yellow. */
const FILL: Partial<Record<Verdict | 'uncovered', string>> = { abnormal: 'FFFFC7CE', no_data: 'FFFFEB9C', unavailable: 'FFE7E6E6', pending: 'FFFFEB9C', uncovered: 'FFFFC7CE' };

const KIND_NAMES: Record<string, string> = { metric: '指标', check: '拨测', fresh: '上报', manual: '人工' };
const STATUS_NAMES: Record<string, string> = { open: '待签字', signed: '已签字' };
const REASONS: Record<string, string> = { no_series: '无数据（从未上报）', stale: '数据中断（超过 3 倍采集间隔未上报）', never_inspected: '从未巡检', overdue: '巡检超期' };

/** Local time as people write it in a record, e.g. 2026-11-27 07:30:00 (server time zone). */
export function timeText(ms: number | null): string {
  if (ms === null) {
    return '';
  }
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function fill(row: ExcelJS.Row, argb: string | undefined): void {
  if (argb) {
    row.eachCell((cell) => {
      cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb } };
    });
  }
}

function header(sheet: ExcelJS.Worksheet, titles: string[], widths: number[]): void {
  const row = sheet.addRow(titles);
  row.font = { bold: true };
  fill(row, 'FFD9E1F2');
  widths.forEach((w, i) => (sheet.getColumn(i + 1).width = w));
}

/** One inspection record: title block, a row per CI and item (abnormal rows highlighted), totals, signature. */
export async function recordWorkbook(record: InspectionRecord): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'Yunwei';
  const sheet = wb.addWorksheet('巡检记录');
  const title = sheet.addRow([`${record.templateName} 巡检记录`]);
  title.font = { bold: true, size: 14 };
  sheet.addRow(['记录编号', record.id]);
  sheet.addRow(['模板版本', record.templateVersion]);
  sheet.addRow(['巡检计划', record.scheduleName ?? '（手动执行）']);
  sheet.addRow(['巡检时间', timeText(record.createdAt)]);
  sheet.addRow(['执行人', record.startedByName]);
  sheet.addRow(['状态', STATUS_NAMES[record.status] ?? record.status]);
  sheet.addRow([]);
  header(sheet, ['配置项', '巡检项', '类型', '测量值', '单位', '标准', '结论', '明细', '备注', '填写人', '填写时间'], [22, 26, 8, 12, 8, 14, 16, 40, 30, 14, 20]);
  for (const r of record.results) {
    const row = sheet.addRow([r.ciName, r.itemName, KIND_NAMES[r.kind] ?? r.kind, r.value, r.unit, r.limit, VERDICT_NAMES[r.verdict].zh, r.detail, r.note, r.filledBy ?? '', timeText(r.filledAt)]);
    fill(row, FILL[r.verdict]);
    if (r.verdict === 'abnormal') {
      row.font = { bold: true, color: { argb: 'FF9C0006' } };
    }
  }
  sheet.addRow([]);
  const t = record.totals;
  sheet.addRow(['合计', `共 ${t.total} 项：正常 ${t.normal}，异常 ${t.abnormal}，不支持 ${t.unavailable}，无数据 ${t.no_data}，待填写 ${t.pending}`]);
  sheet.addRow(['巡检结论', record.conclusion]);
  sheet.addRow(['签字人', record.signedByName ?? '']);
  sheet.addRow(['签字时间', timeText(record.signedAt)]);
  sheet.addRow(['校验值（SHA-256）', record.hash ?? '']);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** A list of records, one row each. */
export async function recordListWorkbook(records: readonly InspectionRecordSummary[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('巡检记录列表');
  header(sheet, ['巡检时间', '巡检模板', '巡检计划', '执行人', '配置项数', '巡检项数', '正常', '异常', '不支持', '无数据', '待填写', '状态', '签字人', '签字时间', '记录编号'], [20, 22, 18, 16, 10, 10, 8, 8, 8, 8, 8, 10, 20, 20, 38]);
  for (const r of records) {
    const t = r.totals;
    const row = sheet.addRow([timeText(r.createdAt), r.templateName, r.scheduleName ?? '（手动）', r.startedByName, r.ciCount, t.total, t.normal, t.abnormal, t.unavailable, t.no_data, t.pending, STATUS_NAMES[r.status], r.signedByName ?? '', timeText(r.signedAt), r.id]);
    if (t.abnormal > 0) {
      fill(row, FILL.abnormal);
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Coverage: a row per CI and requirement; rows of requirements not met highlighted. */
export async function coverageWorkbook(coverage: Coverage): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const sheet = wb.addWorksheet('监控覆盖情况');
  const title = sheet.addRow([`监控制度覆盖情况（${timeText(coverage.at)}）：${coverage.covered} / ${coverage.total} 个配置项达标`]);
  title.font = { bold: true, size: 14 };
  sheet.addRow([]);
  header(sheet, ['配置项', '类别', '监控制度', '责任角色', '是否达标', '要求类型', '要求', '要求频率', '最近一次', '未达标原因'], [24, 14, 20, 14, 10, 10, 30, 12, 20, 30]);
  for (const ci of coverage.cis) {
    for (const r of ci.requirements) {
      const kind = r.kind === 'metric' ? '指标' : r.kind === 'check' ? '拨测' : '巡检';
      const freq = r.kind === 'inspection' ? `每 ${r.required} 天` : `${r.required} 秒`;
      const row = sheet.addRow([ci.ciName, ci.classCode, ci.policyName, ci.responsibleRole ?? '', r.met ? '是' : '否', kind, r.label, freq, timeText(r.lastSeen), r.reason ? REASONS[r.reason] : '']);
      if (!r.met) {
        fill(row, FILL.uncovered);
      }
    }
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
