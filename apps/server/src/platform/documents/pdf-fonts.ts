import { openSync, type Font } from 'fontkit';
import { createRequire } from 'node:module';

/*
 * The faces a PDF is set in, as files that npm installs (the Noto CJK families of Google Fonts, as
 * the Expo packages ship them): nothing is downloaded and nothing depends on the fonts of the machine.
 * Noto Serif SC stands in for 宋体 (body text), Noto Sans SC for 黑体 (headings, table headers).
 * pdfkit embeds only the glyphs a document uses (a subset per face), so a file stays small.
 */
const here = createRequire(import.meta.url);

export const PDF_FONTS = {
  /** 宋体-like, for running text. */
  body: here.resolve('@expo-google-fonts/noto-serif-sc/400Regular/NotoSerifSC_400Regular.ttf'),
  /** 黑体-like, for headings, table headers and emphasis. */
  heading: here.resolve('@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'),
  /** 黑体-like regular, for the page header and footer and table cells, and CJK text inside code. */
  sans: here.resolve('@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf'),
  /** The bold of the body face, for bold runs (a true bold: the package ships it, nothing is simulated). */
  bold: here.resolve('@expo-google-fonts/noto-serif-sc/700Bold/NotoSerifSC_700Bold.ttf'),
} as const;

export type PdfFace = keyof typeof PDF_FONTS;

// Opened once per process (the files are about 35 MB): reading and parsing them for every
// document cost more than laying it out, and fontkit keeps the glyphs it has read for the next one.
const opened = new Map<PdfFace, Font>();

/**
 * Sets `face`, keyed by its name. (Not a registerFont alias of the file: PDFKit keeps an alias only
 * the first time a file is opened, and would read a 10 MB font again on every switch.)
 */
export function useFace(pdf: PDFKit.PDFDocument, face: PdfFace): PDFKit.PDFDocument {
  // PDFKit takes a fontkit font where its types say a file (it embeds a fresh subset per document).
  return pdf.font(fontOf(face) as unknown as string, face);
}

/** The face as a fontkit font, opened once per process (also used to outline the text of charts). */
export function fontOf(face: PdfFace): Font {
  let font = opened.get(face);
  if (!font) {
    font = openSync(PDF_FONTS[face]) as Font;
    opened.set(face, font);
  }
  return font;
}

/**
 * The monospaced face of code, for printable ASCII only: PDFKit's built-in Courier, one of the 14 standard
 * PDF fonts every viewer has (so it is named, not embedded). Other characters of code (CJK, symbols) are
 * set in `sans` instead: Courier has no glyph for them.
 */
export function useMono(pdf: PDFKit.PDFDocument): PDFKit.PDFDocument {
  return pdf.font('Courier');
}
