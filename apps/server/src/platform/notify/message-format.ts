import type { NotifyLocale } from '@yunwei/contracts/notify';

/**
 * What every message Yunwei sends shares, so a test message, an alert and a recovery read alike:
 * the product's name as the UI shows it, one time format that says its time zone, and links that
 * open from a phone (absolute under `YUNWEI_PUBLIC_URL`).
 */

/** The product's name in each language of a message (the UI's title is "运维 Yunwei"). */
export const PRODUCT_NAME: Record<NotifyLocale, string> = { 'zh-CN': '运维', en: 'Yunwei' };

export const DEFAULT_TIME_ZONE = 'Asia/Shanghai';

/** True when `Intl` knows the IANA time zone (e.g. `Asia/Shanghai`, `UTC`). */
export function isTimeZone(timeZone: string): boolean {
  if (!timeZone || timeZone.length > 100) {
    return false;
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/**
 * `2026-12-06 20:15:03 (UTC+08:00)`: the wall-clock time in `timeZone` and its offset at that
 * instant (so summer time shows), the same in both languages.
 */
export function formatMessageTime(at: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  const parts: Record<string, string> = {};
  for (const p of formatterOf(timeZone).formatToParts(at)) {
    parts[p.type] = p.value;
  }
  // longOffset gives "GMT+08:00", or "GMT" for a zero offset.
  const offset = (parts.timeZoneName ?? 'GMT').replace(/^GMT/, '') || '+00:00';
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second} (UTC${offset})`;
}

/** `YUNWEI_PUBLIC_URL` as stored: an http(s) URL without query, fragment or credentials; no trailing slash. */
export function publicUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'must be an absolute URL such as https://ops.example.com';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return 'must start with http:// or https://';
  }
  if (url.search || url.hash || value.includes('?') || value.includes('#')) {
    return 'must not have a query (?…) or fragment (#…)';
  }
  if (url.username || url.password) {
    return 'must not carry a user name or password';
  }
  return null;
}

/** The base links are made under: the public URL without its trailing slashes. */
export function normalisePublicUrl(value: string): string {
  return value.replace(/\/+$/, '');
}

/**
 * A link to `path` (starting with `/`) in the web UI: absolute under the public URL when it is set,
 * else the path alone (which a chat app cannot open: the UI warns about it).
 */
export function linkTo(publicUrl: string | undefined, path: string): string {
  return publicUrl ? `${normalisePublicUrl(publicUrl)}${path}` : path;
}
