import type { DocumentRun } from '@yunwei/contracts/documents';
import { useFace, useMono, type PdfFace } from './pdf-fonts.js';

/*
 * Text with inline marks laid out on PDF pages: runs of several faces on one line, broken where a
 * Chinese reader breaks (between CJK characters, at spaces between Latin words, never before a closing
 * mark such as "，" or "）", never after an opening one), a new page whenever the next line does not
 * fit. PDFKit's own wrapping cannot mix faces on a line reliably, hence this small line breaker.
 *
 * Marks:
 * - bold: the bold of the face (Noto Serif SC Bold for running text, a real bold face);
 * - italic: Latin letters slanted (PDFKit's `oblique`), CJK characters left upright — Chinese has no
 *   italic, and slanted 汉字 read as a rendering fault (Word and browsers synthesise it, Chinese style
 *   guides advise against it), so the mark shows on the Latin text of the run only;
 * - underline and strike: lines drawn under and through the text;
 * - code: printable ASCII in Courier, every other character in Noto Sans SC (Courier has no CJK), on a
 *   light grey background.
 */

type Pdf = PDFKit.PDFDocument;
export type InlineFace = PdfFace | 'mono';

export interface InlineStyle {
  face: InlineFace;
  color: string;
  underline?: boolean;
  strike?: boolean;
  oblique?: boolean;
  /** A fill behind the text (inline code). */
  background?: string;
}

export interface Segment {
  text: string;
  style: InlineStyle;
}

