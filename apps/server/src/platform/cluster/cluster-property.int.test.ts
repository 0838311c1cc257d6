import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startYunwei, type RunningYunwei } from '../../../../../e2e/support/yunwei-server.js';
import { waitFor } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { testDialect } from '../../../test/test-env.js';
import { phaseOf } from '../../modules/checks/scheduler.js';
import { startReceiver, type TestReceiver } from '../notify/notify.testing.js';
import { clusterNodeEnv } from './cluster.testing.js';

const INTERVAL_MS = 5_000;
const LEASE_MS = 3_000;
const CHECKS = 10;
const NODES = 3;
/** How long the schedule is watched (YUNWEI_PROPERTY_MINUTES shortens it when working on this test). */
const WATCH_MS = Number(process.env.YUNWEI_PROPERTY_MINUTES ?? 5) * 60_000;
/** Results are written in batches: a node killed loses the runs it had not written yet (at most this old). */
const UNWRITTEN_MS = 2_000;

/** One disturbance: after `afterMs` of calm, node `victim` (of the three) is killed, and restarted `downMs` later. */
interface Kill {
  afterMs: number;
  victim: number;
  downMs: number;
}

/**
 * The cluster's promise as a property: for a fixed schedule (ten HTTP checks every 5 s, each on its
 * own grid `phase + k × interval`) watched for five minutes while nodes of a three-node cluster are
 * killed (-9) and restarted at random, every check runs once per grid point — except at a takeover,
 * where one grid point may be missed (the dead node's lease has not run out yet) or run twice (the
 * old and the new owner both ran it as a node joined). The kill plan comes from fast-check with a
 * seed printed on failure (YUNWEI_PROPERTY_SEED replays it).
 */
describe.runIf(databaseAvailable() && testDialect() === 'postgres')('cluster property: one run per interval under random kills', () => {
  let t: TestApp;
  let admin: TestSession;
  let target: TestReceiver;
  let env: Record<string, string>;
  const nodes: RunningYunwei[] = [];
  const checkIds: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    target = await startReceiver();
    for (let i = 0; i < CHECKS; i++) {
      const res = await admin.request('POST', '/api/checks', { name: `网站 ${i}`, type: 'http', intervalSeconds: INTERVAL_MS / 1000, timeoutMs: 2000, settings: { url: `${target.url}/ok/${i}` } });
      expect(res.status, res.body).toBe(200);
      checkIds.push(res.json.id as string);
    }
    env = await clusterNodeEnv(t, { YUNWEI_CLUSTER_LEASE_MS: String(LEASE_MS) });
    nodes.push(...(await Promise.all(Array.from({ length: NODES }, () => startYunwei(env, { dataDir: t.ctx.config.dataDir })))));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    await target?.stop();
    await t?.close();
  });

  it('runs every check once per grid point for five minutes of random node kills, ± one at each takeover', async () => {
    const seed = Number(process.env.YUNWEI_PROPERTY_SEED ?? Date.now() % 2 ** 31);
    const plan = fc.sample(fc.array(fc.record({ afterMs: fc.integer({ min: 15_000, max: 45_000 }), victim: fc.nat({ max: NODES - 1 }), downMs: fc.integer({ min: 2_000, max: 20_000 }) }), { minLength: 12, maxLength: 12 }), { seed, numRuns: 1 })[0]!;
    const replay = `seed ${seed} (YUNWEI_PROPERTY_SEED=${seed} replays it)`;

    // Settled: all three alive and seen by each other.
    await waitFor(async () => (await t.ctx.db.selectFrom('cluster_node').select('id').where('stopped_at', 'is', null).where('heartbeat_at', '>', Date.now() - LEASE_MS).execute()).length === NODES, 'three live nodes', 20_000);
    await new Promise((r) => setTimeout(r, LEASE_MS));
    const from = Date.now();
    /** When the membership changed: a node died, or a restarted node joined. */
    const changes: number[] = [];
    const kills: Kill[] = [];
    for (const kill of plan) {
      // The last disturbance settles before the watch ends.
      if (Date.now() + kill.afterMs + kill.downMs + 20_000 > from + WATCH_MS) {
        break;
      }
      await new Promise((r) => setTimeout(r, kill.afterMs));
      await nodes[kill.victim]!.kill();
      changes.push(Date.now());
      await new Promise((r) => setTimeout(r, kill.downMs));
      nodes[kill.victim] = await startYunwei(env, { dataDir: t.ctx.config.dataDir });
      // The restarted node changes the membership when it joins (after its start-up, which schedules nothing).
      const joined = await t.ctx.db.selectFrom('cluster_node').select('started_at').where('pid', '=', nodes[kill.victim]!.pid).orderBy('started_at', 'desc').executeTakeFirstOrThrow();
      changes.push(Number(joined.started_at));
      kills.push(kill);
    }
    await new Promise((r) => setTimeout(r, Math.max(0, from + WATCH_MS - Date.now())));
    const to = Date.now();
    expect(kills.length, replay).toBeGreaterThanOrEqual(Math.floor(WATCH_MS / 90_000));

    // A grid point is near a takeover when a membership change could still be settling at it.
    const nearTakeover = (at: number) => changes.some((c) => at >= c - UNWRITTEN_MS && at <= c + 2 * LEASE_MS + 1_000);
    const rows = await t.ctx.db.selectFrom('check_result').select(['check_id', 'at']).where('at', '>=', from).where('at', '<', to).execute();
    const problems: string[] = [];
    let calmPoints = 0;
    let takeoverPoints = 0;
    for (const id of checkIds) {
      const times = rows.filter((r) => r.check_id === id).map((r) => Number(r.at)).sort((a, b) => a - b);
      const phase = phaseOf(id, INTERVAL_MS);
      // Grid points with a whole half-interval on either side inside the watch.
      for (let g = Math.ceil((from + INTERVAL_MS / 2 - phase) / INTERVAL_MS) * INTERVAL_MS + phase; g + INTERVAL_MS / 2 <= to; g += INTERVAL_MS) {
        const runs = times.filter((at) => at >= g - INTERVAL_MS / 2 && at < g + INTERVAL_MS / 2).length;
        if (nearTakeover(g)) {
          takeoverPoints++;
          if (runs > 2) {
            problems.push(`${id} ran ${runs} times at ${new Date(g).toISOString()} (takeover)`);
          }
        } else {
          calmPoints++;
          if (runs !== 1) {
            problems.push(`${id} ran ${runs} times at ${new Date(g).toISOString()}`);
          }
        }
      }
      // Never skipped longer than the takeover bound.
      const longest = Math.max(0, ...times.slice(1).map((at, i) => at - times[i]!));
      if (longest > INTERVAL_MS + 2 * LEASE_MS + UNWRITTEN_MS) {
        problems.push(`${id} waited ${longest} ms between two runs`);
      }
    }
    console.log(`cluster property: ${replay}; ${kills.length} kills, ${calmPoints} calm and ${takeoverPoints} takeover grid points checked`);
    expect(problems, `${replay}; kills ${JSON.stringify(kills)}`).toEqual([]);
    // Enough of the watch is calm that the strict half of the property is not vacuous.
    expect(calmPoints, `${calmPoints} calm and ${takeoverPoints} takeover grid points`).toBeGreaterThan((calmPoints + takeoverPoints) / 3);
  }, WATCH_MS + 180_000);
});
