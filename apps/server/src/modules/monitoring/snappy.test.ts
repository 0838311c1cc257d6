import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { snappyCompress } from './monitoring.testing.js';
import { snappyDecompress, SnappyError, snappyUncompressedLength } from './snappy.js';

const bytes = (...xs: number[]) => Uint8Array.from(xs);
const text = (s: string) => new TextEncoder().encode(s);

describe('snappy block decompression', () => {
  it('decodes hand-made blocks: literals, 1-, 2- and 4-byte-offset copies, overlapping copies', () => {
    // "abcd" then copy offset 4 len 4 (1-byte offset) → "abcdabcd"
    expect(Buffer.from(snappyDecompress(bytes(8, 3 << 2, 97, 98, 99, 100, 1 | (0 << 2), 4))).toString()).toBe('abcdabcd');
    // "a" then copy offset 1 len 9 (2-byte offset, overlapping): a run of ten a's
    expect(Buffer.from(snappyDecompress(bytes(10, 0, 97, 2 | (8 << 2), 1, 0))).toString()).toBe('a'.repeat(10));
    // "xy" then copy offset 2 len 6 with a 4-byte offset
    expect(Buffer.from(snappyDecompress(bytes(8, 1 << 2, 120, 121, 3 | (5 << 2), 2, 0, 0, 0))).toString()).toBe('xyxyxyxy');
    // a literal with a 1-byte length (60): 100 bytes
    const long = Buffer.alloc(100, 7);
    expect(Buffer.from(snappyDecompress(bytes(100, 60 << 2, 99, ...long)))).toEqual(long);
    // empty input
    expect(snappyDecompress(bytes(0))).toEqual(new Uint8Array(0));
  });

  it('round-trips what an independent compressor produces (text, repetitive, random, large)', () => {
    const inputs = [
      text('node_cpu_seconds_total{cpu="0",mode="idle"} 12345.67\n'.repeat(500)),
      text('运维 监控 指标 '.repeat(1000)),
      new Uint8Array(randomBytes(10_000)),
      new Uint8Array(200_000).map((_, i) => (i * 7) % 13),
      text('a'),
      text('abc'),
    ];
    for (const input of inputs) {
      for (const copies of [true, false]) {
        const compressed = snappyCompress(input, { copies });
        expect(snappyUncompressedLength(compressed)).toBe(input.length);
        expect(Buffer.from(snappyDecompress(compressed)).equals(Buffer.from(input))).toBe(true);
      }
    }
  });

  it('refuses malformed blocks with a SnappyError, never reading out of bounds', () => {
    const bad: [string, Uint8Array][] = [
      ['no preamble', bytes()],
      ['unterminated preamble', bytes(0x80, 0x80)],
      ['literal past the end', bytes(5, 4 << 2, 97)],
      ['copy before any output', bytes(4, 1, 1)],
      ['copy offset beyond the output', bytes(8, 0, 97, 1 | (3 << 2), 5)],
      ['zero offset', bytes(5, 0, 97, 2 | (3 << 2), 0, 0)],
      ['output shorter than declared', bytes(10, 0, 97)],
      ['output longer than declared', bytes(1, 1 << 2, 97, 98)],
      ['truncated copy', bytes(8, 0, 97, 2)],
      ['truncated literal length', bytes(100, 61 << 2, 1)],
    ];
    for (const [what, input] of bad) {
      expect(() => snappyDecompress(input), what).toThrow(SnappyError);
    }
  });

  it('refuses a declared length beyond the limit before allocating it', () => {
    // Declares 4 GiB - 1 in five bytes.
    expect(() => snappyDecompress(bytes(0xff, 0xff, 0xff, 0xff, 0x0f, 0), 1024)).toThrow(/exceeds the limit/);
  });

  it('survives random garbage: only SnappyErrors or a result, never another exception', () => {
    for (let i = 0; i < 2000; i++) {
      const input = new Uint8Array(randomBytes(1 + (i % 64)));
      try {
        snappyDecompress(input, 1 << 20);
      } catch (error) {
        expect(error).toBeInstanceOf(SnappyError);
      }
    }
  });
});
