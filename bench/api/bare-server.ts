// Server child of the api bench: the baseline. Bare Fastify (no logger, plugins, hooks, auth or
// response schema) and better-sqlite3 prepared statements doing what GET /api/users does on the
// same database file: the filtered, sorted page, the count, the role assignments of the page,
// mapped to the same JSON.
import Database from 'better-sqlite3';
import Fastify from 'fastify';
import { announceReady } from '../lib/server-process.js';

const file = process.argv[2];
if (!file) {
  throw new Error('usage: bare-server.ts <sqlite file>');
}
const sqlite = new Database(file);
// The pragmas Yunwei opens its database with.
sqlite.pragma('journal_mode = WAL');
sqlite.pragma('synchronous = NORMAL');
sqlite.pragma('foreign_keys = ON');
sqlite.pragma('busy_timeout = 5000');

const SORT = { username: 'username', displayName: 'display_name', createdAt: 'created_at', lastLoginAt: 'last_login_at' } as const;
// The SQL Yunwei's UserRepository.list generates on SQLite (containsText in db/dialect.ts).
const TEXT = `("username" like ? escape '\\' or "display_name" like ? escape '\\' or "email" like ? escape '\\')`;

interface Row {
  id: string;
  username: string;
  display_name: string;
  email: string;
  phone: string;
  org_unit_id: string | null;
  status: string;
  locked_until: number | null;
  mfa_secret: string | null;
  must_change_password: number;
  password_changed_at: number | null;
  last_login_at: number | null;
  created_at: number;
  updated_at: number;
}
interface RoleRow {
  user_id: string;
  role_id: string;
  org_scope: string | null;
  name: string;
  kind: string;
}

const statements = new Map<string, Database.Statement>();
function prepared(sql: string): Database.Statement {
  let s = statements.get(sql);
  if (!s) {
    s = sqlite.prepare(sql);
    statements.set(sql, s);
  }
  return s;
}

const app = Fastify({ logger: false });
app.get('/api/users', (request) => {
  const query = request.query as Record<string, string | undefined>;
  const offset = Number(query.offset ?? 0);
  const limit = Number(query.limit ?? 50);
  const sort = SORT[(query.sort ?? 'username') as keyof typeof SORT] ?? 'username';
  const order = query.order === 'desc' ? 'desc' : 'asc';
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.q) {
    const pattern = `%${query.q.toLowerCase().replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
    where.push(TEXT);
    params.push(pattern, pattern, pattern);
  }
  if (query.status) {
    where.push('"status" = ?');
    params.push(query.status);
  }
  const filter = where.length ? ` where ${where.join(' and ')}` : '';
  const { total } = prepared(`select count(*) as "total" from "user"${filter}`).get(...params) as { total: number };
  const rows = prepared(`select * from "user"${filter} order by "${sort}" ${order}, "id" limit ? offset ?`).all(...params, limit, offset) as Row[];

  const roles = new Map<string, unknown[]>(rows.map((r) => [r.id, []]));
  if (rows.length) {
    const assignments = prepared(
      `select ur.user_id, ur.role_id, ur.org_scope, r.name, r.kind from user_role as ur inner join role as r on r.id = ur.role_id where ur.user_id in (${rows.map(() => '?').join(', ')}) order by r.name`,
    ).all(...rows.map((r) => r.id)) as RoleRow[];
    for (const a of assignments) {
      roles.get(a.user_id)?.push({ roleId: a.role_id, roleName: a.name, roleKind: a.kind, orgUnitIds: a.org_scope === null ? null : JSON.parse(a.org_scope) });
    }
  }
  const now = Date.now();
  return {
    items: rows.map((r) => ({
      id: r.id,
      username: r.username,
      displayName: r.display_name,
      email: r.email,
      phone: r.phone,
      orgUnitId: r.org_unit_id,
      status: r.status,
      locked: r.locked_until !== null && r.locked_until > now,
      lockedUntil: r.locked_until !== null && r.locked_until > now ? r.locked_until : null,
      mfaEnabled: r.mfa_secret !== null,
      mustChangePassword: r.must_change_password === 1,
      passwordChangedAt: r.password_changed_at,
      lastLoginAt: r.last_login_at,
      roles: roles.get(r.id),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    })),
    total,
  };
});

await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
announceReady(typeof address === 'object' && address ? address.port : 0, async () => {
  await app.close();
  sqlite.close();
});
