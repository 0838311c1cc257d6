import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import { dialectOf } from './dialect.js';
import type { SecretBox } from '../platform/crypto.js';

/**
 * What a migration may need besides the database: the secret box under the master key, to seal
 * values an older version stored in plain text (e.g. webhook header values). A migration that needs
 * it fails when it is missing rather than leave plain text behind.
 */
export interface MigrationDeps {
  secrets?: SecretBox;
}

/** A migration that uses MigrationDeps (assignable to Kysely's Migration). */
export interface SealingMigration {
  up(db: Kysely<any>, deps?: MigrationDeps): Promise<void>;
  down?(db: Kysely<any>, deps?: MigrationDeps): Promise<void>;
}

/**
 * One migration history for the platform and every module. Names are globally sortable
 * (`YYYY-MM-DD-HHMM-what`), so modules' migrations interleave in the order they were written.
 * `schema`: the PostgreSQL schema the app lives in, when not the default. Kysely otherwise finds the
 * migration tables of any schema in the database and would skip creating this schema's own.
 */
export function createMigrator(db: Kysely<any>, sets: readonly Readonly<Record<string, Migration>>[], schema?: string, deps: MigrationDeps = {}): Migrator {
  const all: Record<string, Migration> = {};
  for (const set of sets) {
    for (const [name, migration] of Object.entries(set)) {
      if (!/^\d{4}-\d{2}-\d{2}-\d{4}-[a-z0-9-]+$/.test(name)) {
        throw new Error(`migration name ${name} must look like 2026-11-26-1200-create-thing`);
      }
      if (all[name]) {
        throw new Error(`migration ${name} is defined twice`);
      }
      // A migration may take a second argument (MigrationDeps): Kysely passes only the database.
      const withDeps = migration as SealingMigration;
      all[name] = { up: (d) => withDeps.up(d, deps), ...(withDeps.down ? { down: (d: Kysely<any>) => withDeps.down!(d, deps) } : {}) };
    }
  }
  return new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(all) },
    migrationTableName: 'yunwei_migration',
    migrationLockTableName: 'yunwei_migration_lock',
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

export async function migrateToLatest(migrator: Migrator): Promise<MigrationResultSet> {
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const message = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? '?'} failed: ${message}`);
  }
  return result;
}

/**
 * Runs `fn` on one node at a time (PostgreSQL: a session advisory lock named `name` within the
 * schema, held on one connection — passed to `fn` — for the whole run). SQLite is one process: `fn`
 * runs at once, on the database itself.
 */
export async function oneNodeAtATime<T>(db: Kysely<any>, name: string, fn: (conn: Kysely<any>) => Promise<T>): Promise<T> {
  if (dialectOf(db) !== 'postgres') {
    return fn(db);
  }
  return db.connection().execute(async (conn) => {
    const key = sql`hashtext(${`yunwei-${name}:`} || current_schema())`;
    await sql`select pg_advisory_lock(${key})`.execute(conn);
    try {
      return await fn(conn);
    } finally {
      await sql`select pg_advisory_unlock(${key})`.execute(conn);
    }
  });
}

/**
 * Migrates with one node at a time. Kysely's own lock needs its lock table, which nodes starting
 * together on an empty database would all try to create; behind this lock the first migrates and
 * the others find nothing left to do.
 */
export function migrateExclusively(db: Kysely<any>, migratorOn: (db: Kysely<any>, schema: string | undefined) => Migrator): Promise<MigrationResultSet> {
  return oneNodeAtATime(db, 'migrate', async (conn) => {
    // PostgreSQL: the schema is named, even when it is only the search path's (see createMigrator).
    const schema = dialectOf(db) === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(conn)).rows[0]!.s : undefined;
    return migrateToLatest(migratorOn(conn, schema));
  });
}
