import type { Locale } from '@yunwei/contracts/i18n';
import { formatMessageTime } from '../../platform/notify/message-format.js';

/*
 * How the incident documents (故障分析报告, 故障处理规程) and statistics print durations, times and headings,
 * so that a test can compute the same text from the incident's own figures.
 */

const NUMERALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'];
const MINUTE = 60_000;

/** "一、概述" / "1. Summary". */
export function sectionHeading(i: number, zh: string, en: string, locale: Locale): string {
  return locale === 'en' ? `${i}. ${en}` : `${NUMERALS[i - 1] ?? String(i)}、${zh}`;
}

/** A span in whole minutes: "2 小时 30 分", "1 天 0 小时 5 分", "45 分" / "2 h 30 min". Rounded down to the minute. */
export function durationText(ms: number, locale: Locale): string {
  const total = Math.max(0, Math.floor(ms / MINUTE));
  const days = Math.floor(total / 1440);
  const hours = Math.floor((total % 1440) / 60);
  const minutes = total % 60;
  const en = locale === 'en';
  const parts: string[] = [];
  if (days) {
    parts.push(en ? `${days} d` : `${days} 天`);
  }
  if (days || hours) {
    parts.push(en ? `${hours} h` : `${hours} 小时`);
  }
  parts.push(en ? `${minutes} min` : `${minutes} 分`);
  return parts.join(' ');
}

/** A target or figure given in minutes (SLA targets, elapsed SLA time), printed as a duration. */
export const minutesAsDuration = (minutes: number, locale: Locale): string => durationText(Math.round(minutes * MINUTE), locale);

/** A point in time as every document of Yunwei prints it: "2026-12-07 10:00:00 (UTC+08:00)". */
export const timeText = (at: number | null, timeZone: string): string => (at === null ? '—' : formatMessageTime(at, timeZone));

/** "2026-12-07" in the time zone (file names, bucket labels). */
export function dayText(at: number, timeZone: string): string {
  return new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}
