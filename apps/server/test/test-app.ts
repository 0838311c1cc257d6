import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as OTPAuth from 'otpauth';
import pg from 'pg';
import { inject } from 'vitest';
import type { RoleKind } from '@yunwei/contracts/access';
import type { SessionState } from '@yunwei/contracts/identity';
import { buildApp, type Yunwei } from '../src/app.js';
import { loadConfig } from '../src/config/config.js';
import { openDatabase } from '../src/db/database.js';
import { systemActor } from '../src/platform/actor.js';
import { AccessService } from '../src/modules/access/access.service.js';
import { UserService } from '../src/modules/identity/user.service.js';
import { postgresTestUrl, testDialect } from './test-env.js';

export const ADMIN_PASSWORD = 'Initial#Root1';
let counter = 0;

/** True when this run's database is there (PostgreSQL may be missing outside CI: tests skip loudly). */
export function databaseAvailable(): boolean {
  return testDialect() === 'sqlite' || inject('postgresAvailable');
}

export interface TestSession {
  cookie: string;
  csrf: string;
  state: SessionState;
  /** An HTTP call with this session's cookie and CSRF token. */
  request(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; json: any; body: string; headers: Record<string, unknown> }>;
}

export interface TestUser {
  id: string;
  username: string;
  password: string;
  totpSecret?: string;
}

export interface TestApp extends Yunwei {
  dialect: 'sqlite' | 'postgres';
  /** Signs in and completes what is pending (password change, MFA enrolment or code). */
  signIn(user: TestUser): Promise<TestSession>;
  /** A user holding exactly `permissions` (through a custom role) and/or built-in roles. */
  newUser(options?: { permissions?: string[]; roles?: RoleKind[]; orgUnitIds?: string[] | null; orgUnitId?: string | null }): Promise<TestUser>;
  admin: TestUser;
  totp(secret: string): string;
  /**
   * Test-only shortcut: forgets the last TOTP time step the user spent, so that the current code can be
   * used again (replay protection refuses it otherwise, and tests sign the same user in several times
   * within one 30-second step). Production code never does this.
   */
  allowTotpReuse(userId: string): Promise<void>;
  /** Runs a raw SQL statement against the database (for tamper tests). */
  exec(sqlText: string): Promise<void>;
}

function totp(secret: string): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate();
}

