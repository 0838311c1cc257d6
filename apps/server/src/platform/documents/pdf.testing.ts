import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { requirePeer } from '../../../test/peers.js';

/*
 * Reads a PDF back the way a reader's viewer would, with poppler-utils (Debian `poppler-utils`): the
 * text as extracted (which fails for glyphs a font did not have), the fonts as embedded, and a page as
 * pixels. For tests.
 */

const run = promisify(execFile);

/** True when poppler-utils is installed; otherwise the tests that need it skip (or fail under YUNWEI_REQUIRE_ALL=1). */
export function popplerAvailable(): boolean {
  return requirePeer('/usr/bin/pdftotext', 'poppler-utils');
}

async function withFile<T>(body: Buffer, use: (file: string, dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'yw-pdf-'));
  try {
    const file = path.join(dir, 'doc.pdf');
    writeFileSync(file, body);
    return await use(file, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The text of each page (pdftotext in reading order; pages split on form feed). */
export async function pdfPages(body: Buffer): Promise<string[]> {
  return withFile(body, async (file) => {
    const { stdout } = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
    return stdout.split('\f').slice(0, -1);
  });
}

export interface PdfFont {
  name: string;
  type: string;
  embedded: boolean;
  subset: boolean;
}

/** The fonts of the document, as pdffonts lists them. */
export async function pdfFonts(body: Buffer): Promise<PdfFont[]> {
  return withFile(body, async (file) => {
    const { stdout } = await run('pdffonts', [file]);
    // name, type (may hold spaces), encoding, emb, sub, uni, object, id: read the flags from the end.
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim())
      .map((line) => {
        const cols = line.trim().split(/\s+/);
        const [emb, sub] = cols.slice(-5, -3);
        return { name: cols[0]!, type: cols.slice(1, -6).join(' '), embedded: emb === 'yes', subset: sub === 'yes' };
      });
  });
}

/** How many pixels of page `page` (1-based) are not near-white, rendered in grey at 36 dpi. */
export async function inkedPixels(body: Buffer, page: number): Promise<{ inked: number; total: number }> {
  return withFile(body, async (file, dir) => {
    await run('pdftoppm', ['-gray', '-r', '36', '-f', String(page), '-l', String(page), '-singlefile', file, path.join(dir, 'page')]);
    return countInk(readFileSync(path.join(dir, 'page.pgm')));
  });
}

/** A binary PGM (P5, 8 bit): "P5 <width> <height> <max>\n" and one byte per pixel. */
function countInk(pgm: Buffer): { inked: number; total: number } {
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) {
    throw new Error('not a binary PGM');
  }
  const total = Number(header[1]) * Number(header[2]);
  const pixels = pgm.subarray(pgm.length - total);
  let inked = 0;
  for (const p of pixels) {
    if (p < 200) {
      inked++;
    }
  }
  return { inked, total };
}

export interface PdfImage {
  /** 1-based page. */
  page: number;
  type: string;
  width: number;
  height: number;
  /** `image` (DCT) for a JPEG, `image` with enc `image` for a PNG's pixels; `smask` for its alpha. */
  enc: string;
  xPpi: number;
  yPpi: number;
}

/** The pictures of the document, as `pdfimages -list` lists them. */
export async function pdfImages(body: Buffer): Promise<PdfImage[]> {
  return withFile(body, async (file) => {
    const { stdout } = await run('pdfimages', ['-list', file]);
    // page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
    return stdout
      .split('\n')
      .slice(2)
      .filter((line) => line.trim())
      .map((line) => {
        const cols = line.trim().split(/\s+/);
        return { page: Number(cols[0]), type: cols[2]!, width: Number(cols[3]), height: Number(cols[4]), enc: cols[8]!, xPpi: Number(cols[12]), yPpi: Number(cols[13]) };
      });
  });
}
