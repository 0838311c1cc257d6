import { AlignmentType, Document, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { DocumentBlock, DocumentRun, DocumentSection, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';
import type { Locale } from '@yunwei/contracts/i18n';
import { imageBytes, imageSize, unreadableImage, type ImageBlock } from './images.js';

/*
 * A WrittenDocument as a Word file (.docx, with the `docx` package). Chinese text is set in 宋体 /
 * 黑体 (eastAsia fonts Word on a Chinese Windows has; elsewhere Word substitutes), Latin in Calibri,
 * code in Consolas (its CJK characters in 宋体). Tones become row shading and coloured text, as on
 * screen. Marks are Word's own (bold, italic — which Word leaves to the font for CJK —, underline,
 * strike); numbered lists are Word numbering restarting at 1 for each list; pictures are inline,
 * scaled down to the text width and the page height.
 */

export interface DocxOptions {
  /** The language of the few words the renderer writes itself (a picture it cannot show). */
  locale?: Locale;
}

const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: '宋体', cs: 'Calibri' };
const HEADING_FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: '黑体', cs: 'Calibri' };
const MONO_FONT = { ascii: 'Consolas', hAnsi: 'Consolas', eastAsia: '宋体', cs: 'Consolas' };
const CODE_FILL = 'F2F2F2';
const CJK = /[\u3400-\u9fff]/;
const TONE_TEXT: Record<DocumentTone, string | undefined> = { normal: undefined, good: '237804', warning: 'AD4E00', danger: 'A8071A' };
const TONE_FILL: Record<DocumentTone, string | undefined> = { normal: undefined, good: undefined, warning: 'FFF7E6', danger: 'FFF1F0' };

/** A4 with one-inch margins, in twips (1/1440 in; a CSS pixel is 15). Pictures fit inside. */
const PAGE = { width: 11906, height: 16838, margin: 1440 };
const TEXT_WIDTH_PX = (PAGE.width - 2 * PAGE.margin) / 15;
const TEXT_HEIGHT_PX = (PAGE.height - 2 * PAGE.margin) / 15;
const ORDERED = 'ordered-list';

function run(text: string, options: { bold?: boolean; tone?: DocumentTone } = {}): TextRun {
  const color = options.tone ? TONE_TEXT[options.tone] : undefined;
  return new TextRun({ text, font: FONT, bold: options.bold, ...(color ? { color } : {}) });
}

function markedRun(r: DocumentRun, tone: DocumentTone | undefined, bold: boolean): TextRun {
  const color = tone ? TONE_TEXT[tone] : undefined;
  return new TextRun({
    text: r.text,
    font: r.code ? MONO_FONT : FONT,
    bold: r.bold || bold || undefined,
    italics: r.italic || undefined,
    ...(r.underline ? { underline: {} } : {}),
    strike: r.strike || undefined,
    ...(r.code ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: CODE_FILL } } : {}),
    ...(color ? { color } : {}),
  });
}

function table(header: readonly string[], rows: readonly (readonly string[])[], tones: readonly DocumentTone[] | undefined): Table {
  const cell = (text: string, opts: { bold?: boolean; fill?: string; tone?: DocumentTone }) =>
    new TableCell({
      children: [new Paragraph({ children: [run(text, { bold: opts.bold, tone: opts.tone })] })],
      ...(opts.fill ? { shading: { type: ShadingType.CLEAR, color: 'auto', fill: opts.fill } } : {}),
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: header.map((h) => cell(h, { bold: true, fill: 'D9E1F2' })) }),
      ...rows.map((r, i) => {
        const tone = tones?.[i] ?? 'normal';
        return new TableRow({ children: r.map((text) => cell(text, { fill: TONE_FILL[tone], tone })) });
      }),
    ],
  });
}

/** A code block: one paragraph per line on grey, in Consolas, lines and their indentation kept. */
function code(text: string): Paragraph[] {
  const lines = text.replace(/\t/g, '    ').replace(/\n+$/, '').split(/\r?\n/);
  return lines.map(
    (line, i) =>
      new Paragraph({
        children: [new TextRun({ text: line, font: MONO_FONT, size: 19 })],
        shading: { type: ShadingType.CLEAR, color: 'auto', fill: CODE_FILL },
        spacing: { before: 0, after: i === lines.length - 1 ? 160 : 0, line: 260 },
        keepLines: true,
        // A short block stays on one page; a long one may run on.
        keepNext: lines.length <= 15 && i < lines.length - 1,
      }),
  );
}

