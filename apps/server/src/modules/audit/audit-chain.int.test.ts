import { execFile } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditVerifyResult } from '@yunwei/contracts/audit';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { postgresTestUrl } from '../../../test/test-env.js';
import { openDatabase } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { checkAnchors, parseAnchor } from '../../platform/audit/audit-anchor.js';
import { keyAuditChain } from '../../platform/audit/audit-chain.migration.js';
import { readHead } from '../../platform/audit/audit-chain.js';
import { anchorSignature, auditChainKey, chainSeal, legacyEntryHash } from '../../platform/audit/audit-hash.js';
import { AuditWriter } from '../../platform/audit/audit-writer.js';
import { JobRunner } from '../../platform/jobs/job-runner.js';
import { ANCHOR_JOB, anchorCron, anchorFileOf, anchorJobs } from './audit-anchor.job.js';
import { AuditService } from './audit.service.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
const DAY = 86_400_000;

/** A fresh app with a short trail (sign-in steps plus three org units) and its chain key. */
async function trail(overrides: Record<string, string> = {}): Promise<{ t: TestApp; admin: TestSession; ids: number[]; key: Buffer }> {
  const t = await createTestApp(overrides);
  const admin = await t.signIn(t.admin);
  for (const name of ['一', '二', '三']) {
    expect((await admin.request('POST', '/api/org-units', { name })).status).toBe(200);
  }
  const ids = (await t.ctx.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id);
  expect(ids.length).toBeGreaterThanOrEqual(6);
  return { t, admin, ids, key: auditChainKey(t.ctx.secrets) };
}

/** Verification straight from the service (no new entry in between, unlike the API). */
const verify = (t: TestApp): Promise<Omit<AuditVerifyResult, 'verifiedAt'>> => t.ctx.audit.verify();

/**
 * What someone with write access to the database but not the key can do: rewrite entries from
 * `fromId` on (with `change`), recomputing every hash and link after it with the unkeyed scheme.
 */
async function rewriteUnkeyed(t: TestApp, fromId: number, change: (row: Record<string, unknown>) => object, toId = Number.MAX_SAFE_INTEGER): Promise<string> {
  const rows = await t.ctx.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
  let prev: string | null = null;
  for (const row of rows.filter((r) => r.id <= toId)) {
    if (row.id >= fromId) {
      const next: typeof row = { ...row, ...(row.id === fromId ? change(row) : {}), prev_hash: prev ?? row.prev_hash };
      next.hash = legacyEntryHash(next);
      await t.ctx.db.updateTable('audit_log').set({ after: next.after, actor_name: next.actor_name, prev_hash: next.prev_hash, hash: next.hash }).where('id', '=', row.id).execute();
      prev = next.hash;
    } else {
      prev = row.hash;
    }
  }
  return prev!;
}

/** The PostgreSQL schema of this test app, or undefined on SQLite. */
async function pgSchemaOf(t: TestApp): Promise<string | undefined> {
  return t.dialect === 'postgres' ? (await sql<{ s: string }>`select current_schema() as s`.execute(t.ctx.db)).rows[0]!.s : undefined;
}

