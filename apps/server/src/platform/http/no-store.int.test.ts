import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, databaseAvailable, type TestApp, type TestSession } from '../../../test/test-app.js';

describe.skipIf(!databaseAvailable())('Cache-Control of API answers and of the web UI', () => {
  let t: TestApp;
  let admin: TestSession;
  let webDir: string;
  beforeAll(async () => {
    // A built web UI of two files, so that static serving is on as in production.
    webDir = mkdtempSync(path.join(tmpdir(), 'yw-web-'));
    mkdirSync(path.join(webDir, 'assets'));
    writeFileSync(path.join(webDir, 'index.html'), '<!doctype html><title>运维</title>');
    writeFileSync(path.join(webDir, 'assets', 'index-abc123.js'), 'console.log(1)');
    t = await createTestApp({ YUNWEI_WEB_DIR: webDir });
    admin = await t.signIn(t.admin);
  });
  afterAll(async () => {
    await t?.close();
    rmSync(webDir, { recursive: true, force: true });
  });

  const get = (url: string, session?: TestSession) => t.app.inject({ method: 'GET', url, ...(session ? { cookies: { yw_session: session.cookie } } : {}) });

  it('#10.17 authenticated API answers and export downloads carry Cache-Control: no-store', async () => {
    const json = await get('/api/cmdb/classes', admin);
    expect(json.statusCode).toBe(200);
    expect(json.headers['cache-control']).toBe('no-store');

    // A streamed export and a buffered one.
    const cis = await get('/api/cmdb/export?format=xlsx', admin);
    expect([cis.statusCode, String(cis.headers['content-disposition'])]).toEqual([200, expect.stringContaining('attachment')]);
    expect(cis.headers['cache-control']).toBe('no-store');
    const calendar = await get('/api/oncall/calendar/2026/export', admin);
    expect([calendar.statusCode, calendar.headers['cache-control']]).toEqual([200, 'no-store']);
    const metrics = await t.app.inject({ method: 'GET', url: '/metrics', cookies: { yw_session: admin.cookie } });
    expect(metrics.headers['cache-control']).toBe('no-store');

    // Errors and the sign-in answer (it carries the CSRF token) too.
    expect((await get('/api/cmdb/classes')).headers['cache-control']).toBe('no-store');
    expect((await get('/api/nowhere', admin)).headers['cache-control']).toBe('no-store');
    const login = await t.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: 'nobody', password: 'wrong-password' } });
    expect(login.headers['cache-control']).toBe('no-store');
  });

  it('#10.17 the static files of the web UI keep their normal caching', async () => {
    const asset = await get('/assets/index-abc123.js');
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['cache-control']).not.toContain('no-store');
    const page = await get('/cmdb/cis');
    expect([page.statusCode, page.headers['content-type']]).toEqual([200, expect.stringContaining('text/html')]);
    expect(String(page.headers['cache-control'] ?? '')).not.toContain('no-store');
  });
});
