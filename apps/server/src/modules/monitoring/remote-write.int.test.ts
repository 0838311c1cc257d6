import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, httpOk, PEERS, requirePeer, startPeer, waitFor, type Peer } from '../../../test/peers.js';
import { createTestApp, databaseAvailable, type TestApp } from '../../../test/test-app.js';
import { apiToken, bearer, encodeWriteRequest, qs, remoteWriteBody, snappyCompress } from './monitoring.testing.js';

const PROTOBUF = { 'content-type': 'application/x-protobuf', 'content-encoding': 'snappy', 'x-prometheus-remote-write-version': '0.1.0' };
/** Prometheus' staleness marker: a NaN with this bit pattern. */
const STALE_NAN = Buffer.from('7ff0000000000002', 'hex').readDoubleBE();

describe.skipIf(!databaseAvailable())('Prometheus remote-write receiver', () => {
  let t: TestApp;
  let writer: string;
  let reader: string;
  beforeAll(async () => {
    t = await createTestApp();
    writer = await apiToken(t, ['monitoring.metric.write']);
    reader = await apiToken(t, ['monitoring.metric.read']);
  });
  afterAll(() => t?.close());

  const write = (body: Buffer | string, headers: Record<string, string> = PROTOBUF, token = writer) =>
    t.app.inject({ method: 'POST', url: '/api/v1/write', headers: { authorization: `Bearer ${token}`, 'accept-language': 'en', ...headers }, payload: body });

  it('stores the samples of a WriteRequest and answers 204; NaN (staleness markers) and unnamed series are dropped', async () => {
    const ts = Date.now() - 30_000;
    const body = remoteWriteBody(
      [
        { labels: { __name__: 'yw_rw_load', instance: 'db-1:9100', job: 'node' }, samples: [{ ts, value: 0.5 }, { ts: ts + 15_000, value: 0.75 }] },
        { labels: { __name__: 'yw_rw_load', instance: 'db-2:9100', job: 'node' }, samples: [{ ts, value: STALE_NAN }] },
        { labels: { instance: 'nameless' }, samples: [{ ts, value: 1 }] },
        { labels: { __name__: 'yw_rw_bad', 'bad-label': 'x' }, samples: [{ ts, value: 1 }] },
      ],
      { unknownFields: true },
    );
    const res = await write(body);
    expect(res.statusCode, res.body).toBe(204);
    expect(res.body).toBe('');

    const q = await bearer(t, reader, 'GET', `/api/v1/query_range?${qs({ query: 'yw_rw_load', start: ts / 1000, end: (ts + 15_000) / 1000, step: '1s' })}`);
    expect(q.json.data.result).toEqual([{ metric: { __name__: 'yw_rw_load', instance: 'db-1:9100', job: 'node' }, values: [[ts / 1000, '0.5'], [(ts + 15_000) / 1000, '0.75']] }]);
    expect(await t.ctx.db.selectFrom('metric_series').select('id').where('metric', '=', 'yw_rw_bad').executeTakeFirst()).toBeUndefined();
  });

  it('accepts the content type with parameters and literal-only snappy', async () => {
    const ts = Date.now() - 10_000;
    const body = remoteWriteBody([{ labels: { __name__: 'yw_rw_params' }, samples: [{ ts, value: 3 }] }], { copies: false });
    const res = await write(body, { ...PROTOBUF, 'content-type': 'application/x-protobuf; proto=prometheus.WriteRequest' });
    expect(res.statusCode, res.body).toBe(204);
  });

  it('refuses garbage bodies with 400 YW_MONITORING_REMOTE_WRITE_MALFORMED, never a 500, and stays up', async () => {
    const valid = encodeWriteRequest([{ labels: { __name__: 'yw_rw_garbage' }, samples: [{ ts: Date.now(), value: 1 }] }]);
    const garbage: [string, Buffer][] = [
      ['random bytes', randomBytes(512)],
      ['text', Buffer.from('this is not protobuf')],
      ['uncompressed protobuf', Buffer.from(valid)],
      ['truncated snappy', Buffer.from(snappyCompress(valid)).subarray(0, 10)],
      ['snappy of garbage', Buffer.from(snappyCompress(new Uint8Array(randomBytes(300))))],
      ['a huge declared length', Buffer.from([0xff, 0xff, 0xff, 0xff, 0x0f, 0x00])],
      ['an empty body', Buffer.alloc(0)],
    ];
    for (const [what, body] of garbage) {
      const res = await write(body);
      expect(res.statusCode, `${what}: ${res.body}`).toBe(400);
      expect(res.json().code, what).toMatch(/^YW_(MONITORING_REMOTE_WRITE_MALFORMED|MALFORMED_BODY)$/);
      if (what !== 'an empty body') {
        expect(res.json().code, what).toBe('YW_MONITORING_REMOTE_WRITE_MALFORMED');
        expect(res.json().details.reason, what).toEqual(expect.any(String));
      }
    }
    expect(await t.ctx.db.selectFrom('metric_series').select('id').where('metric', '=', 'yw_rw_garbage').executeTakeFirst()).toBeUndefined();
    expect((await write(remoteWriteBody([{ labels: { __name__: 'yw_rw_after' }, samples: [{ ts: Date.now(), value: 1 }] }]))).statusCode).toBe(204);
  });

  it('refuses other content types and encodings with 415', async () => {
    const body = remoteWriteBody([{ labels: { __name__: 'yw_rw_415' }, samples: [{ ts: Date.now(), value: 1 }] }]);
    const json = await write('{"samples":[]}', { 'content-type': 'application/json' });
    expect(json.statusCode).toBe(415);
    expect(json.json()).toMatchObject({ code: 'YW_UNSUPPORTED_MEDIA_TYPE', details: { field: 'headers.content-type' } });
    const gzip = await write(body, { ...PROTOBUF, 'content-encoding': 'gzip' });
    expect(gzip.statusCode).toBe(415);
    expect(gzip.json()).toMatchObject({ code: 'YW_UNSUPPORTED_MEDIA_TYPE', details: { field: 'headers.content-encoding' } });
    const text = await write('hello', { 'content-type': 'text/plain' });
    expect(text.statusCode).toBe(415);
  });

  it('needs an API token holding monitoring.metric.write', async () => {
    const body = remoteWriteBody([{ labels: { __name__: 'yw_rw_auth' }, samples: [{ ts: Date.now(), value: 1 }] }]);
    const anonymous = await t.app.inject({ method: 'POST', url: '/api/v1/write', headers: PROTOBUF, payload: body });
    expect(anonymous.statusCode).toBe(401);
    const wrong = await write(body, PROTOBUF, 'yw_not-a-real-token');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json().code).toBe('YW_AUTH_TOKEN_INVALID');
    const readOnly = await write(body, PROTOBUF, reader);
    expect(readOnly.statusCode).toBe(403);
    expect(await t.ctx.db.selectFrom('metric_series').select('id').where('metric', '=', 'yw_rw_auth').executeTakeFirst()).toBeUndefined();
  });
});

