import { execFile } from 'node:child_process';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditVerifyResult } from '@yunwei/contracts/audit';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { testDialect } from '../../../test/test-env.js';
import { toJson } from '../../db/dialect.js';
import { systemActor } from '../../platform/actor.js';
import { legacyEntryHash } from '../../platform/audit/audit-hash.js';
import { PolicyService } from '../identity/policy.service.js';
import { AuditService } from './audit.service.js';

const repoRoot = path.resolve(import.meta.dirname, '../../../../..');
const DAY = 86_400_000;
const COLUMNS = ['id', 'time', 'actor', 'ip', 'action', 'target_type', 'target_id', 'outcome', 'before', 'after', 'hash'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** RFC 4180 records (quoted cells may hold commas, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else if (c !== '\r') {
      cell += c;
    }
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** `yunwei audit verify` against a database, as a separate process. */
function cliVerify(databaseUrl: string, dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['apps/server/bin/yunwei.mjs', 'audit', 'verify'],
      { cwd: repoRoot, env: { ...process.env, YUNWEI_DATABASE_URL: databaseUrl, YUNWEI_DATA_DIR: dataDir, YUNWEI_LOG_LEVEL: 'warn', YUNWEI_CONFIG: '' }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

async function countEntries(t: TestApp): Promise<number> {
  return Number((await t.ctx.db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
}

describe.skipIf(!databaseAvailable())('audit trail', () => {
  describe('recording, searching and exporting', () => {
    let t: TestApp;
    let admin: TestSession;
    let auditor: TestSession;
    beforeAll(async () => {
      t = await createTestApp();
      admin = await t.signIn(t.admin);
      auditor = await t.signIn(await t.newUser({ roles: ['audit_admin'] }));
    });
    afterAll(() => t?.close());

    const search = async (query: string): Promise<{ items: AuditEntry[]; total: number }> => {
      const res = await auditor.request('GET', `/api/audit?${query}`);
      expect(res.status, res.body).toBe(200);
      return res.json;
    };

    it('records every write with actor, address, action, target and the state after', async () => {
      const created = await admin.request('POST', '/api/org-units', { name: '信息中心', code: 'IT' });
      expect(created.status).toBe(200);
      const { items } = await search(`action=org.unit.create&q=${created.json.id}`);
      expect(items).toHaveLength(1);
      const entry = items[0]!;
      expect(entry).toMatchObject({
        actorId: t.admin.id,
        actorName: 'admin',
        ip: '127.0.0.1',
        action: 'org.unit.create',
        targetType: 'org_unit',
        targetId: created.json.id,
        outcome: 'success',
        before: null,
        after: { id: created.json.id, name: '信息中心', code: 'IT', parentId: null },
      });
      expect(entry.hash).toMatch(/^[0-9a-f]{64}$/);
      expect(Math.abs(entry.ts - Date.now())).toBeLessThan(60_000);

      const renamed = await admin.request('PATCH', `/api/org-units/${created.json.id}`, { name: '信息技术中心' });
      expect(renamed.status).toBe(200);
      const update = (await search(`action=org.unit.update&q=${created.json.id}`)).items[0]!;
      expect(update.before).toMatchObject({ name: '信息中心' });
      expect(update.after).toMatchObject({ name: '信息技术中心' });
    });

    it('records failed sign-ins with outcome failure, known user or not', async () => {
      const user = await t.newUser({ permissions: ['org.unit.read'] });
      const wrong = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: 'Wrong#pass1' } });
      expect(wrong.statusCode).toBe(401);
      const known = (await search(`action=identity.login&outcome=failure&q=${user.id}`)).items;
      expect(known).toHaveLength(1);
      expect(known[0]).toMatchObject({ actorId: user.id, actorName: user.username, targetId: user.id, outcome: 'failure', ip: '127.0.0.1', after: { reason: 'wrong password', attempts: 1 } });

      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody-here', password: 'x' } });
      const unknown = (await search('action=identity.login&outcome=failure&actor=nobody-here')).items;
      expect(unknown).toHaveLength(1);
      expect(unknown[0]).toMatchObject({ actorId: null, targetId: null, after: { username: 'nobody-here', reason: 'unknown user' } });
      expect(JSON.stringify(unknown[0])).not.toContain('"x"');
    });

    it('searches by action prefix, actor, outcome, time range and text, and pages newest first', async () => {
      const clerk = await t.newUser({ permissions: ['org.unit.read', 'org.unit.write'] });
      const s = await t.signIn(clerk);
      await sleep(5);
      const from = Date.now();
      const ids: string[] = [];
      for (const name of ['Alpha-Marker', '贝塔', '伽马']) {
        ids.push((await s.request('POST', '/api/org-units', { name })).json.id);
      }
      await s.request('PATCH', `/api/org-units/${ids[0]}`, { sortOrder: 3 });
      await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: clerk.username, password: 'Wrong#pass1' } });
      const to = Date.now();
      await sleep(5);

      const mine = await search(`actor=${clerk.username}&action=org.unit`);
      expect(mine.total).toBe(4);
      expect(mine.items.map((e) => e.action)).toEqual(['org.unit.update', 'org.unit.create', 'org.unit.create', 'org.unit.create']);
      const creates = await search(`actor=${clerk.username}&action=org.unit.cr`);
      expect(creates.items.map((e) => e.targetId)).toEqual([...ids].reverse());
      // LIKE wildcards in the prefix are literal, not patterns.
      expect((await search(`actor=${clerk.username}&action=${encodeURIComponent('%.unit')}`)).total).toBe(0);
      expect((await search(`actor=${clerk.username}&action=${encodeURIComponent('org_unit')}`)).total).toBe(0);

      const failures = await search(`actor=${clerk.username}&outcome=failure`);
      expect(failures.total).toBe(1);
      expect(failures.items[0]).toMatchObject({ action: 'identity.login', outcome: 'failure' });
      const everyFailure = await search('outcome=failure&limit=500');
      expect(everyFailure.items.every((e) => e.outcome === 'failure')).toBe(true);

      const inRange = await search(`actor=${clerk.username}&from=${from}&to=${to}&limit=500`);
      expect(inRange.total).toBe(5);
      expect(inRange.items.every((e) => e.ts >= from && e.ts <= to)).toBe(true);
      expect((await search(`actor=${clerk.username}&from=${to + 1}`)).total).toBe(0);
      expect((await search(`actor=${clerk.username}&to=${from - 1}`)).items.some((e) => e.action.startsWith('org.unit'))).toBe(false);

      // Free text: case-insensitive, over actor, action, target and the before/after state.
      const text = await search('q=alpha-marker');
      expect(text.items.map((e) => e.targetId)).toContain(ids[0]);
      expect(text.items.every((e) => JSON.stringify(e).toLowerCase().includes('alpha-marker'))).toBe(true);
      expect((await search('q=贝塔')).items.map((e) => e.targetId)).toEqual([ids[1]]);

      // Paging: stable, disjoint, newest first, total unchanged.
      const page1 = await search(`actor=${clerk.username}&limit=2&offset=0`);
      const page2 = await search(`actor=${clerk.username}&limit=2&offset=2`);
      const all = await search(`actor=${clerk.username}&limit=500`);
      expect(page1.items).toHaveLength(2);
      expect(page1.total).toBe(all.total);
      expect(page2.total).toBe(all.total);
      expect([...page1.items, ...page2.items].map((e) => e.id)).toEqual(all.items.slice(0, 4).map((e) => e.id));
      const sorted = all.items.map((e) => e.id);
      expect(sorted).toEqual([...sorted].sort((a, b) => b - a));
      expect((await search(`actor=${clerk.username}&offset=1000`)).items).toEqual([]);
    });

    it('exports CSV with a BOM, a header, one line per entry, Chinese intact and formulas neutralised; the export is audited', async () => {
      await admin.request('POST', '/api/org-units', { name: '财务部·会计科' });
      for (const username of ["=cmd|' /C calc'!A0", '+1+1', '-2+3', '@SUM(A1)']) {
        await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password: 'x' } });
      }
      const res = await auditor.request('GET', '/api/audit/export?format=csv');
      expect(res.status).toBe(200);
      expect(String(res.headers['content-type'])).toBe('text/csv; charset=utf-8');
      expect(String(res.headers['content-disposition'])).toMatch(/^attachment; filename="audit-\d{4}-\d{2}-\d{2}\.csv"$/);
      const body = res.body;
      expect(body.charCodeAt(0)).toBe(0xfeff);
      const total = await countEntries(t);
      const lines = body.slice(1).split('\n');
      expect(lines.pop()).toBe('');
      expect(lines[0]).toBe(COLUMNS.join(','));
      expect(lines).toHaveLength(total + 1);

      const records = parseCsv(body.slice(1));
      expect(records).toHaveLength(total + 1);
      expect(records.every((r) => r.length === COLUMNS.length)).toBe(true);
      const rows = records.slice(1);
      expect(rows.map((r) => Number(r[0]))).toEqual([...rows.map((r) => Number(r[0]))].sort((a, b) => a - b));
      // Chinese text survives, inside JSON that still parses.
      const finance = rows.find((r) => r[4] === 'org.unit.create' && r[9]!.includes('财务部'))!;
      expect(JSON.parse(finance[9]!)).toMatchObject({ name: '财务部·会计科' });
      expect(finance[1]).toMatch(/^\d{4}-\d{2}-\d{2}T/);
      // Cells that a spreadsheet would run as formulas are prefixed with a quote.
      const actors = rows.map((r) => r[2]);
      expect(actors).toEqual(expect.arrayContaining(["'=cmd|' /C calc'!A0", "'+1+1", "'-2+3", "'@SUM(A1)"]));
      expect(actors.filter((a) => /^[=+\-@]/.test(a!))).toEqual([]);
      expect(body).not.toMatch(/(^|,)=cmd/m);

      const exported = (await search('action=audit.log.export&limit=1')).items[0]!;
      expect(exported).toMatchObject({ actorName: auditor.state.user.username, after: { format: 'csv', filters: {} } });
      // The export's own entry is in the file: it was recorded before the rows were read.
      expect(rows.some((r) => Number(r[0]) === exported.id)).toBe(true);
    });

    it('exports only what the filters select', async () => {
      const res = await auditor.request('GET', '/api/audit/export?format=csv&action=org.unit.create');
      const rows = parseCsv(res.body.slice(1)).slice(1);
      const expected = await search('action=org.unit.create&limit=500');
      expect(rows.map((r) => Number(r[0])).sort((a, b) => a - b)).toEqual(expected.items.map((e) => e.id).sort((a, b) => a - b));
      expect(rows.every((r) => r[4] === 'org.unit.create')).toBe(true);
    });

    it('exports XLSX that a spreadsheet opens, with the same rows, as text (never formulas)', async () => {
      const res = await t.app.inject({ method: 'GET', url: '/api/audit/export?format=xlsx', cookies: { yw_session: auditor.cookie } });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      expect(String(res.headers['content-disposition'])).toMatch(/filename="audit-\d{4}-\d{2}-\d{2}\.xlsx"/);
      const total = await countEntries(t);

      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.name).toBe('审计日志 Audit');
      expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(COLUMNS);
      expect(sheet.actualRowCount).toBe(total + 1);

      let chinese = false;
      let formulaLike = 0;
      sheet.eachRow((row, n) => {
        if (n === 1) {
          return;
        }
        expect(typeof row.getCell(1).value).toBe('number');
        if (String(row.getCell(10).value).includes('财务部·会计科')) {
          chinese = true;
        }
        const actor = row.getCell(3);
        if (String(actor.value).startsWith('=')) {
          formulaLike++;
          expect(actor.type).toBe(ExcelJS.ValueType.String);
          expect(actor.formula).toBeUndefined();
        }
      });
      expect(chinese).toBe(true);
      expect(formulaLike).toBeGreaterThanOrEqual(1);
      expect((await search('action=audit.log.export&limit=1')).items[0]!.after).toMatchObject({ format: 'xlsx' });
    });

    it('verifies an untouched trail, and records the verification', async () => {
      const before = await countEntries(t);
      const res = await auditor.request('POST', '/api/audit/verify');
      expect(res.status).toBe(200);
      const result = res.json as AuditVerifyResult;
      expect(result).toMatchObject({ ok: true, checked: before, brokenAt: null, reason: null });
      expect(Math.abs(result.verifiedAt - Date.now())).toBeLessThan(60_000);
      const entry = (await search('action=audit.log.verify&limit=1')).items[0]!;
      expect(entry).toMatchObject({ outcome: 'success', actorName: auditor.state.user.username, after: { ok: true, checked: before } });
    });

    it('records a batch of entries in order under one lock, and the chain stays verifiable', async () => {
      const actor = systemActor('batch');
      await t.ctx.db.transaction().execute((trx) =>
        t.ctx.audit.recordMany(trx, ['一', '二', '三'].map((n) => ({ actor, action: 'test.batch.write', targetType: 'batch', targetId: n }))),
      );
      const batch = await t.ctx.db.selectFrom('audit_log').select(['id', 'target_id', 'prev_hash', 'hash']).where('action', '=', 'test.batch.write').orderBy('id').execute();
      expect(batch.map((r) => r.target_id)).toEqual(['一', '二', '三']);
      expect(batch[1]!.prev_hash).toBe(batch[0]!.hash);
      expect(batch[2]!.prev_hash).toBe(batch[1]!.hash);
      const head = await t.ctx.db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();
      expect(head).toMatchObject({ head_id: batch[2]!.id, head_hash: batch[2]!.hash });
      expect(((await auditor.request('POST', '/api/audit/verify')).json as AuditVerifyResult).ok).toBe(true);
    });
  });

  describe('tamper evidence', () => {
    /** A fresh app with a short trail: sign-in steps plus three org units. */
    async function trail(): Promise<{ t: TestApp; admin: TestSession; ids: number[] }> {
      const t = await createTestApp();
      const admin = await t.signIn(t.admin);
      for (const name of ['一', '二', '三']) {
        expect((await admin.request('POST', '/api/org-units', { name })).status).toBe(200);
      }
      const ids = (await t.ctx.db.selectFrom('audit_log').select('id').orderBy('id').execute()).map((r) => r.id);
      expect(ids.length).toBeGreaterThanOrEqual(6);
      return { t, admin, ids };
    }
    const verify = async (admin: TestSession): Promise<AuditVerifyResult> => {
      const res = await admin.request('POST', '/api/audit/verify');
      expect(res.status).toBe(200);
      return res.json;
    };

    it('names an altered entry, and is intact again once it is restored', async () => {
      const { t, admin, ids } = await trail();
      try {
        expect((await verify(admin)).ok).toBe(true);
        const n = ids[Math.floor(ids.length / 2)]!;
        const original = await t.ctx.db.selectFrom('audit_log').selectAll().where('id', '=', n).executeTakeFirstOrThrow();

        await t.exec(`update audit_log set actor_name = 'mallory' where id = ${n}`);
        const altered = await verify(admin);
        expect(altered).toMatchObject({ ok: false, brokenAt: n });
        expect(altered.reason).toMatch(/^hash/);
        // The failed verification is itself on record.
        const entry = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'audit.log.verify').orderBy('id', 'desc').limit(1).executeTakeFirstOrThrow();
        expect(entry.outcome).toBe('failure');
        expect(JSON.parse(entry.after)).toMatchObject({ ok: false, brokenAt: n });

        await t.exec(`update audit_log set actor_name = '${original.actor_name}' where id = ${n}`);
        expect((await verify(admin)).ok).toBe(true);

        // Rewriting an entry and recomputing its hash without the key is caught at the entry itself.
        const forged = { ...original, after: '{"forged":true}' };
        await t.ctx.db.updateTable('audit_log').set({ after: forged.after, hash: legacyEntryHash(forged) }).where('id', '=', n).execute();
        const relinked = await verify(admin);
        expect(relinked).toMatchObject({ ok: false, brokenAt: n });
        expect(relinked.reason).toMatch(/^hash/);
        await t.ctx.db.updateTable('audit_log').set({ after: original.after, hash: original.hash }).where('id', '=', n).execute();
        expect((await verify(admin)).ok).toBe(true);
      } finally {
        await t.close();
      }
    });

    it('names the entry after a deleted one', async () => {
      const { t, admin, ids } = await trail();
      try {
        const n = ids[2]!;
        await t.exec(`delete from audit_log where id = ${n}`);
        const result = await verify(admin);
        expect(result).toMatchObject({ ok: false, brokenAt: ids[3] });
        expect(result.reason).toMatch(/^link/);
      } finally {
        await t.close();
      }
    });

    it('reports entries deleted at the end of the trail (the head)', async () => {
      const { t, admin, ids } = await trail();
      try {
        const last = ids[ids.length - 1]!;
        await t.exec(`delete from audit_log where id = ${last}`);
        const result = await verify(admin);
        expect(result).toMatchObject({ ok: false, brokenAt: last });
        expect(result.reason).toMatch(/^head/);
      } finally {
        await t.close();
      }
    });

    // Two CLI processes, each compiling the server on start: slow on a loaded machine, hence the timeout.
    it.runIf(testDialect() === 'sqlite')('`yunwei audit verify` exits 0 on an intact trail and 1 naming the entry after tampering', { timeout: 180_000 }, async () => {
      const { t, ids } = await trail();
      try {
        const { databaseUrl, dataDir } = t.ctx.config;
        const intact = await cliVerify(databaseUrl, dataDir);
        expect(intact.stderr).toBe('');
        expect(intact.code).toBe(0);
        expect(intact.stdout).toMatch(new RegExp(`audit trail intact: ${ids.length} entries checked`));

        const n = ids[1]!;
        await t.exec(`update audit_log set ip = '10.6.6.6' where id = ${n}`);
        const broken = await cliVerify(databaseUrl, dataDir);
        expect(broken.code).toBe(1);
        expect(broken.stderr).toContain(`#${n}`);
        expect(broken.stderr).toMatch(/BROKEN/);
      } finally {
        await t.close();
      }
    });
  });

  describe('retention', () => {
    let t: TestApp;
    let security: TestSession;
    beforeAll(async () => {
      t = await createTestApp();
      security = await t.signIn(await t.newUser({ roles: ['security_admin'] }));
    });
    afterAll(() => t?.close());

    it('refuses a retention under 180 days, naming the field', async () => {
      for (const days of [30, 179]) {
        const res = await security.request('PATCH', '/api/security-policy', { auditRetentionDays: days });
        expect(res.status).toBe(400);
        expect(['YW_VALIDATION', 'YW_AUDIT_RETENTION_TOO_SHORT']).toContain(res.json.code);
        expect(res.json.details.field).toBe('body.auditRetentionDays');
      }
      // The service refuses it too (for callers that bypass the HTTP schema).
      await expect(new PolicyService(t.ctx).update(systemActor('test'), { auditRetentionDays: 30 })).rejects.toMatchObject({
        code: 'YW_AUDIT_RETENTION_TOO_SHORT',
        details: { field: 'body.auditRetentionDays' },
      });
      expect((await security.request('GET', '/api/security-policy')).json.auditRetentionDays).toBe(180);
    });

    it('purges entries older than the retention, moves the anchor, stays verifiable, and audits the purge', async () => {
      const admin = await t.signIn(t.admin);
      await admin.request('POST', '/api/org-units', { name: '旧机构' });
      await sleep(5);
      const cutoff = Date.now();
      await sleep(5);
      await admin.request('POST', '/api/org-units', { name: '新机构' });
      const old = await t.ctx.db.selectFrom('audit_log').select(['id', 'hash', 'ts']).where('ts', '<', cutoff).orderBy('id').execute();
      const kept = await t.ctx.db.selectFrom('audit_log').select('id').where('ts', '>=', cutoff).execute();
      expect(old.length).toBeGreaterThan(0);
      expect(kept.length).toBeGreaterThan(0);

      const audit = new AuditService(t.ctx);
      // 180 days after the oldest entry nothing has expired yet; 180 days after the cut-off, all before it has.
      expect(await audit.purgeExpired(Math.min(...old.map((r) => r.ts)) + 180 * DAY)).toBe(0);
      expect(await audit.purgeExpired(cutoff + 180 * DAY)).toBe(old.length);

      const remaining = await t.ctx.db.selectFrom('audit_log').select(['id', 'ts']).orderBy('id').execute();
      expect(remaining.every((r) => r.ts >= cutoff)).toBe(true);
      expect(remaining.map((r) => r.id)).toEqual(expect.arrayContaining(kept.map((r) => r.id)));
      const chain = await t.ctx.db.selectFrom('audit_chain').selectAll().executeTakeFirstOrThrow();
      const lastOld = old[old.length - 1]!;
      expect(chain).toMatchObject({ anchor_id: lastOld.id, anchor_hash: lastOld.hash });

      const purge = await t.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'audit.log.purge').executeTakeFirstOrThrow();
      expect(purge).toMatchObject({ actor_name: 'retention', actor_id: null, outcome: 'success' });
      expect(JSON.parse(purge.after)).toEqual({ deleted: old.length, upToId: lastOld.id, retentionDays: 180 });

      const verified = (await security.request('POST', '/api/audit/verify')).json as AuditVerifyResult;
      expect(verified).toMatchObject({ ok: true, checked: remaining.length });
      // Deleting the first entry after the anchor is still caught.
      await t.exec(`delete from audit_log where id = ${remaining[0]!.id}`);
      expect((await security.request('POST', '/api/audit/verify')).json).toMatchObject({ ok: false, brokenAt: remaining[1]!.id });
    });
  });

  describe('retention policy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp();
    });
    afterAll(() => t?.close());

    it('keeps entries for a longer configured retention, and never for less than 180 days', async () => {
      const security = await t.signIn(await t.newUser({ roles: ['security_admin'] }));
      expect((await security.request('PATCH', '/api/security-policy', { auditRetentionDays: 365 })).json.auditRetentionDays).toBe(365);
      const now = Date.now();
      const audit = new AuditService(t.ctx);
      expect(await audit.purgeExpired(now + 200 * DAY)).toBe(0);
      expect(await t.ctx.db.selectFrom('audit_log').select('id').where('action', '=', 'audit.log.purge').executeTakeFirst()).toBeUndefined();

      // A retention under the floor written straight into the database is still treated as 180 days.
      await t.ctx.db.updateTable('security_policy').set({ policy: toJson({ auditRetentionDays: 30 }) }).where('id', '=', 1).execute();
      // (a fresh database handle: the policy service caches per handle for two seconds)
      const fresh = new AuditService({ ...t.ctx, db: t.ctx.db.withoutPlugins() });
      expect(await fresh.purgeExpired(now + 100 * DAY)).toBe(0);
      expect(await fresh.purgeExpired(now + 181 * DAY)).toBeGreaterThan(0);
      const purge = await t.ctx.db.selectFrom('audit_log').select('after').where('action', '=', 'audit.log.purge').executeTakeFirstOrThrow();
      expect(JSON.parse(purge.after)).toMatchObject({ retentionDays: 180 });
    });

    it('runs the purge as the scheduled job', async () => {
      await t.jobs.enqueue('audit.retention-purge');
      expect(await t.jobs.drain()).toBe(1);
      const job = await t.ctx.db.selectFrom('job').selectAll().where('name', '=', 'audit.retention-purge').executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: 'done', attempts: 1, last_error: null });
    });
  });
});
