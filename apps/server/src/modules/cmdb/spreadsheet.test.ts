import { describe, expect, it } from 'vitest';
import { cellText, cellValue, csvCell, headerKey, headerOf, parseCsv, unescapeCsvCell } from './spreadsheet.js';

describe('CMDB spreadsheets', () => {
  it('parses CSV with a BOM, quotes, escaped quotes, line breaks in fields and CRLF', () => {
    expect(parseCsv('\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', 'two\nlines', ''],
    ]);
    expect(parseCsv('a,b')).toEqual([['a', 'b']]);
    expect(parseCsv('')).toEqual([]);
  });

  it('writes CSV cells that round-trip, defusing formulas', () => {
    const cells = ['plain', 'a,b', 'say "x"', 'two\nlines', '=SUM(A1)', '-5', '@x', 7, -7, true, null];
    const line = cells.map((c) => csvCell(c)).join(',');
    expect(line).toContain('"\'=SUM(A1)"');
    const [parsed] = parseCsv(line);
    expect(parsed!.map(unescapeCsvCell)).toEqual(['plain', 'a,b', 'say "x"', 'two\nlines', '=SUM(A1)', '-5', '@x', '7', '-7', 'true', '']);
  });

  it('reads ExcelJS cell values', () => {
    expect(cellValue({ richText: [{ text: '网' }, { text: '厅' }] })).toBe('网厅');
    expect(cellValue({ formula: 'A1*2', result: 16 })).toBe(16);
    expect(cellValue({ text: 'link', hyperlink: 'http://x' })).toBe('link');
    expect(cellValue({ error: '#N/A' })).toBeUndefined();
    expect(cellText(new Date(Date.UTC(2026, 0, 2)))).toBe('2026-01-02');
    expect(cellText('  x ')).toBe('x');
    expect(cellText(null)).toBe('');
  });

  it('maps headers to keys: template form, bare key, Chinese or English label', () => {
    const labels = new Map([
      ['name', { zh: '名称', en: 'Name' }],
      ['cpu_cores', { zh: 'CPU 核数', en: 'CPU cores' }],
    ]);
    expect(headerOf('name', labels.get('name')!, true)).toBe('*名称 (name)');
    for (const h of ['*名称 (name)', '名称（name）', 'name', 'NAME', '名称', 'Name', ' * 名称 ']) {
      expect(headerKey(h, labels), h).toBe('name');
    }
    expect(headerKey('CPU 核数 (cpu_cores)', labels)).toBe('cpu_cores');
    expect(headerKey('cpu cores', labels)).toBe('cpu_cores');
    expect(headerKey('备注', labels)).toBeNull();
    expect(headerKey('其他 (unknown)', labels)).toBeNull();
  });
});
