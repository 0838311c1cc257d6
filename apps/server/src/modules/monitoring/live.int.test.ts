import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveServerMessage, LiveSeriesMessage } from '@yunwei/contracts/dashboards';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { freePort, waitFor } from '../../../test/peers.js';
import { liveTiming } from './live.routes.js';
import { apiToken } from './monitoring.testing.js';

/** A connected client that collects what the server sends. */
interface Client {
  ws: WebSocket;
  messages: LiveServerMessage[];
  send(message: unknown): void;
  next<T extends LiveServerMessage>(pick: (m: LiveServerMessage) => m is T, what: string): Promise<T>;
}

function connect(url: string, headers: Record<string, string>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: LiveServerMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveServerMessage));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.once('error', reject);
    ws.once('open', () =>
      resolve({
        ws,
        messages,
        send: (m) => ws.send(typeof m === 'string' ? m : JSON.stringify(m)),
        next: (pick, what) => waitFor(() => messages.find(pick), what, 10_000, 20),
      }),
    );
  });
}

const isSeries = (id: string) => (m: LiveServerMessage): m is LiveSeriesMessage => 'id' in m && 'series' in m && m.id === id;

describe.skipIf(!databaseAvailable())('live metrics WebSocket', () => {
  let t: TestApp;
  let admin: TestSession;
  let base: string;
  let port: number;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    port = await freePort();
    await t.app.listen({ host: '127.0.0.1', port });
    base = `ws://127.0.0.1:${port}/api/monitoring/live`;
  });
  afterAll(async () => t?.close());

  const push = async (samples: unknown[]) => {
    const res = await admin.request('POST', '/api/v1/metrics', { samples });
    expect(res.status, res.body).toBe(200);
  };

  it('pushes samples committed after the subscription, per series, with labels and [ms, value] points', async () => {
    const c = await connect(base, { cookie: `yw_session=${admin.cookie}` });
    try {
      c.send({ subscribe: [{ id: 'cpu', selector: 'host_cpu_usage_percent{ci="ci-live-1"}' }, { id: 'fs', selector: 'host_fs_usage_percent{ci="ci-live-1"}' }] });
      await c.next((m): m is { subscribed: string[] } => 'subscribed' in m, 'the subscription ack');
      const now = Date.now();
      await push([
        { metric: 'host_cpu_usage_percent', labels: { ci: 'ci-live-1', agent: 'a1' }, ts: now - 1000, value: 12.5 },
        { metric: 'host_cpu_usage_percent', labels: { ci: 'ci-live-1', agent: 'a1' }, ts: now, value: 13 },
        { metric: 'host_cpu_usage_percent', labels: { ci: 'ci-other', agent: 'a2' }, ts: now, value: 99 },
        { metric: 'host_fs_usage_percent', labels: { ci: 'ci-live-1', agent: 'a1', mount: '/' }, ts: now, value: 40 },
      ]);
      const cpu = await c.next(isSeries('cpu'), 'cpu points');
      expect(cpu.series).toEqual([{ labels: { __name__: 'host_cpu_usage_percent', ci: 'ci-live-1', agent: 'a1' }, points: [[now - 1000, 12.5], [now, 13]] }]);
      const fs = await c.next(isSeries('fs'), 'fs points');
      expect(fs.series[0]!.labels.mount).toBe('/');
      // Later samples keep coming on the same socket.
      c.messages.length = 0;
      await push([{ metric: 'host_cpu_usage_percent', labels: { ci: 'ci-live-1', agent: 'a1' }, ts: now + 1000, value: 14 }]);
      expect((await c.next(isSeries('cpu'), 'the next cpu point')).series[0]!.points).toEqual([[now + 1000, 14]]);
      // The other host's series never reached this client.
      expect(JSON.stringify(c.messages)).not.toContain('ci-other');
    } finally {
      c.ws.close();
    }
  });

  it('answers an invalid selector or message with an error naming it and keeps the socket open', async () => {
    const c = await connect(base, { cookie: `yw_session=${admin.cookie}` });
    try {
      c.send({ subscribe: [{ id: 'bad', selector: 'rate(host_cpu_usage_percent[5m])' }, { id: 'ok', selector: 'live_ok_metric' }] });
      const err = await c.next((m): m is { error: { id: string | null; selector: string | null; message: string } } => 'error' in m, 'the error');
      expect(err.error).toMatchObject({ id: 'bad', selector: 'rate(host_cpu_usage_percent[5m])' });
      expect(err.error.message).toMatch(/only series selectors/);
      c.send('not json');
      await waitFor(() => c.messages.filter((m) => 'error' in m).length === 2, 'the second error', 5000, 20);
      c.send({ subscribe: 'x' });
      await waitFor(() => c.messages.filter((m) => 'error' in m).length === 3, 'the third error', 5000, 20);
      expect(c.ws.readyState).toBe(WebSocket.OPEN);
      await push([{ metric: 'live_ok_metric', value: 1 }]);
      expect((await c.next(isSeries('ok'), 'points of the valid subscription')).series).toHaveLength(1);
    } finally {
      c.ws.close();
    }
  });

  it('accepts an API token with monitoring.metric.read', async () => {
    const token = await apiToken(t, ['monitoring.metric.read']);
    const c = await connect(base, { authorization: `Bearer ${token}` });
    c.ws.close();
  });

  it('refuses the upgrade without a session (401), without the permission (403) and from another origin (403)', async () => {
    await expect(connect(base, {})).rejects.toThrow('HTTP 401');
    await expect(connect(base, { cookie: 'yw_session=forged' })).rejects.toThrow(/HTTP 401/);
    const cmdbOnly = await t.signIn(await t.newUser({ permissions: ['cmdb.ci.read'] }));
    await expect(connect(base, { cookie: `yw_session=${cmdbOnly.cookie}` })).rejects.toThrow('HTTP 403');
    await expect(connect(base, { cookie: `yw_session=${admin.cookie}`, origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    // The server's own origin is fine.
    const ok = await connect(base, { cookie: `yw_session=${admin.cookie}`, origin: `http://127.0.0.1:${port}` });
    ok.ws.close();
  });

  it('closes the connection of a refused upgrade (the socket is not left open)', async () => {
    const closed = await new Promise<{ status: number; closed: boolean }>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/api/monitoring/live', headers: { connection: 'Upgrade', upgrade: 'websocket', 'sec-websocket-version': '13', 'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==' } });
      req.on('upgrade', () => reject(new Error('upgraded without a session')));
      req.on('response', (res) => {
        res.resume();
        const timer = setTimeout(() => resolve({ status: res.statusCode ?? 0, closed: false }), 3000);
        res.socket.once('close', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, closed: true });
        });
      });
      req.on('error', reject);
      req.end();
    });
    expect(closed).toEqual({ status: 401, closed: true });
  });

  it('closes the socket when its session ends (sign-out)', async () => {
    liveTiming.sessionRecheckMs = 100;
    try {
      const user = await t.signIn(await t.newUser({ permissions: ['monitoring.metric.read'] }));
      const c = await connect(base, { cookie: `yw_session=${user.cookie}` });
      const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
      expect((await user.request('POST', '/api/auth/logout')).status).toBeLessThan(300);
      expect(await closed).toBe(4401);
    } finally {
      liveTiming.sessionRecheckMs = 30_000;
    }
  });
});
