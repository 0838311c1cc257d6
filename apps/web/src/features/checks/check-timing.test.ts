import { describe, expect, it } from 'vitest';
import { clampTimeout, timeoutCeilingMs } from './check-timing';

describe('a check’s timeout against its interval (as the server checks it)', () => {
  it('allows a timeout up to the interval, equal included', () => {
    expect(timeoutCeilingMs(5)).toBe(5000);
    expect(clampTimeout(10, 10_000)).toBe(10_000);
    expect(clampTimeout(60, 3000)).toBe(3000);
  });

  it('lowers a timeout longer than a shortened interval to the interval', () => {
    expect(clampTimeout(5, 10_000)).toBe(5000);
    expect(clampTimeout(30, 120_000)).toBe(30_000);
  });

  it('leaves an empty field alone (the required rule speaks for it)', () => {
    expect(clampTimeout(null, 10_000)).toBeUndefined();
    expect(clampTimeout(30, undefined)).toBeUndefined();
  });
});
