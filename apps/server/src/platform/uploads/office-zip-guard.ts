import { createInflateRaw } from 'node:zlib';
import { AppError } from '../errors.js';

/**
 * Decompression-bomb guard for uploaded Office files (.xlsx, .docx: ZIP containers). Every upload
 * of such a file passes `assertSafeOfficeZip` before a library opens it: ExcelJS (through JSZip)
 * inflates every entry into memory at once — it cannot stream-read with a cap — so a 3 MB upload
 * whose worksheet inflates to 480 MiB costs gigabytes. The guard reads the ZIP central directory
 * itself and refuses archives whose stated sizes are too large or compress suspiciously well; then,
 * because the directory may lie, it inflates each entry into nothing (constant memory), stopping one
 * chunk past the size the directory states. JSZip finds each entry's data exactly as done here
 * (central directory size and local header offset), so what passes is what ExcelJS will inflate.
 */

export interface OfficeZipLimits {
  /** Sum of the entries' uncompressed sizes. */
  maxUncompressedBytes: number;
  /** Uncompressed : compressed, per entry, once the entry is larger than `ratioGraceBytes`. */
  maxRatio: number;
  /** Small entries (styles, content types) may compress extremely well: no ratio check below this. */
  ratioGraceBytes: number;
  maxEntries: number;
}

/**
 * ExcelJS holds about 15 bytes of heap per byte of sheet XML (measured: 36 MiB of XML, 5000 rows ×
 * 100 columns, took 510 MiB), so the cap bounds the memory of one import to about 0.5 GB. 5000 rows
 * of a 30-column class are 11 MiB; real workbooks compress 5–30:1. Callers with smaller sheets pass
 * a smaller cap.
 */
export const OFFICE_ZIP_LIMITS: Readonly<OfficeZipLimits> = Object.freeze({
  maxUncompressedBytes: 32 * 1024 * 1024,
  maxRatio: 100,
  ratioGraceBytes: 1024 * 1024,
  maxEntries: 5000,
});

export interface OfficeZipGuardOptions {
  limits?: Partial<OfficeZipLimits>;
  /** The caller's "cannot read this file" error (a malformed archive is not a bomb). */
  unreadable?: (reason: string) => AppError;
}

