import { Cron } from 'croner';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { fromJson, toJson } from '../../db/dialect.js';
import type { Cluster } from '../cluster/cluster.js';

export interface JobDefinition {
  /** Unique, `module.what`, e.g. `audit.retention-purge`. */
  name: string;
  /** Cron expression: enqueue on this schedule (at most one queued or running at a time). */
  cron?: string;
  maxAttempts?: number;
  /** How long one run may hold its lease before another runner may take it over. */
  leaseMs?: number;
  run: (payload: unknown) => Promise<void>;
}

export interface JobQueue {
  enqueue(name: string, payload?: unknown, options?: { runAt?: number }): Promise<number>;
}

const BACKOFF_BASE_MS = 5_000;

/**
 * Durable jobs: a row per job, claimed with a lease, retried with exponential backoff, kept for
 * history. Cron schedules only enqueue; the runner executes, so a restart loses nothing. In a cluster
 * every node runs jobs (a claim is a compare-and-set: one node wins each row) and one node at a time
 * keeps the cron schedules (the `platform.job-schedules` lease), so a scheduled job is queued once.
 */
export class JobRunner implements JobQueue {
  readonly #definitions = new Map<string, JobDefinition>();
  readonly #crons: Cron[] = [];
  #timer: NodeJS.Timeout | undefined;
  #stopping = false;
  #idle: Promise<void> = Promise.resolve();
  #schedulesRegistered = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly pollMs: number,
    private readonly cluster: Cluster,
  ) {}

  define(job: JobDefinition): void {
    if (this.#definitions.has(job.name)) {
      throw new Error(`job ${job.name} is defined twice`);
    }
    this.#definitions.set(job.name, job);
  }

  async enqueue(name: string, payload: unknown = null, options: { runAt?: number } = {}): Promise<number> {
    const job = this.#definitions.get(name);
    if (!job) {
      throw new Error(`unknown job ${name}`);
    }
    const now = Date.now();
    const row = await this.db
      .insertInto('job')
      .values({
        name,
        payload: toJson(payload),
        status: 'queued',
        attempts: 0,
        max_attempts: job.maxAttempts ?? 3,
        run_at: options.runAt ?? now,
        lease_until: null,
        last_error: null,
        created_at: now,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /** Runs due jobs from now on; keeps the cron schedules while this node holds their lease (the server listens). */
  start(): void {
    this.#stopping = false;
    if (!this.#schedulesRegistered) {
      this.#schedulesRegistered = true;
      void this.cluster.singleton('platform.job-schedules', { start: () => this.#startSchedules(), stop: async () => this.#stopSchedules() });
    } else if (this.cluster.tokenOf('platform.job-schedules') !== null) {
      this.#startSchedules();
    }
    this.#schedulePoll();
  }

  async stop(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#timer);
    this.#stopSchedules();
    await this.#idle;
  }

  #startSchedules(): void {
    if (this.#stopping || this.#crons.length) {
      return;
    }
    for (const job of this.#definitions.values()) {
      if (job.cron) {
        this.#crons.push(new Cron(job.cron, { protect: true }, () => void this.#enqueueScheduled(job.name)));
      }
    }
  }

  #stopSchedules(): void {
    for (const c of this.#crons.splice(0)) {
      c.stop();
    }
  }

  /** Runs due jobs until none is left (tests and `yunwei` commands call this directly). */
  async drain(): Promise<number> {
    let ran = 0;
    while (await this.#runOne()) {
      ran++;
    }
    return ran;
  }

  #schedulePoll(): void {
    if (this.#stopping) {
      return;
    }
    this.#timer = setTimeout(() => {
      this.#idle = this.drain()
        .then(() => undefined)
        .catch((error: unknown) => this.log.error({ err: error }, 'job runner poll failed'))
        .finally(() => this.#schedulePoll());
    }, this.pollMs);
    this.#timer.unref();
  }

  async #enqueueScheduled(name: string): Promise<void> {
    try {
      const pending = await this.db.selectFrom('job').select('id').where('name', '=', name).where('status', 'in', ['queued', 'running']).executeTakeFirst();
      if (!pending) {
        await this.enqueue(name);
      }
    } catch (error) {
      this.log.error({ err: error, job: name }, 'cannot enqueue scheduled job');
    }
  }

  /** Claims one due job (queued, or running with an expired lease) and runs it. */
  async #runOne(): Promise<boolean> {
    if (this.#stopping) {
      return false;
    }
    const now = Date.now();
    const candidate = await this.db
      .selectFrom('job')
      .select(['id', 'name', 'payload', 'attempts', 'max_attempts'])
      .where((eb) => eb.or([eb.and([eb('status', '=', 'queued'), eb('run_at', '<=', now)]), eb.and([eb('status', '=', 'running'), eb('lease_until', '<', now)])]))
      .orderBy('run_at')
      .limit(1)
      .executeTakeFirst();
    if (!candidate) {
      return false;
    }
    const job = this.#definitions.get(candidate.name);
    const leaseMs = job?.leaseMs ?? 10 * 60_000;
    // Optimistic claim: only one runner's update matches the attempt count it read.
    const claimed = await this.db
      .updateTable('job')
      .set({ status: 'running', attempts: candidate.attempts + 1, lease_until: now + leaseMs })
      .where('id', '=', candidate.id)
      .where('attempts', '=', candidate.attempts)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) {
      return true;
    }
    if (!job) {
      await this.#finish(candidate.id, 'failed', `no handler for job ${candidate.name}`);
      return true;
    }
    try {
      await job.run(fromJson(candidate.payload));
      await this.#finish(candidate.id, 'done', null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.log.warn({ err: error, job: job.name, attempt: candidate.attempts + 1 }, 'job failed');
      if (candidate.attempts + 1 >= candidate.max_attempts) {
        await this.#finish(candidate.id, 'failed', message);
      } else {
        const retryAt = Date.now() + BACKOFF_BASE_MS * 2 ** candidate.attempts;
        await this.db.updateTable('job').set({ status: 'queued', run_at: retryAt, lease_until: null, last_error: message }).where('id', '=', candidate.id).execute();
      }
    }
    return true;
  }

  async #finish(id: number, status: 'done' | 'failed', error: string | null): Promise<void> {
    await this.db.updateTable('job').set({ status, lease_until: null, last_error: error, finished_at: Date.now() }).where('id', '=', id).execute();
  }
}
