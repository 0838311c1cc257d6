import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { calendarRows, normaliseDate } from './calendar-sheet.js';

const fieldOf = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? (error.details?.field ?? error.code) : 'not an AppError';
  }
  return undefined;
};

describe('business calendar sheets', () => {
  it('reads dates as people write them', () => {
    expect(['2026-12-25', '2026/12/25', '2026.12.25', '2026年12月25日', '2026-1-4'].map(normaliseDate)).toEqual(['2026-12-25', '2026-12-25', '2026-12-25', '2026-12-25', '2026-01-04']);
    expect(['2026-02-30', '25/12/2026', '', 'soon'].map(normaliseDate)).toEqual([null, null, null, null]);
  });

  it('finds the columns by Chinese or English header, skips blank rows, reads the kinds in either language', () => {
    const rows = calendarRows(
      [
        ['*日期 (date)', 'Kind', '名称', 'English name'],
        ['2026-12-25', '休息日', '公司年会', 'Company party'],
        ['', '', '', ''],
        ['2026/12/26', 'workday', '', ''],
        ['2026-12-31', '补班', '', ''],
      ],
      2026,
    );
    expect(rows).toEqual([
      { date: '2026-12-25', kind: 'holiday', name: { zh: '公司年会', en: 'Company party' } },
      { date: '2026-12-26', kind: 'workday', name: { zh: '', en: '' } },
      { date: '2026-12-31', kind: 'workday', name: { zh: '', en: '' } },
    ]);
  });

  it('names the sheet row and column of a bad cell', () => {
    const head = ['日期', '类型'];
    expect(fieldOf(() => calendarRows([head, ['2026-12-25', '休息日'], ['2025-12-25', '休息日']], 2026))).toBe('body.rows.3.date');
    expect(fieldOf(() => calendarRows([head, ['2026-12-25', '休息日'], ['2026/12/25', '工作日']], 2026))).toBe('body.rows.3.date');
    expect(fieldOf(() => calendarRows([head, ['12/25', '休息日']], 2026))).toBe('body.rows.2.date');
    expect(fieldOf(() => calendarRows([head, ['2026-12-25', '放假吗']], 2026))).toBe('body.rows.2.kind');
    expect(fieldOf(() => calendarRows([['日期', '名称'], ['2026-12-25', 'x']], 2026))).toBe('body');
  });
});
