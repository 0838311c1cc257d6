import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postJson } from './http-client.ts';

describe('postJson', () => {
  const seen: string[] = [];
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push(req.url ?? '');
      req.resume();
      res.setHeader('content-type', 'application/json');
      res.end('{"ok":true}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts under the server address, its path included (Yunwei behind a proxy at /yunwei)', async () => {
    expect(await postJson(base, '/api/agent/metrics', {})).toEqual({ kind: 'ok', body: { ok: true } });
    expect(await postJson(`${base}/yunwei`, '/api/agent/metrics', {})).toMatchObject({ kind: 'ok' });
    expect(await postJson(`${base}/yunwei/`, '/api/agent/inventory', {})).toMatchObject({ kind: 'ok' });
    expect(seen).toEqual(['/api/agent/metrics', '/yunwei/api/agent/metrics', '/yunwei/api/agent/inventory']);
  });
});
