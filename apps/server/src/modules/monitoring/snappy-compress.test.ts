import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { snappyCompress as referenceCompress } from './monitoring.testing.js';
import { snappyCompress, snappyDecompress, snappyMaxCompressedLength, snappyUncompressedLength } from './snappy.js';

const text = (s: string) => new TextEncoder().encode(s);

describe('snappy block compression (load generator and tests)', () => {
  const inputs: [string, Uint8Array][] = [
    ['empty', new Uint8Array(0)],
    ['one byte', text('a')],
    ['three bytes', text('abc')],
    ['a long run (overlapping copies, lengths > 64)', new Uint8Array(5000).fill(42)],
    ['exposition text', text('node_cpu_seconds_total{cpu="0",mode="idle"} 12345.67\n'.repeat(2000))],
    ['UTF-8 text', text('运维 监控 指标 '.repeat(1000))],
    ['random (incompressible, > 64 KiB literal runs)', new Uint8Array(randomBytes(200_000))],
    ['periodic, several 64 KiB fragments', new Uint8Array(300_000).map((_, i) => (i * 7) % 13)],
    ['a fragment boundary inside a match', new Uint8Array(65_536 * 2 + 17).map((_, i) => (i % 100 < 50 ? 1 : i & 0xff))],
  ];

  it('round-trips through the decoder the server uses', () => {
    for (const [what, input] of inputs) {
      const compressed = snappyCompress(input);
      expect(snappyUncompressedLength(compressed), what).toBe(input.length);
      expect(Buffer.from(snappyDecompress(compressed)).equals(Buffer.from(input)), what).toBe(true);
      expect(compressed.length, what).toBeLessThanOrEqual(snappyMaxCompressedLength(input.length));
    }
  });

  it('round-trips random mixtures of repeated and random runs', () => {
    for (let round = 0; round < 200; round++) {
      const parts: Uint8Array[] = [];
      const seen: Uint8Array[] = [];
      for (let p = 0; p < 1 + (round % 20); p++) {
        const reuse = seen.length > 0 && (round + p) % 3 === 0;
        const part = reuse ? seen[(round * 31 + p) % seen.length]! : new Uint8Array(randomBytes(1 + ((round * 97 + p * 13) % 300)));
        parts.push(part);
        seen.push(part);
      }
      const input = Buffer.concat(parts);
      expect(Buffer.from(snappyDecompress(snappyCompress(input))).equals(input)).toBe(true);
    }
  });

  it('compresses repetitive data (remote-write label sets) to a fraction, unlike a literal-only block', () => {
    const labels = text(Array.from({ length: 500 }, (_, i) => `__name__node_network_receive_bytes_total device eth${i % 4} instance host-${i}:9100 job node`).join(''));
    const compressed = snappyCompress(labels);
    expect(compressed.length).toBeLessThan(labels.length / 3);
    // About as good as the test suite's independent compressor (an exact map of every 4-byte key; ours is a 64 Ki-entry hash table).
    expect(compressed.length).toBeLessThanOrEqual(referenceCompress(labels).length * 1.1);
  });
});
