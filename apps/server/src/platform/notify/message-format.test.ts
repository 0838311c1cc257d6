import { describe, expect, it } from 'vitest';
import { formatMessageTime, isTimeZone, linkTo, publicUrlProblem } from './message-format.js';

describe('message format', () => {
  const at = Date.UTC(2026, 11, 6, 12, 15, 3);

  it('writes a time as wall-clock time in the zone with its UTC offset', () => {
    expect(formatMessageTime(at, 'Asia/Shanghai')).toBe('2026-12-06 20:15:03 (UTC+08:00)');
    expect(formatMessageTime(at, 'UTC')).toBe('2026-12-06 12:15:03 (UTC+00:00)');
    expect(formatMessageTime(at, 'Asia/Kolkata')).toBe('2026-12-06 17:45:03 (UTC+05:30)');
    // The offset of that instant: summer time shows.
    expect(formatMessageTime(Date.UTC(2026, 6, 1, 0, 0, 0), 'Europe/Berlin')).toBe('2026-07-01 02:00:00 (UTC+02:00)');
    expect(formatMessageTime(Date.UTC(2026, 0, 1, 0, 0, 0), 'Europe/Berlin')).toBe('2026-01-01 01:00:00 (UTC+01:00)');
    expect(formatMessageTime(Date.UTC(2026, 0, 1, 5, 0, 0), 'America/New_York')).toBe('2026-01-01 00:00:00 (UTC-05:00)');
  });

  it('knows time zones through Intl', () => {
    expect(isTimeZone('Asia/Shanghai')).toBe(true);
    expect(isTimeZone('UTC')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });

  it('makes links absolute under the public URL, relative without it', () => {
    expect(linkTo('https://ops.example.com/', '/alerts?alert=1')).toBe('https://ops.example.com/alerts?alert=1');
    expect(linkTo('https://ops.example.com/yunwei', '/alerts')).toBe('https://ops.example.com/yunwei/alerts');
    expect(linkTo(undefined, '/alerts')).toBe('/alerts');
    expect(publicUrlProblem('https://ops.example.com')).toBeNull();
    expect(publicUrlProblem('javascript:alert(1)')).toMatch(/http/);
    expect(publicUrlProblem('https://ops.example.com/#x')).toMatch(/query/);
  });
});
