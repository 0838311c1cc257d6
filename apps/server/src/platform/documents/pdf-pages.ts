import type { WrittenDocument } from '@yunwei/contracts/documents';
import { useFace, type PdfFace } from './pdf-fonts.js';

/*
 * What a PDF has around its sections: the cover, the 目录 (pages reserved first, written when the
 * headings' pages are known) and the header and footer of every page but the cover.
 */

export type Pdf = PDFKit.PDFDocument;

const MM = 72 / 25.4;
export const MARGINS = { top: 30 * MM, bottom: 25 * MM, left: 25 * MM, right: 22 * MM };
export const BODY_SIZE = 10.5; // 五号
export const GREY = '#595959';
const CJK = /[\u3400-\u9fff]/;

export interface ContentsEntry {
  heading: string;
  level: 1 | 2;
  /** Index of the buffered page the heading is on. */
  page: number;
}

export function setFont(pdf: Pdf, face: PdfFace, size: number, color = '#000000'): Pdf {
  return useFace(pdf, face).fontSize(size).fillColor(color);
}

export function contentWidth(pdf: Pdf): number {
  return pdf.page.width - pdf.page.margins.left - pdf.page.margins.right;
}

export function cover(pdf: Pdf, doc: WrittenDocument): void {
  pdf.addPage();
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  setFont(pdf, 'heading', 26).text(doc.title, left, pdf.page.height * 0.3, { width, align: 'center' });
  // The facts as a block of "label：value" lines, centred as a whole under the title.
  const y = pdf.page.height * 0.55;
  const colon = (label: string) => `${label}${CJK.test(label) ? '：' : ': '}`;
  setFont(pdf, 'heading', 12);
  const labelWidth = Math.max(0, ...doc.facts.map(([label]) => pdf.widthOfString(colon(label)))) + 4;
  const valueWidth = Math.min(width * 0.6, Math.max(0, ...doc.facts.map(([, value]) => setFont(pdf, 'body', 12).widthOfString(value))) + 4);
  const x = left + Math.max(0, (width - labelWidth - valueWidth) / 2);
  pdf.y = y;
  for (const [label, value] of doc.facts) {
    const top = pdf.y;
    setFont(pdf, 'heading', 12).text(colon(label), x, top, { width: labelWidth });
    const afterLabel = pdf.y;
    setFont(pdf, 'body', 12).text(value, x + labelWidth, top, { width: width - (x - left) - labelWidth });
    pdf.y = Math.max(afterLabel, pdf.y) + 6;
  }
}

const ENTRY_HEIGHT = 22;

/** Blank pages for the contents, enough for one line per heading; written at the end. */
export function reserveContents(pdf: Pdf, count: number): number[] {
  const first = pdf.bufferedPageRange().count;
  pdf.addPage();
  const perFirstPage = Math.floor((pdf.page.height - MARGINS.top - MARGINS.bottom - 50) / ENTRY_HEIGHT);
  const perPage = Math.floor((pdf.page.height - MARGINS.top - MARGINS.bottom) / ENTRY_HEIGHT);
  const extra = Math.max(0, Math.ceil((count - perFirstPage) / perPage));
  for (let i = 0; i < extra; i++) {
    pdf.addPage();
  }
  return Array.from({ length: extra + 1 }, (_, i) => first + i);
}

export function contents(pdf: Pdf, title: string, entries: readonly ContentsEntry[], pages: readonly number[]): void {
  let at = 0;
  pdf.switchToPage(pages[at]!);
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  setFont(pdf, 'heading', 16).text(title, left, MARGINS.top, { width, align: 'center' });
  let y = MARGINS.top + 50;
  for (const [i, entry] of entries.entries()) {
    if (y + ENTRY_HEIGHT > pdf.page.height - MARGINS.bottom) {
      pdf.switchToPage(pages[++at]!);
      y = MARGINS.top;
    }
    const indent = entry.level === 1 ? 0 : 2 * BODY_SIZE;
    const number = String(entry.page); // the cover is unnumbered: buffered page i is page i
    const face: PdfFace = entry.level === 1 ? 'heading' : 'body';
    setFont(pdf, 'body', BODY_SIZE);
    const numberWidth = pdf.widthOfString(number);
    setFont(pdf, face, BODY_SIZE);
    const textWidth = width - indent - numberWidth - 24;
    const text = fit(pdf, entry.heading, textWidth);
    const textEnd = left + indent + pdf.widthOfString(text);
    pdf.text(text, left + indent, y, { width: textWidth, lineBreak: false, goTo: destination(i) });
    // Dot leaders from the heading to its page number.
    pdf
      .moveTo(textEnd + 4, y + BODY_SIZE)
      .lineTo(left + width - numberWidth - 4, y + BODY_SIZE)
      .dash(1, { space: 2 })
      .lineWidth(0.5)
      .stroke(GREY)
      .undash();
    setFont(pdf, 'body', BODY_SIZE).text(number, left + width - numberWidth, y, { width: numberWidth, lineBreak: false });
    y += ENTRY_HEIGHT;
  }
}

/** `text` shortened with an ellipsis until it fits on one line of `width`. */
function fit(pdf: Pdf, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) {
    return text;
  }
  let chars = [...text];
  while (chars.length > 1 && pdf.widthOfString(`${chars.join('')}…`) > width) {
    chars = chars.slice(0, -1);
  }
  return `${chars.join('')}…`;
}

/** The name a contents entry links to: the n-th heading of the document. */
export const destination = (n: number) => `heading-${n}`;

export /** The title at the head and "page X of Y" at the foot of every page but the cover. */
function headersAndFooters(pdf: Pdf, title: string, pageText: (x: number, y: number) => string): void {
  const { start, count } = pdf.bufferedPageRange();
  for (let i = start + 1; i < start + count; i++) {
    pdf.switchToPage(i);
    const left = pdf.page.margins.left;
    const width = contentWidth(pdf);
    // Writing inside the bottom margin would start a new page: lift the margin while writing there.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    setFont(pdf, 'sans', 9, GREY).text(title, left, MARGINS.top - 12 * MM, { width, align: 'center', lineBreak: false });
    pdf
      .moveTo(left, MARGINS.top - 6 * MM)
      .lineTo(left + width, MARGINS.top - 6 * MM)
      .lineWidth(0.5)
      .stroke(GREY);
    setFont(pdf, 'sans', 9, GREY).text(pageText(i - start, count - 1), left, pdf.page.height - bottom + 10 * MM, { width, align: 'center', lineBreak: false });
    pdf.page.margins.bottom = bottom;
  }
}
