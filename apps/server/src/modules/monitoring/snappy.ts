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
