import ExcelJS from 'exceljs';
import type { DocumentBlock, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';

/*
 * A written document as a workbook, for the reader who goes on computing: a first sheet with the
 * title, the facts and the text of every section (where a table was, the name of its sheet), then one
 * sheet per table — header row frozen and filtered, plain numbers as numbers, row tones as fills.
 */

const TONE_FILLS: Partial<Record<DocumentTone, string>> = { danger: 'FFFFCCC7', warning: 'FFFFE7BA', good: 'FFD9F7BE' };
const HEADER_FILL = 'FFF0F0F0';
/** Excel's own limits on a sheet name: 31 characters, none of []:*?/\ . */
const SHEET_NAME_MAX = 31;
const WIDEST_COLUMN = 60;
/** A cell that is a plain decimal number ("42", "-3.5"); "99.9 %" or "1,024" stay text as printed. */
const PLAIN_NUMBER = /^-?\d{1,15}(\.\d{1,10})?$/;

type Table = Extract<DocumentBlock, { kind: 'table' }>;

export async function renderXlsx(doc: WrittenDocument, options: { locale: Locale }): Promise<Buffer> {
  const en = options.locale === 'en';
  const workbook = new ExcelJS.Workbook();
  const summary = workbook.addWorksheet(en ? 'Summary' : '概况');
  const names = new Set([summary.name]);
  summary.getColumn(1).width = 24;
  summary.getColumn(2).width = 80;
  summary.addRow([doc.title]).font = { bold: true, size: 14 };
  for (const [label, value] of doc.facts) {
    summary.addRow([label, value]).getCell(1).font = { bold: true };
  }

  const addText = (text: string, bold = false) => {
    const row = summary.addRow([text]);
    summary.mergeCells(row.number, 1, row.number, 2);
    row.getCell(1).alignment = { wrapText: true, vertical: 'top' };
    if (bold) {row.getCell(1).font = { bold: true };}
  };
  const addBlocks = (heading: string, blocks: readonly DocumentBlock[]) => {
    for (const block of blocks) {
      switch (block.kind) {
        case 'paragraph':
        case 'code':
          addText(block.text);
          break;
        case 'heading':
          addText(block.text, true);
          break;
        case 'list':
          block.items.forEach((item, i) => addText(`${block.ordered ? `${i + 1}.` : '•'} ${item}`));
          break;
        case 'image':
          addText(block.caption ? `[${block.caption}]` : en ? '[picture]' : '[图片]');
          break;
        case 'table': {
          const name = uniqueSheetName(heading || doc.title, names);
          addTableSheet(workbook.addWorksheet(name), block);
          addText(en ? `Table: see the sheet "${name}"` : `表格：见工作表「${name}」`);
          break;
        }
      }
    }
  };
  for (const section of doc.sections) {
    summary.addRow([]);
    if (section.heading) {addText(section.heading, true);}
    addBlocks(section.heading, section.blocks);
    for (const sub of section.sections ?? []) {
      addText(sub.heading, true);
      addBlocks(sub.heading || section.heading, sub.blocks);
    }
  }
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function addTableSheet(sheet: ExcelJS.Worksheet, table: Table): void {
  const header = sheet.addRow(table.header);
  header.font = { bold: true };
  header.eachCell((cell) => (cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } }));
  table.rows.forEach((cells, i) => {
    const row = sheet.addRow(cells.map((cell) => (PLAIN_NUMBER.test(cell) ? Number(cell) : cell)));
    const fill = TONE_FILLS[table.tones?.[i] ?? 'normal'];
    if (fill) {
      for (let c = 1; c <= table.header.length; c++) {row.getCell(c).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: fill } };}
    }
  });
  sheet.views = [{ state: 'frozen', ySplit: 1 }];
  if (table.header.length) {sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1 + table.rows.length, column: table.header.length } };}
  table.header.forEach((title, c) => {
    const widest = Math.max(displayWidth(title), ...table.rows.map((cells) => displayWidth(cells[c] ?? '')));
    sheet.getColumn(c + 1).width = Math.min(WIDEST_COLUMN, Math.max(8, widest + 2));
  });
}

/** A legal sheet name from a heading ("一、可用性" → "一、可用性"), made unique with " (2)", " (3)" …. */
export function uniqueSheetName(heading: string, taken: Set<string>): string {
  const base = heading.replace(/[[\]:*?/\\]/g, ' ').replace(/^'+|'+$/g, '').trim() || 'Sheet';
  let name = base.slice(0, SHEET_NAME_MAX);
  for (let n = 2; [...taken].some((t) => t.toLowerCase() === name.toLowerCase()); n++) {
    const suffix = ` (${n})`;
    name = base.slice(0, SHEET_NAME_MAX - suffix.length) + suffix;
  }
  taken.add(name);
  return name;
}

/** Column width in Excel's units: a CJK character takes about two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const ch of text) {width += /[\u2e80-\uffef]/.test(ch) ? 2 : 1;}
  return width;
}
