// The sample writer's worker thread (see sample-writer.ts). Plain JavaScript on purpose: a worker does
// not inherit the tsx loader, and this file needs nothing but better-sqlite3, so it runs the same under
// `yunwei.mjs serve`, Vitest and the benches.
//
// Its own connection to the same WAL file as the main thread. Per message: one short IMMEDIATE
// transaction doing what IngestService's Kysely path does in its batch transaction — store the samples,
// the last_seen touch (touchSeries) and the rollup dirty mark (markDirty) — then the answer. Nothing is
// answered before COMMIT returned; a thread that dies mid-transaction leaves no commit frame in the WAL,
// so nothing of the batch is visible.
//
// Fresh samples are staged. `metric_sample` is clustered by (series, ts), so a batch holding one sample
// of each of 2,000 series dirties 2,000 leaf pages — 4 KiB of WAL per sample, then the checkpoint's
// copy. A batch whose samples are each newer than everything stored for their series is instead
// appended to the rowid table `metric_sample_head` (a few pages per batch, plus its small index) and
// kept in memory; every `mergeRows` samples or `mergeMs` the staged samples move into `metric_sample`
// in series order (many samples per leaf page) and leave the staging table, in one transaction.
// Readers take the union of the two (MetricsRepository): they never hold the same (series, ts), since a
// batch with any sample that is not newer than its series' newest (a late, replayed or rewritten
// point) first moves the staged samples and is then written straight into `metric_sample`, later
// write winning as before. Staged rows a dead worker left behind are moved when the next one starts.
//
// `metric_sample` must only be written through this writer while it runs (it keeps each series'
// newest time in memory).
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';
import { sortOrder } from './sort-order.mjs';

/**
 * @type {{ file: string, busyTimeoutMs: number, walAutocheckpoint: number, mergeRows: number, mergeMs: number,
 *          maxTrackedSeries: number, exitAfterRows?: number }}
 */
const options = workerData;

