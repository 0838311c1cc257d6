import type { CalendarDayKind } from '@yunwei/contracts/oncall';
import { addDays } from './zoned-time.js';

/** A statutory holiday period with its make-up working days (调休), as the State Council announces them. */
interface HolidayNotice {
  zh: string;
  en: string;
  /** First and last day off, inclusive. */
  from: string;
  to: string;
  /** Weekend days worked instead (调休上班). */
  workdays?: string[];
}

export interface SeedDay {
  date: string;
  kind: CalendarDayKind;
  name: { zh: string; en: string };
}

/**
 * China's statutory holidays and make-up working days (国务院办公厅关于部分节假日安排的通知, 国办发明电).
 * A new year is one more block here; days an administrator has edited are never overwritten.
 */
const NOTICES: Record<number, HolidayNotice[]> = {
  2025: [
    { zh: '元旦', en: "New Year's Day", from: '2025-01-01', to: '2025-01-01' },
    { zh: '春节', en: 'Spring Festival', from: '2025-01-28', to: '2025-02-04', workdays: ['2025-01-26', '2025-02-08'] },
    { zh: '清明节', en: 'Qingming Festival', from: '2025-04-04', to: '2025-04-06' },
    { zh: '劳动节', en: 'Labour Day', from: '2025-05-01', to: '2025-05-05', workdays: ['2025-04-27'] },
    { zh: '端午节', en: 'Dragon Boat Festival', from: '2025-05-31', to: '2025-06-02' },
    { zh: '国庆节、中秋节', en: 'National Day and Mid-Autumn Festival', from: '2025-10-01', to: '2025-10-08', workdays: ['2025-09-28', '2025-10-11'] },
  ],
  2026: [
    { zh: '元旦', en: "New Year's Day", from: '2026-01-01', to: '2026-01-03', workdays: ['2026-01-04'] },
    { zh: '春节', en: 'Spring Festival', from: '2026-02-15', to: '2026-02-23', workdays: ['2026-02-14', '2026-02-28'] },
    { zh: '清明节', en: 'Qingming Festival', from: '2026-04-04', to: '2026-04-06' },
    { zh: '劳动节', en: 'Labour Day', from: '2026-05-01', to: '2026-05-05', workdays: ['2026-05-09'] },
    { zh: '端午节', en: 'Dragon Boat Festival', from: '2026-06-19', to: '2026-06-21' },
    { zh: '中秋节', en: 'Mid-Autumn Festival', from: '2026-09-25', to: '2026-09-27' },
    { zh: '国庆节', en: 'National Day', from: '2026-10-01', to: '2026-10-07', workdays: ['2026-09-20', '2026-10-10'] },
  ],
};

/** The seeded days of every year Yunwei ships, sorted by date. */
export function seedDays(): SeedDay[] {
  const days: SeedDay[] = [];
  for (const notices of Object.values(NOTICES)) {
    for (const n of notices) {
      for (let date = n.from; date <= n.to; date = addDays(date, 1)) {
        days.push({ date, kind: 'holiday', name: { zh: n.zh, en: n.en } });
      }
      for (const date of n.workdays ?? []) {
        days.push({ date, kind: 'workday', name: { zh: `${n.zh}调休上班`, en: `${n.en} make-up workday` } });
      }
    }
  }
  return days.sort((a, b) => a.date.localeCompare(b.date));
}
