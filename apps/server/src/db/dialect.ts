import { sql, type ColumnDefinitionBuilder, type CreateTableBuilder, type Kysely, PostgresAdapter, SqliteAdapter } from 'kysely';

/** The two databases Yunwei runs on. Every difference between them lives in this file. */
export type DialectName = 'sqlite' | 'postgres';

export function dialectOf(db: Kysely<any>): DialectName {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof SqliteAdapter) {
    return 'sqlite';
  }
  if (adapter instanceof PostgresAdapter) {
    return 'postgres';
  }
  throw new Error('unsupported database adapter');
}

/** Column type for JSON documents: jsonb in PostgreSQL, text in SQLite. */
export function jsonType(db: Kysely<any>) {
  return dialectOf(db) === 'postgres' ? sql`jsonb` : sql`text`;
}

/** Adds an auto-incrementing integer primary key named `column`. */
export function withSerialKey<T extends string>(
  db: Kysely<any>,
  table: CreateTableBuilder<T, never>,
  column: string,
): CreateTableBuilder<T, never> {
  return dialectOf(db) === 'postgres'
    ? table.addColumn(column, 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    : table.addColumn(column, 'integer', (c) => c.primaryKey().autoIncrement());
}

/** Epoch-millisecond timestamps and other big integers. */
export const epochType = 'bigint' as const;
export const notNull = (c: ColumnDefinitionBuilder) => c.notNull();

/** Serialises a JSON column value. Both drivers accept text for json/jsonb. */
export function toJson(value: unknown): string {
  return JSON.stringify(value ?? null);
}

/** Reads a JSON column value: a string from SQLite, already parsed from PostgreSQL. */
export function fromJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/** True when `error` is a unique-constraint violation on either database. */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}

/**
 * Serialises writers of an append-only chain (the audit trail) inside a transaction.
 * SQLite transactions are already serial (one writer); PostgreSQL needs an advisory lock so
 * that several app nodes never read the same "last hash".
 */
export async function lockChain(trx: Kysely<any>, key: number): Promise<void> {
  if (dialectOf(trx) === 'postgres') {
    await sql`select pg_advisory_xact_lock(${key})`.execute(trx);
  }
}

/**
 * Case-insensitive "column contains text", the same on both databases (LIKE wildcards escaped).
 * SQLite's LIKE already ignores case exactly as far as its lower() does (ASCII letters only), so
 * there the column is compared as is: lower() on every row cost ~40% of a text search's scan.
 */
export function containsText(db: Kysely<any>, column: string, text: string) {
  const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  return dialectOf(db) === 'postgres'
    ? sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`
    : sql<boolean>`${sql.ref(column)} like ${pattern} escape '\\'`;
}
