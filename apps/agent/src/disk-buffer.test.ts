import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DiskBuffer } from './disk-buffer.ts';
import type { Sample } from './metrics/sample.ts';

const batch = (ts: number, n = 10): Sample[] => Array.from({ length: n }, (_, i) => ({ metric: 'host_load1', labels: { i: String(i) }, ts, value: i }));

describe('disk buffer', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(path.join(os.tmpdir(), 'yw-buffer-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('gives batches back oldest first, across segments and across a restart', () => {
    const dir = tmp();
    const a = new DiskBuffer(dir, { maxBytes: 1_000_000, segmentBytes: 2_000 });
    for (let ts = 1; ts <= 20; ts++) {
      a.append(batch(ts));
    }
    expect(readdirSync(dir).length).toBeGreaterThan(3);
    const b = new DiskBuffer(dir, { maxBytes: 1_000_000, segmentBytes: 2_000 }); // the agent restarted
    const seen: number[] = [];
    for (let s = b.oldest(); s; s = b.oldest()) {
      seen.push(...new Set(s.samples.map((x) => x.ts)));
      b.remove(s);
    }
    expect(seen).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(b.empty).toBe(true);
  });

  it('is bounded: the oldest samples go first when full, and the drop is counted', () => {
    const drops: number[] = [];
    const buffer = new DiskBuffer(tmp(), { maxBytes: 5_000, segmentBytes: 1_000, onDrop: (n) => drops.push(n) });
    for (let ts = 1; ts <= 50; ts++) {
      buffer.append(batch(ts));
    }
    expect(buffer.bytes).toBeLessThanOrEqual(5_000);
    expect(buffer.dropped).toBeGreaterThan(0);
    expect(drops.reduce((a, b) => a + b, 0)).toBe(buffer.dropped);
    const kept: number[] = [];
    for (let s = buffer.oldest(); s; s = buffer.oldest()) {
      kept.push(...new Set(s.samples.map((x) => x.ts)));
      buffer.remove(s);
    }
    // What is left is the newest, contiguous, in order; kept + dropped = everything.
    expect(kept[kept.length - 1]).toBe(50);
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => 51 - kept.length + i));
    expect(kept.length * 10 + buffer.dropped).toBe(500);
  });

  it('keeps the newest lines of a single segment larger than the limit', () => {
    const buffer = new DiskBuffer(tmp(), { maxBytes: 2_500, segmentBytes: 100_000 });
    for (let ts = 1; ts <= 10; ts++) {
      buffer.append(batch(ts));
    }
    const s = buffer.oldest()!;
    expect(s.samples[s.samples.length - 1]!.ts).toBe(10);
    expect(buffer.bytes).toBeLessThanOrEqual(2_500);
    expect(new Set(s.samples.map((x) => x.ts)).size * 10 + buffer.dropped).toBe(100);
  });
});
