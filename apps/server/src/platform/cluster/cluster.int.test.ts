import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { postgresTestUrl } from '../../../test/test-env.js';
import { openDatabase, type DatabaseHandle } from '../../db/database.js';
import { Cluster, type Activity } from './cluster.js';

const LEASE_MS = 600;

/** An activity that records whether it runs, and how often it was started. */
function recorder(): Activity & { running: boolean; starts: number } {
  const a = {
    running: false,
    starts: 0,
    start() {
      a.running = true;
      a.starts++;
    },
    async stop() {
      a.running = false;
    },
  };
  return a;
}

async function until(condition: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) {
      throw new Error('condition not met in time');
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe.skipIf(!databaseAvailable())('cluster: nodes, leases, shares of work', () => {
  let t: TestApp | undefined;
  const opened: DatabaseHandle[] = [];
  const clusters: Cluster[] = [];

  afterEach(async () => {
    await Promise.all(clusters.splice(0).map((c) => c.stop().catch(() => undefined)));
    await Promise.all(opened.splice(0).map((d) => d.close().catch(() => undefined)));
    await t?.close();
    t = undefined;
  });

  /** Another node's own connection pool on the test's database (PostgreSQL), as a separate process has. */
  async function node(app: TestApp, own = true, leaseMs = LEASE_MS, keyCheck?: string): Promise<Cluster> {
    let db = app.ctx.db;
    if (own && app.dialect === 'postgres') {
      const schema = (await sql<{ s: string }>`select current_schema() as s`.execute(app.ctx.db)).rows[0]!.s;
      const handle = openDatabase({ url: postgresTestUrl(), pgSchema: schema, pgPoolSize: 2 });
      opened.push(handle);
      db = handle.db;
    }
    const c = new Cluster(db, app.ctx.log, { dialect: app.dialect, leaseMs, version: '0.1.0', schemaVersion: 'test', ...(keyCheck ? { keyCheck } : {}) });
    clusters.push(c);
    return c;
  }

  it('registers the node with its version and lists it for the administrator (GET /api/cluster)', async () => {
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const admin = await t.signIn(t.admin);
    const res = await admin.request('GET', '/api/cluster');
    expect(res.status).toBe(200);
    expect(res.json.database).toBe(t.dialect);
    const self = res.json.nodes.find((n: { self: boolean }) => n.self);
    expect(self).toMatchObject({ alive: true, version: expect.stringMatching(/^\d+\.\d+\.\d+/), stoppedAt: null, pid: process.pid });
    expect(self.schemaVersion).toMatch(/^\d{4}-\d{2}-\d{2}-\d{4}-/);
    // The serving node holds the singleton work (one node: all of it).
    expect(self.leases).toEqual(expect.arrayContaining(['alerting.evaluator', 'alerting.dispatcher']));
    expect(Math.abs(res.json.serverTime - Date.now())).toBeLessThan(5_000);
    // It sees its own marker in the file store; a live node whose marker is not there does not share the directory.
    expect(self.sharesFiles).toBe(true);
    const now = Date.now();
    await t.ctx.db
      .insertInto('cluster_node')
      .values({ id: 'node-with-its-own-files', hostname: 'elsewhere', pid: 1, version: self.version, schema_version: self.schemaVersion, started_at: now, heartbeat_at: now + 60_000, stopped_at: null })
      .execute();
    const elsewhere = (await admin.request('GET', '/api/cluster')).json.nodes.find((n: { id: string }) => n.id === 'node-with-its-own-files');
    expect(elsewhere).toMatchObject({ alive: true, sharesFiles: false });
    await t.ctx.db.deleteFrom('cluster_node').where('id', '=', 'node-with-its-own-files').execute();

    const reader = await t.signIn(await t.newUser({ permissions: ['audit.log.read'] }));
    expect((await reader.request('GET', '/api/cluster')).status).toBe(403);
  });

  it('takes a node out when a newer release has migrated the database under it: its work moves, and it answers 503 saying to upgrade', async () => {
    t = await createTestApp();
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const admin = await t.signIn(t.admin);
    const self = (await admin.request('GET', '/api/cluster')).json.nodes.find((n: { self: boolean }) => n.self);
    expect(self.leases).toContain('alerting.evaluator');
    // A node of the next release joins (it migrated first): its schema version sorts after ours.
    const now = Date.now();
    await t.ctx.db
      .insertInto('cluster_node')
      .values({ id: 'node-of-next-release', hostname: 'next', pid: 1, version: '9.0.0', schema_version: `${self.schemaVersion}-next`, started_at: now, heartbeat_at: now + 60_000, stopped_at: null })
      .execute();
    await t.ctx.cluster.beatNow();

    expect(t.ctx.cluster.outdatedBy).toBe(`${self.schemaVersion}-next`);
    expect(t.ctx.cluster.owns('any-check')).toBe(false);
    const leases = await t.ctx.db.selectFrom('cluster_lease').select(['name', 'expires_at']).where('holder', '=', self.id).execute();
    expect(leases.length).toBeGreaterThan(0);
    expect(leases.every((l) => Number(l.expires_at) === 0), 'leases handed back').toBe(true);
    for (const url of ['/api/health', '/api/cluster']) {
      const res = await admin.request('GET', url, undefined, { 'accept-language': 'zh-CN' });
      expect(res.status, url).toBe(503);
      expect(res.json.code).toBe('YW_NODE_OUTDATED');
      expect(res.json.message).toContain('请把本节点升级到与其他节点相同的版本');
    }
  });

  it('refuses a second process on one SQLite file, saying to use PostgreSQL for several nodes', async () => {
    t = await createTestApp();
    const first = await node(t, false);
    await first.start();
    const second = await node(t, false);
    if (t.dialect === 'sqlite') {
      await expect(second.start()).rejects.toThrow(/SQLite 只支持单节点.*PostgreSQL[\s\S]*SQLite runs one node only; for several nodes use PostgreSQL/);
      // Once the first has stopped, the file is free.
      await first.stop();
      await expect(second.start()).resolves.toBeUndefined();
    } else {
      // PostgreSQL takes any number of nodes.
      await expect(second.start()).resolves.toBeUndefined();
      expect((await first.nodes()).filter((n) => n.alive)).toHaveLength(2);
    }
  });

  it('refuses a node whose master key differs from the one the other nodes use, saying how to fix it', async () => {
    t = await createTestApp();
    const first = await node(t, true, LEASE_MS, 'aaaaaaaaaaaaaaaa');
    await first.start();
    await first.stop();
    // Even with the other node stopped: the secrets in the database are sealed with its key.
    const stranger = await node(t, true, LEASE_MS, 'bbbbbbbbbbbbbbbb');
    await expect(stranger.start()).rejects.toThrow(/主密钥与运行此数据库的其他节点.*不同[\s\S]*the same YUNWEI_MASTER_KEY, or master\.key from a shared data directory/);
    const same = await node(t, true, LEASE_MS, 'aaaaaaaaaaaaaaaa');
    await expect(same.start()).resolves.toBeUndefined();
  });

  it('runs a singleton on exactly one node, and another takes it over at once when the holder stops', async () => {
    t = await createTestApp();
    if (t.dialect === 'sqlite') {
      // One node only (see above): the singleton runs there as soon as the node serves.
      const only = await node(t);
      await only.start();
      const work = recorder();
      await only.singleton('test.work', work);
      expect(work.running).toBe(true);
      expect(only.tokenOf('test.work')).toBe(1);
      return;
    }
    const [a, b] = [await node(t), await node(t)];
    await Promise.all([a.start(), b.start()]);
    const [wa, wb] = [recorder(), recorder()];
    await Promise.all([a.singleton('test.work', wa), b.singleton('test.work', wb)]);
    // A few beats: never both, always one.
    for (let i = 0; i < 8; i++) {
      await Promise.all([a.beatNow(), b.beatNow()]);
      expect(Number(wa.running) + Number(wb.running)).toBe(1);
    }
    const [holder, holderWork, other, otherWork] = wa.running ? [a, wa, b, wb] : [b, wb, a, wa];
    const token = holder.tokenOf('test.work')!;
    await holder.stop();
    expect(holderWork.running).toBe(false);
    await until(() => otherWork.running, 2 * LEASE_MS);
    // The lease changed hands: its fencing token grew.
    expect(other.tokenOf('test.work')).toBe(token + 1);
  });

  it('moves the work of a node that goes silent within the lease time, and the silent node stops it first', async () => {
    t = await createTestApp();
    if (t.dialect === 'sqlite') {
      // A node that cannot reach its database stops its work before the lease lapses (one node: nobody takes over).
      const only = await node(t, false);
      await only.start();
      const work = recorder();
      await only.singleton('test.work', work);
      await t.exec('drop table cluster_lease');
      await until(() => !work.running, 3 * LEASE_MS);
      return;
    }
    const a = await node(t);
    await a.start();
    const wa = recorder();
    await a.singleton('test.work', wa);
    expect(wa.running).toBe(true);
    const b = await node(t);
    await b.start();
    const wb = recorder();
    await b.singleton('test.work', wb);
    expect(wb.running).toBe(false);
    // a loses its database (its pool is closed: every beat fails).
    const silencedAt = Date.now();
    await opened[0]!.close();
    await until(() => !wa.running, 3 * LEASE_MS);
    await until(() => wb.running, 3 * LEASE_MS);
    const stoppedAt = Date.now();
    // Never both at once: a stopped no later than its lease ran out; b started only after.
    expect(stoppedAt - silencedAt).toBeLessThan(2 * LEASE_MS + LEASE_MS / 3 + 500);
    expect(wb.starts).toBe(1);
  });

  it('spreads keys over the live nodes, each key on exactly one, and moves only the keys of a node that leaves', async () => {
    t = await createTestApp();
    if (t.dialect === 'sqlite') {
      const only = await node(t);
      await only.start();
      expect(['a', 'b', 'c'].every((k) => only.owns(k))).toBe(true);
      return;
    }
    // A long lease: a beat late on a busy machine must not count as leaving here.
    const nodes = [await node(t, true, 60_000), await node(t, true, 60_000), await node(t, true, 60_000)];
    await Promise.all(nodes.map((n) => n.start()));
    await Promise.all(nodes.map((n) => n.beatNow()));
    const keys = Array.from({ length: 3000 }, (_, i) => `check-${i}`);
    const ownerOf = (k: string, among: Cluster[]) => among.filter((n) => n.owns(k));
    for (const k of keys) {
      expect(ownerOf(k, nodes)).toHaveLength(1);
    }
    const shares = nodes.map((n) => keys.filter((k) => n.owns(k)).length);
    for (const share of shares) {
      expect(share).toBeGreaterThan(800);
      expect(share).toBeLessThan(1200);
    }
    const before = new Map(keys.map((k) => [k, ownerOf(k, nodes)[0]]));
    let changed = 0;
    nodes[1]!.onMembershipChange(() => changed++);
    await nodes[2]!.stop();
    await Promise.all(nodes.slice(0, 2).map((n) => n.beatNow()));
    expect(changed).toBe(1);
    for (const k of keys) {
      const now = ownerOf(k, nodes.slice(0, 2));
      expect(now).toHaveLength(1);
      if (before.get(k) !== nodes[2]) {
        expect(now[0]).toBe(before.get(k));
      }
    }
  });
});
