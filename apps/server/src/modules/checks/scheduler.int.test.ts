import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Check, CheckList, CheckResult, CheckSchedulerStats } from '@yunwei/contracts/checks';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { startSilentServer } from './checks.testing.js';

describe.skipIf(!databaseAvailable())('the check scheduler in a listening server', () => {
  let t: TestApp;
  let admin: TestSession;
  let web: Server;
  let webPort: number;
  let hangs: Awaited<ReturnType<typeof startSilentServer>>;

  beforeAll(async () => {
    // Three slots: a hanging target holds one for its timeout, the others keep the schedule.
    t = await createTestApp({ YUNWEI_CHECK_CONCURRENCY: '3' });
    admin = await t.signIn(t.admin);
    web = createServer((_req, res) => res.writeHead(200).end('ok'));
    await new Promise<void>((r) => web.listen(0, '127.0.0.1', r));
    webPort = (web.address() as net.AddressInfo).port;
    hangs = await startSilentServer();
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((r) => web.close(r));
    await hangs?.close();
  });

  async function create(body: Record<string, unknown>): Promise<Check> {
    const res = await admin.request('POST', '/api/checks', { intervalSeconds: 5, timeoutMs: 2000, ...body });
    expect(res.status, res.body).toBe(200);
    return res.json as Check;
  }

  async function results(id: string): Promise<CheckResult[]> {
    return ((await admin.request('GET', `/api/checks/${id}/results`)).json as { items: CheckResult[] }).items;
  }

  it('runs enabled checks on their intervals once listening; a hanging target is DOWN on timeout while the others complete on time; changes apply without a restart', async () => {
    // No retries: its first timeout makes it DOWN (the list below filters by that).
    const hanging = await create({ name: 'hangs', type: 'http', timeoutMs: 4000, retries: 0, settings: { url: `http://127.0.0.1:${hangs.port}/` } });
    const fast = await Promise.all(Array.from({ length: 6 }, (_, i) => create({ name: `fast ${i}`, type: i % 2 ? 'tcp' : 'http', settings: i % 2 ? { host: '127.0.0.1', port: webPort } : { url: `http://127.0.0.1:${webPort}/` } })));
    const disabled = await create({ name: 'disabled', type: 'tcp', enabled: false, settings: { host: '127.0.0.1', port: webPort } });

    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const started = Date.now();
    // Every check starts within its first interval (its phase), then every 5 s.
    await waitFor(async () => (await Promise.all(fast.map((c) => results(c.id)))).every((r) => r.length >= 2), 'two runs of every fast check', 20_000);
    const hangResults = await waitFor(async () => {
      const r = await results(hanging.id);
      return r.length ? r : null;
    }, 'the hanging check to time out', 15_000);
    expect(hangResults[0]).toMatchObject({ status: 'down', message: 'timed out after 4000 ms', latencyMs: null });
    for (const c of fast) {
      const r = await results(c.id);
      expect(r.every((x) => x.status === 'up')).toBe(true);
      // On the 5-second grid: consecutive runs 5 s apart (± the scheduler's jitter).
      expect(Math.abs(r[1]!.at - r[0]!.at - 5000)).toBeLessThan(1000);
    }
    expect(await results(disabled.id)).toEqual([]);
    const stats = (await admin.request('GET', '/api/checks/scheduler')).json as CheckSchedulerStats;
    expect(stats).toMatchObject({ running: true, checks: 7, concurrency: 3 });
    expect(stats.jitterMs.samples).toBeGreaterThanOrEqual(13);
    expect(stats.jitterMs.p99).toBeLessThan(1000);

    // Changes: enable one, disable another, add one — picked up at once, no restart.
    await admin.request('PATCH', `/api/checks/${disabled.id}`, { enabled: true });
    await admin.request('PATCH', `/api/checks/${fast[0]!.id}`, { enabled: false });
    const added = await create({ name: 'added later', type: 'tcp', settings: { host: '127.0.0.1', port: webPort } });
    const stoppedAt = (await results(fast[0]!.id)).length;
    await waitFor(async () => (await results(added.id)).length > 0 && (await results(disabled.id)).length > 0, 'the new and the re-enabled check to run', 15_000);
    expect((await results(fast[0]!.id)).length).toBeLessThanOrEqual(stoppedAt + 1); // one may have been in flight
    const list = (await admin.request('GET', '/api/checks?status=down')).json as CheckList;
    expect(list.items.map((c) => c.id)).toEqual([hanging.id]);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('probes a check as it is saved and when what it probes changes, not an interval later; other changes wait for the schedule', async () => {
    // An hourly check: its first result within seconds can only come from the save.
    const hourly = await create({ name: 'hourly', type: 'tcp', intervalSeconds: 3600, timeoutMs: 2000, settings: { host: '127.0.0.1', port: webPort } });
    const [first] = await waitFor(async () => {
      const r = await results(hourly.id);
      return r.length ? r : null;
    }, 'the first result of a new check', 10_000);
    expect(first).toMatchObject({ status: 'up', messageCode: 'tcp.connected' });
    expect(((await admin.request('GET', `/api/checks/${hourly.id}`)).json as Check).heartbeat).toHaveLength(1);

    // A new name probes nothing else: no extra run.
    await admin.request('PATCH', `/api/checks/${hourly.id}`, { name: 'hourly renamed' });
    await new Promise((r) => setTimeout(r, 1500));
    expect(await results(hourly.id)).toHaveLength(1);
    // Another target: probed at once (nothing listens on port 1: DOWN).
    await admin.request('PATCH', `/api/checks/${hourly.id}`, { settings: { host: '127.0.0.1', port: 1 } });
    const second = await waitFor(async () => (await results(hourly.id))[1], 'a result for the new target', 10_000);
    expect(second.status).toBe('down');
  });
});