/** `yunwei audit verify …` as a separate process, against this test app's database. */
async function cli(t: TestApp, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const schema = await pgSchemaOf(t);
  const databaseUrl = schema ? `${postgresTestUrl()}?options=${encodeURIComponent(`-c search_path=${schema}`)}` : t.ctx.config.databaseUrl;
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['apps/server/bin/yunwei.mjs', 'audit', 'verify', ...args],
      { cwd: repoRoot, env: { ...process.env, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_DATA_DIR: t.ctx.config.dataDir, YUNWEI_LOG_LEVEL: 'warn', YUNWEI_CONFIG: '' }, timeout: 90_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.skipIf(!databaseAvailable())('#10.9 keyed audit chain, sealed head and exported anchors', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it('#10.9 an edited entry fails even when its hash (and every hash after it) is recomputed without the key', async () => {
    const app = await trail();
    t = app.t;
    const n = app.ids[2]!;
    expect((await verify(t)).ok).toBe(true);

    // Only the entry, its hash recomputed: the MAC does not match.
    const original = await t.ctx.db.selectFrom('audit_log').selectAll().where('id', '=', n).executeTakeFirstOrThrow();
    await rewriteUnkeyed(t, n, () => ({ after: '{"forged":true}' }), n);
    expect(await verify(t)).toMatchObject({ ok: false, brokenAt: n, reason: expect.stringMatching(/^hash/) });
    await t.ctx.db.updateTable('audit_log').set({ after: original.after, hash: original.hash }).where('id', '=', n).execute();
    expect((await verify(t)).ok).toBe(true);

    // The whole rest of the chain rewritten and the head moved to the new last hash: the seal of the head breaks.
    const head = await readHead(t.ctx.db);
    const newHead = await rewriteUnkeyed(t, n, () => ({ actor_name: 'mallory' }));
    await t.ctx.db.updateTable('audit_chain').set({ head_hash: newHead }).where('id', '=', 1).execute();
    expect(await verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/^seal/) });
    // With the old head left in place, the first rewritten entry fails its MAC instead.
    await t.ctx.db.updateTable('audit_chain').set({ head_hash: head.state.head_hash }).where('id', '=', 1).execute();
    expect(await verify(t)).toMatchObject({ ok: false, brokenAt: n, reason: expect.stringMatching(/^hash/) });
  });

  it('#10.9 deleting the tail and moving the head back (and its count) is caught', async () => {
    const app = await trail();
    t = app.t;
    const keep = app.ids[app.ids.length - 3]!;
    const kept = await t.ctx.db.selectFrom('audit_log').select('hash').where('id', '=', keep).executeTakeFirstOrThrow();
    const head = await readHead(t.ctx.db);
    await t.exec(`delete from audit_log where id > ${keep}`);
    await t.ctx.db.updateTable('audit_chain').set({ head_id: keep, head_hash: kept.hash, appended: head.state.appended - 2 }).where('id', '=', 1).execute();
    const result = await verify(t);
    expect(result).toMatchObject({ ok: false, checked: 0, reason: expect.stringMatching(/^seal/) });

    // The API says so too, and the UI's result carries the reason.
    const res = await app.admin.request('POST', '/api/audit/verify');
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ ok: false, reason: expect.stringMatching(/^seal/) });
  });

  it('#10.9 moving or editing the retention anchor is caught; a real purge still verifies', async () => {
    const app = await trail();
    t = app.t;
    const cut = app.ids[2]!;
    const row = await t.ctx.db.selectFrom('audit_log').select('hash').where('id', '=', cut).executeTakeFirstOrThrow();
    const before = await t.ctx.db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();

    await t.exec(`delete from audit_log where id <= ${cut}`);
    await t.ctx.db.updateTable('audit_chain').set({ anchor_id: cut, anchor_hash: row.hash, purged: 3 }).where('id', '=', 1).execute();
    expect(await verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/^seal/) });

    // Only the anchor's hash edited (the rows left alone): caught as well.
    await t.ctx.db.updateTable('audit_chain').set({ anchor_id: before.anchor_id, anchor_hash: 'f'.repeat(64), purged: before.purged }).where('id', '=', 1).execute();
    expect(await verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/^seal/) });
  });

  it('#10.9 retention purges through the sealed head, and refuses to purge a broken chain', async () => {
    const app = await trail();
    t = app.t;
    const audit = new AuditService(t.ctx);
    const later = Date.now() + 181 * DAY;
    const n = app.ids[1]!;
    await t.exec(`update audit_log set ip = '10.6.6.6' where id = ${n}`);
    await expect(audit.purgeExpired(later)).rejects.toThrow(/chain is broken at #\d+/);
    expect(await t.ctx.db.selectFrom('audit_log').select('id').where('id', '=', n).executeTakeFirst()).toBeDefined();
    await t.exec(`update audit_log set ip = '127.0.0.1' where id = ${n}`);

    const purged = await audit.purgeExpired(later);
    expect(purged).toBeGreaterThanOrEqual(app.ids.length);
    const head = await readHead(t.ctx.db);
    expect(head.state.purged).toBe(purged);
    expect(await verify(t)).toMatchObject({ ok: true, checked: 1 });
  });

  it('#10.9 a wiped trail is not "intact: 0 entries": the genesis head tells an empty trail from a deleted one', async () => {
    const app = await trail();
    t = app.t;
    await t.exec('delete from audit_log');
    expect(await verify(t)).toMatchObject({ ok: false, checked: 0, reason: expect.stringMatching(/^head: every entry was deleted/) });

    await t.exec('delete from audit_chain');
    expect(await verify(t)).toMatchObject({ ok: false, checked: 0, brokenAt: null, reason: expect.stringMatching(/^head: the chain record is missing/) });
    // The next entry recreates the head, but unsealed: a restart cannot pass for a fresh install.
    await t.ctx.audit.recordNow({ actor: systemActor('test'), action: 'test.after.wipe', targetType: 'test' });
    expect(await verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/^head: the chain record was deleted and has been recreated/) });
    await t.ctx.audit.recordNow({ actor: systemActor('test'), action: 'test.after.wipe', targetType: 'test' });
    expect((await verify(t)).ok).toBe(false);

    // What a fresh install gets from its migration: a sealed genesis head, and an empty trail that verifies.
    await t.exec('delete from audit_log');
    await t.exec('delete from audit_chain');
    await keyAuditChain(t.ctx.db, app.key);
    expect(await verify(t)).toMatchObject({ ok: true, checked: 0 });
    expect((await readHead(t.ctx.db)).state).toMatchObject({ head_id: 0, appended: 0 });
  });

  it('#10.9 a count that disagrees with the head fails, as do entries beyond it', async () => {
    const app = await trail();
    t = app.t;
    const head = await readHead(t.ctx.db);
    // A head whose seal holds but whose count does not (say, a head record restored from another copy).
    const wrong = { ...head.state, appended: head.state.appended + 1 };
    await t.ctx.db.updateTable('audit_chain').set({ appended: wrong.appended, seal: chainSeal(app.key, wrong) }).where('id', '=', 1).execute();
    expect(await verify(t)).toMatchObject({ ok: false, checked: app.ids.length, reason: `count: the trail holds ${app.ids.length} entries, the head records ${app.ids.length + 1}` });
    await t.ctx.db.updateTable('audit_chain').set({ appended: head.state.appended, seal: head.seal }).where('id', '=', 1).execute();
    expect((await verify(t)).ok).toBe(true);

    // A row copied in after the head (written around the application).
    const last = await t.ctx.db.selectFrom('audit_log').selectAll().where('id', '=', head.state.head_id).executeTakeFirstOrThrow();
    const { id: _id, ...copy } = last;
    await t.ctx.db.insertInto('audit_log').values({ ...copy, prev_hash: last.hash }).execute();
    expect(await verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/^head: the entry lies beyond the recorded head/) });
  });

  it('#10.9 entries hashed before the keyed chain still verify; rewriting them is caught at the first keyed entry', async () => {
    const app = await trail();
    t = app.t;
    // An older installation: every entry so far carries the unkeyed hash, then the migration keys the chain.
    const legacyHead = await rewriteUnkeyed(t, app.ids[0]!, () => ({}));
    await t.ctx.db.updateTable('audit_chain').set({ head_hash: legacyHead }).where('id', '=', 1).execute();
    const switched = await keyAuditChain(t.ctx.db, app.key);
    expect(switched).toMatchObject({ keyed_after: app.ids[app.ids.length - 1], appended: app.ids.length, purged: 0 });
    expect(await verify(t)).toMatchObject({ ok: true, checked: app.ids.length });

    expect((await app.admin.request('POST', '/api/org-units', { name: '四' })).status).toBe(200);
    const firstKeyed = (await t.ctx.db.selectFrom('audit_log').select('id').where('id', '>', switched.keyed_after).orderBy('id').executeTakeFirstOrThrow()).id;
    expect(await verify(t)).toMatchObject({ ok: true });

    // An old entry rewritten, and the unkeyed chain recomputed up to the switch point: the first keyed entry no longer links.
    await rewriteUnkeyed(t, app.ids[1]!, () => ({ actor_name: 'mallory' }), switched.keyed_after);
    expect(await verify(t)).toMatchObject({ ok: false, brokenAt: firstKeyed, reason: expect.stringMatching(/^link/) });
    // Nor can the switch point be moved to pass keyed entries off as unkeyed ones.
    await t.ctx.db.updateTable('audit_chain').set({ keyed_after: 1e9 }).where('id', '=', 1).execute();
    expect(await verify(t)).toMatchObject({ ok: false, reason: expect.stringMatching(/^seal/) });
  });

  it('#10.9 two nodes appending at once keep one valid chain with the right count', async () => {
    const app = await trail();
    t = app.t;
    const schema = await pgSchemaOf(t);
    // PostgreSQL: a second pool, as another node has. SQLite is one process (better-sqlite3 blocks it while another connection writes): the same handle.
    const other = schema ? openDatabase({ url: postgresTestUrl(), pgSchema: schema, pgPoolSize: 4 }) : { db: t.ctx.db, close: async () => undefined };
    try {
      const writers = [t.ctx.audit, new AuditWriter(other.db, app.key)];
      await Promise.all(Array.from({ length: 24 }, (_, i) => writers[i % 2]!.recordNow({ actor: systemActor(`node${i % 2}`), action: 'test.node.write', targetType: 'test', targetId: String(i) })));
      expect(await verify(t)).toMatchObject({ ok: true, checked: app.ids.length + 24 });
    } finally {
      await other.close();
    }
  });

  it('#10.9 exports the signed head once per interval, whichever of several nodes runs the tick; the verify API reports it', async () => {
    const app = await trail({ YUNWEI_AUDIT_ANCHOR_INTERVAL_MINUTES: '5' });
    t = app.t;
    expect(anchorFileOf(t.ctx.config)).toBe(path.join(t.ctx.config.dataDir, 'audit-anchors.jsonl'));
    expect([anchorCron(5), anchorCron(7), anchorCron(120), anchorCron(60)]).toEqual(['*/5 * * * *', '* * * * *', '0 */2 * * *', '0 */1 * * *']);
    expect(anchorJobs({ ...t.ctx, config: { ...t.ctx.config, auditAnchorIntervalMinutes: 0 } })).toEqual([]);

    // A second node: its own connection, writer and job runner on the same database.
    const schema = await pgSchemaOf(t);
    // PostgreSQL: a second pool, as another node has. SQLite is one process (better-sqlite3 blocks it while another connection writes): the same handle.
    const other = schema ? openDatabase({ url: postgresTestUrl(), pgSchema: schema, pgPoolSize: 4 }) : { db: t.ctx.db, close: async () => undefined };
    try {
      const runner = new JobRunner(other.db, t.ctx.log, 1000, t.ctx.cluster);
      for (const job of anchorJobs({ config: t.ctx.config, audit: new AuditWriter(other.db, app.key), log: t.ctx.log })) {
        runner.define(job);
      }
      // Both nodes' schedules fired: two jobs queued, each node drains.
      await t.jobs.enqueue(ANCHOR_JOB);
      await runner.enqueue(ANCHOR_JOB);
      // (drain also counts a claim lost to the other node)
      const [a, b] = await Promise.all([t.jobs.drain(), runner.drain()]);
      expect(a + b).toBeGreaterThanOrEqual(2);
      const jobs = await t.ctx.db.selectFrom('job').select(['status', 'last_error']).where('name', '=', ANCHOR_JOB).execute();
      expect(jobs).toEqual([{ status: 'done', last_error: null }, { status: 'done', last_error: null }]);
    } finally {
      await other.close();
    }
    const file = anchorFileOf(t.ctx.config);
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines).toHaveLength(1);
    const anchor = parseAnchor(lines[0]!)!;
    const head = await readHead(t.ctx.db);
    expect(anchor).toMatchObject({ seq: head.state.head_id, hash: head.state.head_hash, count: head.state.appended });
    expect(anchor.sig).toBe(anchorSignature(app.key, anchor));

    // The next interval: one more line.
    expect(await t.ctx.audit.exportAnchor(file, 4.5 * 60_000, anchor.time + 60_000)).toBeNull();
    const next = await t.ctx.audit.exportAnchor(file, 4.5 * 60_000, anchor.time + 5 * 60_000);
    expect(next).toMatchObject({ seq: head.state.head_id, time: anchor.time + 5 * 60_000 });
    expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(2);

    const verified = (await app.admin.request('POST', '/api/audit/verify')).json as AuditVerifyResult;
    expect(verified).toMatchObject({ ok: true, lastAnchor: { seq: next!.seq, hash: next!.hash, count: next!.count, time: next!.time } });

    // A head whose seal does not hold is not signed.
    await t.ctx.db.updateTable('audit_chain').set({ head_id: 1 }).where('id', '=', 1).execute();
    await expect(t.ctx.audit.exportAnchor(file, 0)).rejects.toThrow(/not exported: seal/);
  });

  it('#10.9 checks an auditor\'s anchors: signatures, hashes at their entries, counts, and a rolled-back database', async () => {
    const app = await trail();
    t = app.t;
    const file = anchorFileOf(t.ctx.config);
    const first = (await t.ctx.audit.exportAnchor(file, 0))!;
    const snapshot = await t.ctx.db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();
    expect((await app.admin.request('POST', '/api/org-units', { name: '四' })).status).toBe(200);
    const second = (await t.ctx.audit.exportAnchor(file, 0))!;
    expect(second.seq).toBeGreaterThan(first.seq);
    const text = readFileSync(file, 'utf8');
    expect(await checkAnchors(t.ctx.db, app.key, text)).toEqual({ matched: 2, purged: 0, problems: [] });

    const forged = JSON.stringify({ ...first, hash: 'e'.repeat(64) });
    const garbage = 'not json';
    const check = await checkAnchors(t.ctx.db, app.key, `${text}${forged}\n${garbage}\n`);
    expect(check.matched).toBe(2);
    expect(check.problems).toEqual([expect.stringMatching(/^line 3: the signature does not match/), expect.stringMatching(/^line 4: not an anchor/)]);

    // A signed anchor whose entry differs, or whose count is off (someone holding the key rewrote the trail).
    const resigned = (a: typeof first, change: Partial<typeof first>) => {
      const fields = { seq: a.seq, hash: a.hash, count: a.count, time: a.time, ...change };
      return JSON.stringify({ ...fields, sig: anchorSignature(app.key, fields) });
    };
    expect((await checkAnchors(t.ctx.db, app.key, resigned(first, { hash: 'd'.repeat(64) }))).problems).toEqual([expect.stringMatching(/^line 1: entry #\d+ differs from the anchor/)]);
    expect((await checkAnchors(t.ctx.db, app.key, resigned(first, { count: first.count + 1 }))).problems).toEqual([expect.stringMatching(/^line 1: \d+ entries up to #\d+, the anchor counted/)]);

    // The whole database rolled back to before the second anchor (head record and all): the chain alone is intact.
    await t.exec(`delete from audit_log where id > ${first.seq}`);
    await t.ctx.db.updateTable('audit_chain').set({ head_id: snapshot.head_id, head_hash: snapshot.head_hash, appended: snapshot.appended, seal: snapshot.seal }).where('id', '=', 1).execute();
    expect((await verify(t)).ok).toBe(true);
    expect((await checkAnchors(t.ctx.db, app.key, text)).problems).toEqual([expect.stringMatching(/^line 2: anchor at entry #\d+, but the trail ends at #\d+/)]);
  });

  it('#10.9 `yunwei audit verify --anchors <file>` exits 0 when the kept anchors hold and 1 naming the line when they do not', { timeout: 180_000 }, async () => {
    const app = await trail();
    t = app.t;
    const file = anchorFileOf(t.ctx.config);
    const first = (await t.ctx.audit.exportAnchor(file, 0))!;
    const snapshot = await t.ctx.db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();
    expect((await app.admin.request('POST', '/api/org-units', { name: '四' })).status).toBe(200);
    await t.ctx.audit.exportAnchor(file, 0);
    // The auditor's copy, kept off the server.
    const kept = path.join(t.ctx.config.dataDir, 'auditor-copy.jsonl');
    copyFileSync(file, kept);

    const intact = await cli(t, ['--anchors', kept]);
    expect(intact.stderr).toBe('');
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/audit trail intact: \d+ entries checked/);
    expect(intact.stdout).toMatch(/last exported anchor: entry #\d+ at \d{4}-/);
    expect(intact.stdout).toContain('anchors hold: 2 found in the trail, 0 older than the retention anchor');

    // Rolled back to the first anchor: the database alone verifies, the kept anchors do not.
    await t.exec(`delete from audit_log where id > ${first.seq}`);
    await t.ctx.db.updateTable('audit_chain').set({ head_id: snapshot.head_id, head_hash: snapshot.head_hash, appended: snapshot.appended, seal: snapshot.seal }).where('id', '=', 1).execute();
    expect((await cli(t, [])).code).toBe(0);
    const rolledBack = await cli(t, ['--anchors', kept]);
    expect(rolledBack.code).toBe(1);
    expect(rolledBack.stderr).toMatch(/anchor line 2: anchor at entry #\d+, but the trail ends at/);
    expect(rolledBack.stderr).toContain('anchors BROKEN: 1 of 2 do not hold');

    // An empty or forged file proves nothing.
    writeFileSync(kept, '\n');
    const empty = await cli(t, ['--anchors', kept]);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toContain('anchors BROKEN: no anchor in');
    writeFileSync(kept, `${JSON.stringify({ ...first, count: first.count + 5 })}\n`);
    const forged = await cli(t, ['--anchors', kept]);
    expect(forged.code).toBe(1);
    expect(forged.stderr).toMatch(/anchor line 1: the signature does not match/);

    // And the chain alone fails, with the head named, once the tail is deleted.
    await t.exec(`delete from audit_log where id = ${first.seq}`);
    const broken = await cli(t, []);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(new RegExp(`BROKEN at entry #${first.seq} \\(head: entries at the end of the trail were deleted\\)`));
  });
});
