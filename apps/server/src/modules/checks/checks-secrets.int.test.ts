import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckResult } from '@yunwei/contracts/checks';
import type { ScrapeResult } from '@yunwei/contracts/monitoring';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('checks: stored secrets follow no new destination', () => {
  let t: TestApp;
  let admin: TestSession;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
  });
  afterAll(async () => {
    await t?.close();
  });

  const create = async (body: Record<string, unknown>): Promise<Check> => {
    const res = await admin.request('POST', '/api/checks', body);
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  };
  const sealed = async (id: string) => {
    const row = await t.ctx.db.selectFrom('check_definition').select('secrets').where('id', '=', id).executeTakeFirstOrThrow();
    return row.secrets ? (JSON.parse(t.ctx.secrets.open(row.secrets)) as Record<string, string>) : {};
  };

  it('#10.2 changing a check\'s host, port or type drops its stored secrets unless entered again; the answer and the audit entry name them', async () => {
    const db = await create({ name: 'pg main', type: 'postgres', settings: { host: 'db1.example.cn', port: 5432, database: 'app', user: 'monitor', password: 'PG-SECRET' }, enabled: false });
    // Not a destination: the password stays.
    const tuned = await admin.request('PATCH', `/api/checks/${db.id}`, { settings: { host: 'db1.example.cn', port: 5432, database: 'app', user: 'monitor', slowQuerySeconds: 2 } });
    expect(tuned.json).toMatchObject({ secretsDropped: [], secretsSet: { password: true } });
    // Another host: the password would be sent there at the next run — it is dropped instead.
    const moved = await admin.request('PATCH', `/api/checks/${db.id}`, { settings: { host: '127.0.0.1', port: 5432, database: 'app', user: 'monitor' } });
    expect(moved.status, moved.body).toBe(200);
    expect(moved.json).toMatchObject({ secretsDropped: ['password'], secretsSet: { password: false } });
    expect(await sealed(db.id)).toEqual({});
    const audit = (await t.ctx.db.selectFrom('audit_log' as never).selectAll().where('target_id' as never, '=', db.id as never).execute()) as { action: string; after: string }[];
    expect(JSON.parse(audit.at(-1)!.after).secretsDropped).toEqual(['password']);
    expect(JSON.stringify(audit)).not.toContain('PG-SECRET');
    // Entered again with the new port, it is kept.
    const reentered = await admin.request('PATCH', `/api/checks/${db.id}`, { settings: { host: '127.0.0.1', port: 6543, database: 'app', user: 'monitor', password: 'PG-SECRET-2' } });
    expect(reentered.json).toMatchObject({ secretsDropped: [], secretsSet: { password: true } });
    expect(await sealed(db.id)).toEqual({ password: 'PG-SECRET-2' });

    const snmp = await create({ name: 'core switch', type: 'snmp', settings: { host: '10.0.0.1', version: '2c', community: 'COMMUNITY-SECRET' }, enabled: false });
    const port = await admin.request('PATCH', `/api/checks/${snmp.id}`, { settings: { host: '10.0.0.1', port: 1161, version: '2c' } });
    expect(port.json).toMatchObject({ secretsDropped: ['community'], secretsSet: { community: false } });
    await admin.request('PATCH', `/api/checks/${snmp.id}`, { settings: { host: '10.0.0.1', port: 1161, version: '2c', community: 'C2' } });
    const retyped = await admin.request('PATCH', `/api/checks/${snmp.id}`, { type: 'tcp', settings: { host: '10.0.0.1', port: 22 } });
    expect(retyped.json).toMatchObject({ type: 'tcp', secretsDropped: ['community'] });
  });
});

describe.skipIf(!databaseAvailable())('outbound network policy: the deny list', () => {
  let t: TestApp;
  let admin: TestSession;
  let server: Server;
  let port: number;

  beforeAll(async () => {
    server = createServer((_req, res) => res.end('up 1\n'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    t = await createTestApp({ YUNWEI_OUTBOUND_DENY: '127.0.0.0/8, ::1/128' });
    admin = await t.signIn(t.admin);
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('#10.17 a denied network is not reached by checks (names resolving into it too) nor by scrapes, with a readable reason', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ type: 'tcp', settings: { host: '127.0.0.1', port } }, /127\.0\.0\.1 is in a denied network/],
      [{ type: 'http', settings: { url: `http://localhost:${port}/` } }, /localhost → (127\.0\.0\.1|::1) is in a denied network/],
      [{ type: 'postgres', settings: { host: 'localhost', port: 5432, database: 'test', user: 'postgres' } }, /denied network/],
      [{ type: 'dns', settings: { name: 'example.cn', server: '127.0.0.1' } }, /denied network/],
    ];
    for (const [i, [body, reason]] of cases.entries()) {
      const check = (await admin.request('POST', '/api/checks', { name: `denied ${i}`, enabled: false, ...body })).json as Check;
      const run = await admin.request('POST', `/api/checks/${check.id}/run`);
      expect(run.status, run.body).toBe(200);
      const result = run.json as CheckResult;
      expect(result.status, JSON.stringify(body)).toBe('down');
      expect(result.message).toMatch(reason);
      expect(result.message).toContain('出站网络策略拒绝');
    }

    const target = await admin.request('POST', '/api/monitoring/scrape-targets', { name: 'denied exporter', url: `http://127.0.0.1:${port}/metrics` });
    expect(target.status, target.body).toBe(200);
    const scraped = (await admin.request('POST', `/api/monitoring/scrape-targets/${target.json.id}/scrape`)).json as ScrapeResult;
    expect(scraped).toMatchObject({ up: false, error: expect.stringMatching(/127\.0\.0\.1 is in a denied network/) });
  });
});
