import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { AppError } from '../errors.js';
import { makeXlsxBomb } from './office-bomb.testing.js';
import { assertSafeOfficeZip } from './office-zip-guard.js';

const MiB = 1024 * 1024;

async function refusal(bytes: Buffer, limits?: Parameters<typeof assertSafeOfficeZip>[1]): Promise<AppError> {
  const error = await assertSafeOfficeZip(bytes, limits).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('Office ZIP guard', () => {
  it('#10.11 the test bomb is a real archive: JSZip checks its CRC and inflates it to the stated size', async () => {
    const bomb = await makeXlsxBomb({ inflatedBytes: 8 * MiB });
    const zip = await JSZip.loadAsync(bomb.bytes, { checkCRC32: true });
    const sheet = await zip.file(bomb.sheetEntry)!.async('nodebuffer');
    expect(sheet.length).toBe(bomb.inflatedBytes);
    expect(sheet.subarray(sheet.length - 24).toString()).toBe('</sheetData></worksheet>');
    // Beyond 200:1 (the bomb of the report was 165:1).
    expect(bomb.bytes.length).toBeLessThan((8 * MiB) / 200);
  });

  it('#10.11 refuses a bomb from its central directory, before inflating anything', async () => {
    const bomb = await makeXlsxBomb({ inflatedBytes: 480 * MiB });
    // Small enough for both import routes' body limits (CMDB 10 MiB, calendar 2 MiB).
    expect(bomb.bytes.length).toBeLessThan(2 * MiB);
    const error = await refusal(bomb.bytes);
    expect(error.code).toBe('YW_UPLOAD_ARCHIVE_TOO_LARGE');
    expect(error.status).toBe(413);
    expect(error.details).toMatchObject({ field: 'body', reason: 'size', entry: bomb.sheetEntry, limits: { maxUncompressedBytes: 32 * MiB, maxRatio: 100 } });
  });

  it('#10.11 refuses an entry that compresses suspiciously well even when its size is allowed', async () => {
    const bomb = await makeXlsxBomb({ inflatedBytes: 20 * MiB });
    const error = await refusal(bomb.bytes);
    expect(error.details).toMatchObject({ reason: 'ratio', entry: bomb.sheetEntry });
    expect(Number(error.details!.ratio)).toBeGreaterThan(100);
  });

  it('#10.11 does not trust a forged directory: inflating stops just past the stated size', async () => {
    const bomb = await makeXlsxBomb({ inflatedBytes: 480 * MiB, statedBytes: 512 * 1024 });
    const before = process.memoryUsage().rss;
    const error = await refusal(bomb.bytes);
    expect(error.details).toMatchObject({ reason: 'understated', entry: bomb.sheetEntry, statedBytes: 512 * 1024 });
    // Inflated into nothing: the process did not grow by anything near the 480 MiB.
    expect(process.memoryUsage().rss - before).toBeLessThan(64 * MiB);
  });

  it('#10.11 lets ordinary workbooks through and calls a broken archive unreadable, not a bomb', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('导入数据');
    for (let r = 0; r < 5000; r++) {
      sheet.addRow([`server-${r}`, 'active', `10.0.${r >> 8}.${r & 255}`, `host-${r}.example.cn`, '张三']);
    }
    await expect(assertSafeOfficeZip(Buffer.from(await workbook.xlsx.writeBuffer()))).resolves.toBeUndefined();

    const unreadable = (reason: string) => new AppError('YW_CMDB_IMPORT_UNREADABLE', { field: 'body', reason });
    const notZip = await refusal(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), { unreadable });
    expect(notZip.code).toBe('YW_CMDB_IMPORT_UNREADABLE');
    const bomb = await makeXlsxBomb({ inflatedBytes: MiB });
    const truncated = await refusal(bomb.bytes.subarray(0, bomb.bytes.length - 30), { unreadable });
    expect(truncated.code).toBe('YW_CMDB_IMPORT_UNREADABLE');
    // A caller's smaller cap (the calendar's) applies.
    expect((await refusal(bomb.bytes, { limits: { maxUncompressedBytes: 512 * 1024 } })).details).toMatchObject({ reason: 'size' });
  });
});
