import { type Kysely, sql } from 'kysely';
import { dialectOf } from '../../db/dialect.js';
import type { Database } from '../../db/schema.js';

/**
 * The list's text filter: `document_search.search_text` (lower-cased when written) contains the needle
 * (lower-cased) as a plain substring — `%`, `_` and quotes are characters, Chinese words are found inside
 * sentences. Needles of 3 characters or more use a trigram index (PostgreSQL pg_trgm GIN, SQLite FTS5
 * `trigram`); shorter ones (备份, "ip") have no trigram and read every search text, as before.
 */
export const TRIGRAM = 3;

/** True when the needle is long enough for the trigram index (counted in characters, not UTF-16 units). */
export function usesTrigramIndex(needle: string): boolean {
  return [...needle].length >= TRIGRAM;
}

/** `needle` as one FTS5 phrase: in double quotes, a double quote doubled; nothing inside is syntax. */
export function ftsPhrase(needle: string): string {
  return `"${needle.replaceAll('"', '""')}"`;
}

/** A LIKE pattern matching `needle` anywhere, with `\`, `%` and `_` escaped (escape character `\`). */
export function likeContains(needle: string): string {
  return `%${needle.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
}

/**
 * The ids of documents whose search text contains `needle` (already lower-cased), for `d.id in (…)`.
 * PostgreSQL: LIKE with the wildcards escaped; the pg_trgm GIN index answers it when the extension was
 * available (the planner takes the index for 3+ characters and falls back to reading every row otherwise, so
 * the answer is the same either way). SQLite: a phrase query on the FTS5 trigram table for 3+ characters,
 * a substring position (instr, faster than LIKE's per-character case folding) for shorter needles.
 */
export function documentsContaining(db: Kysely<Database>, needle: string) {
  const rows = db.selectFrom('document_search as s').select('s.document_id');
  if (dialectOf(db) === 'postgres') {
    return rows.where(sql<boolean>`s.search_text like ${likeContains(needle)} escape '\\'`);
  }
  if (usesTrigramIndex(needle)) {
    return rows.where(sql<boolean>`s.rowid in (select rowid from document_fts where document_fts match ${ftsPhrase(needle)})`);
  }
  return rows.where(sql<boolean>`instr(s.search_text, ${needle}) > 0`);
}

// ---------------------------------------------------------------- migration

/**
 * Builds the trigram index over the rows already there.
 *
 * PostgreSQL: `pg_trgm` is a contrib extension (trusted since PostgreSQL 13: a database owner may create
 * it). It is used where it already is; otherwise created in `public` (not in the app's schema: dropping
 * that schema would drop the extension with every other schema's index), else in the current schema. When
 * it cannot be created (package missing, no privilege) the migration still succeeds without the index and
 * searches read every search text as before — same answers, slower. Each attempt runs under a savepoint,
 * so a refused CREATE EXTENSION does not abort the migration's transaction. The GIN index has no pending
 * list (`fastupdate = off`): with one, a bulk of new rows waits in an unordered list that every search reads
 * and that the planner prices so high that it preferred reading all 10,000 texts (30–70 ms) over the index
 * (1 ms) — bench/library-list.bench.ts --explain. Each saved version then updates the index at once,
 * about 1 ms per document of 3 KB.
 *
 * SQLite: an external-content FTS5 table over `document_search` (no second copy of the texts) keyed by
 * its rowid, kept in step by triggers, so every write of a search text — and the cascade when a document
 * is deleted — updates the index in the same transaction. Caveat: SQLite may renumber rowids of a table
 * without INTEGER PRIMARY KEY on VACUUM (Yunwei does not VACUUM); after one, run
 * `insert into document_fts(document_fts) values ('rebuild')`.
 */
export async function createSearchIndex(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    let schema = await trigramSchema(db);
    for (const target of ['public', null]) {
      if (schema !== null) {
        break;
      }
      await attempt(db, target === null ? sql`create extension if not exists pg_trgm` : sql`create extension if not exists pg_trgm with schema ${sql.id(target)}`);
      schema = await trigramSchema(db);
    }
    if (schema !== null) {
      await attempt(db, sql`create index if not exists document_search_trgm on document_search using gin (search_text ${sql.id(schema)}.gin_trgm_ops) with (fastupdate = off)`);
    }
    return;
  }
  await sql`create virtual table document_fts using fts5(search_text, content='document_search', content_rowid='rowid', tokenize='trigram')`.execute(db);
  await sql`create trigger document_search_fts_insert after insert on document_search begin
    insert into document_fts(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`create trigger document_search_fts_delete after delete on document_search begin
    insert into document_fts(document_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
  end`.execute(db);
  await sql`create trigger document_search_fts_update after update on document_search begin
    insert into document_fts(document_fts, rowid, search_text) values ('delete', old.rowid, old.search_text);
    insert into document_fts(rowid, search_text) values (new.rowid, new.search_text);
  end`.execute(db);
  await sql`insert into document_fts(document_fts) values ('rebuild')`.execute(db);
}

export async function dropSearchIndex(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) === 'postgres') {
    // The extension stays: other schemas or applications may use it.
    await sql`drop index if exists document_search_trgm`.execute(db);
    return;
  }
  for (const trigger of ['document_search_fts_insert', 'document_search_fts_delete', 'document_search_fts_update']) {
    await sql`drop trigger if exists ${sql.id(trigger)}`.execute(db);
  }
  await sql`drop table if exists document_fts`.execute(db);
}

/** The schema pg_trgm is installed in, or null. */
async function trigramSchema(db: Kysely<any>): Promise<string | null> {
  const { rows } = await sql<{ s: string }>`select n.nspname as s from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  return rows[0]?.s ?? null;
}

/** Runs `statement`; a failure is undone (savepoint inside a transaction) and ignored. */
async function attempt(db: Kysely<any>, statement: ReturnType<typeof sql>): Promise<boolean> {
  const savepoint = db.isTransaction;
  if (savepoint) {
    await sql`savepoint yunwei_library_search`.execute(db);
  }
  try {
    await statement.execute(db);
    if (savepoint) {
      await sql`release savepoint yunwei_library_search`.execute(db);
    }
    return true;
  } catch {
    if (savepoint) {
      await sql`rollback to savepoint yunwei_library_search`.execute(db);
    }
    return false;
  }
}
