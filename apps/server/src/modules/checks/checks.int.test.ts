import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessageIn } from '@yunwei/contracts/check-messages';
import type { Check, CheckResult } from '@yunwei/contracts/checks';
import { PEERS, requirePeer } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { selfSignedCertificate, startDnsServer, startSilentServer } from './checks.testing.js';
import { checksOf } from './runtime.js';

async function listen(server: Server | net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

const hasOpenssl = requirePeer(PEERS.openssl.binary, PEERS.openssl.apt);
const hasPing = requirePeer(PEERS.ping.binary, PEERS.ping.apt);

describe.skipIf(!databaseAvailable())('agentless checks', () => {
  let t: TestApp;
  let admin: TestSession;
  let web: Server;
  let webPort: number;
  let hangs: Awaited<ReturnType<typeof startSilentServer>>;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    web = createHttpServer((req, res) => {
      if (req.url === '/health') {
        res.writeHead(200, { 'content-type': 'text/plain' }).end('status: all good');
      } else if (req.url === '/moved') {
        res.writeHead(302, { location: '/health' }).end();
      } else if (req.url === '/loop') {
        res.writeHead(302, { location: '/loop' }).end();
      } else {
        res.writeHead(503).end('down for maintenance');
      }
    });
    webPort = await listen(web);
    hangs = await startSilentServer();
    closers.push(() => new Promise((r) => web.close(r)), () => hangs.close());
  });
  afterAll(async () => {
    await t?.close();
    for (const close of closers) {
      await close();
    }
  });

  async function create(body: Record<string, unknown>): Promise<Check> {
    const res = await admin.request('POST', '/api/checks', { intervalSeconds: 60, timeoutMs: 3000, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  }

  async function run(id: string): Promise<CheckResult> {
    const res = await admin.request('POST', `/api/checks/${id}/run`);
    expect(res.status, res.body).toBe(200);
    return res.json as CheckResult;
  }

  it('[L3-2.1.1] monitors a real HTTP service: status, body match, redirects, latency — UP and DOWN with a reason', async () => {
    const ok = await create({ name: 'web health', type: 'http', settings: { url: `http://127.0.0.1:${webPort}/health`, bodyMatch: 'all good' } });
    expect(ok).toMatchObject({ type: 'http', status: 'unknown', target: `http://127.0.0.1:${webPort}/health`, enabled: true, secretsSet: {} });
    const up = await run(ok.id);
    expect(up).toMatchObject({ checkId: ok.id, status: 'up' });
    expect(up.latencyMs).toBeGreaterThan(0);
    expect(up.values.check_up).toBe(1);
    expect(up.values.check_latency_seconds).toBeCloseTo(up.latencyMs! / 1000, 6);

    const regex = await create({ name: 'web regex', type: 'http', settings: { url: `http://127.0.0.1:${webPort}/moved`, bodyMatch: '^status: \\w+ good$', bodyMatchKind: 'regex' } });
    expect((await run(regex.id)).status).toBe('up');
    const noFollow = await create({ name: 'web no follow', type: 'http', settings: { url: `http://127.0.0.1:${webPort}/moved`, followRedirects: false, expectedStatus: [200] } });
    expect(await run(noFollow.id)).toMatchObject({ status: 'down', message: 'HTTP 302, expected 200' });
    const loop = await create({ name: 'web loop', type: 'http', settings: { url: `http://127.0.0.1:${webPort}/loop`, maxRedirects: 2 } });
    expect((await run(loop.id)).message).toMatch(/more than 2 redirects/);
    const mismatch = await create({ name: 'web mismatch', type: 'http', settings: { url: `http://127.0.0.1:${webPort}/health`, bodyMatch: 'on fire' } });
    expect((await run(mismatch.id)).message).toMatch(/body does not contain "on fire"/);
    const broken = await create({ name: 'web 503', type: 'http', settings: { url: `http://127.0.0.1:${webPort}/other` } });
    expect(await run(broken.id)).toMatchObject({ status: 'down', message: 'HTTP 503, expected 200–399' });
    const refused = await create({ name: 'web refused', type: 'http', settings: { url: `http://127.0.0.1:${await freeClosedPort()}/` } });
    expect((await run(refused.id)).message).toMatch(/ECONNREFUSED/);

    // The latest status shows in the list (the contract other pages rely on).
    const list = (await admin.request('GET', '/api/checks?type=http')).json as { items: Check[] };
    const shown = list.items.find((c) => c.id === ok.id)!;
    expect(shown).toMatchObject({ status: 'up', message: expect.stringMatching(/^HTTP 200 in/), lastCheckedAt: up.at });
    expect(shown.latencyMs).toBe(up.latencyMs);
    const history = (await admin.request('GET', `/api/checks/${ok.id}/results`)).json as { items: CheckResult[] };
    expect(history.items).toEqual([up]);
  });

  it.skipIf(!hasOpenssl)('[L3-2.1.1] HTTPS: days until the certificate expires; an untrusted certificate is DOWN unless verification is skipped', async () => {
    const { key, cert } = selfSignedCertificate(30);
    const server = createHttpsServer({ key, cert }, (_req, res) => res.writeHead(200).end('secure hello'));
    const port = await listen(server);
    closers.push(() => new Promise((r) => server.close(r)));

    const strict = await create({ name: 'tls strict', type: 'http', settings: { url: `https://127.0.0.1:${port}/` } });
    const refused = await run(strict.id);
    expect(refused.status).toBe('down');
    expect(refused.message).toMatch(/^TLS: self[- ]signed certificate/i);

    const skip = await create({ name: 'tls skip verify', type: 'http', settings: { url: `https://127.0.0.1:${port}/`, insecureSkipVerify: true, bodyMatch: 'secure' } });
    const up = await run(skip.id);
    expect(up.status).toBe('up');
    expect(up.values.check_tls_days_left).toBeGreaterThan(29);
    expect(up.values.check_tls_days_left).toBeLessThanOrEqual(30);
    expect(up.message).toMatch(/certificate expires in (29|30) days/);
    // Said as a code with its figures, in either language; the check row shows the days left.
    expect(up).toMatchObject({ messageCode: 'http.okTls', messageParams: { status: 200, days: up.message!.includes('29 days') ? 29 : 30 } });
    expect(checkMessageIn(up, 'zh-CN')).toMatch(/^HTTP 200，耗时 [\d.]+ 毫秒，证书 (29|30) 天后到期$/);
    expect(((await admin.request('GET', `/api/checks/${skip.id}`)).json as Check).tlsDaysLeft).toBe(up.values.check_tls_days_left);
  });

  it('TCP connect: UP with the connect time, DOWN when nothing listens', async () => {
    const open = await create({ name: 'tcp open', type: 'tcp', settings: { host: '127.0.0.1', port: webPort } });
    expect(open.target).toBe(`tcp://127.0.0.1:${webPort}`);
    const up = await run(open.id);
    expect(up.status).toBe('up');
    expect(up.latencyMs).toBeGreaterThan(0);
    const closed = await create({ name: 'tcp closed', type: 'tcp', settings: { host: '127.0.0.1', port: await freeClosedPort() } });
    const down = await run(closed.id);
    expect(down).toMatchObject({ status: 'down', latencyMs: null, values: { check_up: 0 } });
    expect(down.message).toMatch(/ECONNREFUSED/);
  });

  it('DNS: answers from a resolver we name, the expected answer, NXDOMAIN and a silent resolver are DOWN', async () => {
    const dns = await startDnsServer({ 'db1.yunwei.test': '10.1.2.3', 'web.yunwei.test': '10.1.2.4' });
    closers.push(() => dns.close());
    const server = `127.0.0.1:${dns.port}`;
    const ok = await create({ name: 'dns db1', type: 'dns', settings: { name: 'db1.yunwei.test', server, expected: '10.1.2.3' } });
    const up = await run(ok.id);
    expect(up).toMatchObject({ status: 'up', message: 'A db1.yunwei.test → 10.1.2.3' });
    const wrong = await create({ name: 'dns wrong', type: 'dns', settings: { name: 'web.yunwei.test', server, expected: '10.1.2.3' } });
    expect((await run(wrong.id)).message).toBe('A web.yunwei.test → 10.1.2.4; expected 10.1.2.3');
    const missing = await create({ name: 'dns missing', type: 'dns', settings: { name: 'nope.yunwei.test', server } });
    expect((await run(missing.id)).message).toMatch(/ENOTFOUND/);
    // A resolver that never answers: the TCP silent server's port has nothing on UDP — use a bound, mute UDP socket instead.
    const mute = await startDnsServer({});
    await mute.close();
    const silent = await create({ name: 'dns silent', type: 'dns', timeoutMs: 1000, settings: { name: 'db1.yunwei.test', server: `127.0.0.1:${mute.port}` } });
    expect((await run(silent.id)).status).toBe('down');
  });

  // Only loopback is pinged (no traffic leaves the machine); a lost echo is the parser's unit test.
  it.skipIf(!hasPing)('ICMP: the system ping to 127.0.0.1 answers with a round-trip time', async () => {
    const loop = await create({ name: 'ping loopback', type: 'icmp', settings: { host: '127.0.0.1', count: 2 } });
    const up = await run(loop.id);
    expect(up.status, up.message ?? '').toBe('up');
    expect(up.latencyMs).toBeGreaterThan(0);
    expect(up.message).toMatch(/^2\/2 replies, 0% loss/);
  });

  it('a hanging HTTP service is DOWN on timeout (the run does not wait longer)', async () => {
    const hang = await create({ name: 'hangs', type: 'http', timeoutMs: 700, settings: { url: `http://127.0.0.1:${hangs.port}/` } });
    const started = Date.now();
    const down = await run(hang.id);
    expect(down).toMatchObject({ status: 'down', message: 'timed out after 700 ms' });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('bad definitions are refused with 400 naming the field, and nothing is stored', async () => {
    const before = ((await admin.request('GET', '/api/checks')).json as { total: number }).total;
    const cases: [Record<string, unknown>, string][] = [
      [{ name: 'x', type: 'tcp', settings: { host: '127.0.0.1' } }, 'body.settings.port'],
      [{ name: 'x', type: 'tcp', settings: { host: '127.0.0.1', port: 70000 } }, 'body.settings.port'],
      [{ name: 'x', type: 'tcp', settings: { host: '127.0.0.1', port: '80' } }, 'body.settings.port'],
      [{ name: 'x', type: 'tcp', settings: { host: '127.0.0.1', port: 80, extra: 1 } }, 'body.settings.extra'],
      [{ name: 'x', type: 'icmp', settings: { host: '-c 1000' } }, 'body.settings.host'],
      [{ name: 'x', type: 'http', settings: { url: 'ftp://example/' } }, 'body.settings.url'],
      [{ name: 'x', type: 'http', settings: { url: 'http://u:p@example/' } }, 'body.settings.url'],
      [{ name: 'x', type: 'http', settings: { url: 'http://example/', bodyMatch: '(', bodyMatchKind: 'regex' } }, 'body.settings.bodyMatch'],
      [{ name: 'x', type: 'dns', settings: { name: 'a.b', server: 'resolver.local' } }, 'body.settings.server'],
      [{ name: 'x', type: 'dns', settings: { name: 'a.b', recordType: 'AXFR' } }, 'body.settings.recordType'],
      [{ name: 'x', type: 'snmp', settings: { host: '127.0.0.1', version: '3', authPassword: 'abcdefgh' } }, 'body.settings.username'],
      [{ name: 'x', type: 'snmp', settings: { host: '127.0.0.1', version: '3', username: 'u', authPassword: 'short' } }, 'body.settings.authPassword'],
      [{ name: 'x', type: 'postgres', settings: { host: '127.0.0.1', user: 'postgres' } }, 'body.settings.database'],
      [{ name: 'x', type: 'smtp', settings: {} }, 'body.type'],
      [{ name: 'x', type: 'tcp', intervalSeconds: 4, settings: { host: 'a', port: 1 } }, 'body.intervalSeconds'],
      [{ name: 'x', type: 'tcp', intervalSeconds: 5, timeoutMs: 6000, settings: { host: 'a', port: 1 } }, 'body.timeoutMs'],
      [{ name: 'x', type: 'tcp', ciId: '0190a0a0-0000-7000-8000-000000000000', settings: { host: 'a', port: 1 } }, 'body.ciId'],
      [{ name: '', type: 'tcp', settings: { host: 'a', port: 1 } }, 'body.name'],
    ];
    for (const [body, field] of cases) {
      const res = await admin.request('POST', '/api/checks', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.json.code).toBe('YW_VALIDATION');
      expect(res.json.details.fields.map((f: { field: string }) => f.field), JSON.stringify(body)).toContain(field);
    }
    expect(((await admin.request('GET', '/api/checks')).json as { total: number }).total).toBe(before);

    const tcp = await create({ name: 'tcp to change', type: 'tcp', settings: { host: '127.0.0.1', port: 1 } });
    const bad = await admin.request('PATCH', `/api/checks/${tcp.id}`, { type: 'http' });
    expect(bad.status).toBe(400);
    expect(bad.json.details.field).toBe('body.settings');
    expect((await admin.request('PATCH', `/api/checks/${tcp.id}`, { settings: { host: '127.0.0.1', port: 0 } })).json.details.field).toBe('body.settings.port');
    expect((await admin.request('GET', `/api/checks/${tcp.id}`)).json.settings).toEqual({ host: '127.0.0.1', port: 1 });
    expect((await admin.request('POST', '/api/checks/0190a0a0-0000-7000-8000-000000000000/run')).status).toBe(404);
  });

  it('secrets are sealed, never returned, kept when left out, cleared with null; the audit trail has no secret either', async () => {
    const created = await create({ name: 'pg secret', type: 'postgres', settings: { host: '127.0.0.1', database: 'test', user: 'monitor', password: 'Pg-S3cret!' } });
    expect(created.secretsSet).toEqual({ password: true });
    expect(created.settings).toEqual({ host: '127.0.0.1', database: 'test', user: 'monitor' });
    const stored = await t.ctx.db.selectFrom('check_definition').selectAll().where('id', '=', created.id).executeTakeFirstOrThrow();
    expect(stored.settings).not.toContain('Pg-S3cret');
    expect(stored.secrets).toMatch(/^v1:/);
    expect(JSON.parse(t.ctx.secrets.open(stored.secrets!))).toEqual({ password: 'Pg-S3cret!' });

    const renamed = await admin.request('PATCH', `/api/checks/${created.id}`, { name: 'pg renamed', settings: { host: '127.0.0.1', database: 'test', user: 'monitor2' } });
    expect(renamed.json).toMatchObject({ name: 'pg renamed', secretsSet: { password: true }, settings: { user: 'monitor2' } });
    const snmpCheck = await create({ name: 'snmp secret', type: 'snmp', settings: { host: '127.0.0.1', version: '3', username: 'u', authPassword: 'auth-pass-1', privPassword: 'priv-pass-1' } });
    expect(snmpCheck.secretsSet).toEqual({ community: false, authPassword: true, privPassword: true });
    const cleared = await admin.request('PATCH', `/api/checks/${snmpCheck.id}`, { settings: { host: '127.0.0.1', version: '3', username: 'u', securityLevel: 'authNoPriv', privPassword: null } });
    expect(cleared.json.secretsSet).toEqual({ community: false, authPassword: true, privPassword: false });

    const everything = [
      (await admin.request('GET', '/api/checks')).body,
      (await admin.request('GET', `/api/checks/${created.id}`)).body,
      renamed.body,
      cleared.body,
      JSON.stringify(await t.ctx.db.selectFrom('audit_log' as never).selectAll().execute()),
    ].join('\n');
    for (const secret of ['Pg-S3cret!', 'auth-pass-1', 'priv-pass-1']) {
      expect(everything).not.toContain(secret);
    }

    // Secrets that cannot be opened (another master key, a damaged row): the check runs as DOWN with
    // the reason instead of failing the request or dropping out of the schedule.
    await t.ctx.db.updateTable('check_definition').set({ secrets: 'v1:damaged' }).where('id', '=', created.id).execute();
    const broken = await run(created.id);
    expect(broken).toMatchObject({ status: 'down', latencyMs: null });
    expect(broken.message).toContain('secrets cannot be opened');
  });

  it('keeps 7 days of result history: the hourly purge removes older results, never the latest state', async () => {
    const check = await create({ name: 'history', type: 'tcp', settings: { host: '127.0.0.1', port: webPort } });
    const latest = await run(check.id);
    const old = Date.now() - 8 * 86_400_000;
    await t.ctx.db.insertInto('check_result').values({ check_id: check.id, at: old, up: 0, latency_ms: null, message: 'long ago', values: '{}' }).execute();
    expect(((await admin.request('GET', `/api/checks/${check.id}/results?from=0`)).json as { items: CheckResult[] }).items).toHaveLength(2);
    const purged = await checksOf(t.ctx).service.purgeHistory();
    expect(purged).toBeGreaterThanOrEqual(1);
    expect(((await admin.request('GET', `/api/checks/${check.id}/results?from=0`)).json as { items: CheckResult[] }).items).toEqual([latest]);
    expect((await admin.request('GET', `/api/checks/${check.id}`)).json.status).toBe('up');
  });

  it('attaches to a CI (labels ci=…), lists by ciId, audits every change, and a viewer can read but not write', async () => {
    const classes = (await admin.request('GET', '/api/cmdb/classes')).json as { id: string; code: string }[];
    const hostClass = classes.find((c) => c.code === 'server')!;
    const ci = await admin.request('POST', '/api/cmdb/cis', { classId: hostClass.id, name: 'check-host-1' });
    expect(ci.status, ci.body).toBe(200);
    const ciId = ci.json.id as string;
    const attached = await create({ name: 'host port', type: 'tcp', ciId, settings: { host: '127.0.0.1', port: webPort } });
    expect(attached).toMatchObject({ ciId, ciName: 'check-host-1' });
    await run(attached.id);
    const listed = (await admin.request('GET', `/api/checks?ciId=${ciId}`)).json as { items: Check[] };
    expect(listed.items.map((c) => [c.id, c.status])).toEqual([[attached.id, 'up']]);
    const series = (await admin.request('GET', `/api/monitoring/series?${new URLSearchParams({ match: 'check_up' })}`)).json as { items: { labels: Record<string, string>; ciId: string | null }[] };
    const mine = series.items.find((s) => s.labels.check === attached.id);
    expect(mine?.labels).toEqual({ check: attached.id, type: 'tcp', ci: ciId });
    expect(mine?.ciId).toBe(ciId);

    await admin.request('PATCH', `/api/checks/${attached.id}`, { enabled: false });
    await admin.request('DELETE', `/api/checks/${attached.id}`);
    expect((await admin.request('GET', `/api/checks/${attached.id}`)).status).toBe(404);
    const audit = await t.ctx.db.selectFrom('audit_log' as never).select(['action' as never]).where('target_id' as never, '=', attached.id as never).orderBy('id' as never).execute();
    expect((audit as { action: string }[]).map((a) => a.action)).toEqual(['checks.check.create', 'checks.check.update', 'checks.check.delete']);

    const viewer = await t.signIn(await t.newUser({ roles: ['viewer'] }));
    expect((await viewer.request('GET', '/api/checks')).status).toBe(200);
    expect((await viewer.request('POST', '/api/checks', { name: 'v', type: 'tcp', settings: { host: 'a', port: 1 } })).status).toBe(403);
  });
});

/** A port with nothing listening on 127.0.0.1. */
async function freeClosedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server);
  await new Promise((r) => server.close(r));
  return port;
}
