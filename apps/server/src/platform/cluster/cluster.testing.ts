import { sql } from 'kysely';
import { ADMIN_PASSWORD, type TestApp } from '../../../test/test-app.js';
import { postgresTestUrl } from '../../../test/test-env.js';

/**
 * The environment of a real `yunwei serve` process joining the test's database as another node of
 * its cluster: the test's PostgreSQL schema, its admin password, no web UI. The nodes also need the
 * test app's data directory (its master key): pass `{ dataDir: t.ctx.config.dataDir }` to startYunwei.
 */
export async function clusterNodeEnv(t: TestApp, extra: Record<string, string> = {}): Promise<Record<string, string>> {
  const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s;
  return {
    YUNWEI_DATABASE_URL: `${postgresTestUrl()}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    YUNWEI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    YUNWEI_WEB_DIR: '',
    ...extra,
  };
}
