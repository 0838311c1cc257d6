import { describe, expect, it } from 'vitest';
import { checkDays, checkState, checkUptime, ciDays, ciState, ciUptime, lastDays, noticePhase, noticeState, overallState, percent } from './status-model.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('status page rules', () => {
  it('a component is under maintenance whatever its check says; otherwise its latest result or open alerts decide', () => {
    expect(checkState({ up: false, inMaintenance: true })).toBe('maintenance');
    expect(checkState({ up: false, inMaintenance: false })).toBe('outage');
    expect(checkState({ up: true, inMaintenance: false })).toBe('operational');
    expect(checkState({ up: null, inMaintenance: false })).toBe('unknown');
    expect(ciState({ worstOpen: 'critical', inMaintenance: false })).toBe('outage');
    expect(ciState({ worstOpen: 'warning', inMaintenance: false })).toBe('degraded');
    expect(ciState({ worstOpen: null, inMaintenance: false })).toBe('operational');
    expect(ciState({ worstOpen: 'critical', inMaintenance: true })).toBe('maintenance');
  });

  it('the page is an outage when everything live is down, degraded when part is, maintenance only without trouble', () => {
    expect(overallState(['outage'], [])).toBe('outage');
    expect(overallState(['outage', 'operational'], [])).toBe('degraded');
    expect(overallState(['degraded', 'operational'], [])).toBe('degraded');
    expect(overallState(['outage', 'maintenance'], [])).toBe('outage');
    expect(overallState(['maintenance', 'operational'], [])).toBe('maintenance');
    expect(overallState(['operational', 'unknown'], [])).toBe('operational');
    expect(overallState(['unknown'], [])).toBe('unknown');
    expect(overallState([], [])).toBe('unknown');
  });

  it('active notices raise the page state: the worse of components and notices wins', () => {
    expect(noticeState('incident', 'critical')).toBe('outage');
    expect(noticeState('incident', 'major')).toBe('degraded');
    expect(noticeState('incident', 'info')).toBeNull();
    expect(noticeState('maintenance', 'info')).toBe('maintenance');
    expect(overallState(['operational'], [noticeState('incident', 'major')])).toBe('degraded');
    expect(overallState(['operational'], [noticeState('maintenance', 'info')])).toBe('maintenance');
    expect(overallState(['outage'], [noticeState('maintenance', 'info')])).toBe('outage');
    expect(overallState(['unknown'], [noticeState('incident', 'info')])).toBe('unknown');
  });

  it('a notice is scheduled before it starts, active until its end, then ended', () => {
    expect(noticePhase(2000, null, 1000)).toBe('scheduled');
    expect(noticePhase(1000, null, 5000)).toBe('active');
    expect(noticePhase(1000, 6000, 5000)).toBe('active');
    expect(noticePhase(1000, 5000, 5000)).toBe('ended');
  });

  it('uptime is rounded down to two decimals: a single failure never shows as 100%', () => {
    expect(percent(1)).toBe(100);
    expect(percent(0.99999)).toBe(99.99);
    expect(percent(0.5)).toBe(50);
    expect(percent(null)).toBeNull();
  });

  it('days are local days of the time zone, oldest first, today ending now', () => {
    // 2026-12-06 10:00 in Beijing = 02:00 UTC.
    const now = Date.UTC(2026, 11, 6, 2, 0);
    const days = lastDays(now, 'Asia/Shanghai', 3);
    expect(days.map((d) => d.date)).toEqual(['2026-12-04', '2026-12-05', '2026-12-06']);
    expect(days[0]!.from).toBe(Date.UTC(2026, 11, 3, 16, 0));
    expect(days[1]!.to).toBe(Date.UTC(2026, 11, 5, 16, 0));
    expect(days[2]!.to).toBe(now);
  });

  it('a check day is the share of its runs that were up; a bucket counts on the day it starts', () => {
    const now = Date.UTC(2026, 11, 6, 2, 0);
    const days = lastDays(now, 'Asia/Shanghai', 3);
    const buckets = [
      { ts: days[1]!.from, sum: 59, count: 60 },
      { ts: days[1]!.from + HOUR, sum: 60, count: 60 },
      { ts: days[2]!.from, sum: 0, count: 60 },
      { ts: days[2]!.from + HOUR, sum: 60, count: 60 },
    ];
    expect(checkDays(buckets, days)).toEqual([
      { date: '2026-12-04', uptime: null, state: 'nodata' },
      { date: '2026-12-05', uptime: 99.16, state: 'degraded' },
      { date: '2026-12-06', uptime: 50, state: 'outage' },
    ]);
    expect(checkUptime(buckets, days[0]!.from, now + 1)).toBe(74.58);
    expect(checkUptime([], days[0]!.from, now)).toBeNull();
  });

  it('a CI is up while no critical alert fires on it; overlapping alerts count once; warnings only mark the day degraded', () => {
    const day0 = Date.UTC(2026, 11, 4, 16, 0);
    const now = day0 + 2 * DAY;
    const days = [
      { date: 'a', from: day0, to: day0 + DAY },
      { date: 'b', from: day0 + DAY, to: now },
    ];
    const spans = [
      { from: day0 + HOUR, to: day0 + 3 * HOUR, severity: 'critical' as const },
      { from: day0 + 2 * HOUR, to: day0 + 4 * HOUR, severity: 'critical' as const },
      { from: day0 + DAY + HOUR, to: day0 + DAY + 2 * HOUR, severity: 'warning' as const },
    ];
    expect(ciDays(spans, 0, days)).toEqual([
      { date: 'a', uptime: 87.5, state: 'outage' },
      { date: 'b', uptime: 100, state: 'degraded' },
    ]);
    expect(ciUptime(spans, 0, day0, now)).toBe(93.75);
    // Before the CI existed there is nothing to say; from its creation on it counts.
    expect(ciDays(spans, day0 + DAY + 12 * HOUR, days)).toEqual([
      { date: 'a', uptime: null, state: 'nodata' },
      { date: 'b', uptime: 100, state: 'operational' },
    ]);
    expect(ciUptime([], now, day0, now)).toBeNull();
  });
});
