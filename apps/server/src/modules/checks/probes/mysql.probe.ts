import mysql, { type Connection, type RowDataPacket } from 'mysql2/promise';
import { hostPart } from './tcp.probe.js';
import { abortion, down, reasonOf, say, since, up, type Probe, type ProbeMessage, type ProbeSample } from './probe.js';

const STATUS_SQL = "SHOW GLOBAL STATUS WHERE Variable_name IN ('Threads_connected', 'Questions', 'Slow_queries')";

/** Replica status: MySQL ≥ 8.0.22 and MariaDB ≥ 10.5 know SHOW REPLICA STATUS; older ones SHOW SLAVE STATUS. */
async function replicaLag(conn: Connection, timeout: number): Promise<{ replica: boolean; lag: number | null }> {
  for (const sql of ['SHOW REPLICA STATUS', 'SHOW SLAVE STATUS']) {
    try {
      const [rows] = await conn.query<RowDataPacket[]>({ sql, timeout });
      const row = rows[0];
      if (!row) {
        return { replica: false, lag: null };
      }
      const lag = row.Seconds_Behind_Source ?? row.Seconds_Behind_Master;
      return { replica: true, lag: lag === null || lag === undefined ? null : Number(lag) };
    } catch {
      // try the older statement
    }
  }
  return { replica: false, lag: null };
}

/**
 * MySQL / MariaDB health through `mysql2`: connect time, Threads_connected, Questions per second
 * between runs, schema size, queries running longer than the threshold (and the Slow_queries
 * counter), and Seconds_Behind_Source on a replica.
 */
export const mysqlProbe: Probe<'mysql'> = {
  type: 'mysql',
  target: (s) => `mysql://${s.user}@${hostPart(s.host)}:${s.port ?? 3306}${s.database ? `/${s.database}` : ''}`,
  async run({ settings, timeoutMs, signal, memory, outbound }) {
    // The driver connects to the address the outbound policy checked, not the name again.
    let host: string;
    try {
      ({ address: host } = await outbound.resolve(settings.host));
    } catch (error) {
      return down(say('db.failed', { engine: 'MySQL', detail: reasonOf(error) }));
    }
    let conn: Connection | null = null;
    const onAbort = () => conn?.destroy();
    signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      const connecting = mysql.createConnection({
        host,
        port: settings.port ?? 3306,
        user: settings.user,
        password: settings.password ?? undefined,
        database: settings.database,
        connectTimeout: timeoutMs,
      });
      // A connection that completes after the deadline is closed at once.
      connecting.then((c) => (signal.aborted ? c.destroy() : undefined)).catch(() => undefined);
      conn = await Promise.race([connecting, abortion(signal)]);
      const connectMs = since(started);
      const [status] = await conn.query<RowDataPacket[]>({ sql: STATUS_SQL, timeout: timeoutMs });
      const value = (name: string) => Number(status.find((r) => r.Variable_name === name)?.Value ?? NaN);
      const [[size]] = await conn.query<RowDataPacket[]>({
        sql: `SELECT COALESCE(SUM(data_length + index_length), 0) AS size_bytes FROM information_schema.TABLES${settings.database ? ' WHERE table_schema = ?' : ''}`,
        values: settings.database ? [settings.database] : [],
        timeout: timeoutMs,
      });
      const [[slow]] = await conn.query<RowDataPacket[]>({
        sql: "SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE COMMAND = 'Query' AND ID <> CONNECTION_ID() AND TIME >= ?",
        values: [settings.slowQuerySeconds ?? 5],
        timeout: timeoutMs,
      });
      const connections = value('Threads_connected');
      const sizeBytes = Number(size!.size_bytes);
      const samples: ProbeSample[] = [
        { metric: 'db_connect_seconds', value: connectMs / 1000 },
        { metric: 'db_connections', value: connections },
        { metric: 'db_size_bytes', value: sizeBytes },
        { metric: 'db_slow_queries', value: Number(slow!.n) },
        { metric: 'db_slow_queries_total', value: value('Slow_queries') },
      ].filter((s) => Number.isFinite(s.value));
      const questions = value('Questions');
      const rate = Number.isFinite(questions) ? memory.rate('questions', questions, Date.now()) : null;
      if (rate !== null) {
        samples.push({ metric: 'db_queries_per_second', value: rate });
      }
      const health = { connections, sizeMiB: (sizeBytes / 1048576).toFixed(1), slow: Number(slow!.n) };
      let message: ProbeMessage = say('db.ok', health);
      if (settings.replica) {
        const { replica, lag } = await replicaLag(conn, timeoutMs);
        if (lag !== null) {
          samples.push({ metric: 'db_replication_lag_seconds', value: lag });
          message = say('db.okLag', { ...health, lag });
        } else {
          message = say(replica ? 'db.okReplicationStopped' : 'db.okNotReplica', health);
        }
      }
      return up(message, connectMs, samples);
    } catch (error) {
      return down(signal.aborted ? say('noAnswer', { ms: timeoutMs }) : say('db.failed', { engine: 'MySQL', detail: reasonOf(error) }));
    } finally {
      signal.removeEventListener('abort', onAbort);
      const c = conn as Connection | null;
      if (c) {
        c.end().catch(() => c.destroy());
      }
    }
  },
};
