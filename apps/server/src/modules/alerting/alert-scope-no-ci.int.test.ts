import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { LiveAlertMessage } from '@yunwei/contracts/alerting';
import { freePort, waitFor } from '../../../test/peers.js';
import { scopedWorld, type ScopedWorld } from '../../../test/scoped-world.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';

/** Alerts of a rule over three series: on the CI in 甲一, on the CI in 乙, and on no CI. */
describe.skipIf(!databaseAvailable())('alerting: alerts without a CI are seen by every reader', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let w: ScopedWorld;
  let reader: TestSession;
  let ruleId: string;
  const alertOf = async (ci: string | null) => ((await h.alerts(`?ruleId=${ruleId}`)) as { id: string; ciId: string | null }[]).find((a) => a.ciId === ci)!;

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    w = await scopedWorld(t, h.admin, 'alerts');
    reader = await w.scopedToA(['alerting.alert.read', 'alerting.alert.ack']);
    const t0 = baseTime(5);
    await h.push([
      { metric: 'yw_alert_noci', labels: { host: 'a', ci: w.ciA }, ts: t0, value: 9 },
      { metric: 'yw_alert_noci', labels: { host: 'b', ci: w.ciB }, ts: t0, value: 9 },
      { metric: 'yw_alert_noci', labels: { host: 'free' }, ts: t0, value: 9 },
    ]);
    ruleId = (await h.rule({ name: 'no-ci scope', spec: { kind: 'metric', selector: 'yw_alert_noci', reducer: 'last', windowSeconds: 60, op: '>', thresholds: { warning: 1 } } })).id;
    await h.cycle(t0 + 1000);
  });
  afterAll(() => t?.close());

  it('lists and shows an alert without a CI to a scoped reader, never another unit\'s; acknowledging it needs the whole organisation', async () => {
    expect((await h.alerts(`?ruleId=${ruleId}`)).length).toBe(3);
    const seen = (await reader.request('GET', `/api/alerting/alerts?ruleId=${ruleId}`)).json as { items: { ciId: string | null }[]; total: number };
    expect(seen.items.map((a) => a.ciId).sort()).toEqual([w.ciA, null].sort());
    expect(seen.total).toBe(2);
    const free = await alertOf(null);
    expect((await reader.request('GET', `/api/alerting/alerts/${free.id}`)).status).toBe(200);
    expect((await reader.request('GET', `/api/alerting/alerts/${(await alertOf(w.ciB)).id}`)).status).toBe(404);
    const ack = await reader.request('POST', `/api/alerting/alerts/${free.id}/ack`, {});
    expect(ack.status, ack.body).toBe(403);
    expect(ack.json.code).toBe('YW_OUT_OF_SCOPE');
  });

  it('the live alert socket sends a scoped reader changes of in-scope alerts and of alerts without a CI', async () => {
    const port = await freePort();
    await t.app.listen({ host: '127.0.0.1', port });
    const messages: LiveAlertMessage[] = [];
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api/alerting/live`, { headers: { cookie: `yw_session=${reader.cookie}` } });
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    ws.on('message', (data) => messages.push(JSON.parse(data.toString()) as LiveAlertMessage));
    try {
      const ids = await Promise.all([alertOf(w.ciA), alertOf(w.ciB), alertOf(null)].map(async (a) => (await a).id));
      const res = await h.admin.request('POST', '/api/alerting/alerts/ack', { ids });
      expect(res.json).toEqual({ acknowledged: 3, skipped: 0 });
      const acked = () => messages.filter((m) => m.alert.ruleId === ruleId && m.alert.state === 'acknowledged').map((m) => m.alert.ciId);
      await waitFor(() => (acked().length >= 2 ? true : undefined), 'two acknowledgements', 10_000, 20);
      // The third (乙's) change was published in the same burst; give it time to arrive if it were sent.
      await new Promise((r) => setTimeout(r, 300));
      expect(acked().sort()).toEqual([w.ciA, null].sort());
    } finally {
      ws.close();
    }
  });
});