/**
 * A fresh Yunwei on a fresh database of this project's dialect (SQLite file or a PostgreSQL schema).
 * Notification channels may reach loopback here (test receivers listen on 127.0.0.1); pass
 * `{ YUNWEI_NOTIFY_ALLOW_LOCAL: '' }` (not set) to test the default, which refuses it.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const dialect = testDialect();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'yw-test-'));
  const schema = `t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  let databaseUrl = `sqlite:${path.join(dataDir, 'yunwei.db')}`;
  if (dialect === 'postgres') {
    databaseUrl = postgresTestUrl();
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
  }
  const config = loadConfig({ YUNWEI_DATA_DIR: dataDir, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_ADMIN_PASSWORD: ADMIN_PASSWORD, YUNWEI_LOG_LEVEL: 'silent', YUNWEI_WEB_DIR: '', YUNWEI_LOGIN_RATE_LIMIT: '1000', YUNWEI_NOTIFY_ALLOW_LOCAL: 'true', ...overrides });
  const database = openDatabase({ url: databaseUrl, pgSchema: dialect === 'postgres' ? schema : undefined, pgPoolSize: 4 });
  const yunwei = await buildApp({ config, database, announce: () => undefined, ...(dialect === 'postgres' ? { pgSchema: schema } : {}) });
  const adminRow = await yunwei.ctx.db.selectFrom('user').select('id').where('username', '=', 'admin').executeTakeFirstOrThrow();
  const admin: TestUser = { id: adminRow.id, username: 'admin', password: ADMIN_PASSWORD };
  const secrets = new Map<string, string>();

  async function request(cookie: string, csrf: string, method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await yunwei.app.inject({
      method: method as 'GET',
      url,
      headers: { ...(cookie ? { cookie: `yw_session=${cookie}` } : {}), ...(csrf ? { 'x-csrf-token': csrf } : {}), 'accept-language': 'en', ...headers },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    let json: unknown = undefined;
    try {
      json = res.json();
    } catch {
      json = undefined;
    }
    return { status: res.statusCode, json, body: res.body, headers: res.headers as Record<string, unknown> };
  }

  /** See TestApp.allowTotpReuse: clears the stored last-accepted step directly in the database. */
  async function allowTotpReuse(userId: string): Promise<void> {
    await yunwei.ctx.db.updateTable('user').set({ mfa_last_step: null }).where('id', '=', userId).execute();
  }

  async function signIn(user: TestUser): Promise<TestSession> {
    const login = await yunwei.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    if (login.statusCode !== 200) {
      throw new Error(`sign-in of ${user.username} failed: ${login.statusCode} ${login.body}`);
    }
    // Completing a pending step rotates the session (new cookie, new CSRF token): `current` follows it.
    const current = { cookie: login.cookies.find((c) => c.name === 'yw_session')!.value, state: login.json<SessionState>() };
    const follow = async (method: string, url: string, body?: unknown, headers?: Record<string, string>) => {
      const res = await request(current.cookie, current.state.csrfToken, method, url, body, headers);
      const rotated = /yw_session=([^;]+)/.exec(([] as unknown[]).concat(res.headers['set-cookie'] ?? []).join('\n'))?.[1];
      if (rotated && res.status === 200) {
        current.cookie = rotated;
        if (typeof (res.json as { csrfToken?: unknown } | undefined)?.csrfToken === 'string') {
          current.state = res.json as SessionState;
        }
      }
      return res;
    };
    for (let step = 0; current.state.pending && step < 4; step++) {
      if (current.state.pending === 'mfa') {
        await allowTotpReuse(current.state.user.id);
        current.state = (await follow('POST', '/api/auth/mfa', { code: totp(secrets.get(user.username) ?? user.totpSecret!) })).json as SessionState;
      } else if (current.state.pending === 'password') {
        const next = `${user.password}x9`;
        const res = await follow('POST', '/api/auth/password', { currentPassword: user.password, newPassword: next });
        if (res.status !== 200) {
          throw new Error(`password change failed: ${res.body}`);
        }
        user.password = next;
        current.state = res.json as SessionState;
      } else {
        const enrol = (await follow('POST', '/api/auth/mfa/enrol')).json as { secret: string };
        secrets.set(user.username, enrol.secret);
        user.totpSecret = enrol.secret;
        current.state = (await follow('POST', '/api/auth/mfa/confirm', { code: totp(enrol.secret) })).json as SessionState;
      }
    }
    return {
      get cookie() {
        return current.cookie;
      },
      get csrf() {
        return current.state.csrfToken;
      },
      get state() {
        return current.state;
      },
      request: (method, url, body, headers) => follow(method, url, body, headers),
    };
  }

  async function newUser(options: { permissions?: string[]; roles?: RoleKind[]; orgUnitIds?: string[] | null; orgUnitId?: string | null } = {}): Promise<TestUser> {
    const actor = systemActor('test');
    const access = new AccessService(yunwei.ctx);
    const n = counter++;
    const assignments = [];
    if (options.permissions) {
      // Reserved permissions cannot go into custom roles while separation of duties is on: tests use the built-in role for those.
      const role = await access.createRole(actor, { name: `test-role-${n}`, permissions: options.permissions });
      assignments.push({ roleId: role.id, orgUnitIds: options.orgUnitIds ?? null });
    }
    for (const kind of options.roles ?? []) {
      assignments.push({ roleId: await access.builtinRoleId(kind), orgUnitIds: options.orgUnitIds ?? null });
    }
    const password = `Test#pass${n}word`;
    const user = await new UserService(yunwei.ctx).create(actor, { username: `user${n}`, displayName: `用户 ${n}`, password, roles: assignments, orgUnitId: options.orgUnitId ?? null });
    return { id: user.id, username: user.username, password };
  }

  return {
    ...yunwei,
    dialect,
    admin,
    signIn,
    newUser,
    totp,
    allowTotpReuse,
    async exec(sqlText: string) {
      const { sql } = await import('kysely');
      await sql.raw(sqlText).execute(yunwei.ctx.db);
    },
    async close() {
      await yunwei.close();
      await database.close();
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        await client.query(`drop schema if exists ${schema} cascade`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
