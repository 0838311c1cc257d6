import type { FastifyBaseLogger } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { CheckResult } from '@yunwei/contracts/checks';
import { toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';

interface Pending {
  result: CheckResult;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT (10 parameters each: well under both databases' parameter limits). */
const CHUNK = 500;
const HOUR_MS = 3_600_000;

/**
 * Writes check results — a history row, the check's latest state with its failures in a row, and the
 * hourly uptime counts — in batches: one transaction
 * every `flushMs` (or at once when `maxBatch` wait), so that thousands of checks a minute cost a few
 * commits a second, not one each. `add` resolves once its result is committed.
 */
export class ResultWriter {
  #pending: Pending[] = [];
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly log: FastifyBaseLogger,
    private readonly options: { flushMs: number; maxBatch: number } = { flushMs: 250, maxBatch: 1000 },
  ) {}

  add(result: CheckResult): Promise<void> {
    return new Promise((resolve, reject) => {
      this.#pending.push({ result, resolve, reject });
      if (this.#pending.length >= this.options.maxBatch) {
        void this.flush();
      } else if (!this.#timer) {
        this.#timer = setTimeout(() => void this.flush(), this.options.flushMs);
        this.#timer.unref();
      }
    });
  }

  /** Writes what waits (one flush at a time; a flush asked for during another runs after it). */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#running) {
      await this.#running;
    }
    if (this.#pending.length === 0) {
      return;
    }
    const batch = this.#pending;
    this.#pending = [];
    this.#running = this.#write(batch).finally(() => (this.#running = null));
    await this.#running;
  }

  async #write(batch: Pending[]): Promise<void> {
    try {
      // Oldest first: a check's failures in a row are counted in the order they happened.
      const ordered = [...batch].sort((a, b) => a.result.at - b.result.at);
      await this.db.transaction().execute(async (trx) => {
        const streaks = await this.#streaksBefore(trx, ordered);
        const rows = ordered.map(({ result: r }) => {
          const up = r.status === 'up' ? 1 : 0;
          const streak = up ? 0 : (streaks.get(r.checkId) ?? 0) + 1;
          streaks.set(r.checkId, streak);
          return {
            check_id: r.checkId,
            at: r.at,
            up,
            latency_ms: r.latencyMs,
            message: r.message,
            message_code: r.messageCode,
            message_params: r.messageParams ? toJson(r.messageParams) : null,
            fail_streak: streak,
            values: toJson(r.values),
          };
        });
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx.insertInto('check_result').values(rows.slice(i, i + CHUNK)).execute();
        }
        // The newest result per check becomes its state (one row per check in a statement: PostgreSQL
        // refuses to update a row twice in one ON CONFLICT).
        const latest = new Map<string, (typeof rows)[number]>();
        for (const row of rows) {
          latest.set(row.check_id, row);
        }
        const states = [...latest.values()].map(({ at, ...r }) => ({ ...r, checked_at: at }));
        for (let i = 0; i < states.length; i += CHUNK) {
          await trx
            .insertInto('check_state')
            .values(states.slice(i, i + CHUNK))
            .onConflict((oc) =>
              oc.column('check_id').doUpdateSet((eb) => ({
                up: eb.ref('excluded.up'),
                checked_at: eb.ref('excluded.checked_at'),
                latency_ms: eb.ref('excluded.latency_ms'),
                message: eb.ref('excluded.message'),
                message_code: eb.ref('excluded.message_code'),
                message_params: eb.ref('excluded.message_params'),
                fail_streak: eb.ref('excluded.fail_streak'),
                values: eb.ref('excluded.values'),
              })),
            )
            .execute();
        }
        await this.#countUptime(trx, rows);
      });
      for (const p of batch) {
        p.resolve();
      }
    } catch (error) {
      this.log.error({ err: error, results: batch.length }, 'check results not stored');
      for (const p of batch) {
        p.reject(error);
      }
    }
  }

  /** Failures in a row each check had before this batch (its state), for the checks whose batch begins with a failure. */
  async #streaksBefore(trx: Kysely<Database>, ordered: readonly Pending[]): Promise<Map<string, number>> {
    const first = new Map<string, CheckResult>();
    for (const { result } of ordered) {
      if (!first.has(result.checkId)) {
        first.set(result.checkId, result);
      }
    }
    const wanted = [...first.values()].filter((r) => r.status === 'down').map((r) => r.checkId);
    const streaks = new Map<string, number>();
    for (let i = 0; i < wanted.length; i += CHUNK) {
      const rows = await trx.selectFrom('check_state').select(['check_id', 'up', 'fail_streak']).where('check_id', 'in', wanted.slice(i, i + CHUNK)).execute();
      for (const row of rows) {
        streaks.set(row.check_id, Number(row.up) === 1 ? 0 : Number(row.fail_streak));
      }
    }
    return streaks;
  }

  /** Adds the batch to the hourly up/total counts (the uptime figures read these, not every result). */
  async #countUptime(trx: Kysely<Database>, rows: readonly { check_id: string; at: number; up: number }[]): Promise<void> {
    const hours = new Map<string, { check_id: string; hour_start: number; up: number; total: number }>();
    for (const row of rows) {
      const hour = Math.floor(row.at / HOUR_MS) * HOUR_MS;
      const key = `${row.check_id}\u0000${hour}`;
      const bucket = hours.get(key) ?? { check_id: row.check_id, hour_start: hour, up: 0, total: 0 };
      bucket.up += row.up;
      bucket.total += 1;
      hours.set(key, bucket);
    }
    const buckets = [...hours.values()];
    for (let i = 0; i < buckets.length; i += CHUNK) {
      await trx
        .insertInto('check_uptime_hour')
        .values(buckets.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.columns(['check_id', 'hour_start']).doUpdateSet({
            up: sql<number>`check_uptime_hour.up + excluded.up`,
            total: sql<number>`check_uptime_hour.total + excluded.total`,
          }),
        )
        .execute();
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }
}
