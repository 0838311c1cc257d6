import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { buildApp, type Yunwei } from '../../app.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';

/**
 * Two nodes on one database, in one process: the test app evaluates (it holds the evaluator's copy of
 * the open alerts), a second app on the same database is the node where a person acknowledges. The
 * evaluator's next change to that alert must not write its older copy over the acknowledgement.
 */
describe.skipIf(!databaseAvailable())('an alert changed on another node than the evaluating one', () => {
  let t: TestApp;
  let h: AlertingHarness;
  let other: Yunwei;

  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
    const pgSchema = t.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s : undefined;
    other = await buildApp({ config: t.ctx.config, announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
  });

  afterAll(async () => {
    await other?.close();
    await t?.close();
  });

  it('keeps the acknowledgement made on the other node when the evaluator raises the severity', async () => {
    const t0 = baseTime(20);
    const temp = (dt: number, value: number) => ({ metric: 'yw_nodes_temp', labels: { instance: 'n1' }, ts: t0 + dt, value });
    await h.push([temp(0, 92)]);
    const rule = await h.rule({ name: '机房温度（两节点）', spec: { kind: 'metric', selector: 'yw_nodes_temp', reducer: 'last', windowSeconds: 600, op: '>', thresholds: { warning: 90, critical: 95 } } });
    await h.cycle(t0);
    const [firing] = await h.alerts(`?ruleId=${rule.id}`);
    expect(firing).toMatchObject({ state: 'firing', severity: 'warning' });

    // Acknowledged through the other node: the evaluator's copy still says "firing".
    const ack = await other.app.inject({
      method: 'POST',
      url: `/api/alerting/alerts/${firing.id}/ack`,
      headers: { cookie: `yw_session=${h.admin.cookie}`, 'x-csrf-token': h.admin.csrf },
      payload: { note: '已到机房处理' },
    });
    expect(ack.statusCode, ack.body).toBe(200);

    // The temperature rises past the critical threshold: the evaluator changes the alert's severity.
    await h.push([temp(30_000, 97)]);
    await h.cycle(t0 + 30_000);
    await h.cycle(t0 + 45_000);
    const [after] = await h.alerts(`?ruleId=${rule.id}`);
    expect(after).toMatchObject({ id: firing.id, state: 'acknowledged', severity: 'critical' });
    expect(after.ackedAt).toBeGreaterThan(0);
    const events = await t.ctx.db.selectFrom('alert_event').select(['to_state', 'note']).where('alert_id', '=', firing.id).orderBy('id').execute();
    expect(events.map((e) => e.to_state)).toEqual(['firing', 'acknowledged', 'acknowledged']);
    expect(events[1]!.note).toBe('已到机房处理');
  });
});
