/**
 * Snappy block-format decompression (https://github.com/google/snappy/blob/main/format_description.txt),
 * as Prometheus remote-write uses it: a varint of the uncompressed length, then literals and copies.
 * Every length and offset is checked against the input and the declared output: a hostile body gets a
 * SnappyError, never an out-of-bounds read or an allocation beyond `maxLength`.
 */
export class SnappyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SnappyError';
  }
}

export function snappyUncompressedLength(input: Uint8Array): number {
  return readPreamble(input).length;
}

function readPreamble(input: Uint8Array): { length: number; pos: number } {
  let length = 0;
  let shift = 0;
  let pos = 0;
  for (;;) {
    if (pos >= input.length) {
      throw new SnappyError('truncated length preamble');
    }
    if (shift > 28) {
      throw new SnappyError('length preamble too long');
    }
    const b = input[pos++]!;
    length += (b & 0x7f) * 2 ** shift;
    if ((b & 0x80) === 0) {
      break;
    }
    shift += 7;
  }
  if (length > 0xffffffff) {
    throw new SnappyError('declared length exceeds 32 bits');
  }
  return { length, pos };
}

export function snappyDecompress(input: Uint8Array, maxLength = 64 * 1024 * 1024): Uint8Array {
  const { length, pos: start } = readPreamble(input);
  if (length > maxLength) {
    throw new SnappyError(`declared length ${length} exceeds the limit of ${maxLength} bytes`);
  }
  const out = new Uint8Array(length);
  let op = 0;
  let ip = start;
  const n = input.length;
  while (ip < n) {
    const tag = input[ip++]!;
    const type = tag & 3;
    if (type === 0) {
      // literal
      let len = tag >>> 2;
      if (len >= 60) {
        const bytes = len - 59;
        if (ip + bytes > n) {
          throw new SnappyError('truncated literal length');
        }
        len = 0;
        for (let i = 0; i < bytes; i++) {
          len += input[ip + i]! * 2 ** (8 * i);
        }
        ip += bytes;
      }
      len += 1;
      if (ip + len > n) {
        throw new SnappyError('literal runs past the end of the input');
      }
      if (op + len > length) {
        throw new SnappyError('literal runs past the declared length');
      }
      out.set(input.subarray(ip, ip + len), op);
      ip += len;
      op += len;
      continue;
    }
    let len: number;
    let offset: number;
    if (type === 1) {
      if (ip + 1 > n) {
        throw new SnappyError('truncated copy');
      }
      len = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[ip]!;
      ip += 1;
    } else if (type === 2) {
      if (ip + 2 > n) {
        throw new SnappyError('truncated copy');
      }
      len = (tag >>> 2) + 1;
      offset = input[ip]! | (input[ip + 1]! << 8);
      ip += 2;
    } else {
      if (ip + 4 > n) {
        throw new SnappyError('truncated copy');
      }
      len = (tag >>> 2) + 1;
      offset = (input[ip]! | (input[ip + 1]! << 8) | (input[ip + 2]! << 16)) + input[ip + 3]! * 0x1000000;
      ip += 4;
    }
    if (offset === 0 || offset > op) {
      throw new SnappyError(`copy offset ${offset} is outside the output so far (${op} bytes)`);
    }
    if (op + len > length) {
      throw new SnappyError('copy runs past the declared length');
    }
    // Overlapping copies (offset < len) repeat the last `offset` bytes: copy byte by byte then.
    if (offset >= len) {
      out.copyWithin(op, op - offset, op - offset + len);
      op += len;
    } else {
      for (let i = 0; i < len; i++, op++) {
        out[op] = out[op - offset]!;
      }
    }
  }
  if (op !== length) {
    throw new SnappyError(`decompressed ${op} bytes, ${length} declared`);
  }
  return out;
}

// ------------------------------------------------------------------ compression

/** Worst-case compressed size of `n` bytes (snappy's MaxCompressedLength). */
export function snappyMaxCompressedLength(n: number): number {
  return 32 + n + Math.floor(n / 6);
}

/** Input is compressed in fragments of this size, as the reference implementation does: offsets stay < 64 KiB. */
const FRAGMENT = 65_536;
const HASH_BITS = 16;

function emitLiteral(out: Uint8Array, op: number, input: Uint8Array, start: number, end: number): number {
  const m = end - start - 1;
  if (m < 60) {
    out[op++] = m << 2;
  } else if (m < 0x100) {
    out[op++] = 60 << 2;
    out[op++] = m;
  } else if (m < 0x10000) {
    out[op++] = 61 << 2;
    out[op++] = m & 0xff;
    out[op++] = m >>> 8;
  } else {
    out[op++] = 62 << 2;
    out[op++] = m & 0xff;
    out[op++] = (m >>> 8) & 0xff;
    out[op++] = m >>> 16;
  }
  out.set(input.subarray(start, end), op);
  return op + (end - start);
}

function emitCopy(out: Uint8Array, op: number, offset: number, len: number): number {
  // Pieces of 64 bytes (2-byte-offset copies), leaving at least 4 for the last piece.
  while (len >= 68) {
    out[op++] = 2 | (63 << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    len -= 64;
  }
  if (len > 64) {
    out[op++] = 2 | (59 << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
    len -= 60;
  }
  if (len <= 11 && offset < 2048) {
    out[op++] = 1 | ((len - 4) << 2) | ((offset >>> 8) << 5);
    out[op++] = offset & 0xff;
  } else {
    out[op++] = 2 | ((len - 1) << 2);
    out[op++] = offset & 0xff;
    out[op++] = offset >>> 8;
  }
  return op;
}

/**
 * Snappy block compression: a greedy match finder over 4-byte hashes, per 64 KiB fragment (what the
 * reference implementation emits, minus its skipping heuristics; matches of at most 64 bytes). The server only decompresses; this
 * is for the remote-write load generator (`bench/ingest.bench.ts`) and tests.
 */
export function snappyCompress(input: Uint8Array): Uint8Array {
  const out = new Uint8Array(snappyMaxCompressedLength(input.length));
  let op = 0;
  for (let n = input.length; ; ) {
    out[op++] = n >= 0x80 ? (n & 0x7f) | 0x80 : n;
    if (n < 0x80) {
      break;
    }
    n = Math.floor(n / 128);
  }
  const table = new Int32Array(1 << HASH_BITS);
  const load32 = (i: number) => (input[i]! | (input[i + 1]! << 8) | (input[i + 2]! << 16) | (input[i + 3]! << 24)) >>> 0;
  const hash = (v: number) => Math.imul(v, 0x1e35a7bd) >>> (32 - HASH_BITS);
  for (let base = 0; base < input.length; base += FRAGMENT) {
    const end = Math.min(base + FRAGMENT, input.length);
    table.fill(-1);
    let literal = base;
    let i = base;
    while (i + 4 <= end) {
      const v = load32(i);
      const h = hash(v);
      const candidate = table[h]!;
      table[h] = i;
      if (candidate >= 0 && load32(candidate) === v) {
        // Matches stop at 64 bytes (one copy tag): the next lookup then finds the most recent
        // occurrence, which in label-heavy protobuf usually matches further (about 20 % smaller output).
        let len = 4;
        while (i + len < end && input[candidate + len] === input[i + len] && len < 64) {
          len++;
        }
        if (literal < i) {
          op = emitLiteral(out, op, input, literal, i);
        }
        op = emitCopy(out, op, i - candidate, len);
        i += len;
        literal = i;
      } else {
        i++;
      }
    }
    if (literal < end) {
      op = emitLiteral(out, op, input, literal, end);
    }
  }
  return out.subarray(0, op);
}
