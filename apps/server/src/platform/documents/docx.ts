import { AlignmentType, Document, HeadingLevel, Packer, Paragraph, ShadingType, Table, TableCell, TableRow, TextRun, WidthType } from 'docx';
import type { DocumentBlock, DocumentSection, DocumentTone, WrittenDocument } from '@yunwei/contracts/documents';

/*
 * A WrittenDocument as a Word file (.docx, with the `docx` package). Chinese text is set in 宋体 /
 * 黑体 (eastAsia fonts Word on a Chinese Windows has; elsewhere Word substitutes), Latin in Calibri.
 * Tones become row shading and coloured text, as on screen.
 */

const FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: '宋体', cs: 'Calibri' };
const HEADING_FONT = { ascii: 'Calibri', hAnsi: 'Calibri', eastAsia: '黑体', cs: 'Calibri' };
const CJK = /[\u3400-\u9fff]/;
const TONE_TEXT: Record<DocumentTone, string | undefined> = { normal: undefined, good: '237804', warning: 'AD4E00', danger: 'A8071A' };
const TONE_FILL: Record<DocumentTone, string | undefined> = { normal: undefined, good: undefined, warning: 'FFF7E6', danger: 'FFF1F0' };

function run(text: string, options: { bold?: boolean; tone?: DocumentTone } = {}): TextRun {
  const color = options.tone ? TONE_TEXT[options.tone] : undefined;
  return new TextRun({ text, font: FONT, bold: options.bold, ...(color ? { color } : {}) });
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

function blocks(list: readonly DocumentBlock[]): (Paragraph | Table)[] {
  return list.flatMap((b): (Paragraph | Table)[] => {
    switch (b.kind) {
      case 'paragraph':
        return [new Paragraph({ children: [run(b.text, { tone: b.tone, bold: b.tone === 'danger' })], spacing: { after: 120 } })];
      case 'list':
        return b.items.map((item) => new Paragraph({ children: [run(item)], bullet: { level: 0 } }));
      case 'table':
        // An empty paragraph after a table, or Word glues the next heading to it.
        return [table(b.header, b.rows, b.tones), new Paragraph({ children: [] })];
    }
  });
}

function section(s: DocumentSection): (Paragraph | Table)[] {
  return [
    new Paragraph({ heading: HeadingLevel.HEADING_1, children: [new TextRun({ text: s.heading, font: HEADING_FONT })] }),
    ...blocks(s.blocks),
    ...(s.sections ?? []).flatMap((sub) => [new Paragraph({ heading: HeadingLevel.HEADING_2, children: [new TextRun({ text: sub.heading, font: HEADING_FONT })] }), ...blocks(sub.blocks)]),
  ];
}

/** The document as the bytes of a .docx file. */
export async function renderDocx(doc: WrittenDocument): Promise<Buffer> {
  const file = new Document({
    creator: 'Yunwei',
    title: doc.title,
    styles: { default: { document: { run: { font: FONT, size: 21 } } } },
    sections: [
      {
        children: [
          new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: [new TextRun({ text: doc.title, font: HEADING_FONT })] }),
          ...doc.facts.map(([label, value]) => new Paragraph({ children: [run(`${label}${CJK.test(label) ? '：' : ': '}`, { bold: true }), run(value)] })),
          ...doc.sections.flatMap(section),
        ],
      },
    ],
  });
  return Packer.toBuffer(file);
}
