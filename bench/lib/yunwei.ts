/**
 * Bench support for Yunwei targets: an API token holding given permissions (made through the
 * services, as an administrator would), throw-away PostgreSQL databases and data directories.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Yunwei } from '../../apps/server/src/app.js';
import type { Actor } from '../../apps/server/src/platform/actor.js';
import { systemActor } from '../../apps/server/src/platform/actor.js';
import { AccessService } from '../../apps/server/src/modules/access/access.service.js';
import { TokenService } from '../../apps/server/src/modules/identity/token.service.js';
import { UserService } from '../../apps/server/src/modules/identity/user.service.js';

/** A user `username` holding exactly `permissions` (custom role, all units) and the secret of its API token. */
export async function benchToken(yunwei: Yunwei, username: string, permissions: string[]): Promise<string> {
  const system = systemActor('bench');
  const access = new AccessService(yunwei.ctx);
  const role = await access.createRole(system, { name: `${username}-role`, permissions });
  const user = await new UserService(yunwei.ctx).create(system, {
    username,
    displayName: username,
    password: 'Bench#Token-2026',
    roles: [{ roleId: role.id, orgUnitIds: null }],
  });
  const grants = await access.resolveGrants(user.id);
  const actor: Actor = { kind: 'user', userId: user.id, username: user.username, ip: '127.0.0.1', locale: 'en', ...grants };
  const { secret } = await new TokenService(yunwei.ctx).create(actor, { name: 'bench', scopes: permissions, expiresInDays: 1 });
  return secret;
}

/** The server to create bench databases on (its maintenance database). */
export const POSTGRES_ADMIN_URL = process.env.YUNWEI_BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  drop(): Promise<void>;
}

async function admin<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL, connectionTimeoutMillis: 3000 });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh database `name` (dropped first if a crashed run left it); null when PostgreSQL is not reachable. */
export async function createPostgresDatabase(name: string): Promise<BenchDatabase | null> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
    throw new Error(`bad database name ${name}`);
  }
  try {
    await admin(async (c) => {
      await c.query(`drop database if exists ${name} with (force)`);
      await c.query(`create database ${name}`);
    });
  } catch (error) {
    process.stderr.write(`[bench] PostgreSQL at ${POSTGRES_ADMIN_URL} not usable: ${(error as Error).message}\n`);
    return null;
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(async (c) => void (await c.query(`drop database if exists ${name} with (force)`))) };
}

/**
 * Where a bench's app keeps its data: a fresh temp directory, and SQLite in it or a fresh PostgreSQL
 * database `name`. Exits the bench when PostgreSQL was asked for and is not reachable. Call `remove()`
 * at the end.
 */
export async function benchStore(kind: string, name: string): Promise<{ dir: string; databaseUrl: string; remove(): Promise<void> }> {
  const dir = mkdtempSync(path.join(tmpdir(), `yw-bench-${name}-`));
  let postgres: BenchDatabase | null = null;
  if (kind === 'postgres') {
    postgres = await createPostgresDatabase(`yw_bench_${name.replaceAll('-', '_')}`);
    if (!postgres) {
      process.exit(1);
    }
  }
  return {
    dir,
    databaseUrl: postgres?.url ?? `sqlite:${path.join(dir, 'yunwei.db')}`,
    remove: async () => {
      await postgres?.drop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
