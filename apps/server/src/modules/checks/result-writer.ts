import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { CheckResult } from '@yunwei/contracts/checks';
import { toJson } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';

interface Pending {
  result: CheckResult;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/** Rows per INSERT (7 parameters each: well under both databases' parameter limits). */
const CHUNK = 500;

/**
 * Writes check results — a history row and the check's latest state — in batches: one transaction
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
      const rows = batch.map(({ result: r }) => ({
        check_id: r.checkId,
        at: r.at,
        up: r.status === 'up' ? 1 : 0,
        latency_ms: r.latencyMs,
        message: r.message,
        values: toJson(r.values),
      }));
      // The newest result per check becomes its state (one row per check in a statement: PostgreSQL
      // refuses to update a row twice in one ON CONFLICT).
      const latest = new Map<string, (typeof rows)[number]>();
      for (const row of rows) {
        const seen = latest.get(row.check_id);
        if (!seen || seen.at <= row.at) {
          latest.set(row.check_id, row);
        }
      }
      await this.db.transaction().execute(async (trx) => {
        for (let i = 0; i < rows.length; i += CHUNK) {
          await trx.insertInto('check_result').values(rows.slice(i, i + CHUNK)).execute();
        }
        const states = [...latest.values()].map((r) => ({ check_id: r.check_id, up: r.up, checked_at: r.at, latency_ms: r.latency_ms, message: r.message, values: r.values }));
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
                values: eb.ref('excluded.values'),
              })),
            )
            .execute();
        }
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

  async close(): Promise<void> {
    await this.flush();
  }
}
