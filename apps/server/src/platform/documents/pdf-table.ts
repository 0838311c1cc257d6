import type { DocumentTone } from '@yunwei/contracts/documents';
import { useFace, type PdfFace } from './pdf-fonts.js';

/*
 * A table laid out on PDF pages: column widths from what the cells hold, cell text wrapped within
 * its column, and a new page whenever the next row does not fit, where the header row is drawn again
 * (as a Chinese reader expects of a table that runs on). Tones as in the .docx: coloured text on a
 * light fill.
 */

export const TONE_TEXT: Record<DocumentTone, string> = { normal: '#000000', good: '#237804', warning: '#AD4E00', danger: '#A8071A' };
const TONE_FILL: Record<DocumentTone, string | undefined> = { normal: undefined, good: undefined, warning: '#FFF7E6', danger: '#FFF1F0' };
const HEADER_FILL = '#D9E1F2';
const BORDER = '#8C8C8C';
const PAD = 4;
const FONT_SIZE = 9;

export interface TableInput {
  header: readonly string[];
  rows: readonly (readonly string[])[];
  tones?: readonly DocumentTone[];
}

type Page = PDFKit.PDFDocument;

// Where a line may not break: runs of Latin letters, digits and signs (CJK text breaks between characters).
const UNBREAKABLE = /[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+/g;

/**
 * Column widths filling `total`: each column gets at least its longest unbreakable word (so that
 * "host_cpu_usage_percent" is not cut) and its short cells whole, and the room left goes to the
 * columns whose cells want to be wider, in proportion to how much wider.
 */
export function columnWidths(doc: Page, table: TableInput, total: number): number[] {
  const measure = (face: PdfFace, texts: readonly string[]) => {
    useFace(doc, face).fontSize(FONT_SIZE);
    const widest = Math.max(0, ...texts.map((t) => doc.widthOfString(t)));
    const word = Math.max(0, ...texts.flatMap((t) => t.match(UNBREAKABLE) ?? []).map((w) => doc.widthOfString(w)));
    return { widest, word };
  };
  // Short cells ("不超过 1 分钟", a header) are not broken either, up to a fair share of the width.
  const fair = (0.7 * total) / table.header.length;
  const columns = table.header.map((h, c) => {
    const head = measure('heading', [h]);
    const body = measure('body', table.rows.map((r) => r[c] ?? ''));
    const natural = Math.max(head.widest, body.widest) + 2 * PAD + 1;
    const min = Math.max(head.word + 2 * PAD + 1, body.word + 2 * PAD + 1, Math.min(natural, fair));
    return { min, natural: Math.max(min, natural) };
  });
  const minSum = columns.reduce((a, c) => a + c.min, 0);
  if (minSum >= total) {
    return columns.map((c) => (c.min / minSum) * total);
  }
  const want = columns.reduce((a, c) => a + c.natural - c.min, 0);
  const room = total - minSum;
  if (want <= room) {
    const naturalSum = minSum + want;
    return columns.map((c) => c.natural + ((total - naturalSum) * c.natural) / naturalSum);
  }
  return columns.map((c) => c.min + ((c.natural - c.min) * room) / want);
}

function rowHeight(doc: Page, cells: readonly string[], widths: readonly number[], face: PdfFace): number {
  useFace(doc, face).fontSize(FONT_SIZE);
  // Less below than above: the line box of the Noto faces already ends well under the glyphs.
  return Math.max(...widths.map((w, c) => doc.heightOfString(cells[c] ?? '', { width: w - 2 * PAD }))) + 1.5 * PAD;
}

function drawRow(doc: Page, cells: readonly string[], widths: readonly number[], y: number, height: number, style: { face: PdfFace; fill?: string; color: string }): void {
  let x = doc.page.margins.left;
  widths.forEach((w, c) => {
    if (style.fill) {
      doc.rect(x, y, w, height).fill(style.fill);
    }
    doc.lineWidth(0.5).rect(x, y, w, height).stroke(BORDER);
    useFace(doc, style.face).fontSize(FONT_SIZE).fillColor(style.color).text(cells[c] ?? '', x + PAD, y + PAD, { width: w - 2 * PAD });
    x += w;
  });
}

/** Draws the table from the current position on; leaves the position under it. */
export function drawTable(doc: Page, table: TableInput): void {
  if (!table.header.length) {
    return;
  }
  const left = doc.page.margins.left;
  const widths = columnWidths(doc, table, doc.page.width - left - doc.page.margins.right);
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const headerHeight = rowHeight(doc, table.header, widths, 'heading');
  const header = (y: number) => drawRow(doc, table.header, widths, y, headerHeight, { face: 'heading', fill: HEADER_FILL, color: '#000000' });

  let y = doc.y;
  // Not a lone header at the foot of a page: the header and the first row go together.
  const first = table.rows[0] ? rowHeight(doc, table.rows[0], widths, 'body') : 0;
  if (y + headerHeight + first > bottom()) {
    doc.addPage();
    y = doc.y;
  }
  header(y);
  y += headerHeight;
  table.rows.forEach((row, i) => {
    const height = rowHeight(doc, row, widths, 'body');
    if (y + height > bottom()) {
      doc.addPage();
      y = doc.y;
      header(y);
      y += headerHeight;
    }
    const tone = table.tones?.[i] ?? 'normal';
    drawRow(doc, row, widths, y, height, { face: 'body', fill: TONE_FILL[tone], color: TONE_TEXT[tone] });
    y += height;
  });
  doc.fillColor('#000000');
  doc.x = left;
  doc.y = y + 8;
}
