import Type, { type Static } from 'typebox';

/**
 * A written document the product produces from live data (an analysis report, a regime, a plan): the
 * same content is shown on screen and downloaded as Word (.docx) or PDF, so what a manager files is what the
 * administrator read. Text is already in the reader's language.
 */

/** A cell or paragraph tone: how a judgement is highlighted (red for act now, orange for watch). */
export const DOCUMENT_TONES = ['normal', 'good', 'warning', 'danger'] as const;
export type DocumentTone = (typeof DOCUMENT_TONES)[number];

/** A stretch of text with its inline marks (a paragraph written in the rich-text editor). */
export const DocumentRun = Type.Object({
  text: Type.String(),
  bold: Type.Optional(Type.Boolean()),
  italic: Type.Optional(Type.Boolean()),
  underline: Type.Optional(Type.Boolean()),
  strike: Type.Optional(Type.Boolean()),
  /** Inline code (a command, a path): set in a monospaced font. */
  code: Type.Optional(Type.Boolean()),
});
export type DocumentRun = Static<typeof DocumentRun>;

/** Pictures a document may carry (a chart rendered on the server, a screenshot pasted into the editor). */
export const DOCUMENT_IMAGE_TYPES = ['image/png', 'image/jpeg'] as const;

export const DocumentBlock = Type.Union([
  Type.Object({
    kind: Type.Literal('paragraph'),
    /** The plain text (always given: search, previews and renderers that ignore marks read it). */
    text: Type.String(),
    /** The same text with marks; when given, the concatenation of the runs' text equals `text`. */
    runs: Type.Optional(Type.Array(DocumentRun)),
    tone: Type.Optional(Type.Enum(DOCUMENT_TONES)),
  }),
  /** A heading below the section levels (sections and their sub-sections carry levels 1 and 2). */
  Type.Object({ kind: Type.Literal('heading'), level: Type.Union([Type.Literal(3), Type.Literal(4)]), text: Type.String() }),
  Type.Object({ kind: Type.Literal('list'), items: Type.Array(Type.String()), ordered: Type.Optional(Type.Boolean()) }),
  Type.Object({
    kind: Type.Literal('table'),
    header: Type.Array(Type.String()),
    rows: Type.Array(Type.Array(Type.String())),
    /** Per row, how it is highlighted (same length as rows when given). */
    tones: Type.Optional(Type.Array(Type.Enum(DOCUMENT_TONES))),
  }),
  /** Preformatted text (a command, a configuration file): monospaced, lines kept. */
  Type.Object({ kind: Type.Literal('code'), text: Type.String(), language: Type.Optional(Type.String({ maxLength: 40 })) }),
  /** A picture, base64 in the document itself so that a version is frozen with its pictures. */
  Type.Object({
    kind: Type.Literal('image'),
    mime: Type.Enum(DOCUMENT_IMAGE_TYPES),
    /** Base64 of the image bytes (no data: prefix). */
    data: Type.String(),
    /** Its size in CSS pixels at 100 %; renderers scale it down to the page width, never up. */
    width: Type.Integer({ minimum: 1, maximum: 10_000 }),
    height: Type.Integer({ minimum: 1, maximum: 10_000 }),
    caption: Type.Optional(Type.String({ maxLength: 500 })),
  }),
]);
export type DocumentBlock = Static<typeof DocumentBlock>;

export const DocumentSection = Type.Object({
  heading: Type.String(),
  blocks: Type.Array(DocumentBlock),
  /** Sub-sections, one level deep (e.g. one per CI class). */
  sections: Type.Optional(Type.Array(Type.Object({ heading: Type.String(), blocks: Type.Array(DocumentBlock) }))),
});
export type DocumentSection = Static<typeof DocumentSection>;

export const WrittenDocument = Type.Object({
  title: Type.String(),
  /** Facts printed under the title: period, author, date, … as [label, value]. */
  facts: Type.Array(Type.Tuple([Type.String(), Type.String()])),
  sections: Type.Array(DocumentSection),
});
export type WrittenDocument = Static<typeof WrittenDocument>;

export const DOCX_TYPE = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
export const PDF_TYPE = 'application/pdf';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The files a WrittenDocument is downloaded as. */
export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
/** A report made of tables is a workbook too (one sheet per table, numbers as numbers), for offices that go on computing. */
export const TABULAR_FORMATS = [...DOCUMENT_FORMATS, 'xlsx'] as const;
export type TabularFormat = (typeof TABULAR_FORMATS)[number];
export const DOCUMENT_FORMAT_NAMES: Record<TabularFormat, string> = { docx: 'Word', pdf: 'PDF', xlsx: 'Excel' };
