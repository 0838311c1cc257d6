import Type, { type Static } from 'typebox';

/**
 * A written document the product produces from live data (an analysis report, a regime, a plan): the
 * same content is shown on screen and downloaded as Word (.docx) or PDF, so what a manager files is what the
 * administrator read. Text is already in the reader's language.
 */

/** A cell or paragraph tone: how a judgement is highlighted (red for act now, orange for watch). */
export const DOCUMENT_TONES = ['normal', 'good', 'warning', 'danger'] as const;
export type DocumentTone = (typeof DOCUMENT_TONES)[number];

export const DocumentBlock = Type.Union([
  Type.Object({ kind: Type.Literal('paragraph'), text: Type.String(), tone: Type.Optional(Type.Enum(DOCUMENT_TONES)) }),
  Type.Object({ kind: Type.Literal('list'), items: Type.Array(Type.String()) }),
  Type.Object({
    kind: Type.Literal('table'),
    header: Type.Array(Type.String()),
    rows: Type.Array(Type.Array(Type.String())),
    /** Per row, how it is highlighted (same length as rows when given). */
    tones: Type.Optional(Type.Array(Type.Enum(DOCUMENT_TONES))),
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

/** The files a WrittenDocument is downloaded as. */
export const DOCUMENT_FORMATS = ['docx', 'pdf'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];
export const DOCUMENT_FORMAT_NAMES: Record<DocumentFormat, string> = { docx: 'Word', pdf: 'PDF' };
