import { appendFileSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Sample } from './metrics/sample.ts';

export interface DiskBufferOptions {
  /** The most bytes kept on disk; beyond it the oldest samples are dropped (and counted). */
  maxBytes: number;
  /** A segment file is closed once it holds this many bytes (default: maxBytes / 8, at most 1 MiB). */
  segmentBytes?: number;
  onDrop?: (samples: number, totalDropped: number) => void;
}

export interface Segment {
  file: string;
  samples: Sample[];
}

const SUFFIX = '.jsonl';

function segmentName(seq: number): string {
  return `${String(seq).padStart(12, '0')}${SUFFIX}`;
}

function countSamples(text: string): number {
  let n = 0;
  for (const line of text.split('\n')) {
    if (line) {
      try {
        n += (JSON.parse(line) as Sample[]).length;
      } catch {
        // a torn last line (crash while writing): it holds nothing usable
      }
    }
  }
  return n;
}

/**
 * Samples waiting for the server, on disk, oldest first: numbered segment files of JSON lines (one
 * line per interval's batch). Appends go to the newest segment; the sender reads and deletes the
 * oldest. Bounded: when the total size passes `maxBytes`, the oldest segments go first (the newest
 * data is the most useful after a long outage) and the number of samples dropped is counted.
 * Survives restarts: the files are the state.
 */
export class DiskBuffer {
  readonly #dir: string;
  readonly #maxBytes: number;
  readonly #segmentBytes: number;
  readonly #onDrop: (samples: number, total: number) => void;
  /** Segment sequence numbers → sizes, oldest first. */
  #segments = new Map<number, number>();
  #dropped = 0;

  constructor(dir: string, options: DiskBufferOptions) {
    this.#dir = dir;
    this.#maxBytes = options.maxBytes;
    this.#segmentBytes = options.segmentBytes ?? Math.max(1024, Math.min(1024 * 1024, Math.floor(options.maxBytes / 8)));
    this.#onDrop = options.onDrop ?? (() => undefined);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const seqs = readdirSync(dir)
      .filter((f) => f.endsWith(SUFFIX))
      .map((f) => Number(f.slice(0, -SUFFIX.length)))
      .filter((n) => Number.isSafeInteger(n))
      .sort((a, b) => a - b);
    for (const seq of seqs) {
      this.#segments.set(seq, statSync(path.join(dir, segmentName(seq))).size);
    }
  }

  get empty(): boolean {
    return this.#segments.size === 0;
  }

  get bytes(): number {
    let n = 0;
    for (const size of this.#segments.values()) {
      n += size;
    }
    return n;
  }

  /** Samples dropped because the buffer was full, since this process started. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Appends one batch (kept in order behind everything already buffered). */
  append(samples: readonly Sample[]): void {
    if (samples.length === 0) {
      return;
    }
    const line = `${JSON.stringify(samples)}\n`;
    const seqs = [...this.#segments.keys()];
    let seq = seqs[seqs.length - 1];
    if (seq === undefined || this.#segments.get(seq)! + line.length > this.#segmentBytes) {
      seq = (seq ?? 0) + 1;
      this.#segments.set(seq, 0);
    }
    appendFileSync(path.join(this.#dir, segmentName(seq)), line, { mode: 0o600 });
    this.#segments.set(seq, this.#segments.get(seq)! + Buffer.byteLength(line));
    this.#enforceLimit();
  }

  /** The oldest segment's samples, in the order they were appended; null when empty. */
  oldest(): Segment | null {
    const seq = this.#segments.keys().next().value;
    if (seq === undefined) {
      return null;
    }
    const file = segmentName(seq);
    const samples: Sample[] = [];
    for (const line of readFileSync(path.join(this.#dir, file), 'utf8').split('\n')) {
      if (line) {
        try {
          samples.push(...(JSON.parse(line) as Sample[]));
        } catch {
          // torn line after a crash
        }
      }
    }
    return { file, samples };
  }

  /** Forgets a segment once the server has it. */
  remove(segment: Segment): void {
    const seq = Number(segment.file.slice(0, -SUFFIX.length));
    this.#segments.delete(seq);
    try {
      unlinkSync(path.join(this.#dir, segment.file));
    } catch {
      // already gone
    }
  }

  #enforceLimit(): void {
    let total = this.bytes;
    while (total > this.#maxBytes && this.#segments.size > 0) {
      const [seq, size] = this.#segments.entries().next().value as [number, number];
      const file = path.join(this.#dir, segmentName(seq));
      if (this.#segments.size === 1) {
        // One segment over the limit (a tiny limit): keep its newest lines that fit.
        const lines = readFileSync(file, 'utf8').split('\n').filter(Boolean);
        let keep = 0;
        let bytes = 0;
        for (let i = lines.length - 1; i >= 0 && bytes + Buffer.byteLength(lines[i]!) + 1 <= this.#maxBytes; i--) {
          bytes += Buffer.byteLength(lines[i]!) + 1;
          keep++;
        }
        const kept = lines.slice(lines.length - keep);
        const dropped = countSamples(lines.slice(0, lines.length - keep).join('\n'));
        writeFileSync(file, kept.length ? `${kept.join('\n')}\n` : '', { mode: 0o600 });
        this.#segments.set(seq, bytes);
        this.#drop(dropped);
        if (keep === 0) {
          this.remove({ file: segmentName(seq), samples: [] });
        }
        return;
      }
      const dropped = countSamples(readFileSync(file, 'utf8'));
      this.remove({ file: segmentName(seq), samples: [] });
      total -= size;
      this.#drop(dropped);
    }
  }

  #drop(samples: number): void {
    if (samples > 0) {
      this.#dropped += samples;
      this.#onDrop(samples, this.#dropped);
    }
  }
}
