import ExcelJS from 'exceljs';
import { XLSX_TYPE } from '@yunwei/contracts/documents';
import type { CalendarDay, CalendarDayInput, CalendarDayKind } from '@yunwei/contracts/oncall';
import { invalidField } from '../../platform/errors.js';
import { assertSafeOfficeZip } from '../../platform/uploads/office-zip-guard.js';
import { cellText, headerKey, headerOf, looksLikeLegacyXls, looksLikeXlsx, parseCsv, unescapeCsvCell } from '../cmdb/spreadsheet.js';
import { isDate } from './zoned-time.js';
import { unreadableFile } from '../../platform/uploads/unreadable-file.js';

/**
 * The business calendar as a spreadsheet: export a year (XLSX), edit it in Excel, import it back.
 * Columns: 日期 (date), 类型 (kind: 休息日 / 工作日), 名称 (name_zh), 英文名称 (name_en); 来源 (source)
 * is written for reading and ignored on import.
 */

// One definition (contracts); re-exported for this module's routes and tests.
export const CALENDAR_IMPORT_TYPES = [XLSX_TYPE, 'text/csv', 'application/octet-stream'] as const;
export const CALENDAR_IMPORT_MAX_BYTES = 2 * 1024 * 1024;
const MAX_ROWS = 400;
// 400 rows of 5 short cells are a few hundred KiB of sheet XML: anything far beyond is not a calendar.
const MAX_UNCOMPRESSED_BYTES = 4 * 1024 * 1024;

const COLUMNS = new Map([
  ['date', { zh: '日期', en: 'Date' }],
  ['kind', { zh: '类型', en: 'Kind' }],
  ['name_zh', { zh: '名称', en: 'Name' }],
  ['name_en', { zh: '英文名称', en: 'English name' }],
  ['source', { zh: '来源', en: 'Source' }],
]);
const KIND_TEXT: Record<CalendarDayKind, string> = { holiday: '休息日', workday: '工作日' };
const KIND_WORDS: Record<string, CalendarDayKind> = {
  休息日: 'holiday', 休: 'holiday', 休息: 'holiday', 节假日: 'holiday', 假日: 'holiday', 放假: 'holiday', holiday: 'holiday', off: 'holiday',
  工作日: 'workday', 班: 'workday', 上班: 'workday', 调休上班: 'workday', 补班: 'workday', workday: 'workday', work: 'workday',
};

export async function calendarWorkbook(year: number, days: readonly CalendarDay[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(`${year}`);
  sheet.addRow([...COLUMNS].map(([key, label]) => headerOf(key, label, key === 'date' || key === 'kind')));
  for (const d of days) {
    sheet.addRow([d.date, KIND_TEXT[d.kind], d.name.zh, d.name.en, d.source === 'seed' ? '国务院通知' : '自定义']);
  }
  sheet.columns.forEach((c, i) => (c.width = [14, 10, 24, 30, 12][i]));
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** The cells (as text) of the first worksheet of an XLSX, or of a UTF-8 CSV. Row 0 is the header. */
export async function readCalendarSheet(body: unknown): Promise<string[][]> {
  if (!Buffer.isBuffer(body) || body.length === 0 || looksLikeLegacyXls(body)) {
    throw unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', Buffer.isBuffer(body) && body.length ? 'legacy .xls: save as .xlsx' : 'empty file');
  }
  if (looksLikeXlsx(body)) {
    await assertSafeOfficeZip(body, {
      limits: { maxUncompressedBytes: MAX_UNCOMPRESSED_BYTES },
      unreadable: (reason) => unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', reason),
    });
    const workbook = new ExcelJS.Workbook();
    try {
      await workbook.xlsx.load(body as unknown as ArrayBuffer);
    } catch (error) {
      throw unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', (error as Error).message.slice(0, 200));
    }
    const sheet = workbook.worksheets[0];
    if (!sheet || sheet.rowCount > MAX_ROWS) {
      throw unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', sheet ? `more than ${MAX_ROWS} rows` : 'no worksheet');
    }
    const table: string[][] = [];
    for (let r = 1; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      table.push(Array.from({ length: Math.min(row.cellCount, COLUMNS.size) }, (_, c) => cellText(row.getCell(c + 1).value)));
    }
    return table;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(body);
  } catch {
    throw unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', 'not an XLSX file nor UTF-8 CSV text');
  }
  const table = parseCsv(text).map((row) => row.map((cell) => unescapeCsvCell(cell).trim()));
  if (table.length > MAX_ROWS) {
    throw unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', `more than ${MAX_ROWS} rows`);
  }
  return table;
}

/** `2026-12-25`, `2026/12/25`, `2026.12.25` or `2026年12月25日` → `2026-12-25`; null otherwise. */
export function normaliseDate(text: string): string | null {
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(text.trim());
  if (!m) {
    return null;
  }
  const date = `${m[1]}-${m[2]!.padStart(2, '0')}-${m[3]!.padStart(2, '0')}`;
  return isDate(date) ? date : null;
}

/**
 * The entries of a sheet for `year`. Errors name the sheet row (1-based, as Excel shows it) and the
 * column: `body.rows.5.date`. Blank rows are skipped.
 */
export function calendarRows(table: readonly string[][], year: number): CalendarDayInput[] {
  const header = (table[0] ?? []).map((h) => headerKey(h, COLUMNS));
  const col = (key: string) => header.indexOf(key);
  for (const key of ['date', 'kind']) {
    if (col(key) < 0) {
      throw unreadableFile('YW_ONCALL_CALENDAR_IMPORT_UNREADABLE', `no "${COLUMNS.get(key)!.zh} (${key})" column in the first row`);
    }
  }
  const days: CalendarDayInput[] = [];
  const seen = new Set<string>();
  table.slice(1).forEach((row, i) => {
    const at = `body.rows.${i + 2}`;
    const cell = (key: string) => (col(key) >= 0 ? (row[col(key)] ?? '').trim() : '');
    if (row.every((c) => c.trim() === '')) {
      return;
    }
    const date = normaliseDate(cell('date'));
    if (date === null) {
      throw invalidField(`${at}.date`, { zh: `“${cell('date')}”不是日期（YYYY-MM-DD）`, en: `"${cell('date')}" is not a date (YYYY-MM-DD)` });
    }
    if (!date.startsWith(`${year}-`) || seen.has(date)) {
      throw invalidField(`${at}.date`, seen.has(date) ? { zh: `${date} 重复出现`, en: `${date} is listed twice` } : { zh: `${date} 不在 ${year} 年内`, en: `${date} is not in ${year}` });
    }
    seen.add(date);
    const kind = KIND_WORDS[cell('kind').toLowerCase()];
    if (!kind) {
      throw invalidField(`${at}.kind`, { zh: `“${cell('kind')}”既不是休息日也不是工作日`, en: `"${cell('kind')}" is neither 休息日 (holiday) nor 工作日 (workday)` });
    }
    const name = { zh: cell('name_zh').slice(0, 50), en: cell('name_en').slice(0, 50) };
    days.push({ date, kind, name });
  });
  return days;
}