export const CODE_FILL = '#F0F0F0';
const CJK_CHAR = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;
const SPACE = /[ \t\u00a0]/;
/** Marks a line may not start with (closing punctuation) and may not end with (opening punctuation). */
const NO_START = /[，。、；：？！）》」』”’】〕〉…·,.;:?!)\]}%]/;
const NO_END = /[（《「『“‘【〔〈([{]/;

export function setInlineFace(pdf: Pdf, face: InlineFace, size: number): Pdf {
  return (face === 'mono' ? useMono(pdf) : useFace(pdf, face)).fontSize(size);
}

/** Splits code text by script: printable ASCII in Courier, the rest in the CJK sans face. */
export function codeSegments(text: string, style: Omit<InlineStyle, 'face'>): Segment[] {
  const out: Segment[] = [];
  for (const part of text.match(/[\x20-\x7e]+|[^\x20-\x7e]+/g) ?? []) {
    out.push({ text: part, style: { ...style, face: /^[\x20-\x7e]/.test(part) ? 'mono' : 'sans' } });
  }
  return out;
}

/** A paragraph's runs as segments of `face` (the paragraph's face: body, or heading for a danger tone). */
export function runSegments(runs: readonly DocumentRun[], face: PdfFace, color: string): Segment[] {
  const out: Segment[] = [];
  for (const run of runs) {
    if (!run.text) {
      continue;
    }
    const marks = { color, underline: run.underline, strike: run.strike };
    if (run.code) {
      out.push(...codeSegments(run.text, { ...marks, background: CODE_FILL }));
      continue;
    }
    const runFace: PdfFace = run.bold && face === 'body' ? 'bold' : face;
    if (!run.italic) {
      out.push({ text: run.text, style: { ...marks, face: runFace } });
      continue;
    }
    // Italic: slant the Latin text only (see above).
    for (const part of run.text.match(/[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|[^\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+/g) ?? []) {
      out.push({ text: part, style: { ...marks, face: runFace, oblique: !CJK_CHAR.test(part) } });
    }
  }
  return out;
}

interface Piece {
  text: string;
  style: InlineStyle;
  width: number;
}

/** An unbreakable stretch (a Latin word, one CJK character with its punctuation, spaces, a line break). */
interface Atom {
  pieces: Piece[];
  width: number;
  kind: 'word' | 'space' | 'newline';
}

// Advance widths at size 1 by face and text: measuring through fontkit is the slow part of a layout.
const widths = new Map<string, number>();

function measure(pdf: Pdf, face: InlineFace, text: string, size: number): number {
  const key = `${face}\u0000${text}`;
  let width = widths.get(key);
  if (width === undefined) {
    setInlineFace(pdf, face, 100);
    width = pdf.widthOfString(text) / 100;
    if (widths.size > 50_000) {
      widths.clear();
    }
    widths.set(key, width);
  }
  return width * size;
}

function atomsOf(pdf: Pdf, segments: readonly Segment[], size: number): Atom[] {
  const atoms: Atom[] = [];
  let current: Atom | null = null;
  let prev = '';
  const push = (char: string, style: InlineStyle, kind: Atom['kind'], breakBefore: boolean) => {
    if (!current || breakBefore || current.kind !== kind) {
      current = { pieces: [], width: 0, kind };
      atoms.push(current);
    }
    const last = current.pieces.at(-1);
    if (last && last.style === style) {
      last.text += char;
    } else {
      current.pieces.push({ text: char, style, width: 0 });
    }
  };
  for (const segment of segments) {
    for (const char of segment.text.replace(/\t/g, '    ')) {
      if (char === '\n') {
        atoms.push({ pieces: [], width: 0, kind: 'newline' });
        current = null;
        prev = '';
        continue;
      }
      if (char === '\r') {
        continue;
      }
      const space = SPACE.test(char);
      const breakBefore = space
        ? false
        : !prev || SPACE.test(prev)
          ? true
          : (CJK_CHAR.test(char) || CJK_CHAR.test(prev)) && !NO_START.test(char) && !NO_END.test(prev);
      push(char, segment.style, space ? 'space' : 'word', breakBefore && (current as Atom | null)?.kind === 'word');
      prev = char;
    }
  }
  for (const atom of atoms) {
    for (const piece of atom.pieces) {
      piece.width = measure(pdf, piece.style.face, piece.text, size);
      atom.width += piece.width;
    }
  }
  return atoms;
}

/** An atom wider than a line, cut into atoms that fit (by character). */
function splitWide(pdf: Pdf, atom: Atom, width: number, size: number): Atom[] {
  const out: Atom[] = [];
  let current: Atom = { pieces: [], width: 0, kind: 'word' };
  for (const piece of atom.pieces) {
    for (const char of piece.text) {
      const w = measure(pdf, piece.style.face, char, size);
      if (current.width + w > width && current.pieces.length) {
        out.push(current);
        current = { pieces: [], width: 0, kind: 'word' };
      }
      const last = current.pieces.at(-1);
      if (last && last.style === piece.style) {
        last.text += char;
        last.width += w;
      } else {
        current.pieces.push({ text: char, style: piece.style, width: w });
      }
      current.width += w;
    }
  }
  if (current.pieces.length) {
    out.push(current);
  }
  return out;
}

export interface Line {
  pieces: Piece[];
  width: number;
}

/**
 * Breaks segments into lines of at most `width`. `keepSpaces`: spaces at the start of a line are kept
 * (indentation of code), otherwise a line starts with its first word.
 */
export function breakLines(pdf: Pdf, segments: readonly Segment[], width: number, size: number, keepSpaces = false): Line[] {
  const lines: Line[] = [];
  let line: Line = { pieces: [], width: 0 };
  let pending: Atom[] = [];
  const pendingWidth = () => pending.reduce((a, x) => a + x.width, 0);
  const add = (atom: Atom) => {
    for (const piece of atom.pieces) {
      const last = line.pieces.at(-1);
      if (last && last.style === piece.style) {
        last.text += piece.text;
        last.width += piece.width;
      } else {
        line.pieces.push({ ...piece });
      }
    }
    line.width += atom.width;
  };
  const close = () => {
    lines.push(line);
    line = { pieces: [], width: 0 };
    pending = [];
  };
  let atStart = true;
  for (const atom of atomsOf(pdf, segments, size)) {
    if (atom.kind === 'newline') {
      if (keepSpaces) {
        pending.forEach(add);
      }
      close();
      atStart = true;
      continue;
    }
    if (atom.kind === 'space') {
      if (line.pieces.length || (keepSpaces && atStart)) {
        pending.push(atom);
      }
      continue;
    }
    for (const part of atom.width > width ? splitWide(pdf, atom, width, size) : [atom]) {
      if (line.pieces.length && line.width + pendingWidth() + part.width > width) {
        close();
      }
      pending.forEach(add);
      pending = [];
      add(part);
      atStart = false;
    }
  }
  if (keepSpaces) {
    pending.forEach(add);
  }
  if (line.pieces.length || !lines.length) {
    lines.push(line);
  }
  return lines;
}

export interface FlowOptions {
  x: number;
  width: number;
  size: number;
  /** Extra space between lines. */
  lineGap: number;
  keepSpaces?: boolean;
  /** Drawn behind every line, the whole width plus `pad` on either side (a code block). */
  blockFill?: { color: string; pad: number };
}

/** The height of one line of `size` (the CJK body face's line box, which is the tallest). */
export function lineHeight(pdf: Pdf, size: number): number {
  return useFace(pdf, 'body').fontSize(size).currentLineHeight();
}

function ascent(pdf: Pdf, size: number): number {
  useFace(pdf, 'body').fontSize(size);
  return ((pdf as unknown as { _font: { ascender: number } })._font.ascender / 1000) * size;
}

/** Height the segments take at `options`. */
export function flowHeight(pdf: Pdf, segments: readonly Segment[], options: FlowOptions): number {
  const lines = breakLines(pdf, segments, options.width, options.size, options.keepSpaces);
  return lines.length * (lineHeight(pdf, options.size) + options.lineGap);
}

/** Draws the segments from the current position on, starting a page whenever a line does not fit. */
export function flow(pdf: Pdf, segments: readonly Segment[], options: FlowOptions): void {
  const { x, width, size, lineGap } = options;
  const lines = breakLines(pdf, segments, width, size, options.keepSpaces);
  const height = lineHeight(pdf, size);
  const rise = ascent(pdf, size);
  let y = pdf.y;
  for (const line of lines) {
    if (y + height > pdf.page.height - pdf.page.margins.bottom) {
      pdf.addPage();
      y = pdf.y;
    }
    if (options.blockFill) {
      pdf.rect(x - options.blockFill.pad, y, width + 2 * options.blockFill.pad, height + lineGap).fill(options.blockFill.color);
    }
    const baseline = y + rise;
    let at = x;
    for (const piece of line.pieces) {
      const { style } = piece;
      if (style.background) {
        pdf.rect(at, y + 1, piece.width, height - 1).fill(style.background);
      }
      setInlineFace(pdf, style.face, size).fillColor(style.color);
      pdf.text(piece.text, at, baseline, { lineBreak: false, baseline: 'alphabetic', oblique: style.oblique ? 12 : false });
      const thickness = Math.max(0.5, size / 18);
      if (style.underline) {
        pdf.moveTo(at, baseline + size * 0.15).lineTo(at + piece.width, baseline + size * 0.15).lineWidth(thickness).stroke(style.color);
      }
      if (style.strike) {
        pdf.moveTo(at, baseline - size * 0.3).lineTo(at + piece.width, baseline - size * 0.3).lineWidth(thickness).stroke(style.color);
      }
      at += piece.width;
    }
    y += height + lineGap;
  }
  pdf.fillColor('#000000');
  pdf.x = x;
  pdf.y = y;
}
