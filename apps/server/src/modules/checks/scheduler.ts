import { setMaxListeners } from 'node:events';
import type { FastifyBaseLogger } from 'fastify';
import type { CheckSchedulerStats } from '@yunwei/contracts/checks';

/** What the scheduler needs of a check; `version` changes whenever its definition does. */
export interface Schedulable {
  id: string;
  intervalMs: number;
  version: number;
}

export interface SchedulerOptions {
  /** Checks running at once, at most (the rest wait for a slot, in order of their planned start). */
  concurrency?: number;
  /** How often due checks are looked for. */
  tickMs?: number;
  /** Definitions are re-read this often (changes made on other nodes), and at the next tick after `invalidate()`. */
  reloadMs?: number;
}

interface Entry<T extends Schedulable> {
  check: T;
  /** When the next run should start (epoch ms). */
  planned: number;
  /** Asked for now (`runSoon`), off the check's grid: the run after it goes back to the grid. */
  soon?: boolean;
}

/** A `runSoon` for a check no reload has seen within this long is dropped (it was disabled or deleted meanwhile). */
const SOON_TTL_MS = 60_000;

/** How many recent start delays are kept for the jitter figures. */
const JITTER_WINDOW = 10_000;

/** A check's deterministic phase within its interval: the same after a restart, spread across checks. */
export function phaseOf(id: string, intervalMs: number): number {
  let h = 2166136261;
  for (let i = 0; i < id.length; i++) {
    h = Math.imul(h ^ id.charCodeAt(i), 16777619) >>> 0;
  }
  return h % intervalMs;
}

/** The first start of a check after `now`: on its grid `phase + k × interval`. */
export function nextStart(id: string, intervalMs: number, now: number): number {
  const phase = phaseOf(id, intervalMs);
  return (Math.floor((now - phase) / intervalMs) + 1) * intervalMs + phase;
}

/** A binary min-heap of entries by planned start. */
class Heap<T extends Schedulable> {
  readonly items: Entry<T>[] = [];

  push(entry: Entry<T>): void {
    const a = this.items;
    a.push(entry);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (a[parent]!.planned <= a[i]!.planned) {
        break;
      }
      [a[parent], a[i]] = [a[i]!, a[parent]!];
      i = parent;
    }
  }

  peek(): Entry<T> | undefined {
    return this.items[0];
  }

  pop(): Entry<T> | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && a[l]!.planned < a[m]!.planned) {
          m = l;
        }
        if (r < a.length && a[r]!.planned < a[m]!.planned) {
          m = r;
        }
        if (m === i) {
          break;
        }
        [a[m], a[i]] = [a[i]!, a[m]!];
        i = m;
      }
    }
    return top;
  }

  clear(): void {
    this.items.length = 0;
  }
}

/**
 * Runs checks at their intervals in this process. Each check starts on its own grid (a deterministic
 * phase), so thousands of checks spread over the interval instead of firing together; at most
 * `concurrency` run at once (runs wait for a slot in planned order); a check never overlaps itself
 * (a run still going when the next is due makes that one skip). A run is bounded by its check's
 * timeout (see runCheck), so a hanging target holds one slot for at most that long.
 *
 * Start-time jitter — actual start minus planned start — is kept for the last 10,000 starts.
 */
export class CheckScheduler<T extends Schedulable> {
  readonly #opts: Required<SchedulerOptions>;
  /** The current entry of each check; heap items that are not the current entry are stale and dropped. */
  readonly #entries = new Map<string, Entry<T>>();
  readonly #heap = new Heap<T>();
  /** Due, waiting for a slot (in planned order). */
  #waiting: Entry<T>[] = [];
  readonly #inflight = new Map<string, Promise<void>>();
  #timer: NodeJS.Timeout | undefined;
  #wake: NodeJS.Timeout | undefined;
  #loadedAt = 0;
  #loading: Promise<void> | null = null;
  /** Checks to run as soon as a reload has their definition (id → when asked). */
  readonly #soon = new Map<string, number>();
  #stop = new AbortController();
  readonly #jitter = new Float64Array(JITTER_WINDOW);
  #jitterCount = 0;
  #started = 0;
  #completed = 0;
  #skipped = 0;

