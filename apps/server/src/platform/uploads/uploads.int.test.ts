import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CiClass } from '@yunwei/contracts/cmdb';
import type { CalendarYear } from '@yunwei/contracts/oncall';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';
import { fileImports } from './import-queue.js';
import { type Bomb, makeXlsxBomb } from './office-bomb.testing.js';

const MiB = 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The largest resident size seen while `work` runs (sampled every few milliseconds). */
async function peakRss<T>(work: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  try {
    const result = await work();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, growth: peak - baseline };
  } finally {
    clearInterval(sampler);
  }
}

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

describe.skipIf(!databaseAvailable())('zip-based uploads: bomb guard and import queue', () => {
  let t: TestApp;
  let admin: TestSession;
  let classId: string;
  let honest: Bomb;
  let forged: Bomb;
  beforeAll(async () => {
    t = await createTestApp();
    admin = await t.signIn(t.admin);
    classId = ((await admin.request('GET', '/api/cmdb/classes')).json as CiClass[]).find((c) => c.code === 'server')!.id;
    // 480 MiB of sheet XML in under 2 MiB, as in the report; the forged one's directory claims 512 KiB.
    honest = await makeXlsxBomb({ inflatedBytes: 480 * MiB });
    forged = await makeXlsxBomb({ inflatedBytes: 480 * MiB, statedBytes: 512 * 1024 });
  });
  afterAll(() => t?.close());

  const cmdbImport = (body: Buffer | string, type = XLSX) => admin.request('POST', `/api/cmdb/import?classId=${classId}&filename=bomb.xlsx`, body, { 'content-type': type });
  const calendarImport = (body: Buffer | string, type = XLSX) => admin.request('POST', '/api/oncall/calendar/2026/import', body, { 'content-type': type });
  const ciCount = async () => Number((await t.ctx.db.selectFrom('cmdb_ci').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('#10.11 the CMDB and calendar imports refuse a decompression bomb with 413, trusting neither the directory nor the stream', async () => {
    const cisBefore = await ciCount();
    const { result, growth } = await peakRss(async () => ({
      cmdb: await cmdbImport(honest.bytes),
      calendar: await calendarImport(honest.bytes),
      cmdbForged: await cmdbImport(forged.bytes),
      calendarForged: await calendarImport(forged.bytes),
    }));
    for (const res of Object.values(result)) {
      expect(res.status, res.body).toBe(413);
      expect(res.json).toMatchObject({ code: 'YW_UPLOAD_ARCHIVE_TOO_LARGE', details: { field: 'body', entry: 'xl/worksheets/sheet1.xml' } });
    }
    // Refused from the central directory (nothing inflated), or one chunk past the forged size.
    expect(result.cmdb.json.details).toMatchObject({ reason: 'size', limits: { maxUncompressedBytes: 32 * MiB } });
    expect(result.calendar.json.details).toMatchObject({ reason: 'size', limits: { maxUncompressedBytes: 4 * MiB } });
    expect(result.cmdbForged.json.details).toMatchObject({ reason: 'understated', statedBytes: 512 * 1024 });
    expect(result.calendarForged.json.details).toMatchObject({ reason: 'understated' });
    expect(result.cmdb.json.message).toMatch(/decompression bomb.*32 MiB/);
    // Loading any of them would have taken gigabytes (ExcelJS: ~15 bytes per byte of XML).
    expect(growth).toBeLessThan(128 * MiB);
    expect(await ciCount()).toBe(cisBefore);
    expect(((await admin.request('GET', '/api/oncall/calendar/2026')).json as CalendarYear).days.some((d) => d.source === 'user')).toBe(false);
  });

  it('#10.11 six bombs at once: at most two imports run, memory stays bounded, every one is refused', async () => {
    fileImports.resetPeak();
    const { result, growth } = await peakRss(() =>
      Promise.all([cmdbImport(honest.bytes), calendarImport(forged.bytes), cmdbImport(forged.bytes), calendarImport(honest.bytes), cmdbImport(forged.bytes), calendarImport(forged.bytes)]),
    );
    expect(result.map((r) => r.status)).toEqual([413, 413, 413, 413, 413, 413]);
    expect(fileImports.peak).toBeLessThanOrEqual(2);
    expect(growth).toBeLessThan(128 * MiB);
    expect([fileImports.running, fileImports.waiting]).toEqual([0, 0]);
  });

  it('#10.11 imports queue behind running ones; a full queue answers 503 YW_UPLOAD_BUSY with Retry-After and imports nothing', async () => {
    const csv = (name: string) => `名称,状态\n${name},active\n`;
    const hold = gate();
    // Two imports running (the slots), then one upload that has to wait for a slot.
    const running = [fileImports.run(() => hold.opened), fileImports.run(() => hold.opened)];
    const queued = cmdbImport(csv('queued-01'), 'text/csv');
    await expect.poll(() => fileImports.waiting).toBe(1);
    expect(await t.ctx.db.selectFrom('cmdb_ci').select('id').where('name', '=', 'queued-01').executeTakeFirst()).toBeUndefined();

    // Fill the waiting line: the next upload is refused before its body is read.
    const waiting = Array.from({ length: fileImports.maxWaiting - 1 }, () => fileImports.run(() => hold.opened));
    expect(fileImports.full).toBe(true);
    const busy = await cmdbImport(csv('refused-01'), 'text/csv');
    expect(busy.status).toBe(503);
    expect(busy.json).toMatchObject({ code: 'YW_UPLOAD_BUSY', details: { retryAfterSeconds: 5 } });
    expect(busy.headers['retry-after']).toBe('5');
    const busyCalendar = await calendarImport(honest.bytes);
    expect([busyCalendar.status, busyCalendar.json.code, busyCalendar.headers['retry-after']]).toEqual([503, 'YW_UPLOAD_BUSY', '5']);

    hold.open();
    await Promise.all([...running, ...waiting]);
    const done = await queued;
    expect(done.status, done.body).toBe(200);
    expect(done.json).toMatchObject({ imported: 1, failed: 0 });
    expect(await t.ctx.db.selectFrom('cmdb_ci').select('id').where('name', '=', 'refused-01').executeTakeFirst()).toBeUndefined();
    // Free again: the refused upload goes through when sent again.
    expect((await cmdbImport(csv('refused-01'), 'text/csv')).json).toMatchObject({ imported: 1 });
  });
});
