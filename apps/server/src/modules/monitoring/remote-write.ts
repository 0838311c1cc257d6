import { snappyDecompress, SnappyError } from './snappy.js';

/**
 * A minimal decoder of Prometheus remote-write 1.0 (`prometheus.WriteRequest`, protobuf, snappy block
 * compression). Only what is stored is read:
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; repeated MetricMetadata metadata = 3; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; exemplars = 3; histograms = 4; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }   // timestamp: epoch ms
 *
 * Unknown fields are skipped as protobuf requires; exemplars, native histograms and metadata are skipped.
 */
export interface RemoteSeries {
  labels: [string, string][];
  samples: { ts: number; value: number }[];
  /** Native-histogram samples present (not stored). */
  histograms: number;
  /**
   * The raw bytes of the label fields (as a latin1 string), when decoding with `isKnown`: equal keys
   * mean equal labels. When `isKnown(labelKey)` said yes, `labels` is left empty (not decoded).
   */
  labelKey?: string;
}

/** Told each series' raw label bytes; true skips decoding its labels (the caller knows them). */
export type KnownLabels = (labelKey: string) => boolean;

export class RemoteWriteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RemoteWriteError';
  }
}

/**
 * A body larger than the receiver takes: more samples (or series) than `maxSamples`. Thrown before
 * anything is decoded (a small body can expand to megabytes of valid protobuf).
 */
export class RemoteWriteTooLargeError extends RemoteWriteError {
  constructor(
    message: string,
    readonly limit: { samples: number },
  ) {
    super(message);
    this.name = 'RemoteWriteTooLargeError';
  }
}

/** The most a body may decompress to (Prometheus sends batches of some KiB to a few MiB). */
export const MAX_UNCOMPRESSED = 32 * 1024 * 1024;
/** The most samples (and the most series) one request may carry: ingestion's queue holds no more (IngestOptions.maxPending). */
export const MAX_SAMPLES = 500_000;

export function decodeRemoteWrite(body: Uint8Array, maxLength = MAX_UNCOMPRESSED, isKnown?: KnownLabels, maxSamples = MAX_SAMPLES): RemoteSeries[] {
  let raw: Uint8Array;
  // snappyDecompress refuses a declared length over maxLength before allocating (400: random bytes look like that too).
  try {
    raw = snappyDecompress(body, maxLength);
  } catch (error) {
    if (error instanceof SnappyError) {
      throw new RemoteWriteError(`snappy: ${error.message}`);
    }
    throw error;
  }
  return decodeWriteRequest(raw, isKnown, maxSamples);
}

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

class Reader {
  pos = 0;
  /** The end of the message being read (nested messages narrow it, then restore it). */
  end: number;
  private readonly view: DataView;
  private readonly buf: Buffer;

  /** Samples read so far, and how many may be. */
  samples = 0;

  constructor(
    readonly bytes: Uint8Array,
    private readonly maxSamples = Infinity,
  ) {
    this.end = bytes.length;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Reads the length-delimited message starting here with `read`, then continues after it. */
  message<T>(read: (r: Reader) => T): T {
    const end = this.lengthEnd();
    const outer = this.end;
    this.end = end;
    const value = read(this);
    this.pos = end;
    this.end = outer;
    return value;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) {
        throw new RemoteWriteError(`truncated varint at byte ${this.pos}`);
      }
      const b = this.bytes[this.pos++]!;
      result += (b & 0x7f) * scale;
      if ((b & 0x80) === 0) {
        return result;
      }
      scale *= 128;
    }
    throw new RemoteWriteError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** The end of a length-delimited field starting here. */
  lengthEnd(): number {
    const len = this.varint();
    const end = this.pos + len;
    if (end > this.end) {
      throw new RemoteWriteError(`field of ${len} bytes at byte ${this.pos} runs past its message`);
    }
    return end;
  }

  double(): number {
    if (this.pos + 8 > this.end) {
      throw new RemoteWriteError(`truncated double at byte ${this.pos}`);
    }
    const v = this.view.getFloat64(this.pos, true);
    this.pos += 8;
    return v;
  }

  latin1(start: number, end: number): string {
    return this.buf.toString('latin1', start, end);
  }

  string(): string {
    const end = this.lengthEnd();
    const s = this.buf.toString('utf8', this.pos, end);
    this.pos = end;
    return s;
  }

  skip(wire: number): void {
    switch (wire) {
      case WIRE_VARINT:
        this.varint();
        return;
      case WIRE_I64:
        this.advance(8);
        return;
      case WIRE_LEN:
        this.pos = this.lengthEnd();
        return;
      case WIRE_I32:
        this.advance(4);
        return;
      default:
        throw new RemoteWriteError(`unsupported wire type ${wire} at byte ${this.pos}`);
    }
  }

  private advance(n: number): void {
    if (this.pos + n > this.end) {
      throw new RemoteWriteError(`truncated field at byte ${this.pos}`);
    }
    this.pos += n;
  }

