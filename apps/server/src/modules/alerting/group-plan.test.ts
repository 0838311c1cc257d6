import { describe, expect, it } from 'vitest';
import { escalationStepAt, planGroup } from './group-plan.js';

const timing = { waitMs: 30_000, intervalMs: 300_000, repeatMs: 4 * 3600_000 };

describe('group timing (planGroup)', () => {
  it('waits group_wait after the first alert, then notifies once', () => {
    expect(planGroup({ firstSeenAt: null, lastNotifiedAt: null, notified: [] }, ['a'], false, timing, 1000)).toEqual({ send: null, starts: true, ends: false, nextFlushAt: 31_000 });
    expect(planGroup({ firstSeenAt: 1000, lastNotifiedAt: null, notified: [] }, ['a', 'b'], false, timing, 30_999).send).toBeNull();
    expect(planGroup({ firstSeenAt: 1000, lastNotifiedAt: null, notified: [] }, ['a', 'b'], false, timing, 31_000).send).toBe('firing');
    // group_wait 0: at once.
    expect(planGroup({ firstSeenAt: null, lastNotifiedAt: null, notified: [] }, ['a'], false, { ...timing, waitMs: 0 }, 5).send).toBe('firing');
  });

  it('a change waits group_interval, the same set repeat_interval (not while all are acknowledged); an empty set resolves', () => {
    const notified = { firstSeenAt: 0, lastNotifiedAt: 100_000, notified: ['a', 'b'] };
    expect(planGroup(notified, ['a', 'b', 'c'], false, timing, 399_999)).toMatchObject({ send: null, nextFlushAt: 400_000 });
    expect(planGroup(notified, ['a', 'b', 'c'], false, timing, 400_000).send).toBe('update');
    expect(planGroup(notified, ['b', 'a'], false, timing, 400_000)).toMatchObject({ send: null, nextFlushAt: 100_000 + 4 * 3600_000 });
    expect(planGroup(notified, ['a', 'b'], false, timing, 100_000 + 4 * 3600_000).send).toBe('repeat');
    expect(planGroup(notified, ['a', 'b'], true, timing, 100_000 + 4 * 3600_000).send).toBeNull();
    expect(planGroup(notified, [], false, timing, 400_000)).toEqual({ send: 'resolved', starts: false, ends: true, nextFlushAt: null });
  });

  it('alerts gone before the first notification end the episode silently', () => {
    expect(planGroup({ firstSeenAt: 0, lastNotifiedAt: null, notified: [] }, [], false, timing, 10_000)).toEqual({ send: null, starts: false, ends: true, nextFlushAt: null });
  });
});

describe('escalation step times', () => {
  const steps = [
    { afterMinutes: 0, targets: [] },
    { afterMinutes: 10, targets: [] },
  ];
  it('runs steps after their minutes, repeats in cycles of the last step, then stops', () => {
    expect(escalationStepAt(steps, 1, 0, 0)).toBe(0);
    expect(escalationStepAt(steps, 1, 0, 1)).toBe(600_000);
    expect(escalationStepAt(steps, 1, 0, 2)).toBe(600_000);
    expect(escalationStepAt(steps, 1, 0, 3)).toBe(1_200_000);
    expect(escalationStepAt(steps, 1, 0, 4)).toBeNull();
    expect(escalationStepAt(steps, 0, 0, 2)).toBeNull();
  });
});
