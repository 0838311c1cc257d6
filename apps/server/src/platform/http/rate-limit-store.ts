import type { FastifyRateLimitOptions, FastifyRateLimitStore, FastifyRateLimitStoreCtor } from '@fastify/rate-limit';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** One counting window of one caller (IP) on one route. */
export interface RateLimitWindowTable {
  key: string;
  count: number;
  window_start: number;
}

declare module '../../db/schema.js' {
  interface Database {
    rate_limit_window: RateLimitWindowTable;
  }
}

/** Windows are minutes long: rows idle this long are gone for good. */
const STALE_MS = 3_600_000;

/**
 * Rate-limit counters in the database, so a limit holds for the whole cluster rather than per node
 * (twenty sign-in attempts a minute means twenty, however many nodes the balancer spreads them
 * over). Each request is one atomic upsert: a new window starts at 1, a running one counts up.
 */
export function databaseRateLimitStore(db: Kysely<Database>): FastifyRateLimitStoreCtor {
  let calls = 0;
  class DatabaseRateLimitStore implements FastifyRateLimitStore {
    constructor(
      _options: FastifyRateLimitOptions,
      private readonly prefix = '',
    ) {}

    incr(key: string, callback: (error: Error | null, result?: { current: number; ttl: number }) => void, timeWindow: number): void {
      const now = Date.now();
      const expired = (eb: any) => eb(eb.ref('rate_limit_window.window_start'), '<=', now - timeWindow);
      db.insertInto('rate_limit_window')
        .values({ key: `${this.prefix}${key}`, count: 1, window_start: now })
        .onConflict((oc) =>
          oc.column('key').doUpdateSet((eb) => ({
            count: eb.case().when(expired(eb)).then(1).else(eb(eb.ref('rate_limit_window.count'), '+', 1)).end(),
            window_start: eb.case().when(expired(eb)).then(now).else(eb.ref('rate_limit_window.window_start')).end(),
          })),
        )
        .returning(['count', 'window_start'])
        .executeTakeFirstOrThrow()
        .then((row) => {
          callback(null, { current: Number(row.count), ttl: Math.max(0, Number(row.window_start) + timeWindow - now) });
          if (++calls % 1000 === 0) {
            void db.deleteFrom('rate_limit_window').where('window_start', '<', now - STALE_MS).execute().catch(() => undefined);
          }
        })
        .catch((error: Error) => callback(error));
    }

    /** Each limited route counts on its own (the plugin passes the route as `routeInfo`, as its Redis store reads it). */
    child(routeOptions: unknown): FastifyRateLimitStore {
      const route = (routeOptions as { routeInfo?: { method?: string | string[]; url?: string } }).routeInfo ?? {};
      return new DatabaseRateLimitStore({} as FastifyRateLimitOptions, `${[route.method ?? ''].flat().join(',')} ${route.url ?? ''}|`);
    }
  }
  return DatabaseRateLimitStore;
}
