import { gzipSync } from 'node:zlib';
import type { Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openJourney, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignInByApi } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * The first screen as a browser gets it from the built UI (`npm run build:web` first): the sign-in page
 * logs no error (the session probe answers 200 to an anonymous visitor, not 401), its scripts come
 * precompressed with brotli and cached for a year, index.html is revalidated, and what it loads stays
 * under 500 KB of JavaScript gzip (issue 11; `npm run bench -- web-size` measures the same).
 */

const FIRST_SCREEN_LIMIT_KB = 500;

/** Everything a page reports as going wrong: console errors (failed loads included) and uncaught errors. */
function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      problems.push(`[console] ${message.text()} ${message.location().url}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`[page error] ${error.message}`));
  page.on('requestfailed', (request) => problems.push(`[request failed] ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return problems;
}

describe.skipIf(!chromiumAvailable())('first screen (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
  });
  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('the sign-in page logs no error, its scripts come as brotli with long cache headers, and they stay under 500 KB gzip', async () => {
    const page = journey.page;
    const problems = watch(page);
    const responses: Response[] = [];
    page.on('response', (response) => responses.push(response));

    await page.goto(`${yw.url}/login`);
    await page.getByRole('heading', { name: '账号登录' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);

    const probe = responses.find((r) => new URL(r.url()).pathname === '/api/auth/probe');
    expect([probe?.status(), await probe?.json()]).toEqual([200, { signedIn: false }]);

    const document = responses.find((r) => new URL(r.url()).pathname === '/login')!;
    expect(document.headers()['cache-control']).toBe('no-cache');
    const scripts = responses.filter((r) => r.request().resourceType() === 'script');
    expect(scripts.length).toBeGreaterThan(3);
    let gzipBytes = 0;
    let transferred = 0;
    for (const script of scripts) {
      const headers = script.headers();
      expect([script.url(), script.status(), headers['cache-control']]).toEqual([script.url(), 200, 'public, max-age=31536000, immutable']);
      const body = await script.body();
      // Chromium accepts br: every script worth compressing arrives compressed by the build.
      if (body.length >= 1024) {
        expect([script.url(), headers['content-encoding']]).toEqual([script.url(), 'br']);
      }
      gzipBytes += gzipSync(body, { level: 9 }).length;
      transferred += (await script.request().sizes()).responseBodySize;
    }
    console.log(`[first screen] /login: ${scripts.length} scripts, ${(gzipBytes / 1024).toFixed(1)} KB gzip, ${(transferred / 1024).toFixed(1)} KB transferred (brotli)`);
    expect(gzipBytes / 1024).toBeLessThan(FIRST_SCREEN_LIMIT_KB);

    const head = await fetch(`${yw.url}/`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type')]).toEqual([200, expect.stringContaining('text/html')]);
  });

  it('an anonymous visit to a page inside the app goes to the sign-in page without an error', async () => {
    const page = await journey.newPage();
    const problems = watch(page);
    await page.goto(`${yw.url}/cmdb/cis`);
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: '账号登录' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });

  it('signed in, loading and reloading the home page logs no error; signed out, the way back to the sign-in page logs none', async () => {
    const page = await journey.newPage();
    const csrf = await firstAdminSignInByApi(page, yw.url);
    const problems = watch(page);
    await page.goto(`${yw.url}/`);
    await page.getByTestId('home-page').waitFor();
    // The home page's state has arrived (a reload would abort its request half-way: not an error of the page).
    await page.getByTestId('home-state').waitFor();
    await page.reload();
    await page.getByTestId('home-page').waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);

    // Signed out (the session ends on the server), the next visit probes again: still no error.
    const logout = await page.request.post(`${yw.url}/api/auth/logout`, { headers: { 'x-csrf-token': csrf } });
    expect(logout.status()).toBe(200);
    await page.goto(`${yw.url}/`);
    await page.waitForURL('**/login');
    await page.getByRole('heading', { name: '账号登录' }).waitFor();
    await page.waitForLoadState('networkidle');
    expect(problems).toEqual([]);
  });
});
