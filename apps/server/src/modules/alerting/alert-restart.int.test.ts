import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { buildApp, type Yunwei } from '../../app.js';
import { alertingOf } from './alerts-runtime.js';
import { alertingHarness, baseTime, type AlertingHarness } from './alerts.testing.js';

describe.skipIf(!databaseAvailable())('alert state across a restart', () => {
  let t: TestApp;
  let h: AlertingHarness;
  beforeAll(async () => {
    t = await createTestApp();
    h = await alertingHarness(t);
  });
  afterAll(() => t?.close());

  /** A second Yunwei on the same database: what a server restart starts with (nothing in memory). */
  async function restart(): Promise<Yunwei> {
    const pgSchema = t.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s : undefined;
    return buildApp({ config: t.ctx.config, announce: () => undefined, ...(pgSchema ? { pgSchema } : {}) });
  }

  it('[L3-2.1.3] a pending alert fires at the right time after a restart, and a firing alert stays firing without a duplicate', async () => {
    const t0 = baseTime(15);
    const series = (dt: number, value: number) => ({ metric: 'yw_restart_temp', labels: { instance: 'r1' }, ts: t0 + dt, value });
    await h.push([series(0, 95)]);
    const rule = await h.rule({ name: 'restart', spec: { kind: 'metric', selector: 'yw_restart_temp', reducer: 'last', windowSeconds: 600, op: '>', thresholds: { warning: 90 } }, forSeconds: 120 });
    await h.cycle(t0);
    const [pending] = await h.alerts(`?ruleId=${rule.id}`);
    expect(pending).toMatchObject({ state: 'pending', startedAt: t0 });
    await alertingOf(t.ctx).close();

    const second = await restart();
    try {
      await second.ctx.db.selectFrom('alert').select('id').execute(); // migrated, same data
      const evaluator = alertingOf(second.ctx).evaluator;
      // 60 s after the breach began: still pending (the timer kept its start, it did not restart at 0 either).
      await evaluator.cycle(t0 + 60_000);
      expect(await h.alerts(`?ruleId=${rule.id}`)).toMatchObject([{ id: pending.id, state: 'pending' }]);
      await evaluator.cycle(t0 + 120_000);
      expect(await h.alerts(`?ruleId=${rule.id}`)).toMatchObject([{ id: pending.id, state: 'firing', firingAt: t0 + 120_000 }]);
    } finally {
      await second.close();
    }

    const third = await restart();
    try {
      await alertingOf(third.ctx).evaluator.cycle(t0 + 180_000);
      await alertingOf(third.ctx).evaluator.cycle(t0 + 195_000);
    } finally {
      await third.close();
    }
    const rows = await t.ctx.db.selectFrom('alert').select(['id', 'state']).where('rule_id', '=', rule.id).execute();
    expect(rows).toEqual([{ id: pending.id, state: 'firing' }]);
    const events = await t.ctx.db.selectFrom('alert_event').select('to_state').where('alert_id', '=', pending.id).orderBy('id').execute();
    expect(events.map((e) => e.to_state)).toEqual(['pending', 'firing']);
  });
  it('[L3-2.1.3] a check rule counts the results before a restart (down twice, restart, down once more: fires)', async () => {
    // Results 10 minutes apart (a slow check): older than any rule's time window.
    const t0 = baseTime(8);
    const down = (ts: number) => ({ metric: 'check_up', labels: { check: '0190c000-0000-7000-8000-0000000000c1', type: 'tcp' }, ts, value: 0 });
    await h.push([{ ...down(t0 - 1_800_000), value: 1 }, down(t0 - 1_200_000), down(t0 - 600_000)]);
    const rule = await h.rule({ name: 'tcp down 3x', severity: 'critical', spec: { kind: 'check', checkType: 'tcp', consecutiveDown: 3 } });
    await h.cycle(t0 - 600_000);
    expect(await h.alerts(`?ruleId=${rule.id}`)).toEqual([]);
    await alertingOf(t.ctx).close();

    const second = await restart();
    try {
      await second.ctx.db.selectFrom('alert').select('id').execute();
      // The third failure arrives while the server is down; the first cycle warm-loads from the store
      // (the window of a check-only evaluator is a minute: the older results must come from the hour before).
      await h.push([down(t0)]);
      await alertingOf(second.ctx).evaluator.cycle(t0);
    } finally {
      await second.close();
    }
    expect(await h.alerts(`?ruleId=${rule.id}`)).toMatchObject([{ state: 'firing', severity: 'critical', value: 3 }]);
  });
});