  constructor(
    private readonly load: () => Promise<T[]>,
    private readonly execute: (check: T, stop: AbortSignal) => Promise<void>,
    private readonly log: FastifyBaseLogger,
    options: SchedulerOptions = {},
  ) {
    this.#opts = { concurrency: 64, tickMs: 50, reloadMs: 15_000, ...options };
  }

  get running(): boolean {
    return this.#timer !== undefined;
  }

  start(): void {
    if (this.#timer) {
      return;
    }
    this.#stop = new AbortController();
    // Every run in flight listens to it (to be cancelled when the server stops).
    setMaxListeners(this.#opts.concurrency + 16, this.#stop.signal);
    this.#loadedAt = 0;
    this.#timer = setInterval(() => this.#tick(), this.#opts.tickMs);
    this.#timer.unref();
    this.#tick();
  }

  /** Definitions changed: re-read them at the next tick. */
  invalidate(): void {
    this.#loadedAt = 0;
  }

  /**
   * Runs a check (just created, or probing something else now) once its definition is re-read — within
   * a tick or so —, not at its next planned start an interval away; then it goes back to its grid.
   * Ignored while stopped (a server that only answers requests runs nothing).
   */
  runSoon(id: string): void {
    if (this.#timer) {
      this.#soon.set(id, Date.now());
      this.#loadedAt = 0;
    }
  }

  /** Whether a `runSoon` for this check waits for its definition (loaders keep it even if another node owns it). */
  wantsSoon(id: string): boolean {
    return this.#soon.has(id);
  }

  /** Stops starting runs, cancels those in flight (they end as DOWN "cancelled") and waits for them. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    clearTimeout(this.#wake);
    this.#timer = undefined;
    this.#wake = undefined;
    this.#stop.abort();
    await this.#loading;
    await Promise.allSettled([...this.#inflight.values()]);
    this.#entries.clear();
    this.#heap.clear();
    this.#waiting = [];
    this.#soon.clear();
  }

  stats(): CheckSchedulerStats {
    const n = Math.min(this.#jitterCount, JITTER_WINDOW);
    const sorted = Array.from(this.#jitter.subarray(0, n)).sort((a, b) => a - b);
    const at = (q: number) => (n ? sorted[Math.min(n - 1, Math.floor(q * n))]! : 0);
    return {
      running: this.running,
      checks: this.#entries.size,
      inFlight: this.#inflight.size,
      concurrency: this.#opts.concurrency,
      started: this.#started,
      completed: this.#completed,
      skippedOverlap: this.#skipped,
      jitterMs: { p50: at(0.5), p99: at(0.99), max: n ? sorted[n - 1]! : 0, samples: n },
    };
  }

  #tick(): void {
    if (!this.#timer) {
      return;
    }
    const now = Date.now();
    if (!this.#loading && now - this.#loadedAt >= this.#opts.reloadMs) {
      this.#loading = this.#reload(now).finally(() => (this.#loading = null));
    }
    this.#collectDue(now);
    this.#dispatch();
    this.#wakeBeforeNextTick(now);
  }

  /** A start due before the next tick gets a timer of its own: starts are not late by up to a tick. */
  #wakeBeforeNextTick(now: number): void {
    const next = this.#heap.peek();
    if (next && next.planned < now + this.#opts.tickMs && !this.#wake) {
      this.#wake = setTimeout(() => {
        this.#wake = undefined;
        this.#tick();
      }, Math.max(0, next.planned - now));
      this.#wake.unref();
    }
  }

  async #reload(now: number): Promise<void> {
    let checks: T[];
    try {
      checks = await this.load();
    } catch (error) {
      this.log.error({ err: error }, 'check scheduler: loading checks failed');
      return;
    }
    this.#loadedAt = now;
    if (!this.#timer) {
      return;
    }
    const seen = new Set<string>();
    for (const check of checks) {
      seen.add(check.id);
      const current = this.#entries.get(check.id);
      if (current && current.check.version === check.version) {
        continue;
      }
      // New, or changed: a changed interval moves it to its new grid; otherwise it keeps its slot.
      const kept = current !== undefined && current.check.intervalMs === check.intervalMs;
      const entry: Entry<T> = kept ? { check, planned: current.planned, soon: current.soon } : { check, planned: nextStart(check.id, check.intervalMs, Date.now()) };
      this.#entries.set(check.id, entry);
      this.#heap.push(entry);
    }
    for (const id of this.#entries.keys()) {
      if (!seen.has(id)) {
        this.#entries.delete(id);
      }
    }
    this.#planSoon(Date.now());
    this.#collectDue(Date.now());
    this.#dispatch();
  }

  #planSoon(now: number): void {
    for (const [id, asked] of this.#soon) {
      const current = this.#entries.get(id);
      if (current) {
        const entry = { check: current.check, planned: now, soon: true };
        this.#entries.set(id, entry);
        this.#heap.push(entry);
      }
      if (current || now - asked > SOON_TTL_MS) {
        this.#soon.delete(id);
      }
    }
  }

  #collectDue(now: number): void {
    for (let top = this.#heap.peek(); top && top.planned <= now; top = this.#heap.peek()) {
      const entry = this.#heap.pop()!;
      if (this.#entries.get(entry.check.id) !== entry) {
        continue;
      }
      this.#waiting.push(entry);
    }
  }

  #dispatch(): void {
    const waiting = this.#waiting;
    let i = 0;
    for (; i < waiting.length; i++) {
      if (this.#inflight.size >= this.#opts.concurrency || !this.#timer) {
        break;
      }
      const entry = waiting[i]!;
      if (this.#entries.get(entry.check.id) !== entry) {
        continue; // changed or removed while it waited
      }
      if (this.#inflight.has(entry.check.id)) {
        this.#skipped++;
        this.#reschedule(entry, Date.now());
        continue;
      }
      this.#run(entry);
    }
    if (i > 0) {
      waiting.splice(0, i);
    }
  }

  #run(entry: Entry<T>): void {
    const now = Date.now();
    this.#recordJitter(now - entry.planned);
    this.#started++;
    const { check } = entry;
    const run = this.execute(check, this.#stop.signal)
      .catch((error: unknown) => this.log.error({ err: error, check: check.id }, 'check run failed'))
      .finally(() => {
        this.#inflight.delete(check.id);
        this.#completed++;
        // A slot is free: start whoever waits for one now, not at the next tick.
        if (this.#waiting.length) {
          this.#dispatch();
        }
      });
    this.#inflight.set(check.id, run);
    this.#reschedule(entry, now);
  }

  /** The next start on the check's grid after `now` (periods missed while waiting are skipped, not bunched). */
  #reschedule(entry: Entry<T>, now: number): void {
    const interval = entry.check.intervalMs;
    if (entry.soon) {
      // Back to the grid, at least half an interval after this extra run.
      const next = { check: entry.check, planned: nextStart(entry.check.id, interval, now + interval / 2) };
      this.#entries.set(entry.check.id, next);
      this.#heap.push(next);
      return;
    }
    let planned = entry.planned + interval;
    if (planned <= now) {
      planned += Math.ceil((now - planned + 1) / interval) * interval;
    }
    const next = { check: entry.check, planned };
    this.#entries.set(entry.check.id, next);
    this.#heap.push(next);
  }

  #recordJitter(ms: number): void {
    const value = Math.max(0, ms);
    this.#jitter[this.#jitterCount % JITTER_WINDOW] = value;
    this.#jitterCount++;
  }
}
