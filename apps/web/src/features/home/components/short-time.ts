import dayjs from 'dayjs';

/** A time in a card's list: today's as HH:mm, others with the date. */
export function shortTime(value: number | null | undefined): string {
  if (!value) {
    return '';
  }
  const d = dayjs(value);
  return d.isSame(dayjs(), 'day') ? d.format('HH:mm') : d.format('MM-DD HH:mm');
}