const db = new SQLite(options.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
db.pragma(`wal_autocheckpoint = ${Math.trunc(options.walAutocheckpoint)}`);
// A merge touches the last leaf page of each of its series: keep them (64 MiB ≈ 16,000 pages) cached
// instead of re-reading them from the OS.
db.pragma('cache_size = -65536');

const upsert = db.prepare('insert into metric_sample (series_id, ts, value) values (?, ?, ?) on conflict (series_id, ts) do update set value = excluded.value');
const stage = db.prepare('insert into metric_sample_head (series_id, ts, value) values (?, ?, ?)');
const unstage = db.prepare('delete from metric_sample_head where rowid between ? and ?');
const storedNewest = db.prepare('select max(ts) from metric_sample where series_id = ?').pluck();
const touch = db.prepare('update metric_series set last_seen = ? where id = ?');
const markDirty = db.prepare(
  "update metric_rollup_state set dirty_from = case when dirty_from is null or dirty_from > @from then @from else dirty_from end, dirty_seq = dirty_seq + 1 where level = '5m'",
);

/**
 * The staged samples: sorted runs (one per batch), each the rows `first`…`last` of metric_sample_head (a
 * transaction's inserts get consecutive rowids; only these are removed, so a second writer's rows stay).
 */
const staged = { runs: /** @type {{ sid: Float64Array, ts: Float64Array, val: Float64Array, first: number, last: number }[]} */ ([]), rows: 0, since: 0 };
/** Series id → the newest ts stored or staged for it (loaded on first sight; cleared only when nothing is staged). */
const newest = new Map();
let mergeTimer = /** @type {NodeJS.Timeout | undefined} */ (undefined);
const stats = { merges: 0, merged: 0, direct: 0 };

function newestOf(id) {
  let t = newest.get(id);
  if (t === undefined) {
    t = storedNewest.get(id) ?? -Infinity;
    newest.set(id, t);
  }
  return t;
}

/** True when every sample is newer than all its series holds, so the batch may be staged. */
function appendsOnly(b) {
  for (let i = 0; i < b.sid.length; i++) {
    // Sorted by (series, ts) without duplicates: only a series' first sample needs checking.
    if ((i === 0 || b.sid[i] !== b.sid[i - 1]) && b.ts[i] <= newestOf(b.sid[i])) {
      return false;
    }
  }
  return true;
}

/** Moves the staged samples into metric_sample in (series, ts) order; the caller's transaction. */
function moveStaged() {
  const n = staged.rows;
  if (n === 0) {
    return;
  }
  const sid = new Float64Array(n);
  const ts = new Float64Array(n);
  const val = new Float64Array(n);
  let at = 0;
  for (const run of staged.runs) {
    sid.set(run.sid, at);
    ts.set(run.ts, at);
    val.set(run.val, at);
    at += run.sid.length;
  }
  const order = sortOrder(sid, ts);
  for (let k = 0; k < n; k++) {
    const i = order[k];
    upsert.run(sid[i], ts[i], val[i]);
  }
  for (const run of staged.runs) {
    unstage.run(run.first, run.last);
  }
}

function clearStaged() {
  if (staged.rows === 0) {
    return;
  }
  stats.merges++;
  stats.merged += staged.rows;
  staged.runs = [];
  staged.rows = 0;
  clearTimeout(mergeTimer);
  mergeTimer = undefined;
  if (newest.size > options.maxTrackedSeries) {
    newest.clear(); // safe now: nothing is staged, so what is stored is all there is
  }
}

const merge = db.transaction(moveStaged).immediate;

/** Moves the staged samples now (own transaction). A failure (e.g. the lock was not free in time) leaves them staged for the next try. */
function mergeNow() {
  if (staged.rows === 0) {
    return;
  }
  try {
    merge();
    clearStaged();
  } catch (error) {
    parentPort.postMessage({ type: 'merge-failed', message: String(error?.message ?? error), staged: staged.rows });
    scheduleMerge();
  }
}

function scheduleMerge() {
  if (!mergeTimer && staged.rows > 0) {
    mergeTimer = setTimeout(() => {
      mergeTimer = undefined;
      mergeNow();
    }, options.mergeMs);
  }
}

/**
 * @param {{ sid: Float64Array, ts: Float64Array, val: Float64Array, touch: Float64Array, now: number, dirtyFrom: number | null }} b
 * @returns {{ first: number, last: number } | null} the staged rows, or null when written straight into metric_sample
 *   (applied to the in-memory state once committed, by afterCommit)
 */
function writeBatch(b) {
  const append = appendsOnly(b);
  if (!append) {
    moveStaged();
  }
  let first = 0;
  let last = 0;
  for (let i = 0; i < b.sid.length; i++) {
    if (i === options.exitAfterRows) {
      process.exit(70); // fault injection for the tests: dies inside the open transaction
    }
    if (append) {
      last = Number(stage.run(b.sid[i], b.ts[i], b.val[i]).lastInsertRowid);
      first ||= last;
    } else {
      upsert.run(b.sid[i], b.ts[i], b.val[i]);
    }
  }
  for (let i = 0; i < b.touch.length; i++) {
    touch.run(b.now, b.touch[i]);
  }
  if (b.dirtyFrom !== null) {
    markDirty.run({ from: b.dirtyFrom });
  }
  return append ? { first, last } : null;
}
// IMMEDIATE: the write lock is taken (or waited for, busy_timeout) before anything is read.
const write = db.transaction(writeBatch).immediate;

function afterCommit(b, staging) {
  if (staging) {
    if (staged.rows === 0) {
      staged.since = Date.now();
    }
    staged.runs.push({ sid: b.sid, ts: b.ts, val: b.val, first: staging.first, last: staging.last });
    staged.rows += b.sid.length;
  } else {
    clearStaged();
    stats.direct += b.sid.length;
  }
  for (let i = 0; i < b.sid.length; i++) {
    if (i === b.sid.length - 1 || b.sid[i] !== b.sid[i + 1]) {
      newest.set(b.sid[i], Math.max(newest.get(b.sid[i]) ?? -Infinity, b.ts[i]));
    }
  }
}

// What a previous worker staged and could not move (it died): moved before anything else.
db.transaction(() => {
  db.prepare(
    `insert into metric_sample (series_id, ts, value) select series_id, ts, value from metric_sample_head where true order by series_id, ts, rowid
     on conflict (series_id, ts) do update set value = excluded.value`,
  ).run();
  db.prepare('delete from metric_sample_head').run();
}).immediate();

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    mergeNow();
    db.close();
    parentPort.close();
    return;
  }
  if (message.type === 'merge') {
    try {
      if (staged.rows) {
        merge();
        clearStaged();
      }
      parentPort.postMessage({ id: message.id, ok: true, stats: { ...stats, staged: staged.rows } });
    } catch (error) {
      parentPort.postMessage({ id: message.id, ok: false, code: error?.code ?? null, message: String(error?.message ?? error) });
    }
    return;
  }
  let staging;
  try {
    staging = write(message);
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, code: error?.code ?? null, message: String(error?.message ?? error) });
    return;
  }
  afterCommit(message, staging);
  parentPort.postMessage({ id: message.id, ok: true });
  if (staged.rows >= options.mergeRows || (staged.rows > 0 && Date.now() - staged.since >= options.mergeMs)) {
    mergeNow();
  } else {
    scheduleMerge();
  }
});
