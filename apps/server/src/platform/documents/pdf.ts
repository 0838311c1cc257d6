import PDFDocument from 'pdfkit';
import type { DocumentBlock, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { BODY_SIZE, contents, contentWidth, cover, destination, headersAndFooters, MARGINS, reserveContents, setFont, type ContentsEntry, type Pdf } from './pdf-pages.js';
import { drawTable, TONE_TEXT } from './pdf-table.js';

/*
 * A WrittenDocument as a PDF laid out as Chinese organisations file documents: A4, a cover (title and
 * the document's facts: organisation, period, date, version, number, … as given), a 目录 with page
 * numbers, then the sections; every page but the cover has the title as its header and
 * "第 X 页 / 共 Y 页" as its footer. Pages are buffered so that the contents and the footers can be
 * written once the page count is known. Fonts come from npm packages (pdf-fonts.ts), embedded as subsets.
 */

export interface PdfOptions {
  /** The language of the fixed words (目录, page numbers); the document's own text is already localised. */
  locale?: Locale;
}

const WORDS: Record<Locale, { contents: string; page: (x: number, y: number) => string }> = {
  'zh-CN': { contents: '目录', page: (x: number, y: number) => `第 ${x} 页 / 共 ${y} 页` },
  en: { contents: 'Contents', page: (x: number, y: number) => `Page ${x} of ${y}` },
};

/** The document as the bytes of a .pdf file. */
export async function renderPdf(doc: WrittenDocument, options: PdfOptions = {}): Promise<Buffer> {
  const words = WORDS[options.locale ?? 'zh-CN'];
  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGINS,
    bufferPages: true,
    autoFirstPage: false,
    // No default font: PDFKit's Helvetica would be declared without being used; every text sets its face.
    font: '',
    lang: options.locale === 'en' ? 'en' : 'zh-CN',
    displayTitle: true,
    info: { Title: doc.title, Creator: 'Yunwei', Producer: 'Yunwei' },
  });
  const done = collect(pdf);

  cover(pdf, doc);
  const headings = doc.sections.reduce((n, s) => n + 1 + (s.sections?.length ?? 0), 0);
  const contentsPages = reserveContents(pdf, headings);
  const placed: ContentsEntry[] = [];
  pdf.addPage();
  for (const section of doc.sections) {
    placed.push(heading(pdf, section.heading, 1, placed.length));
    blocks(pdf, section.blocks);
    for (const sub of section.sections ?? []) {
      placed.push(heading(pdf, sub.heading, 2, placed.length));
      blocks(pdf, sub.blocks);
    }
  }
  contents(pdf, words.contents, placed, contentsPages);
  headersAndFooters(pdf, doc.title, words.page);
  pdf.end();
  return done;
}

function collect(pdf: Pdf): Promise<Buffer> {
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => {
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}

/** Starts a new page unless `height` fits under the current position. */
function keepRoom(pdf: Pdf, height: number): void {
  if (pdf.y + height > pdf.page.height - pdf.page.margins.bottom) {
    pdf.addPage();
  }
}

function heading(pdf: Pdf, text: string, level: 1 | 2, n: number): ContentsEntry {
  const size = level === 1 ? 15 : 12.5;
  const width = contentWidth(pdf);
  setFont(pdf, 'heading', size);
  // Keep a heading with the lines that follow it.
  keepRoom(pdf, pdf.heightOfString(text, { width }) + 4 * BODY_SIZE * 1.6);
  pdf.moveDown(level === 1 ? 0.6 : 0.3);
  const page = pdf.bufferedPageRange().count - 1;
  pdf.addNamedDestination(destination(n));
  pdf.outline.addItem(text);
  pdf.text(text, pdf.page.margins.left, pdf.y, { width });
  pdf.moveDown(0.4);
  return { heading: text, level, page };
}

function paragraph(pdf: Pdf, text: string, tone: DocumentTone = 'normal', keepWithNext = false): void {
  const options = { width: contentWidth(pdf), lineGap: 4, paragraphGap: 6 };
  setFont(pdf, tone === 'danger' ? 'heading' : 'body', BODY_SIZE, TONE_TEXT[tone]);
  if (keepWithNext) {
    keepRoom(pdf, pdf.heightOfString(text, options) + 3 * BODY_SIZE * 1.6);
  }
  pdf.text(text, pdf.page.margins.left, pdf.y, options);
  pdf.fillColor('#000000');
}

function list(pdf: Pdf, items: readonly string[]): void {
  const left = pdf.page.margins.left;
  const indent = 1.5 * BODY_SIZE;
  for (const item of items) {
    setFont(pdf, 'body', BODY_SIZE);
    keepRoom(pdf, pdf.heightOfString(item, { width: contentWidth(pdf) - indent }));
    const top = pdf.y;
    // A drawn dot: the bullet glyphs of CJK fonts are tiny middle dots.
    pdf.circle(left + BODY_SIZE * 0.5, top + pdf.currentLineHeight() * 0.55, 1.6).fill('#000000');
    pdf.text(item, left + indent, top, { width: contentWidth(pdf) - indent, lineGap: 4, paragraphGap: 3 });
  }
  pdf.moveDown(0.3);
}

function blocks(pdf: Pdf, content: readonly DocumentBlock[]): void {
  for (const b of content) {
    switch (b.kind) {
      case 'paragraph':
        // A paragraph that introduces what follows ("…如下：") is kept with its first lines.
        paragraph(pdf, b.text, b.tone, /[:：]$/.test(b.text) && b !== content.at(-1));
        break;
      case 'list':
        list(pdf, b.items);
        break;
      case 'table':
        drawTable(pdf, b);
        break;
    }
  }
}
