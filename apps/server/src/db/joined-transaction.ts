import type { Kysely, Transaction } from 'kysely';

/**
 * `trx` as a Kysely whose `transaction().execute(fn)` runs `fn` inside `trx` instead of opening a
 * transaction of its own (Kysely refuses to nest them). A service written to open its own
 * transaction, given this as its `db`, writes (and audits) in the caller's: everything commits or
 * nothing does. Every read of such a service then goes through `trx` too, as it must on SQLite
 * (one connection: a read outside the open transaction would wait for it forever).
 */
export function joinedTransaction<DB>(trx: Transaction<DB>): Kysely<DB> {
  const joined = {
    execute: <T>(fn: (inner: Transaction<DB>) => Promise<T>): Promise<T> => fn(trx),
  };
  return new Proxy(trx, {
    get(target, property) {
      if (property === 'transaction') {
        return () => joined;
      }
      const value: unknown = Reflect.get(target, property, target);
      // Kysely's classes keep their state in private fields: methods must run on the real object.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
