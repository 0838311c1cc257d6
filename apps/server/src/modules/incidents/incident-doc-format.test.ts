import { describe, expect, it } from 'vitest';
import { durationText, sectionHeading } from './incident-doc-format.js';

describe('incident document formats', () => {
  it('prints durations in whole minutes, days and hours only when there are some', () => {
    expect(durationText(150 * 60_000, 'zh-CN')).toBe('2 小时 30 分');
    expect(durationText(45 * 60_000 + 59_999, 'zh-CN')).toBe('45 分');
    expect(durationText((24 * 60 + 5) * 60_000, 'zh-CN')).toBe('1 天 0 小时 5 分');
    expect(durationText(150 * 60_000, 'en')).toBe('2 h 30 min');
    expect(durationText(-5, 'en')).toBe('0 min');
  });
  it('numbers section headings in Chinese and English', () => {
    expect(sectionHeading(3, '影响范围', 'Impact', 'zh-CN')).toBe('三、影响范围');
    expect(sectionHeading(3, '影响范围', 'Impact', 'en')).toBe('3. Impact');
  });
});
