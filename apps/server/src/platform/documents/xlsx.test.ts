import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { WrittenDocument } from '@yunwei/contracts/documents';
import { renderXlsx, uniqueSheetName } from './xlsx.js';

describe('a written document as a workbook', () => {
  it('names sheets as Excel allows: no []:*?/\\, at most 31 characters, unique whatever the case', () => {
    const taken = new Set<string>(['概况']);
    expect(uniqueSheetName('一、可用性 [按 CI/业务系统]', taken)).toBe('一、可用性  按 CI 业务系统');
    expect(uniqueSheetName('Availability', taken)).toBe('Availability');
    expect(uniqueSheetName('AVAILABILITY', taken)).toBe('AVAILABILITY (2)');
    const long = 'A'.repeat(40);
    expect(uniqueSheetName(long, taken)).toHaveLength(31);
    expect(uniqueSheetName(long, taken)).toBe(`${'A'.repeat(27)} (2)`);
    expect(uniqueSheetName('', taken)).toBe('Sheet');
  });

  it('puts each table on its own sheet with plain numbers as numbers and tones as fills, the text on the first sheet', async () => {
    const doc: WrittenDocument = {
      title: 'Capacity',
      facts: [['Period', 'November']],
      sections: [
        { heading: '1. Hosts', blocks: [{ kind: 'paragraph', text: 'Two hosts.' }, { kind: 'table', header: ['Host', 'CPU %', 'Note'], rows: [['web-01', '91.5', '99.9 %'], ['db-01', '12', '']], tones: ['danger', 'normal'] }] },
        { heading: '1. Hosts', blocks: [{ kind: 'list', items: ['expand web-01'], ordered: true }, { kind: 'table', header: ['x'], rows: [] }] },
      ],
    };
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await renderXlsx(doc, { locale: 'en' })) as unknown as ArrayBuffer);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['Summary', '1. Hosts', '1. Hosts (2)']);
    const summary = workbook.worksheets[0]!.getSheetValues().flat().map(String).join('\n');
    for (const text of ['Capacity', 'Period', 'November', 'Two hosts.', '1. expand web-01', 'Table: see the sheet "1. Hosts (2)"']) {
      expect(summary).toContain(text);
    }
    const hosts = workbook.worksheets[1]!;
    expect(hosts.getRow(2).values).toEqual([undefined, 'web-01', 91.5, '99.9 %']);
    expect(hosts.getRow(3).getCell(2).value).toBe(12);
    expect((hosts.getRow(2).getCell(1).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFCCC7');
    expect(hosts.getRow(3).getCell(1).fill).toBeUndefined();
    expect(hosts.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
  });
});
