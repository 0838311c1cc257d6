import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Adding an agentless HTTP check in the browser, in zh-CN: the administrator opens 无代理检查, creates
 * an HTTP(S) check of a real HTTP service the test runs, runs it now, and sees it 正常 with its
 * latency; the result history shows the latency chart.
 *
 * The `it` blocks share state and run in order.
 */

const VIEWPORT = { width: 1440, height: 900 };
const TIMEOUT = 15_000;

describe.skipIf(!chromiumAvailable())('checks journey (browser + a real HTTP service)', () => {
  let yw: RunningYunwei;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let service: Server;
  let serviceUrl = '';

  const checkRow = () => page.getByTestId('checks-table').locator('tr.ant-table-row').filter({ hasText: '门户网站健康检查' });

  beforeAll(async () => {
    service = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('portal: healthy'));
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    serviceUrl = `http://127.0.0.1:${(service.address() as net.AddressInfo).port}/health`;
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: VIEWPORT, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    page = await context.newPage();
    page.setDefaultTimeout(TIMEOUT);
    page.setDefaultNavigationTimeout(TIMEOUT);
    page.on('pageerror', (error) => console.error(`[page error] ${error.message}`));
  });

  afterAll(async () => {
    await context?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await yw?.stop();
    await new Promise((r) => service?.close(r));
  });

  it('admin signs in and opens 无代理检查 (empty)', async () => {
    await firstAdminSignIn(page, yw.url);

    await page.getByTestId('nav-checks').click();
    await page.getByTestId('checks-page').waitFor();
    await page.getByText('还没有检查项').waitFor();
  });

  it('[L3-2.1.1] adds an HTTP check of the service in the form; a bad URL is refused on the field', async () => {
    await page.getByTestId('create-check').click();
    const drawer = page.getByTestId('check-form');
    await drawer.getByText('新建检查').first().waitFor();
    await drawer.getByTestId('check-name').fill('门户网站健康检查');
    await drawer.getByTestId('check-settings-url').fill('ftp://127.0.0.1/');
    await drawer.getByTestId('check-settings-bodyMatch').fill('healthy');
    await drawer.getByTestId('check-interval').fill('30');
    await drawer.getByTestId('check-form-submit').click();
    // The server names the field; the form shows it there.
    await drawer.getByText('must be http or https').waitFor();

    await drawer.getByTestId('check-settings-url').fill(serviceUrl);
    await drawer.getByTestId('check-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await checkRow().waitFor();
    expect(await checkRow().innerText()).toContain('未知');
  });

  it('[L3-2.1.1] runs it now: 正常 with its latency, and the history shows the latency chart', async () => {
    await checkRow().getByRole('button', { name: named('立即执行') }).click();
    await page.getByText(/执行结果：正常 — HTTP 200 in/).waitFor();
    await expect.poll(async () => checkRow().locator('[data-status]').getAttribute('data-status')).toBe('up');
    const latency = await checkRow().getByTestId('check-latency').innerText();
    expect(latency).toMatch(/^\d+\.\d ms$/);
    expect(await checkRow().getByTestId('check-message').innerText()).toMatch(/^HTTP 200 in/);
    await page.waitForTimeout(400); // the message's animation
    await screenshot(page, 'checks-list');

    await checkRow().getByText('门户网站健康检查').click();
    const history = page.getByTestId('check-results');
    await history.getByTestId('check-latency-chart').waitFor();
    expect(await history.getByTestId('check-latency-chart').getAttribute('data-points')).toBe('1');
    await history.getByText(/^HTTP 200 in/).first().waitFor();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' }); // the messages fade out
    await screenshot(page, 'checks-results');
  });
});
