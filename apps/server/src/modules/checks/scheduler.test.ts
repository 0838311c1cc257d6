import { afterEach, describe, expect, it } from 'vitest';
import { CheckScheduler, nextStart, phaseOf, type Schedulable } from './scheduler.js';

const silentLog = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined } as never;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('check scheduler', () => {
  let scheduler: CheckScheduler<Schedulable & { workMs: number }> | undefined;
  afterEach(async () => {
    await scheduler?.stop();
  });

  it('gives each check a deterministic phase within its interval, spread across checks', () => {
    const interval = 60_000;
    const phases = Array.from({ length: 1000 }, (_, i) => phaseOf(`check-${i}`, interval));
    expect(phases.every((p) => p >= 0 && p < interval)).toBe(true);
    expect(phaseOf('check-7', interval)).toBe(phases[7]);
    // Spread: each tenth of the interval holds roughly a tenth of the checks.
    const buckets = new Array<number>(10).fill(0);
    for (const p of phases) {
      buckets[Math.floor(p / 6000)]!++;
    }
    expect(Math.min(...buckets)).toBeGreaterThan(60);
    const now = 1_700_000_000_123;
    const next = nextStart('check-7', interval, now);
    expect(next).toBeGreaterThan(now);
    expect(next - now).toBeLessThanOrEqual(interval);
    expect((next - phases[7]!) % interval).toBe(0);
  });

  it('never runs more than the concurrency limit at once, nor a check over itself; starts on time when slots are free', async () => {
    let running = 0;
    let peak = 0;
    const runsOf = new Map<string, number>();
    const checks = Array.from({ length: 20 }, (_, i) => ({ id: `c${i}`, intervalMs: 300, version: 1, workMs: i === 0 ? 1000 : 20 }));
    scheduler = new CheckScheduler(
      async () => checks,
      async (check) => {
        running++;
        peak = Math.max(peak, running);
        runsOf.set(check.id, (runsOf.get(check.id) ?? 0) + 1);
        await sleep(check.workMs);
        running--;
      },
      silentLog,
      { concurrency: 4, tickMs: 10 },
    );
    scheduler.start();
    await sleep(1600);
    const stats = scheduler.stats();
    expect(peak).toBeLessThanOrEqual(4);
    expect(stats.concurrency).toBe(4);
    // c0 takes 1 s with a 300 ms interval: it never overlaps itself, the periods it misses are skipped.
    expect(runsOf.get('c0')).toBeLessThanOrEqual(2);
    expect(stats.skippedOverlap).toBeGreaterThan(0);
    // The others ran every interval (about 5 times in 1.6 s).
    for (let i = 1; i < 20; i++) {
      expect(runsOf.get(`c${i}`)).toBeGreaterThanOrEqual(4);
    }
    expect(stats.jitterMs.samples).toBe(stats.started);
    expect(stats.jitterMs.p50).toBeLessThan(250); // lenient: a loaded CI machine; bench/checks measures it
  });

  it('picks up new, changed and removed checks after invalidate(), without a restart', async () => {
    let checks = [{ id: 'a', intervalMs: 100, version: 1, workMs: 0 }];
    const runs: string[] = [];
    scheduler = new CheckScheduler(
      async () => checks,
      async (check) => void runs.push(`${check.id}@${check.version}`),
      silentLog,
      { concurrency: 10, tickMs: 10, reloadMs: 60_000 },
    );
    scheduler.start();
    await sleep(250);
    expect(runs.filter((r) => r === 'a@1').length).toBeGreaterThanOrEqual(1);
    checks = [
      { id: 'a', intervalMs: 100, version: 2, workMs: 0 },
      { id: 'b', intervalMs: 100, version: 1, workMs: 0 },
    ];
    scheduler.invalidate();
    await sleep(300);
    expect(runs).toContain('a@2');
    expect(runs).toContain('b@1');
    checks = [];
    scheduler.invalidate();
    await sleep(50);
    const count = runs.length;
    await sleep(300);
    expect(runs.length).toBe(count);
    expect(scheduler.stats().checks).toBe(0);
  });

  it('runSoon() runs a new check at once instead of an interval later, then puts it back on its grid', async () => {
    const interval = 60_000;
    let checks: (Schedulable & { workMs: number })[] = [];
    const starts: number[] = [];
    scheduler = new CheckScheduler(
      async () => checks,
      async () => void starts.push(Date.now()),
      silentLog,
      { concurrency: 10, tickMs: 10, reloadMs: 60_000 },
    );
    scheduler.start();
    await sleep(30);
    checks = [{ id: 'new-check', intervalMs: interval, version: 1, workMs: 0 }];
    const asked = Date.now();
    scheduler.invalidate();
    scheduler.runSoon('new-check');
    await sleep(200);
    expect(starts).toHaveLength(1);
    expect(starts[0]! - asked).toBeLessThan(interval / 2);
    // Its next start is on its grid again, at least half an interval after the extra run.
    await sleep(100);
    expect(starts).toHaveLength(1);
    expect(scheduler.stats().checks).toBe(1);
  });

  it('runSoon() is ignored while the scheduler is stopped (a server that only answers requests runs nothing)', async () => {
    const runs: string[] = [];
    scheduler = new CheckScheduler(
      async () => [{ id: 'x', intervalMs: 86_400_000, version: 1, workMs: 0 }],
      async (check) => void runs.push(check.id),
      silentLog,
      { tickMs: 10 },
    );
    scheduler.runSoon('x');
    scheduler.start();
    await sleep(100);
    // Only on its daily grid (a start within these 100 ms would be a 1-in-864,000 chance).
    expect(runs).toEqual([]);
  });

  it('stop() cancels runs in flight through their signal and waits for them', async () => {
    let cancelled = false;
    scheduler = new CheckScheduler(
      async () => [{ id: 'slow', intervalMs: 1000, version: 1, workMs: 0 }],
      (_check, stop) =>
        new Promise<void>((resolve) => {
          stop.addEventListener('abort', () => ((cancelled = true), resolve()));
        }),
      silentLog,
      { tickMs: 10 },
    );
    scheduler.start();
    await sleep(1100);
    expect(scheduler.stats().inFlight).toBe(1);
    await scheduler.stop();
    expect(cancelled).toBe(true);
    expect(scheduler.running).toBe(false);
  });
});
