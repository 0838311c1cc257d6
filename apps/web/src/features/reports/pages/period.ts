import dayjs, { type Dayjs } from 'dayjs';

export const PERIOD_PRESETS = ['lastWeek', 'lastMonth', 'lastQuarter', 'custom'] as const;
export type PeriodPreset = (typeof PERIOD_PRESETS)[number];

/** The previous whole week (Monday to Monday), month or quarter in local time, as [from, to) epoch ms. */
export function presetPeriod(preset: Exclude<PeriodPreset, 'custom'>, now: Dayjs = dayjs()): { from: number; to: number } {
  if (preset === 'lastWeek') {
    const monday = now.startOf('day').subtract((now.day() + 6) % 7, 'day');
    return { from: monday.subtract(7, 'day').valueOf(), to: monday.valueOf() };
  }
  if (preset === 'lastMonth') {
    const first = now.startOf('month');
    return { from: first.subtract(1, 'month').valueOf(), to: first.valueOf() };
  }
  const quarterStart = now.startOf('month').subtract(now.month() % 3, 'month');
  return { from: quarterStart.subtract(3, 'month').valueOf(), to: quarterStart.valueOf() };
}
