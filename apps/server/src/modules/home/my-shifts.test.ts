import { describe, expect, it } from 'vitest';
import { shiftsOf } from './my-shifts.js';

const H = 3_600_000;

describe('shiftsOf', () => {
  it('joins the segments naming the person into one shift, across splits made by other people', () => {
    // 甲 is on call 0–12 h; 乙 joins 6–12 h (an override), so the timeline splits at 6 h.
    const segments = [
      { start: 0, end: 6 * H, userIds: ['a'] },
      { start: 6 * H, end: 12 * H, userIds: ['a', 'b'] },
      { start: 12 * H, end: 24 * H, userIds: ['c'] },
      { start: 24 * H, end: 36 * H, userIds: ['a'] },
    ];
    expect(shiftsOf(segments, 'a', 3 * H)).toEqual({ current: { start: 0, end: 12 * H }, next: { start: 24 * H, end: 36 * H } });
    expect(shiftsOf(segments, 'b', 3 * H)).toEqual({ current: null, next: { start: 6 * H, end: 12 * H } });
  });

  it('answers no shift for someone the timeline never names, and none after the last', () => {
    const segments = [{ start: 0, end: 10, userIds: ['a'] }];
    expect(shiftsOf(segments, 'z', 5)).toEqual({ current: null, next: null });
    expect(shiftsOf(segments, 'a', 10)).toEqual({ current: null, next: null });
  });
});
