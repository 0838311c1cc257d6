import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import { breakLines, codeSegments, runSegments, type Segment } from './pdf-inline.js';

const pdf = new PDFDocument({ autoFirstPage: false, font: '' });
const plain = (text: string): Segment[] => [{ text, style: { face: 'body', color: '#000000' } }];
const texts = (lines: ReturnType<typeof breakLines>) => lines.map((l) => l.pieces.map((p) => p.text).join(''));

describe('laying out marked text on PDF lines', () => {
  it('breaks between CJK characters but never puts a closing mark at the start of a line', () => {
    // At 10 pt a CJK character is 10 pt wide: 10 per line of 100 pt.
    const lines = texts(breakLines(pdf, plain('一二三四五六七八九十，一二三'), 100, 10));
    expect(lines.join('')).toBe('一二三四五六七八九十，一二三');
    for (const line of lines) {
      expect(line[0]).not.toBe('，');
    }
    expect(lines[0]).toBe('一二三四五六七八九');
  });

  it('keeps Latin words whole and drops the space where a line breaks', () => {
    const lines = texts(breakLines(pdf, plain('restart nginx.service now 然后检查'), 80, 10));
    expect(lines).toEqual(['restart', 'nginx.service', 'now 然后检查']);
  });

  it('cuts a word wider than the line by characters rather than overflowing', () => {
    const lines = breakLines(pdf, plain('a'.repeat(200)), 100, 10);
    expect(lines.length).toBeGreaterThan(1);
    for (const line of lines) {
      expect(line.width).toBeLessThanOrEqual(100.001);
    }
  });

  it('keeps code lines and their indentation, ASCII in Courier and CJK in the sans face', () => {
    const segments = codeSegments('if x:\n    print("完成")\n', { color: '#000' });
    expect(segments.map((s) => [s.text, s.style.face])).toEqual([
      ['if x:', 'mono'],
      ['\n', 'sans'],
      ['    print("', 'mono'],
      ['完成', 'sans'],
      ['")', 'mono'],
      ['\n', 'sans'],
    ]);
    expect(texts(breakLines(pdf, segments, 400, 9, true))).toEqual(['if x:', '    print("完成")']);
  });

  it('sets bold runs in the bold face, slants italic Latin text and leaves italic CJK upright', () => {
    const segments = runSegments([{ text: '粗', bold: true }, { text: '斜体 italic', italic: true }, { text: 'x', code: true }], 'body', '#000');
    expect(segments.map((s) => [s.text, s.style.face, s.style.oblique ?? false, !!s.style.background])).toEqual([
      ['粗', 'bold', false, false],
      ['斜体', 'body', false, false],
      [' italic', 'body', true, false],
      ['x', 'mono', false, true],
    ]);
  });
});
