import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveAlertMessage } from '@yunwei/contracts/alerting';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { freePort, waitFor } from '../../../test/peers.js';
import { apiToken } from '../monitoring/monitoring.testing.js';
import { alertingHarness, type AlertingHarness } from './alerts.testing.js';

function connect(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket; messages: LiveAlertMessage[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    const messages: LiveAlertMessage[] = [];
    ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveAlertMessage));
    ws.once('unexpected-response', (req, res) => {
      req.destroy();
      reject(new Error(`HTTP ${res.statusCode}`));
    });
    ws.once('error', reject);
    ws.once('open', () => resolve({ ws, messages }));
  });
}

describe.skipIf(!databaseAvailable())('live alert WebSocket', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let url: string;
  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    const port = await freePort();
    await t.app.listen({ host: '127.0.0.1', port });
    url = `ws://127.0.0.1:${port}/api/alerting/live`;
  });
  afterAll(() => t?.close());

  it('[L3-2.1.3] pushes an alert as it fires and as it is acknowledged', async () => {
    const c = await connect(url, { cookie: `yw_session=${h.admin.cookie}` });
    try {
      const now = Date.now();
      await h.push([{ metric: 'yw_live_queue', labels: { instance: 'mq-1' }, ts: now - 1000, value: 5000 }]);
      const rule = await h.rule({ name: '队列积压', spec: { kind: 'metric', selector: 'yw_live_queue', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 1000 } } });
      await h.cycle(now);
      const fired = await waitFor(() => c.messages.find((m) => m.alert.ruleId === rule.id && m.alert.state === 'firing'), 'the firing alert', 10_000, 20);
      expect(fired.alert).toMatchObject({ severity: 'critical', labels: { instance: 'mq-1' }, suppressedBy: [] });
      expect((await h.admin.request('POST', `/api/alerting/alerts/${fired.alert.id}/ack`, {})).status).toBe(200);
      await waitFor(() => c.messages.find((m) => m.alert.id === fired.alert.id && m.alert.state === 'acknowledged'), 'the acknowledgement', 10_000, 20);
    } finally {
      c.ws.close();
    }
  });

  it('refuses another site (Origin) and a caller without the permission', async () => {
    await expect(connect(url, { cookie: `yw_session=${h.admin.cookie}`, origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
    const token = await apiToken(t, ['monitoring.metric.read']);
    await expect(connect(url, { authorization: `Bearer ${token}` })).rejects.toThrow('HTTP 403');
    await expect(connect(url, {})).rejects.toThrow('HTTP 401');
  });
});
