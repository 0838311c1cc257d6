import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDir } from '../../web/vite-precompress.js';
import { createTestApp, databaseAvailable, type TestApp } from '../test/test-app.js';

const IMMUTABLE = 'public, max-age=31536000, immutable';
const SCRIPT = 'assets/index-abc123.js';
const TINY = 'assets/tiny-def456.js';

/** Text that compresses like real code: repetitive, but not one byte repeated. */
function fakeBundle(lines: number): string {
  return Array.from({ length: lines }, (_, i) => `export function f${i}(a){return a*${i}+"${(i * 7919).toString(36)}";}`).join('\n');
}

describe.skipIf(!databaseAvailable())('the web UI: precompressed files, cache headers, HEAD', () => {
  let t: TestApp;
  let webDir: string;
  const file = (name: string) => readFileSync(path.join(webDir, name));

  beforeAll(async () => {
    // A small build, precompressed by the same code as the real one (apps/web/vite-precompress.ts).
    webDir = mkdtempSync(path.join(tmpdir(), 'yw-web-'));
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'index.html'), `<!doctype html><title>运维</title><script type="module" src="/${SCRIPT}"></script>\n<!-- ${'x'.repeat(1200)} -->`);
    writeFileSync(path.join(webDir, SCRIPT), fakeBundle(2000));
    writeFileSync(path.join(webDir, TINY), 'export const a = 1;');
    writeFileSync(path.join(webDir, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    const written = await precompressDir(webDir);
    expect(written.map((f) => path.relative(webDir, f)).sort()).toEqual([`${SCRIPT}.br`, `${SCRIPT}.gz`, 'index.html.br', 'index.html.gz']);
    t = await createTestApp({ YUNWEI_WEB_DIR: webDir });
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const get = (url: string, acceptEncoding?: string, method: 'GET' | 'HEAD' = 'GET') =>
    t.app.inject({ method, url, headers: acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding } });

  it('sends the brotli file to a browser that accepts br: its bytes decompress to the script', async () => {
    const res = await get(`/${SCRIPT}`, 'gzip, deflate, br, zstd');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('br');
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(String(res.headers.vary)).toMatch(/accept-encoding/i);
    expect(res.rawPayload.length).toBe(file(`${SCRIPT}.br`).length);
    expect(res.rawPayload.length).toBeLessThan(file(SCRIPT).length / 3);
    expect(brotliDecompressSync(res.rawPayload).equals(file(SCRIPT))).toBe(true);
  });

  it('sends the gzip file to a client that accepts only gzip, and the plain file to one that accepts neither', async () => {
    const gz = await get(`/${SCRIPT}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(file(SCRIPT))).toBe(true);

    for (const plain of [await get(`/${SCRIPT}`), await get(`/${SCRIPT}`, 'identity')]) {
      expect(plain.statusCode).toBe(200);
      expect(plain.headers['content-encoding']).toBeUndefined();
      expect(plain.rawPayload.equals(file(SCRIPT))).toBe(true);
    }
    // A file too small to be worth compressing has no twin: sent as it is.
    const tiny = await get(`/${TINY}`, 'br');
    expect([tiny.statusCode, tiny.headers['content-encoding'], tiny.body]).toEqual([200, undefined, 'export const a = 1;']);
  });

  it('index.html (every client-side route) is compressed too and its text is intact', async () => {
    for (const url of ['/', '/cmdb/cis', '/index.html']) {
      const res = await get(url, 'br');
      expect([url, res.statusCode, res.headers['content-encoding']]).toEqual([url, 200, 'br']);
      expect(res.headers['content-type']).toMatch(/text\/html/);
      expect(brotliDecompressSync(res.rawPayload).toString('utf8')).toBe(file('index.html').toString('utf8'));
    }
  });

  it('hashed files under /assets/ are cached for a year; index.html, other files and routes are revalidated; the API stays no-store', async () => {
    for (const [url, encoding] of [[`/${SCRIPT}`, 'br'], [`/${SCRIPT}`, undefined], [`/${TINY}`, 'gzip']] as const) {
      expect([url, encoding, (await get(url, encoding)).headers['cache-control']]).toEqual([url, encoding, IMMUTABLE]);
    }
    for (const url of ['/', '/index.html', '/cmdb/cis', '/favicon.svg']) {
      const res = await get(url, 'br');
      expect([url, res.statusCode, res.headers['cache-control']]).toEqual([url, 200, 'no-cache']);
    }
    expect((await get('/api/health')).headers['cache-control']).toBe('no-store');
    expect((await get('/api/auth/probe')).headers['cache-control']).toBe('no-store');
  });

  it('HEAD / answers 200 like GET, without a body; the compressed twins are no URLs of their own; a missing asset is a 404', async () => {
    const head = await get('/', undefined, 'HEAD');
    expect(head.statusCode).toBe(200);
    expect(head.headers['content-type']).toMatch(/text\/html/);
    expect(head.headers['cache-control']).toBe('no-cache');
    expect(head.body).toBe('');
    const headAsset = await get(`/${SCRIPT}`, 'br', 'HEAD');
    expect([headAsset.statusCode, headAsset.headers['content-encoding'], headAsset.body]).toEqual([200, 'br', '']);

    expect((await get(`/${SCRIPT}.br`)).statusCode).toBe(404);
    expect((await get('/index.html.gz')).statusCode).toBe(404);
    const stale = await get('/assets/index-old999.js', 'br');
    expect([stale.statusCode, stale.json().code]).toEqual([404, 'YW_ROUTE_NOT_FOUND']);
    // Only GET and HEAD get the page: other methods on a client-side route are still a 404.
    expect((await t.app.inject({ method: 'POST', url: '/cmdb/cis' })).statusCode).toBe(404);
  });
});
