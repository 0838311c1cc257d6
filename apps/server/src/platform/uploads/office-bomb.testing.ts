import { constants, crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';

/**
 * Test-only: builds a real .xlsx decompression bomb in milliseconds and constant memory, so that no
 * binary is checked in. The worksheet is a deflate stream of one compressed block of rows repeated
 * many times: each copy comes from a fresh compressor flushed to a byte boundary, so its
 * back-references stay inside the copy and the concatenation is a valid stream that inflates to the
 * rows repeated. The other parts make an ordinary workbook and the CRC is right: JSZip — what
 * ExcelJS uses — reads it with `checkCRC32` and would inflate all of it (the unit test checks so).
 */

export interface BombOptions {
  /** Size the worksheet inflates to (rounded up to whole blocks of rows). */
  inflatedBytes: number;
  /**
   * What the archive states as the worksheet's uncompressed size (central directory and local
   * header); default the truth. A smaller value is the forged-directory attack.
   */
  statedBytes?: number;
}

export interface Bomb {
  bytes: Buffer;
  /** What the worksheet really inflates to. */
  inflatedBytes: number;
  sheetEntry: string;
}

const SHEET = 'xl/worksheets/sheet1.xml';
const SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_TAIL = '</sheetData></worksheet>';
const ROW = '<row><c t="inlineStr"><is><t>炸弹 bomb</t></is></c><c t="inlineStr"><is><t>127.0.0.1</t></is></c></row>';
const ROWS_PER_BLOCK = 16_384;

const PARTS: Record<string, string> = {
  '[Content_Types].xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
  '_rels/.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
  'xl/workbook.xml':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="导入数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
  'xl/_rels/workbook.xml.rels':
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
};

interface Entry {
  name: Buffer;
  crc: number;
  compressed: Buffer;
  stated: number;
}

export async function makeXlsxBomb(options: BombOptions): Promise<Bomb> {
  const block = Buffer.from(ROW.repeat(ROWS_PER_BLOCK));
  const head = Buffer.from(SHEET_HEAD);
  const tail = Buffer.from(SHEET_TAIL);
  const copies = Math.max(1, Math.ceil((options.inflatedBytes - head.length - tail.length) / block.length));
  const inflatedBytes = head.length + copies * block.length + tail.length;
  const compressedBlock = await deflateFlushed(block);
  let crc = crc32(head);
  for (let i = 0; i < copies; i++) {
    crc = crc32(block, crc);
  }
  crc = crc32(tail, crc);
  const sheet = Buffer.concat([await deflateFlushed(head), ...Array<Buffer>(copies).fill(compressedBlock), deflateRawSync(tail)]);

  const entries: Entry[] = Object.entries(PARTS).map(([name, text]) => {
    const data = Buffer.from(text);
    return { name: Buffer.from(name), crc: crc32(data), compressed: deflateRawSync(data), stated: data.length };
  });
  entries.push({ name: Buffer.from(SHEET), crc, compressed: sheet, stated: options.statedBytes ?? inflatedBytes });
  return { bytes: zipOf(entries), inflatedBytes, sheetEntry: SHEET };
}

/** Raw deflate of `data` by a fresh compressor, ended with a full flush instead of a final block. */
function deflateFlushed(data: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const deflate = createDeflateRaw({ level: 9 });
    const chunks: Buffer[] = [];
    deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
    deflate.on('error', reject);
    deflate.write(data);
    deflate.flush(constants.Z_FULL_FLUSH, () => {
      resolve(Buffer.concat(chunks));
      deflate.close();
    });
  });
}

/** A plain ZIP (no ZIP64, no data descriptors), every entry deflated. */
function zipOf(entries: Entry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8); // deflated
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.compressed.length, 18);
    local.writeUInt32LE(e.stated, 22);
    local.writeUInt16LE(e.name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4); // version made by
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(e.crc >>> 0, 16);
    central.writeUInt32LE(e.compressed.length, 20);
    central.writeUInt32LE(e.stated, 24);
    central.writeUInt16LE(e.name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, e.name, e.compressed);
    centrals.push(central, e.name);
    offset += local.length + e.name.length + e.compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