  /** Counts one more sample; throws once there are more than allowed (decoding stops there). */
  countSample(): void {
    if (++this.samples > this.maxSamples) {
      throw new RemoteWriteTooLargeError(`more than ${this.maxSamples} samples`, { samples: this.maxSamples });
    }
  }

  /** Reads a field key: [field number, wire type]. */
  key(): [number, number] {
    const k = this.varint();
    const field = Math.floor(k / 8);
    if (field === 0) {
      throw new RemoteWriteError(`field number 0 at byte ${this.pos}`);
    }
    return [field, k % 8];
  }
}

/**
 * Counts the series and samples of a WriteRequest without building anything (field keys and lengths
 * only); throws RemoteWriteTooLargeError at the first one over `maxSamples`. A body over the cap thus
 * costs a scan of its first few megabytes, not half a million objects (and their garbage) first.
 */
export function checkWriteRequestSize(bytes: Uint8Array, maxSamples = MAX_SAMPLES): void {
  const r = new Reader(bytes, maxSamples);
  let series = 0;
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    if (field !== 1 || wire !== WIRE_LEN) {
      r.skip(wire);
      continue;
    }
    if (++series > maxSamples) {
      throw new RemoteWriteTooLargeError(`more than ${maxSamples} series`, { samples: maxSamples });
    }
    r.message(countSamples);
  }
}

function countSamples(r: Reader): void {
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    if (field === 2 && wire === WIRE_LEN) {
      r.countSample();
    }
    r.skip(wire);
  }
}

/** Decodes a WriteRequest; throws RemoteWriteTooLargeError, before decoding anything, when it holds more than `maxSamples` samples or series. */
export function decodeWriteRequest(bytes: Uint8Array, isKnown?: KnownLabels, maxSamples = MAX_SAMPLES): RemoteSeries[] {
  if (maxSamples !== Infinity) {
    checkWriteRequestSize(bytes, maxSamples);
  }
  const r = new Reader(bytes);
  const out: RemoteSeries[] = [];
  const readSeries = isKnown ? (s: Reader) => decodeTimeSeriesKeyed(s, isKnown) : decodeTimeSeries;
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_LEN) {
      out.push(r.message(readSeries));
    } else {
      r.skip(wire);
    }
  }
  return out;
}

function decodeTimeSeries(r: Reader): RemoteSeries {
  const series: RemoteSeries = { labels: [], samples: [], histograms: 0 };
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_LEN) {
      series.labels.push(r.message(decodeLabel));
    } else if (field === 2 && wire === WIRE_LEN) {
      series.samples.push(r.message(decodeSample));
    } else {
      if (field === 4) {
        series.histograms++;
      }
      r.skip(wire);
    }
  }
  return series;
}

/**
 * As decodeTimeSeries, but first collects the raw bytes of the label fields (key, length and content:
 * almost always one contiguous run) as the series' `labelKey`, and decodes the labels only when
 * `isKnown` does not know that key. A sender repeats the same series in every request; decoding
 * and validating its labels once per process instead of once per request is the saving.
 */
function decodeTimeSeriesKeyed(r: Reader, isKnown: KnownLabels): RemoteSeries {
  const series: RemoteSeries = { labels: [], samples: [], histograms: 0 };
  const start = r.pos;
  let key = '';
  let runStart = -1;
  let runEnd = -1;
  while (r.pos < r.end) {
    const fieldStart = r.pos;
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_LEN) {
      r.pos = r.lengthEnd();
      if (fieldStart !== runEnd) {
        if (runStart >= 0) {
          key += r.latin1(runStart, runEnd);
        }
        runStart = fieldStart;
      }
      runEnd = r.pos;
    } else if (field === 2 && wire === WIRE_LEN) {
      series.samples.push(r.message(decodeSample));
    } else {
      if (field === 4) {
        series.histograms++;
      }
      r.skip(wire);
    }
  }
  if (runStart >= 0) {
    key += r.latin1(runStart, runEnd);
  }
  series.labelKey = key;
  if (!isKnown(key)) {
    // Second pass over the same bytes, reading only the labels.
    const end = r.pos;
    r.pos = start;
    while (r.pos < end) {
      const [field, wire] = r.key();
      if (field === 1 && wire === WIRE_LEN) {
        series.labels.push(r.message(decodeLabel));
      } else {
        r.skip(wire);
      }
    }
  }
  return series;
}

function decodeLabel(r: Reader): [string, string] {
  let name = '';
  let value = '';
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_LEN) {
      name = r.string();
    } else if (field === 2 && wire === WIRE_LEN) {
      value = r.string();
    } else {
      r.skip(wire);
    }
  }
  return [name, value];
}

function decodeSample(r: Reader): { ts: number; value: number } {
  let value = 0;
  let ts = 0;
  while (r.pos < r.end) {
    const [field, wire] = r.key();
    if (field === 1 && wire === WIRE_I64) {
      value = r.double();
    } else if (field === 2 && wire === WIRE_VARINT) {
      ts = r.varint();
    } else {
      r.skip(wire);
    }
  }
  return { ts, value };
}
