// The sample writer's worker thread (see sample-writer.ts). Plain JavaScript on purpose: a worker does
// not inherit the tsx loader, and this file needs nothing but better-sqlite3, so it runs the same under
// `yunwei.mjs serve`, Vitest and the benches.
//
// Its own connection to the same WAL file as the main thread. Per message: one short IMMEDIATE
// transaction doing what IngestService's Kysely path does in its batch transaction — the upsert
// (MetricsRepository.upsertSamples), the last_seen touch (touchSeries) and the rollup dirty mark
// (markDirty) — then the answer. Nothing is answered before COMMIT returned; a thread that dies
// mid-transaction leaves no commit frame in the WAL, so nothing of the batch is visible.
import { parentPort, workerData } from 'node:worker_threads';
import SQLite from 'better-sqlite3';

/** @type {{ file: string, busyTimeoutMs: number, walAutocheckpoint: number, exitAfterRows?: number }} */
const options = workerData;

const db = new SQLite(options.file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`busy_timeout = ${Math.trunc(options.busyTimeoutMs)}`);
db.pragma(`wal_autocheckpoint = ${Math.trunc(options.walAutocheckpoint)}`);
// Every batch touches the last leaf page of each of its series: keep them (64 MiB ≈ 16,000 pages) cached
// instead of re-reading them from the OS for each sample.
db.pragma('cache_size = -65536');

const upsert = db.prepare('insert into metric_sample (series_id, ts, value) values (?, ?, ?) on conflict (series_id, ts) do update set value = excluded.value');
const touch = db.prepare('update metric_series set last_seen = ? where id = ?');
const markDirty = db.prepare(
  "update metric_rollup_state set dirty_from = case when dirty_from is null or dirty_from > @from then @from else dirty_from end, dirty_seq = dirty_seq + 1 where level = '5m'",
);

/**
 * @param {{ sid: Float64Array, ts: Float64Array, val: Float64Array, touch: Float64Array, now: number, dirtyFrom: number | null }} b
 */
function writeBatch(b) {
  for (let i = 0; i < b.sid.length; i++) {
    if (i === options.exitAfterRows) {
      process.exit(70); // fault injection for the tests: dies inside the open transaction
    }
    upsert.run(b.sid[i], b.ts[i], b.val[i]);
  }
  for (let i = 0; i < b.touch.length; i++) {
    touch.run(b.now, b.touch[i]);
  }
  if (b.dirtyFrom !== null) {
    markDirty.run({ from: b.dirtyFrom });
  }
}
// IMMEDIATE: the write lock is taken (or waited for, busy_timeout) before anything is read.
const write = db.transaction(writeBatch).immediate;

parentPort.on('message', (message) => {
  if (message.type === 'close') {
    db.close();
    parentPort.close();
    return;
  }
  try {
    write(message);
    parentPort.postMessage({ id: message.id, ok: true });
  } catch (error) {
    parentPort.postMessage({ id: message.id, ok: false, code: error?.code ?? null, message: String(error?.message ?? error) });
  }
});
