import { describe, expect, it } from 'vitest';
import { judge, recommendation } from './utilisation-judgement.js';

const DAY = 86_400_000;
const end = Date.UTC(2026, 11, 7);

describe('the utilisation judgement', () => {
  it('needs expanding over the threshold or when the trend reaches it within 30 days; watching near it, after peaks over it, or within 90 days', () => {
    expect(judge({ p95: 85, max: 90, thresholdEta: null }, 80, end)).toEqual({ verdict: 'expand', reason: 'over', daysToThreshold: 0 });
    expect(judge({ p95: 50, max: 60, thresholdEta: end + 10 * DAY }, 80, end)).toEqual({ verdict: 'expand', reason: 'soon', daysToThreshold: 10 });
    expect(judge({ p95: 50, max: 81, thresholdEta: null }, 80, end)).toMatchObject({ verdict: 'watch', reason: 'peak' });
    expect(judge({ p95: 64, max: 70, thresholdEta: null }, 80, end)).toMatchObject({ verdict: 'watch', reason: 'near' });
    expect(judge({ p95: 40, max: 50, thresholdEta: end + 60 * DAY }, 80, end)).toMatchObject({ verdict: 'watch', reason: 'trend', daysToThreshold: 60 });
    expect(judge({ p95: 40, max: 50, thresholdEta: end + 200 * DAY }, 80, end)).toMatchObject({ verdict: 'normal', reason: 'fine' });
    expect(judge({ p95: null, max: null, thresholdEta: null }, 80, end)).toMatchObject({ verdict: 'no_data' });
  });

  it('says why and what to do in both languages', () => {
    const m = { resource: 'fs' as const, mount: '/data', threshold: 90, p95: 93.5, max: 95, trendPerDay: 0.4 };
    const j = judge({ p95: 93.5, max: 95, thresholdEta: null }, 90, end);
    expect(recommendation(m, j, 'zh-CN')).toBe('P95 已超过阈值 90.0%，需扩容：扩充 /data 所在磁盘的容量，或清理、归档历史数据。');
    expect(recommendation(m, j, 'en')).toBe('The P95 is over the 90.0% threshold: expand now — grow the disk under /data, or clean up and archive old data.');
  });
});
