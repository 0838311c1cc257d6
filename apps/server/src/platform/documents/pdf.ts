import PDFDocument from 'pdfkit';
import type { DocumentBlock, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { BODY_SIZE, contents, contentWidth, cover, destination, GREY, headersAndFooters, MARGINS, reserveContents, setFont, type ContentsEntry, type Pdf } from './pdf-pages.js';
import { imageBytes, imageSize, unreadableImage } from './images.js';
import { CODE_FILL, codeSegments, flow, flowHeight, lineHeight, runSegments, type Segment } from './pdf-inline.js';
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

interface Words {
  contents: string;
  page: (x: number, y: number) => string;
  /** Said where a picture cannot be read (bytes that are not the PNG or JPEG they claim to be). */
  badImage: (caption: string | undefined) => string;
}

const WORDS: Record<Locale, Words> = {
  'zh-CN': { contents: '目录', page: (x, y) => `第 ${x} 页 / 共 ${y} 页`, badImage: (c) => unreadableImage('zh-CN', c) },
  en: { contents: 'Contents', page: (x, y) => `Page ${x} of ${y}`, badImage: (c) => unreadableImage('en', c) },
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
  // A section or sub-section headed '' (the text before a library document's first heading) has no
  // heading and no contents entry. Headings of level 3 and 4 are in the bookmarks, not in the 目录: a
  // 目录 of two levels is how Chinese documents are filed, and a third level would make it pages long.
  const headings = doc.sections.reduce((n, s) => n + (s.heading ? 1 : 0) + (s.sections ?? []).filter((sub) => sub.heading).length, 0);
  const contentsPages = reserveContents(pdf, headings);
  const placed: ContentsEntry[] = [];
  pdf.addPage();
  for (const section of doc.sections) {
    const first = section.blocks.length ? section.blocks : (section.sections?.[0]?.blocks ?? []);
    const outline = section.heading ? heading(pdf, section.heading, 1, placed, pdf.outline, keepWithHeading(pdf, first, !section.blocks.length && !!section.sections?.[0]?.heading)) : pdf.outline;
    blocks(pdf, section.blocks, outline, words);
    for (const sub of section.sections ?? []) {
      const subOutline = sub.heading ? heading(pdf, sub.heading, 2, placed, outline, keepWithHeading(pdf, sub.blocks)) : outline;
      blocks(pdf, sub.blocks, subOutline, words);
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

type Outline = PDFKit.PDFOutline;
type Block<K extends DocumentBlock['kind']> = Extract<DocumentBlock, { kind: K }>;

/** Heading sizes: 三号-ish for sections, then smaller; level 4 is body size, set apart by its face. */
const HEADING_SIZE = { 1: 15, 2: 12.5, 3: 11.5, 4: BODY_SIZE } as const;

const LINE = BODY_SIZE * 1.6;

/**
 * The room to keep under a heading so that it is not left alone at the foot of a page: the headings
 * right under it and four lines of text, or the picture that follows it whole (a chart under its title).
 */
function keepWithHeading(pdf: Pdf, following: readonly DocumentBlock[], subHeadingFirst = false): number {
  let height = subHeadingFirst ? 2 * LINE : 0;
  for (const b of following) {
    if (b.kind === 'heading') {
      height += 2 * LINE;
      continue;
    }
    if (b.kind === 'image' && imageBytes(b)) {
      return height + imageBox(pdf, b).total;
    }
    break;
  }
  return height + 4 * LINE;
}

function headingText(pdf: Pdf, text: string, level: 1 | 2 | 3 | 4, follow: number): void {
  const width = contentWidth(pdf);
  setFont(pdf, 'heading', HEADING_SIZE[level]);
  const need = pdf.heightOfString(text, { width }) + follow;
  // Keep a heading with what follows it, unless that is more than a page holds anyway.
  keepRoom(pdf, Math.min(need, pdf.page.height - pdf.page.margins.top - pdf.page.margins.bottom));
  pdf.moveDown(level === 1 ? 0.6 : 0.3);
}

/** A section or sub-section heading: in the 目录 and the bookmarks. Returns its bookmark. */
function heading(pdf: Pdf, text: string, level: 1 | 2, placed: ContentsEntry[], parent: Outline, follow: number): Outline {
  headingText(pdf, text, level, follow);
  const page = pdf.bufferedPageRange().count - 1;
  pdf.addNamedDestination(destination(placed.length));
  const item = parent.addItem(text);
  pdf.text(text, pdf.page.margins.left, pdf.y, { width: contentWidth(pdf) });
  pdf.moveDown(0.4);
  placed.push({ heading: text, level, page });
  return item;
}

/** A heading inside a section (level 3 or 4): a bookmark, no 目录 entry. */
function minorHeading(pdf: Pdf, b: Block<'heading'>, parent: Outline, follow: number): Outline {
  headingText(pdf, b.text, b.level, follow);
  const item = parent.addItem(b.text);
  pdf.text(b.text, pdf.page.margins.left, pdf.y, { width: contentWidth(pdf) });
  pdf.moveDown(0.3);
  return item;
}

function paragraph(pdf: Pdf, b: Block<'paragraph'>, keepWithNext = false): void {
  const tone: DocumentTone = b.tone ?? 'normal';
  const face = tone === 'danger' ? 'heading' : 'body';
  const marked = b.runs?.some((r) => r.bold || r.italic || r.underline || r.strike || r.code);
  if (!b.runs || !marked) {
    const options = { width: contentWidth(pdf), lineGap: 4, paragraphGap: 6 };
    setFont(pdf, face, BODY_SIZE, TONE_TEXT[tone]);
    if (keepWithNext) {
      keepRoom(pdf, pdf.heightOfString(b.text, options) + 3 * BODY_SIZE * 1.6);
    }
    pdf.text(b.text, pdf.page.margins.left, pdf.y, options);
    pdf.fillColor('#000000');
    return;
  }
  const segments = runSegments(b.runs, face, TONE_TEXT[tone]);
  const options = { x: pdf.page.margins.left, width: contentWidth(pdf), size: BODY_SIZE, lineGap: 4 };
  if (keepWithNext) {
    keepRoom(pdf, flowHeight(pdf, segments, options) + 3 * BODY_SIZE * 1.6);
  }
  flow(pdf, segments, options);
  pdf.y += 6;
}

function list(pdf: Pdf, items: readonly string[], ordered: boolean): void {
  const left = pdf.page.margins.left;
  setFont(pdf, 'body', BODY_SIZE);
  // Room for the widest number ("12.") and a space, and never less than for a bullet.
  const indent = Math.max(1.5 * BODY_SIZE, ordered ? pdf.widthOfString(`${items.length}.`) + 0.6 * BODY_SIZE : 0);
  for (const [i, item] of items.entries()) {
    setFont(pdf, 'body', BODY_SIZE);
    keepRoom(pdf, pdf.heightOfString(item, { width: contentWidth(pdf) - indent }));
    const top = pdf.y;
    if (ordered) {
      pdf.text(`${i + 1}.`, left, top, { width: indent, lineBreak: false });
    } else {
      // A drawn dot: the bullet glyphs of CJK fonts are tiny middle dots.
      pdf.circle(left + BODY_SIZE * 0.5, top + pdf.currentLineHeight() * 0.55, 1.6).fill('#000000');
    }
    pdf.text(item, left + indent, top, { width: contentWidth(pdf) - indent, lineGap: 4, paragraphGap: 3 });
  }
  pdf.moveDown(0.3);
}

const CODE_SIZE = 9;
const CODE_PAD = 6;

/** A code block: on grey, lines kept (long ones wrapped), ASCII in Courier, CJK in the sans face. */
function code(pdf: Pdf, text: string): void {
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  const segments: Segment[] = codeSegments(text.replace(/\t/g, '    ').replace(/\n+$/, ''), { color: '#262626' });
  const line = lineHeight(pdf, CODE_SIZE) + 1;
  keepRoom(pdf, CODE_PAD + Math.min(3 * line, flowHeight(pdf, segments, { x: left, width: width - 2 * CODE_PAD, size: CODE_SIZE, lineGap: 1, keepSpaces: true })));
  pdf.moveDown(0.2);
  pdf.rect(left, pdf.y, width, CODE_PAD).fill(CODE_FILL);
  pdf.y += CODE_PAD;
  flow(pdf, segments, { x: left + CODE_PAD, width: width - 2 * CODE_PAD, size: CODE_SIZE, lineGap: 1, keepSpaces: true, blockFill: { color: CODE_FILL, pad: CODE_PAD } });
  pdf.rect(left, pdf.y, width, CODE_PAD).fill(CODE_FILL);
  pdf.fillColor('#000000');
  pdf.x = left;
  pdf.y += CODE_PAD + 8;
}

const PT_PER_CSS_PX = 0.75;

/** A picture's printed size (scaled down, never up, to the text width and to one page with its caption). */
function imageBox(pdf: Pdf, b: Block<'image'>): { width: number; height: number; caption: number; total: number } {
  const width = contentWidth(pdf);
  setFont(pdf, 'sans', 9, GREY);
  const caption = b.caption ? pdf.heightOfString(b.caption, { width }) + 4 : 0;
  const pageHeight = pdf.page.height - pdf.page.margins.top - pdf.page.margins.bottom;
  const size = imageSize(b, PT_PER_CSS_PX, width, pageHeight - caption - 12);
  return { ...size, caption, total: size.height + caption + 8 };
}

/** A picture, kept whole on one page, its caption centred under it. */
function image(pdf: Pdf, b: Block<'image'>, words: Words): void {
  const bytes = imageBytes(b);
  const left = pdf.page.margins.left;
  const width = contentWidth(pdf);
  if (!bytes) {
    paragraph(pdf, { kind: 'paragraph', text: words.badImage(b.caption), tone: 'danger' });
    return;
  }
  const box = imageBox(pdf, b);
  keepRoom(pdf, box.total);
  const top = pdf.y + 2;
  try {
    pdf.image(bytes, left + (width - box.width) / 2, top, { width: box.width, height: box.height });
  } catch {
    paragraph(pdf, { kind: 'paragraph', text: words.badImage(b.caption), tone: 'danger' });
    return;
  }
  pdf.y = top + box.height + 4;
  if (b.caption) {
    setFont(pdf, 'sans', 9, GREY).text(b.caption, left, pdf.y, { width, align: 'center' });
  }
  pdf.fillColor('#000000');
  pdf.x = left;
  pdf.y += 8;
}

function blocks(pdf: Pdf, content: readonly DocumentBlock[], outline: Outline, words: Words): void {
  // Level 4 headings are bookmarked under the level 3 heading before them.
  let minor: Outline | null = null;
  for (const [i, b] of content.entries()) {
    switch (b.kind) {
      case 'paragraph':
        // A paragraph that introduces what follows ("…如下：") is kept with its first lines.
        paragraph(pdf, b, /[:：]$/.test(b.text) && b !== content.at(-1));
        break;
      case 'heading': {
        const item = minorHeading(pdf, b, b.level === 4 && minor ? minor : outline, keepWithHeading(pdf, content.slice(i + 1)));
        if (b.level === 3) {
          minor = item;
        }
        break;
      }
      case 'list':
        list(pdf, b.items, b.ordered ?? false);
        break;
      case 'table':
        drawTable(pdf, b);
        break;
      case 'code':
        code(pdf, b.text);
        break;
      case 'image':
        image(pdf, b, words);
        break;
    }
  }
}