interface ZipEntry {
  name: string;
  flags: number;
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  localHeaderOffset: number;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const EOCD_SIZE = 22;
const MAX_COMMENT = 0xffff;
const STORED = 0;
const DEFLATED = 8;

const MiB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MiB`;

/** Throws YW_UPLOAD_ARCHIVE_TOO_LARGE (413, naming the limit) for a bomb, `unreadable` for a broken archive. */
export async function assertSafeOfficeZip(bytes: Buffer, options: OfficeZipGuardOptions = {}): Promise<void> {
  const limits = { ...OFFICE_ZIP_LIMITS, ...options.limits };
  const unreadable = options.unreadable ?? ((reason: string) => new AppError('YW_VALIDATION', { field: 'body', fields: [{ field: 'body', message: { zh: `无法读取文件（${reason}）`, en: reason } }] }));
  const entries = centralDirectory(bytes, limits.maxEntries, unreadable);

  let total = 0;
  for (const entry of entries) {
    total += entry.uncompressedSize;
    if (total > limits.maxUncompressedBytes) {
      throw tooLarge(limits, { reason: 'size', entry: entry.name, uncompressedBytes: total });
    }
    if (entry.uncompressedSize > limits.ratioGraceBytes && entry.uncompressedSize > entry.compressedSize * limits.maxRatio) {
      throw tooLarge(limits, { reason: 'ratio', entry: entry.name, ratio: Math.round(entry.uncompressedSize / Math.max(1, entry.compressedSize)) });
    }
  }
  // The directory may lie: inflate each entry (discarding the output) and stop one byte past what it states.
  for (const entry of entries) {
    const data = entryData(bytes, entry, unreadable);
    const actual = entry.method === STORED ? data.length : await inflatedLength(data, entry.uncompressedSize, unreadable);
    if (actual > entry.uncompressedSize) {
      throw tooLarge(limits, { reason: 'understated', entry: entry.name, statedBytes: entry.uncompressedSize });
    }
  }
}

function tooLarge(limits: OfficeZipLimits, found: { reason: 'size' | 'ratio' | 'understated'; entry: string; uncompressedBytes?: number; ratio?: number; statedBytes?: number }): AppError {
  const limit = MiB(limits.maxUncompressedBytes);
  const explanation =
    found.reason === 'ratio'
      ? { zh: `${found.entry} 的压缩比为 ${found.ratio}:1，超过 ${limits.maxRatio}:1 的上限`, en: `${found.entry} compresses ${found.ratio}:1, beyond the limit of ${limits.maxRatio}:1` }
      : found.reason === 'understated'
        ? { zh: `${found.entry} 解压后超过其声明的大小`, en: `${found.entry} inflates beyond the size its archive directory states` }
        : { zh: `解压后超过 ${limit} 的上限（到 ${found.entry} 为止已达 ${MiB(found.uncompressedBytes!)}）`, en: `more than the limit of ${limit} once decompressed (${MiB(found.uncompressedBytes!)} up to ${found.entry})` };
  return new AppError('YW_UPLOAD_ARCHIVE_TOO_LARGE', {
    field: 'body',
    explanation,
    limits: { maxUncompressedBytes: limits.maxUncompressedBytes, maxRatio: limits.maxRatio },
    ...found,
  });
}

/** The entries listed by the End Of Central Directory record. ZIP64 and encrypted entries are refused: no Office file of ours needs them. */
function centralDirectory(bytes: Buffer, maxEntries: number, unreadable: (reason: string) => AppError): ZipEntry[] {
  let eocd = -1;
  for (let at = bytes.length - EOCD_SIZE; at >= Math.max(0, bytes.length - EOCD_SIZE - MAX_COMMENT); at--) {
    if (bytes.readUInt32LE(at) === EOCD_SIGNATURE) {
      eocd = at;
      break;
    }
  }
  if (eocd < 0) {
    throw unreadable('not a ZIP archive (no central directory)');
  }
  const count = bytes.readUInt16LE(eocd + 10);
  const size = bytes.readUInt32LE(eocd + 12);
  const offset = bytes.readUInt32LE(eocd + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    throw unreadable('ZIP64 archives are not accepted');
  }
  if (count > maxEntries) {
    throw unreadable(`more than ${maxEntries} entries in the archive`);
  }
  if (offset + size > eocd) {
    throw unreadable('damaged ZIP central directory');
  }
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > offset + size || bytes.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw unreadable('damaged ZIP central directory');
    }
    const nameLength = bytes.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      flags: bytes.readUInt16LE(at + 8),
      method: bytes.readUInt16LE(at + 10),
      compressedSize: bytes.readUInt32LE(at + 20),
      uncompressedSize: bytes.readUInt32LE(at + 24),
      localHeaderOffset: bytes.readUInt32LE(at + 42),
      name: bytes.toString('utf8', at + 46, Math.min(at + 46 + nameLength, offset + size)).slice(0, 200),
    };
    if (entry.compressedSize === 0xffffffff || entry.uncompressedSize === 0xffffffff || entry.localHeaderOffset === 0xffffffff) {
      throw unreadable('ZIP64 archives are not accepted');
    }
    if (entry.flags & 0x1) {
      throw unreadable(`${entry.name} is encrypted`);
    }
    if (entry.method !== STORED && entry.method !== DEFLATED) {
      throw unreadable(`${entry.name} uses an unsupported compression method (${entry.method})`);
    }
    entries.push(entry);
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/** The compressed bytes of an entry, found through its local header. */
function entryData(bytes: Buffer, entry: ZipEntry, unreadable: (reason: string) => AppError): Buffer {
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_SIGNATURE) {
    throw unreadable(`damaged ZIP entry ${entry.name}`);
  }
  const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
  if (start + entry.compressedSize > bytes.length) {
    throw unreadable(`truncated ZIP entry ${entry.name}`);
  }
  return bytes.subarray(start, start + entry.compressedSize);
}

/** Inflates into nothing, counting; stops as soon as the count passes `stopAfter` (so at most that much work). */
async function inflatedLength(data: Buffer, stopAfter: number, unreadable: (reason: string) => AppError): Promise<number> {
  const inflate = createInflateRaw();
  inflate.end(data);
  let length = 0;
  try {
    for await (const chunk of inflate) {
      length += (chunk as Buffer).length;
      if (length > stopAfter) {
        break;
      }
    }
  } catch (error) {
    throw unreadable(`damaged compressed data (${(error as Error).message})`);
  } finally {
    inflate.destroy();
  }
  return length;
}
