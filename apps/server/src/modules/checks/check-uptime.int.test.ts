import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkMessageIn } from '@yunwei/contracts/check-messages';
import type { Check, CheckList, CheckResult } from '@yunwei/contracts/checks';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { checksOf } from './runtime.js';

const MIN = 60_000;
const DAY = 86_400_000;

describe.skipIf(!databaseAvailable())('check heartbeat, uptime and localised results', () => {
  let t: TestApp;
  let admin: TestSession;
  let server: net.Server;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    server = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  async function create(name: string, body: Record<string, unknown> = {}): Promise<Check> {
    const res = await admin.request('POST', '/api/checks', { name, type: 'tcp', settings: { host: '127.0.0.1', port }, intervalSeconds: 60, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  }

  /** Results of known outcome, stored by the runtime's own writer (as the scheduler stores them). */
  async function store(checkId: string, outcomes: [at: number, up: boolean][]): Promise<void> {
    const result = (at: number, up: boolean): CheckResult => ({
      checkId,
      at,
      status: up ? 'up' : 'down',
      latencyMs: up ? 1.5 : null,
      message: up ? 'connected in 1.5 ms' : 'no connection within 3000 ms',
      messageCode: up ? 'tcp.connected' : 'tcp.noConnection',
      messageParams: up ? { ms: 1.5 } : { ms: 3000 },
      values: { check_up: up ? 1 : 0 },
    });
    await Promise.all(outcomes.map(([at, up]) => checksOf(t.ctx).results.add(result(at, up))));
  }

  it('[L3-2.1.1] the list shows each check\'s heartbeat (its latest results, pending within its retries) and its uptime over the day and the month, from the stored results', async () => {
    const portal = await create('门户网站', { retries: 1 });
    const fresh = await create('新检查');
    const now = Date.now();
    await store(portal.id, [
      // 40 days ago: outside the month.
      ...Array.from({ length: 4 }, (_, i): [number, boolean] => [now - 40 * DAY + i * MIN, false]),
      // 10 days ago: 7 up, 1 down (in the month, not the day).
      ...Array.from({ length: 8 }, (_, i): [number, boolean] => [now - 10 * DAY + i * MIN, i !== 7]),
    ]);
    // The last minutes: up, down, down (past its one retry), up, down (within it).
    await store(portal.id, [
      [now - 10 * MIN, true],
      [now - 9 * MIN, false],
      [now - 8 * MIN, false],
      [now - 7 * MIN, true],
      [now - 6 * MIN, false],
    ]);
    const list = ((await admin.request('GET', '/api/checks?q=门户网站')).json as CheckList).items;
    expect(list).toHaveLength(1);
    const shown = list[0]!;
    expect(shown.status).toBe('pending');
    expect(shown.heartbeat.map((b) => [b.at - now, b.status])).toEqual([
      [-10 * MIN, 'up'],
      [-9 * MIN, 'pending'],
      [-8 * MIN, 'down'],
      [-7 * MIN, 'up'],
      [-6 * MIN, 'pending'],
    ]);
    expect(shown.heartbeat[2]).toMatchObject({ message: 'no connection within 3000 ms', messageCode: 'tcp.noConnection', messageParams: { ms: 3000 } });
    expect(shown.uptime.day).toBeCloseTo(2 / 5, 10);
    expect(shown.uptime.month).toBeCloseTo(9 / 13, 10);

    // A real run adds to both and ends the failures in a row.
    expect((await admin.request('POST', `/api/checks/${portal.id}/run`)).json.status).toBe('up');
    const after = (await admin.request('GET', `/api/checks/${portal.id}`)).json as Check;
    expect(after.status).toBe('up');
    expect(after.heartbeat.map((b) => b.status)).toEqual(['up', 'pending', 'down', 'up', 'pending', 'up']);
    expect(after.uptime.day).toBeCloseTo(3 / 6, 10);
    expect(after.uptime.month).toBeCloseTo(10 / 14, 10);

    // A check that has not run yet has no figures rather than 0 % or 100 %.
    expect((await admin.request('GET', `/api/checks/${fresh.id}`)).json).toMatchObject({ status: 'unknown', heartbeat: [], uptime: { day: null, month: null }, tlsDaysLeft: null });
  });

  it('the heartbeat holds at most the last 40 results; the hourly counts go with the history purge after 31 days and with the check', async () => {
    const busy = await create('繁忙检查', { retries: 0 });
    const now = Date.now();
    await store(busy.id, Array.from({ length: 45 }, (_, i): [number, boolean] => [now - (45 - i) * MIN, i % 3 !== 0]));
    const shown = (await admin.request('GET', `/api/checks/${busy.id}`)).json as Check;
    expect(shown.heartbeat).toHaveLength(40);
    expect(shown.heartbeat[39]!.at).toBe(now - MIN);
    expect(shown.heartbeat[0]!.at).toBe(now - 40 * MIN);

    await store(busy.id, [[now - 32 * DAY, true]]);
    const hours = () => t.ctx.db.selectFrom('check_uptime_hour').select(['hour_start']).where('check_id', '=', busy.id).execute();
    const before = (await hours()).length;
    await checksOf(t.ctx).service.purgeHistory(now);
    expect((await hours()).length).toBe(before - 1);
    await admin.request('DELETE', `/api/checks/${busy.id}`);
    expect(await hours()).toEqual([]);
  });

  it('results say what happened as a code with figures, read in either language; results stored before the codes keep their English text', async () => {
    const check = await create('报文检查');
    const run = (await admin.request('POST', `/api/checks/${check.id}/run`)).json as CheckResult;
    expect(run).toMatchObject({ status: 'up', messageCode: 'tcp.connected', messageParams: { ms: expect.any(Number) } });
    expect(run.message).toBe(`connected in ${run.messageParams!.ms} ms`);
    expect(checkMessageIn(run, 'zh-CN')).toBe(`连接成功，耗时 ${run.messageParams!.ms} 毫秒`);

    // A row written before this version: no code, the text as it was.
    await t.ctx.db.insertInto('check_result').values({ check_id: check.id, at: Date.now() - MIN, up: 0, latency_ms: null, message: 'connect ECONNREFUSED 127.0.0.1:9', values: '{}' }).execute();
    const history = (await admin.request('GET', `/api/checks/${check.id}/results`)).json.items as CheckResult[];
    const old = history.find((r) => r.messageCode === null)!;
    expect(old).toMatchObject({ status: 'down', message: 'connect ECONNREFUSED 127.0.0.1:9', messageParams: null });
    expect(checkMessageIn(old, 'zh-CN')).toBe('connect ECONNREFUSED 127.0.0.1:9');
  });
});
