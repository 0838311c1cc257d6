import dayjs, { type Dayjs } from 'dayjs';

/** Today's date (`YYYY-MM-DD`) on a wall clock of `timeZone` ('en-CA' formats dates as ISO). */
export function todayIn(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
}

export function shiftDate(date: string, days: number): string {
  return dayjs(date).add(days, 'day').format('YYYY-MM-DD');
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** `MM-DD HH:mm` of an instant on a wall clock of `timeZone` (the schedule's, not the browser's). */
export function formatInZone(at: number, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', { timeZone, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  const parts = Object.fromEntries(f.formatToParts(new Date(at)).map((p) => [p.type, p.value]));
  return `${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

const PALETTE = ['#1677ff', '#52c41a', '#fa8c16', '#722ed1', '#13c2c2', '#eb2f96', '#2f54eb', '#a0d911', '#fa541c', '#faad14'];

/**
 * A distinct colour per person, in the order given (a schedule's members first: the same colours
 * every week); more people than colours share them round-robin.
 */
export function personColours(userIds: readonly string[]): Map<string, string> {
  const colours = new Map<string, string>();
  for (const id of userIds) {
    if (!colours.has(id)) {
      colours.set(id, PALETTE[colours.size % PALETTE.length] as string);
    }
  }
  return colours;
}

/** A date as dayjs in the UI language (the global dayjs locale may lag behind a language switch). */
export function localDay(date: string | Dayjs, language: string): Dayjs {
  return dayjs(date).locale(language === 'en' ? 'en' : 'zh-cn');
}
