import { describe, expect, it } from 'vitest';
import { causeScore, graphWeight, rankEvents, rankReason, spanText, timeWeight } from './cause-timeline.js';

const MIN = 60_000;
const start = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('cause timeline ranking', () => {
  it('[L2-2.1.3] time weighs more than hops: the same CI 3 min before beats a dependency 2 hops away 1 min before', () => {
    const sameCi = { id: 'same', at: start - 3 * MIN, hops: 0, signal: 'problem' as const };
    const dependency = { id: 'dep', at: start - 1 * MIN, hops: 2, signal: 'problem' as const };
    expect(rankEvents([dependency, sameCi], start).map((e) => e.id)).toEqual(['same', 'dep']);
  });

  it('[L2-2.1.3] a failure 10 min before on a dependency outranks the symptom at the start and a change 20 min before', () => {
    const symptom = { id: 'app-alert', at: start, hops: 0, signal: 'problem' as const, severity: 'critical' as const };
    const storageDown = { id: 'storage-down', at: start - 10 * MIN, hops: 2, signal: 'problem' as const, severity: 'critical' as const };
    const dbChange = { id: 'db-change', at: start - 20 * MIN, hops: 1, signal: 'change' as const };
    const ranked = rankEvents([symptom, dbChange, storageDown], start);
    expect(ranked.map((e) => e.id)).toEqual(['storage-down', 'db-change', 'app-alert']);
    expect(ranked[0]!.score).toBeCloseTo(0.529, 3);
  });

  it('events shortly before the start rank above the same events after it', () => {
    const before = { id: 'before', at: start - 5 * MIN, hops: 1, signal: 'problem' as const };
    const after = { id: 'after', at: start + 5 * MIN, hops: 1, signal: 'problem' as const };
    expect(rankEvents([after, before], start).map((e) => e.id)).toEqual(['before', 'after']);
    expect(timeWeight(-30 * MIN)).toBeCloseTo(0.5);
    expect(timeWeight(0)).toBeCloseTo(0.4);
    expect(timeWeight(10 * MIN)).toBeCloseTo(0.2);
  });

  it('scores lie in 0–1, closer hops weigh more, and recoveries count less than problems', () => {
    expect(graphWeight(0)).toBe(1);
    expect(graphWeight(1)).toBeCloseTo(0.8);
    expect(causeScore({ at: start - 1, hops: 0, signal: 'problem' }, start)).toBe(1);
    expect(causeScore({ at: start - 24 * 60 * MIN, hops: 5, signal: 'acknowledgement' }, start)).toBe(0);
    expect(causeScore({ at: start - MIN, hops: 0, signal: 'recovery' }, start)).toBeLessThan(causeScore({ at: start - MIN, hops: 0, signal: 'problem' }, start));
  });

  it('breaks ties by severity, then nearness in time', () => {
    const warning = { id: 'w', at: start - 5 * MIN, hops: 1, signal: 'problem' as const, severity: 'warning' as const };
    const critical = { id: 'c', at: start - 5 * MIN, hops: 1, signal: 'problem' as const, severity: 'critical' as const };
    expect(rankEvents([warning, critical], start).map((e) => e.id)).toEqual(['c', 'w']);
  });

  it('[L2-2.1.3] explains the rank in words, in the reader language', () => {
    expect(rankReason({ at: start - 3 * MIN, hops: 0 }, start, 'zh-CN')).toBe('同一 CI，开始前 3 分钟');
    expect(rankReason({ at: start - 10 * MIN, hops: 2 }, start, 'zh-CN')).toBe('依赖 2 跳，开始前 10 分钟');
    expect(rankReason({ at: start + 90 * MIN, hops: 1 }, start, 'zh-CN')).toBe('依赖 1 跳，开始后 1 小时 30 分钟');
    expect(rankReason({ at: start, hops: 0 }, start, 'zh-CN')).toBe('同一 CI，与开始同时');
    expect(rankReason({ at: start - 10 * MIN, hops: 2 }, start, 'en')).toBe('2 hops down the dependencies, 10 min before the start');
    expect(rankReason({ at: start + 30_000, hops: 1 }, start, 'en')).toBe('1 hop down the dependencies, 30 s after the start');
    expect(spanText(2 * 60 * MIN, 'en')).toBe('2 h');
  });
});