function image(b: ImageBlock, locale: Locale): Paragraph[] {
  const bytes = imageBytes(b);
  if (!bytes) {
    return [new Paragraph({ children: [run(unreadableImage(locale, b.caption), { tone: 'danger', bold: true })] })];
  }
  const size = imageSize(b, 1, TEXT_WIDTH_PX, TEXT_HEIGHT_PX - (b.caption ? 60 : 20));
  const picture = new Paragraph({
    alignment: AlignmentType.CENTER,
    keepNext: !!b.caption,
    spacing: { before: 120, after: b.caption ? 60 : 160 },
    children: [
      new ImageRun({
        type: b.mime === 'image/png' ? 'png' : 'jpg',
        data: bytes,
        transformation: { width: Math.round(size.width), height: Math.round(size.height) },
        ...(b.caption ? { altText: { name: b.caption, title: b.caption, description: b.caption } } : {}),
      }),
    ],
  });
  if (!b.caption) {
    return [picture];
  }
  return [picture, new Paragraph({ alignment: AlignmentType.CENTER, spacing: { after: 160 }, children: [new TextRun({ text: b.caption, font: FONT, size: 18, color: '595959' })] })];
}

interface Context {
  locale: Locale;
  /** Numbered lists so far: each list is its own numbering instance, so each starts at 1. */
  lists: number;
}

function blocks(list: readonly DocumentBlock[], ctx: Context): (Paragraph | Table)[] {
  return list.flatMap((b): (Paragraph | Table)[] => {
    switch (b.kind) {
      case 'paragraph': {
        const bold = b.tone === 'danger';
        const children = b.runs?.length ? b.runs.map((r) => markedRun(r, b.tone, bold)) : [run(b.text, { tone: b.tone, bold })];
        return [new Paragraph({ children, spacing: { after: 120 } })];
      }
      case 'heading':
        return [new Paragraph({ heading: b.level === 3 ? HeadingLevel.HEADING_3 : HeadingLevel.HEADING_4, children: [new TextRun({ text: b.text, font: HEADING_FONT })] })];
      case 'list': {
        if (!b.ordered) {
          return b.items.map((item) => new Paragraph({ children: [run(item)], bullet: { level: 0 } }));
        }
        const instance = ++ctx.lists;
        return b.items.map((item) => new Paragraph({ children: [run(item)], numbering: { reference: ORDERED, level: 0, instance } }));
      }
      case 'table':
        // An empty paragraph after a table, or Word glues the next heading to it.
        return [table(b.header, b.rows, b.tones), new Paragraph({ children: [] })];
      case 'code':
        return code(b.text);
      case 'image':
        return image(b, ctx.locale);
    }
  });
}

function headingParagraph(text: string, level: 1 | 2): Paragraph[] {
  // A section headed '' (the text before a library document's first heading) has no heading.
  return text ? [new Paragraph({ heading: level === 1 ? HeadingLevel.HEADING_1 : HeadingLevel.HEADING_2, children: [new TextRun({ text, font: HEADING_FONT })] })] : [];
}

function section(s: DocumentSection, ctx: Context): (Paragraph | Table)[] {
  return [...headingParagraph(s.heading, 1), ...blocks(s.blocks, ctx), ...(s.sections ?? []).flatMap((sub) => [...headingParagraph(sub.heading, 2), ...blocks(sub.blocks, ctx)])];
}

/** The document as the bytes of a .docx file. */
export async function renderDocx(doc: WrittenDocument, options: DocxOptions = {}): Promise<Buffer> {
  const ctx: Context = { locale: options.locale ?? 'zh-CN', lists: 0 };
  const file = new Document({
    creator: 'Yunwei',
    title: doc.title,
    styles: { default: { document: { run: { font: FONT, size: 21 } } } },
    numbering: {
      config: [
        {
          reference: ORDERED,
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START, style: { paragraph: { indent: { left: 420, hanging: 420 } } } }],
        },
      ],
    },
    sections: [
      {
        properties: { page: { size: { width: PAGE.width, height: PAGE.height }, margin: { top: PAGE.margin, bottom: PAGE.margin, left: PAGE.margin, right: PAGE.margin } } },
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: doc.title, font: HEADING_FONT })] }),
          ...doc.facts.map(([label, value]) => new Paragraph({ children: [run(`${label}${CJK.test(label) ? '：' : ': '}`, { bold: true }), run(value)] })),
          ...doc.sections.flatMap((s) => section(s, ctx)),
        ],
      },
    ],
  });
  return Packer.toBuffer(file);
}
