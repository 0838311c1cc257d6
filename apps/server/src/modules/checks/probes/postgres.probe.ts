import pg from 'pg';
import { hostPart } from './tcp.probe.js';
import { abortion, down, reasonOf, say, since, up, type Probe, type ProbeMessage, type ProbeSample } from './probe.js';

// One round trip for every figure. Connections and slow queries count client backends only (not
// autovacuum, WAL senders, …); the probe's own session is not slow.
const HEALTH_SQL = `
select
  (select count(*) from pg_stat_activity where backend_type = 'client backend')::int as connections,
  pg_database_size(current_database())::float8 as size_bytes,
  (select xact_commit + xact_rollback from pg_stat_database where datname = current_database())::float8 as transactions,
  (select count(*) from pg_stat_activity
    where backend_type = 'client backend' and state = 'active' and pid <> pg_backend_pid()
      and now() - query_start > make_interval(secs => $1))::int as slow_queries,
  pg_is_in_recovery() as in_recovery,
  case when not pg_is_in_recovery() then null
       when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
       else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8 end as lag_seconds`;

interface Health {
  connections: number;
  size_bytes: number;
  transactions: number | null;
  slow_queries: number;
  in_recovery: boolean;
  lag_seconds: number | null;
}

/**
 * PostgreSQL health through `pg`: connect time, client connections, database size, transactions
 * (commits + rollbacks) per second between runs, slow active queries, and replication lag on a standby.
 */
export const postgresProbe: Probe<'postgres'> = {
  type: 'postgres',
  target: (s) => `postgres://${s.user}@${hostPart(s.host)}:${s.port ?? 5432}/${s.database}`,
  async run({ settings, timeoutMs, signal, memory, outbound }) {
    // The client connects to the address the outbound policy checked, not the name again.
    let host: string;
    try {
      ({ address: host } = await outbound.resolve(settings.host));
    } catch (error) {
      return down(say('db.failed', { engine: 'PostgreSQL', detail: reasonOf(error) }));
    }
    const client = new pg.Client({
      host,
      port: settings.port ?? 5432,
      database: settings.database,
      user: settings.user,
      password: settings.password ?? undefined,
      ssl: settings.ssl ? { rejectUnauthorized: false } : false,
      connectionTimeoutMillis: timeoutMs,
      statement_timeout: timeoutMs,
      query_timeout: timeoutMs,
      application_name: 'yunwei-check',
    });
    client.on('error', () => undefined);
    const onAbort = () => void client.end().catch(() => undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    const started = performance.now();
    try {
      await Promise.race([client.connect(), abortion(signal)]);
      const connectMs = since(started);
      const { rows } = await Promise.race([client.query<Health>(HEALTH_SQL, [settings.slowQuerySeconds ?? 5]), abortion(signal)]);
      const h = rows[0]!;
      const samples: ProbeSample[] = [
        { metric: 'db_connect_seconds', value: connectMs / 1000 },
        { metric: 'db_connections', value: h.connections },
        { metric: 'db_size_bytes', value: h.size_bytes },
        { metric: 'db_slow_queries', value: h.slow_queries },
      ];
      const rate = h.transactions === null ? null : memory.rate('transactions', h.transactions, Date.now());
      if (rate !== null) {
        samples.push({ metric: 'db_queries_per_second', value: rate });
      }
      const health = { connections: h.connections, sizeMiB: (h.size_bytes / 1048576).toFixed(1), slow: h.slow_queries };
      let message: ProbeMessage = say('db.ok', health);
      if (settings.replica) {
        if (h.in_recovery && h.lag_seconds !== null) {
          samples.push({ metric: 'db_replication_lag_seconds', value: h.lag_seconds });
          message = say('db.okLag', { ...health, lag: h.lag_seconds.toFixed(1) });
        } else {
          message = say(h.in_recovery ? 'db.okStandbyIdle' : 'db.okNotStandby', health);
        }
      }
      return up(message, connectMs, samples);
    } catch (error) {
      return down(signal.aborted ? say('noAnswer', { ms: timeoutMs }) : say('db.failed', { engine: 'PostgreSQL', detail: reasonOf(error) }));
    } finally {
      signal.removeEventListener('abort', onAbort);
      void client.end().catch(() => undefined);
    }
  },
};
