import type { FastifyBaseLogger } from 'fastify';
import type { ChannelType, LocalizedMessage, NotifyLocale } from '@yunwei/contracts/notify';
import { fromJson } from '../../db/dialect.js';
import type { FileStore } from '../../platform/file-store.js';
import type { OutboundGuard } from '../../platform/net/outbound-policy.js';
import { channelOf } from '../../platform/notify/channels/index.js';
import { runtimeConfig } from './channel-config.js';
import { messageIn } from './notify-message.js';
import type { ChannelService } from './channel.service.js';
import type { AttemptRow, DueRow, NotifyRepository } from './notify.repository.js';

export interface DeliveryWorkerOptions {
  /** Per send: the channel's request is aborted after this (default 10 s). */
  timeoutMs: number;
  /** Waits before retry 1, 2, …; the last repeats (default 5 s, 30 s, 2 min, 10 min, 30 min), ±20% jitter. */
  backoffMs: readonly number[];
  /** How often due rows are looked for without a wake-up (default 500 ms). */
  pollMs: number;
  /** Sends in flight at once, over all channels (default 64) and per channel (default 4). */
  concurrency: number;
  perChannel: number;
  /** A `sending` row whose sender gave no outcome by then is taken back (default timeout + 30 s). */
  leaseMs: number;
}

export const DEFAULT_WORKER_OPTIONS: DeliveryWorkerOptions = {
  timeoutMs: 10_000,
  backoffMs: [5_000, 30_000, 120_000, 600_000, 1_800_000],
  pollMs: 500,
  concurrency: 64,
  perChannel: 4,
  leaseMs: 40_000,
};

export interface AttemptOutcome {
  ok: boolean;
  error: string | null;
  durationMs: number;
}

/**
 * Sends what the outbox holds. Every node may run one: rows are claimed by compare-and-set, so a
 * message is sent once. Channels are independent — per-channel slots, and rows of a channel whose
 * slots are taken are not even read — so a slow or dead endpoint never holds up the others.
 */
export class DeliveryWorker {
  options: DeliveryWorkerOptions = { ...DEFAULT_WORKER_OPTIONS };
  readonly #inFlight = new Map<string, number>();
  readonly #running = new Set<Promise<void>>();
  #total = 0;
  #timer: NodeJS.Timeout | undefined;
  #stop = new AbortController();
  /** The claim loop while it runs (one at a time; a wake-up meanwhile makes it go round again). */
  #ticking: Promise<void> | null = null;
  #again = false;
  #releasedAt = 0;

  constructor(
    private readonly repo: NotifyRepository,
    private readonly channels: ChannelService,
    private readonly log: FastifyBaseLogger,
    /** The outbound network policy of notification channels: every send's connections go through it. */
    private readonly outbound: OutboundGuard,
    /** The shared file store, where messages' attachments are kept (e-mail attaches them). */
    private readonly files?: Pick<FileStore, 'get'>,
  ) {}

  get started(): boolean {
    return this.#timer !== undefined;
  }

  configure(options: Partial<DeliveryWorkerOptions>): void {
    this.options = { ...this.options, ...options };
  }

