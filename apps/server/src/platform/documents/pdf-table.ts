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

/** The least room worth starting a piece of a cut row in (three lines of cell text). */
const MIN_PIECE = 3 * 13 + 1.5 * PAD;
const CJK_OR_SPACE = /[\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]/;

/**
 * Cuts a row's cells so that the first part fits `room` (points, padding included): each cell keeps
 * the longest start that fits, cut where a line may break, and the rest goes to the second part.
 */
export function splitRow(doc: Page, cells: readonly string[], widths: readonly number[], room: number): [string[], string[]] {
  useFace(doc, 'body').fontSize(FONT_SIZE);
  const fits = (text: string, w: number) => doc.heightOfString(text, { width: w - 2 * PAD }) + 1.5 * PAD <= room;
  const now: string[] = [];
  const later: string[] = [];
  widths.forEach((w, c) => {
    const text = cells[c] ?? '';
    if (fits(text, w)) {
      now.push(text);
      later.push('');
      return;
    }
    const chars = [...text];
    let lo = 0;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (fits(chars.slice(0, mid).join(''), w)) {
        lo = mid;
      } else {
        hi = mid - 1;
      }
    }
    // Not inside a Latin word or number: back to the last place a line may break, when there is one near.
    let cut = lo;
    for (let k = lo; k > Math.max(0, lo - 40); k--) {
      if (CJK_OR_SPACE.test(chars[k] ?? ' ') || CJK_OR_SPACE.test(chars[k - 1]!)) {
        cut = k;
        break;
      }
    }
    now.push(chars.slice(0, cut).join('').trimEnd());
    later.push(chars.slice(cut).join('').trimStart());
  });
  return [now, later];
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
  // The most a row can hold on a page of its own, under the header.
  const pageRoom = doc.page.height - doc.page.margins.top - doc.page.margins.bottom - headerHeight;
  const first = table.rows[0] ? rowHeight(doc, table.rows[0], widths, 'body') : 0;
  if (y + headerHeight + (first > pageRoom ? MIN_PIECE : first) > bottom()) {
    doc.addPage();
    y = doc.y;
  }
  header(y);
  y += headerHeight;
  const newPage = () => {
    doc.addPage();
    y = doc.y;
    header(y);
    y += headerHeight;
  };
  table.rows.forEach((row, i) => {
    const tone = table.tones?.[i] ?? 'normal';
    const style = { face: 'body' as const, fill: TONE_FILL[tone], color: TONE_TEXT[tone] };
    let cells: readonly string[] = row;
    let height = rowHeight(doc, cells, widths, 'body');
    while (y + height > bottom()) {
      // A row taller than a page is cut between lines and runs on over the next pages (under the
      // header again); any other row goes whole to the next page.
      const room = bottom() - y;
      if (height > pageRoom && room >= MIN_PIECE) {
        const [now, later] = splitRow(doc, cells, widths, room);
        if (now.some((c) => c)) {
          const pieceHeight = rowHeight(doc, now, widths, 'body');
          drawRow(doc, now, widths, y, pieceHeight, style);
          cells = later;
          height = rowHeight(doc, cells, widths, 'body');
        }
      }
      newPage();
    }
    drawRow(doc, cells, widths, y, height, style);
    y += height;
  });
  doc.fillColor('#000000');
  doc.x = left;
  doc.y = y + 8;
}