describe.skipIf(!databaseAvailable() || !requirePeer(PEERS.prometheus.binary, PEERS.prometheus.apt))('a real Prometheus', () => {
  let t: TestApp;
  let prometheus: Peer | undefined;
  let dir: string;
  beforeAll(async () => {
    t = await createTestApp();
    dir = mkdtempSync(path.join(tmpdir(), 'yw-prometheus-'));
  });
  afterAll(async () => {
    await prometheus?.stop();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('[L2-2.1.1] a real Prometheus remote-writes into Yunwei and the samples are queryable', { timeout: 120_000 }, async () => {
    const writer = await apiToken(t, ['monitoring.metric.write']);
    const reader = await apiToken(t, ['monitoring.metric.read']);
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const appPort = (t.app.server.address() as AddressInfo).port;
    const promPort = await freePort();
    const config = path.join(dir, 'prometheus.yml');
    writeFileSync(
      config,
      [
        'global:',
        '  scrape_interval: 1s',
        '  external_labels: { yunwei_test: remote-write }',
        'scrape_configs:',
        '  - job_name: prometheus',
        `    static_configs: [{ targets: ['127.0.0.1:${promPort}'] }]`,
        'remote_write:',
        `  - url: http://127.0.0.1:${appPort}/api/v1/write`,
        `    authorization: { credentials: ${writer} }`,
        '    queue_config: { batch_send_deadline: 1s, min_backoff: 100ms, max_backoff: 1s }',
        '',
      ].join('\n'),
    );
    prometheus = await startPeer(
      PEERS.prometheus.binary,
      [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`, '--log.level=info'],
      () => httpOk(`http://127.0.0.1:${promPort}/-/ready`),
    );

    // Prometheus scrapes itself every second and ships the samples; wait until several `up` samples arrived.
    const start = Date.now() - 60_000;
    const result = await waitFor(
      async () => {
        const res = await bearer(t, reader, 'GET', `/api/v1/query_range?${qs({ query: 'up{job="prometheus"}', start: start / 1000, end: (Date.now() + 60_000) / 1000, step: '1s' })}`);
        const series = res.json?.data?.result as { metric: Record<string, string>; values: [number, string][] }[] | undefined;
        return series?.length && series[0]!.values.length >= 3 ? series : null;
      },
      `samples remote-written by Prometheus (its log: ${prometheus.output().slice(-500)})`,
      90_000,
      500,
    );
    expect(result).toHaveLength(1);
    expect(result[0]!.metric).toEqual({ __name__: 'up', instance: `127.0.0.1:${promPort}`, job: 'prometheus', yunwei_test: 'remote-write' });
    expect(result[0]!.values.every(([, v]) => v === '1')).toBe(true);
    const times = result[0]!.values.map(([ts]) => ts);
    expect(times).toEqual([...times].sort((a, b) => a - b));

    // Prometheus' own metrics came too: counters, gauges, histogram buckets.
    const series = await bearer(t, reader, 'GET', `/api/v1/series?${qs({ 'match[]': ['prometheus_build_info', '{__name__=~"prometheus_http_request_duration_seconds_bucket", handler="/metrics"}'] })}`);
    expect(series.status, series.body).toBe(200);
    const names = new Set((series.json.data as Record<string, string>[]).map((s) => s.__name__));
    expect(names).toEqual(new Set(['prometheus_build_info', 'prometheus_http_request_duration_seconds_bucket']));
    expect((series.json.data as Record<string, string>[]).some((s) => s.le === '+Inf')).toBe(true);
    const build = await bearer(t, reader, 'GET', `/api/v1/topk?${qs({ query: 'prometheus_build_info', start: start / 1000, k: 1 })}`);
    expect(build.json.data.result[0]).toMatchObject({ metric: { __name__: 'prometheus_build_info', job: 'prometheus' }, value: [expect.any(Number), '1'] });
    expect(build.json.data.result[0].metric.version).toMatch(/^2\./);
  });
});
