import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type Yunwei } from '../app.js';
import { loadConfig } from '../config/config.js';
import { databaseAvailable } from '../../test/test-app.js';
import { postgresTestUrl, testDialect } from '../../test/test-env.js';

// Each run starts Node, tsx and the app (migrations included): seconds each on a busy machine.
const repoRoot = path.resolve(import.meta.dirname, '../../../..');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * `yunwei init` as the person at the server runs it: a separate process on a fresh data directory and
 * a fresh database (SQLite file, or a PostgreSQL database of its own made for this test).
 */
describe.skipIf(!databaseAvailable())('yunwei init (command line, separate process)', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-init-'));
  const pgDatabase = `yw_init_${process.pid}_${Date.now().toString(36)}`;
  const pgUrl = () => {
    const url = new URL(postgresTestUrl());
    url.pathname = `/${pgDatabase}`;
    return url.toString();
  };
  const databaseUrl = testDialect() === 'postgres' ? pgUrl() : `sqlite:${path.join(dataDir, 'yunwei.db')}`;
  const passwordFile = path.join(dataDir, 'admin-password');

  const yunwei = (...args: string[]): Promise<Run> =>
    new Promise((resolve) => {
      execFile(
        process.execPath,
        ['apps/server/bin/yunwei.mjs', ...args],
        { cwd: repoRoot, env: { ...process.env, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_DATA_DIR: dataDir, YUNWEI_LOG_LEVEL: 'warn', YUNWEI_CONFIG: '', YUNWEI_ADMIN_PASSWORD: '' }, timeout: 120_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  async function withServer<T>(work: (y: Yunwei) => Promise<T>): Promise<T> {
    const y = await buildApp({ config: loadConfig({ YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '' }), announce: () => undefined });
    try {
      return await work(y);
    } finally {
      await y.close();
    }
  }

  beforeAll(async () => {
    writeFileSync(passwordFile, 'Root#Init2024\n', { mode: 0o600 });
    if (testDialect() === 'postgres') {
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      await client.query(`create database ${pgDatabase}`);
      await client.end();
    }
  });
  afterAll(async () => {
    if (testDialect() === 'postgres') {
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      await client.query(`drop database if exists ${pgDatabase} with (force)`);
      await client.end();
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates admin from the password file and the two duty accounts, printing each one-time password once; a second run exits 1 naming the holders', async () => {
    const first = await yunwei('init', '--security-admin', 'anquan', '--security-admin-name', '王安全', '--audit-admin', 'shenji', '--admin-password-file', passwordFile);
    expect(first.stderr).toBe('');
    expect(first.code, first.stdout).toBe(0);
    expect(first.stdout).toContain('created security administrator "anquan" (王安全, 安全管理员)');
    expect(first.stdout).toContain('created audit administrator "shenji" (审计管理员, 审计管理员)');
    expect(first.stdout).toContain('"admin" keeps the system administrator role and no longer holds the security administrator role');
    const passwords = [...first.stdout.matchAll(/^ {4}(\S+)$/gm)].map((m) => m[1]!);
    expect(passwords).toHaveLength(2);
    // The admin's password came from the file: nothing generated for it is printed.
    expect(first.stdout).not.toContain('Root#Init2024');

    const again = await yunwei('init', '--audit-admin', 'shenji2');
    expect(again.code).toBe(1);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('审计管理员已由 shenji (审计管理员) 担任');
    expect(again.stderr).toContain('Audit administrator is already held by shenji (审计管理员) (YW_DUTY_ALREADY_HELD)');

    const nothing = await yunwei('init');
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain('--security-admin <username> and/or --audit-admin <username>');

    await withServer(async (y) => {
      const login = async (username: string, password: string) => (await y.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })).json() as { pending: string | null; roleKinds: string[] };
      expect(await login('admin', 'Root#Init2024')).toMatchObject({ pending: 'password', roleKinds: ['system_admin'] });
      expect(await login('anquan', passwords[0]!)).toMatchObject({ pending: 'password', roleKinds: ['security_admin'] });
      expect(await login('shenji', passwords[1]!)).toMatchObject({ pending: 'password', roleKinds: ['audit_admin'] });
      const setup = await y.ctx.db.selectFrom('audit_log').select(['actor_name', 'after']).where('action', '=', 'identity.duty.setup').orderBy('id').execute();
      expect(setup.map((e) => [e.actor_name, JSON.parse(e.after).handedOver ?? JSON.parse(e.after).refused?.code])).toEqual([
        ['cli', ['admin']],
        ['cli', 'YW_DUTY_ALREADY_HELD'],
      ]);
    });
  }, 180_000);

  it('`yunwei user create --role` gives a built-in administrator role from the host too', async () => {
    const res = await yunwei('user', 'create', 'anquan2', '--name', '赵安全', '--role', 'security_admin');
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^created user anquan2 \(.+\)\none-time password: \S+/);
    const bad = await yunwei('user', 'create', 'x1', '--name', 'X', '--role', 'root');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('unknown role "root"');
  }, 120_000);
});