  start(): void {
    if (this.#timer) {
      return;
    }
    this.#timer = setInterval(() => this.wake(), this.options.pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Looks for due rows now (after an enqueue, or when a slot frees up). */
  wake(): void {
    if (!this.#timer) {
      return;
    }
    if (this.#ticking) {
      this.#again = true;
      return;
    }
    this.#ticking = this.#tick();
  }

  async #tick(): Promise<void> {
    try {
      do {
        this.#again = false;
        await this.#claimDue();
      } while (this.#again && this.#timer);
    } catch (error) {
      this.log.warn({ err: error }, 'notify: delivery worker tick failed');
    } finally {
      this.#ticking = null;
    }
  }

  async #claimDue(): Promise<void> {
    const now = Date.now();
    // A write: not at every poll (SQLite has one writer), but often enough next to the lease length.
    if (now - this.#releasedAt >= Math.min(5_000, this.options.leaseMs / 4)) {
      this.#releasedAt = now;
      await this.repo.releaseExpired(now);
    }
    const free = this.options.concurrency - this.#total;
    if (free <= 0) {
      return;
    }
    const busy = [...this.#inFlight].filter(([, n]) => n >= this.options.perChannel).map(([id]) => id);
    // A few more than the free slots: rows of channels that fill up on the way are skipped.
    for (const row of await this.repo.due(now, free + 16, busy)) {
      if (this.#total >= this.options.concurrency || !this.#timer) {
        return;
      }
      if ((this.#inFlight.get(row.channel_id) ?? 0) >= this.options.perChannel) {
        continue;
      }
      if (!(await this.repo.claim(row, now + this.options.leaseMs))) {
        continue; // another worker took it
      }
      this.#track(row.channel_id, +1);
      const run = this.#send(row)
        .catch((error: unknown) => this.log.error({ err: error, delivery: row.id }, 'notify: delivery outcome not recorded'))
        .finally(() => {
          this.#track(row.channel_id, -1);
          this.#running.delete(run);
          this.wake();
        });
      this.#running.add(run);
    }
  }

  async #send(row: DueRow): Promise<void> {
    const payload = await this.repo.payload(row.id);
    if (payload) {
      await this.attempt({ ...row, ...payload }, row.attempts + 1, true);
    }
  }

  #track(channelId: string, delta: number): void {
    this.#total += delta;
    const n = (this.#inFlight.get(channelId) ?? 0) + delta;
    if (n > 0) {
      this.#inFlight.set(channelId, n);
    } else {
      this.#inFlight.delete(channelId);
    }
  }

  /**
   * One attempt of a row this caller has claimed (status `sending`, `attempts` counted): sends and
   * records the outcome. With `retry`, a failure is `retrying` with backoff until the channel's
   * attempts are used up, then `failed`; without (the test message), it is `failed` at once.
   * A disabled channel suppresses the row, unless `evenIfDisabled` (a test before enabling it).
   */
  async attempt(row: AttemptRow, attempts: number, retry: boolean, evenIfDisabled = false): Promise<AttemptOutcome> {
    const started = Date.now();
    const channel = await this.repo.channel(row.channel_id);
    if (!channel) {
      await this.repo.finish(row.id, attempts, { status: 'failed', last_error: 'the channel was deleted', next_attempt_at: null });
      return { ok: false, error: 'the channel was deleted', durationMs: 0 };
    }
    if (channel.enabled !== 1 && !evenIfDisabled) {
      await this.repo.finish(row.id, attempts, { status: 'suppressed', last_error: 'the channel is disabled', next_attempt_at: null });
      return { ok: false, error: 'the channel is disabled', durationMs: 0 };
    }
    const type = channel.type as ChannelType;
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([timeout, this.#stop.signal]);
    let error: string | null = null;
    try {
      const config = runtimeConfig(type, fromJson(channel.config), this.channels.openSecrets(channel.secrets));
      const plugin = channelOf(type);
      const message = messageIn(fromJson<LocalizedMessage>(row.message), channel.locale as NotifyLocale);
      // A channel that cannot render Markdown gets the plain text in its place.
      const body = plugin.supportsMarkdown ? message : { ...message, markdown: message.text };
      await plugin.send(body, config as never, { recipients: fromJson<string[]>(row.recipients), signal, outbound: this.outbound, ...(this.files ? { readFile: (key: string) => this.files!.get(key) } : {}) });
    } catch (e) {
      error = timeout.aborted ? `timed out after ${this.options.timeoutMs} ms` : this.#stop.signal.aborted ? 'interrupted by shutdown' : (e as Error).message || String(e);
    }
    const durationMs = Date.now() - started;
    if (error === null) {
      await this.repo.finish(row.id, attempts, { status: 'sent', sent_at: Date.now(), duration_ms: durationMs, last_error: null, next_attempt_at: null });
      return { ok: true, error: null, durationMs };
    }
    // A send cut short by shutdown is not the endpoint's fault: due again at once (on this node's restart or another node).
    const interrupted = this.#stop.signal.aborted && !timeout.aborted;
    const last = !interrupted && (!retry || attempts >= channel.max_attempts);
    const next = interrupted ? Date.now() : Date.now() + this.backoff(attempts);
    await this.repo.finish(row.id, attempts, { status: last ? 'failed' : 'retrying', last_error: error.slice(0, 1000), duration_ms: durationMs, next_attempt_at: last ? null : next });
    return { ok: false, error, durationMs };
  }

  /** Wait before the retry after attempt `attempts` (1-based), with ±20% jitter so retries of many rows spread. */
  backoff(attempts: number): number {
    const steps = this.options.backoffMs;
    const base = steps[Math.min(attempts, steps.length) - 1] ?? 0;
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  /** Stops claiming, aborts sends in flight (they go back to `retrying`) and waits for their outcomes. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#stop.abort(new Error('shutdown'));
    // A claim loop still running may start sends (they end at once as interrupted): wait for it first.
    await this.#ticking;
    await Promise.allSettled([...this.#running]);
    // Sends outside the loop (test messages) still work on a stopped worker.
    this.#stop = new AbortController();
  }
}
