/**
 * A fast encoder of Prometheus remote-write 1.0 requests (protobuf `WriteRequest`, snappy block format)
 * for load generators: each series' labels are encoded once, a request only appends samples.
 *
 *   WriteRequest { repeated TimeSeries timeseries = 1; }
 *   TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 *   Label        { string name = 1; string value = 2; }
 *   Sample       { double value = 1; int64 timestamp = 2; }
 */
import { snappyCompress } from '../../apps/server/src/modules/monitoring/snappy.js';

function varintLength(n: number): number {
  let len = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 128);
    len++;
  }
  return len;
}

function writeVarint(buf: Uint8Array, pos: number, n: number): number {
  while (n >= 0x80) {
    buf[pos++] = (n % 128) | 0x80;
    n = Math.floor(n / 128);
  }
  buf[pos++] = n;
  return pos;
}

function lengthDelimited(field: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(1 + varintLength(payload.length) + payload.length);
  out[0] = (field << 3) | 2;
  out.set(payload, writeVarint(out, 1, payload.length));
  return out;
}

/** The `labels` fields of a TimeSeries, `__name__` first, then sorted by name (as Prometheus sends them). */
export function encodeLabels(metric: string, labels: Readonly<Record<string, string>>): Uint8Array {
  const pairs: [string, string][] = [['__name__', metric], ...Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : 1))];
  const parts = pairs.map(([name, value]) => lengthDelimited(1, Buffer.concat([lengthDelimited(1, Buffer.from(name)), lengthDelimited(2, Buffer.from(value))])));
  return Buffer.concat(parts);
}

/** Size of one Sample message: tag + double, tag + varint timestamp. */
const sampleLength = (ts: number) => 1 + 8 + 1 + varintLength(ts);

/** A WriteRequest of one sample per series (all at `ts`), protobuf only. */
export function encodeWriteRequest(labels: readonly Uint8Array[], ts: number, values: ArrayLike<number>): Uint8Array {
  const sLen = sampleLength(ts);
  let total = 0;
  for (const l of labels) {
    const tsLen = l.length + 1 + varintLength(sLen) + sLen;
    total += 1 + varintLength(tsLen) + tsLen;
  }
  const buf = new Uint8Array(total);
  const view = new DataView(buf.buffer);
  let pos = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    buf[pos++] = 0x0a; // WriteRequest.timeseries
    pos = writeVarint(buf, pos, l.length + 1 + varintLength(sLen) + sLen);
    buf.set(l, pos);
    pos += l.length;
    buf[pos++] = 0x12; // TimeSeries.samples
    pos = writeVarint(buf, pos, sLen);
    buf[pos++] = 0x09; // Sample.value (fixed64)
    view.setFloat64(pos, values[i]!, true);
    pos += 8;
    buf[pos++] = 0x10; // Sample.timestamp (varint)
    pos = writeVarint(buf, pos, ts);
  }
  return buf;
}

/** The HTTP body: the WriteRequest, snappy-compressed. */
export function remoteWriteBody(labels: readonly Uint8Array[], ts: number, values: ArrayLike<number>): Buffer {
  const c = snappyCompress(encodeWriteRequest(labels, ts, values));
  return Buffer.from(c.buffer, c.byteOffset, c.byteLength);
}

/** The headers Prometheus sends with a remote-write 1.0 request. */
export const REMOTE_WRITE_HEADERS = {
  'content-type': 'application/x-protobuf',
  'content-encoding': 'snappy',
  'x-prometheus-remote-write-version': '0.1.0',
  'user-agent': 'yunwei-bench-ingest',
} as const;
