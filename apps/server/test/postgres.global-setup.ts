import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { postgresTestUrl, requireAll } from './test-env.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAvailable: boolean;
  }
}

/** Checks once that PostgreSQL answers; without it the postgres project skips loudly (fails in CI). */
export default async function setup(project: TestProject): Promise<void> {
  const client = new pg.Client({ connectionString: postgresTestUrl(), connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query('select 1');
    project.provide('postgresAvailable', true);
  } catch (error) {
    const message = `PostgreSQL is not reachable at ${postgresTestUrl()}: ${(error as Error).message}`;
    if (requireAll()) {
      throw new Error(`${message} (YUNWEI_REQUIRE_ALL=1 makes this a failure)`);
    }
    console.warn(`\n⚠ SKIPPING the postgres integration tests — ${message}\n`);
    project.provide('postgresAvailable', false);
  } finally {
    await client.end().catch(() => undefined);
  }
}
