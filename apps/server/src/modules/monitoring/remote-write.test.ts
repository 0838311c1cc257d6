import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { encodeWriteRequest, remoteWriteBody, snappyCompress, type WriteSeries } from './monitoring.testing.js';
import { RemoteRefCache, remoteSamples } from './ingest-input.js';
import { decodeRemoteWrite, decodeWriteRequest, RemoteWriteError, RemoteWriteTooLargeError } from './remote-write.js';

describe('remote-write WriteRequest decoding', () => {
  const series: WriteSeries[] = [
    { labels: { __name__: 'node_load1', instance: '10.0.0.1:9100', job: 'node' }, samples: [{ ts: 1_764_000_000_000, value: 0.25 }] },
    {
      labels: { __name__: 'http_requests_total', code: '200', path: '/api/用户' },
      samples: [
        { ts: 1_764_000_000_000, value: 1027 },
        { ts: 1_764_000_015_000, value: -1.5e-7 },
        { ts: 1_764_000_030_000, value: NaN },
      ],
    },
  ];

  it('reads labels and samples back exactly, through snappy', () => {
    const decoded = decodeRemoteWrite(remoteWriteBody(series));
    expect(decoded).toHaveLength(2);
    expect(decoded[0]).toEqual({ labels: [['__name__', 'node_load1'], ['instance', '10.0.0.1:9100'], ['job', 'node']], samples: [{ ts: 1_764_000_000_000, value: 0.25 }], histograms: 0 });
    expect(decoded[1]!.labels).toContainEqual(['path', '/api/用户']);
    expect(decoded[1]!.samples.map((s) => s.value)).toEqual([1027, -1.5e-7, NaN]);
    expect(decoded[1]!.samples[2]!.ts).toBe(1_764_000_030_000);
  });

  it('skips unknown fields, exemplars and metadata as protobuf requires', () => {
    const decoded = decodeRemoteWrite(remoteWriteBody(series, { unknownFields: true }));
    expect(decoded.map((s) => s.samples.length)).toEqual([1, 3]);
    expect(decoded[0]!.labels).toHaveLength(3);
  });

  it('decodes an empty request to no series', () => {
    expect(decodeRemoteWrite(snappyCompress(new Uint8Array(0)))).toEqual([]);
  });

  it('refuses malformed bodies with a RemoteWriteError naming the problem', () => {
    const raw = encodeWriteRequest(series);
    const cases: [string, Uint8Array, RegExp][] = [
      ['not snappy at all', Buffer.from('{"samples":[]}'), /snappy/],
      ['random bytes', new Uint8Array(randomBytes(64)), /./],
      ['protobuf without snappy', raw, /snappy|./],
      ['truncated protobuf', snappyCompress(raw.subarray(0, raw.length - 5)), /runs past|truncated/],
      ['a group wire type', snappyCompress(Uint8Array.from([0x0b])), /wire type/],
      ['field number 0', snappyCompress(Uint8Array.from([0x02, 0x00])), /field number 0/],
      ['an endless varint', snappyCompress(new Uint8Array(12).fill(0xff)), /varint/],
      ['a series longer than the message', snappyCompress(Uint8Array.from([0x0a, 0x7f, 0x0a])), /runs past/],
    ];
    for (const [what, body, message] of cases) {
      expect(() => decodeRemoteWrite(body), what).toThrow(RemoteWriteError);
      expect(() => decodeRemoteWrite(body), what).toThrow(message);
    }
  });

  it('survives random protobuf garbage: a RemoteWriteError or a result, never another exception', () => {
    for (let i = 0; i < 3000; i++) {
      const input = new Uint8Array(randomBytes(1 + (i % 80)));
      try {
        decodeWriteRequest(input);
      } catch (error) {
        expect(error).toBeInstanceOf(RemoteWriteError);
      }
    }
  });

  it('keys series by their raw label bytes and skips decoding labels the caller already knows', () => {
    const body = remoteWriteBody(series);
    const plain = decodeRemoteWrite(body);
    const seen: string[] = [];
    const keyed = decodeRemoteWrite(body, undefined, (key) => {
      seen.push(key);
      return false;
    });
    expect(keyed.map(({ labels, samples, histograms }) => ({ labels, samples, histograms }))).toEqual(plain);
    expect(keyed.map((s) => s.labelKey)).toEqual(seen);
    expect(new Set(seen).size).toBe(2);
    // The same series in another request (other samples, unknown fields) have the same keys.
    const again = decodeRemoteWrite(remoteWriteBody(series.map((s) => ({ ...s, samples: [{ ts: 1_764_000_045_000, value: 7 }] }))), undefined, () => true);
    expect(again.map((s) => s.labelKey)).toEqual(seen);
    expect(again.map((s) => s.labels)).toEqual([[], []]);
    expect(again.map((s) => s.samples)).toEqual([[{ ts: 1_764_000_045_000, value: 7 }], [{ ts: 1_764_000_045_000, value: 7 }]]);
  });

  it('converts the same samples with the series cache as without it, refusals included', () => {
    const now = 1_764_000_060_000;
    const mixed: WriteSeries[] = [...series, { labels: { __name__: 'bad-name', job: 'x' }, samples: [{ ts: now, value: 1 }] }, { labels: { __name__: 'ok_metric', __bad: 'y' }, samples: [{ ts: now, value: 2 }] }];
    const refs = new RemoteRefCache();
    const expected = remoteSamples(decodeRemoteWrite(remoteWriteBody(mixed)), now);
    for (let round = 0; round < 2; round++) {
      // Round 0 fills the cache; round 1 decodes no labels at all and must give the same result.
      const got = remoteSamples(decodeRemoteWrite(remoteWriteBody(mixed), undefined, refs.isKnown), now, refs);
      expect(got).toEqual(expected);
    }
    expect(expected.dropped).toBe(3); // the NaN sample and the two refused series
  });
  it('#10.12 refuses a body over the sample cap before decoding any of it', () => {
    // 20,000 series of one sample each: with a cap of 1,000 not one series may be decoded (their label
    // keys would reach `isKnown`); the count stops at series 1,001.
    const many: WriteSeries[] = Array.from({ length: 20_000 }, (_, i) => ({ labels: { __name__: 'yw_cap', i: String(i) }, samples: [{ ts: 1_764_000_000_000, value: i }] }));
    const body = remoteWriteBody(many);
    let visited = 0;
    const counting = () => {
      visited++;
      return false;
    };
    expect(() => decodeRemoteWrite(body, undefined, counting, 1_000)).toThrow(RemoteWriteTooLargeError);
    expect(visited).toBe(0);
    expect(() => decodeRemoteWrite(body, undefined, undefined, 1_000)).toThrow(/more than 1000 (samples|series)/);
    // Samples within one series count too, and so do series without samples.
    const oneSeries = remoteWriteBody([{ labels: { __name__: 'yw_cap' }, samples: Array.from({ length: 5_000 }, (_, i) => ({ ts: 1_764_000_000_000 + i, value: i })) }]);
    expect(() => decodeRemoteWrite(oneSeries, undefined, undefined, 1_000)).toThrow(RemoteWriteTooLargeError);
    const empty = remoteWriteBody(Array.from({ length: 3_000 }, (_, i) => ({ labels: { __name__: 'yw_cap', i: String(i) }, samples: [] })));
    expect(() => decodeRemoteWrite(empty, undefined, undefined, 1_000)).toThrow(/more than 1000 series/);
    // At the cap exactly, everything is decoded.
    expect(decodeRemoteWrite(remoteWriteBody(many.slice(0, 1_000)), undefined, undefined, 1_000)).toHaveLength(1_000);
  });
});
