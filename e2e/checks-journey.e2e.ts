import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Adding an agentless HTTP check in the browser, in one form as in Uptime Kuma, in zh-CN: the
 * administrator opens 无代理检查 and creates an HTTP(S) check of a real HTTP service the test runs,
 * tolerating 2 failed probes and notifying a webhook channel (made through the API beforehand). The
 * check is probed as it is saved: its first result, heartbeat bar and uptime show without pressing
 * 立即执行. Its detail links to the alert rule and notification policy the form made; run now adds a
 * result to the latency chart. Then the same in English.
 *
 * The `it` blocks share state and run in order.
 */

const CHECK = '门户网站健康检查';
const CHANNEL = '值班 Webhook';

describe.skipIf(!chromiumAvailable())('checks journey (browser + a real HTTP service)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let service: Server;
  let serviceUrl = '';
  let hook: Server;
  let hookUrl = '';

  const checkRow = () => page.getByTestId('checks-table').locator('tr.ant-table-row').filter({ hasText: CHECK });
  const listen = async (server: Server) => {
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
  };

  beforeAll(async () => {
    service = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('portal: healthy'));
    serviceUrl = `${await listen(service)}/health`;
    // The webhook the check's alerts would go to (the service stays up: nothing is sent in this journey).
    hook = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    hookUrl = `${await listen(hook)}/hook`;
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    await new Promise((r) => service?.close(r));
    await new Promise((r) => hook?.close(r));
  });

  it('admin signs in, a webhook channel exists (made through the API), and 无代理检查 is empty', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    await api('POST', '/api/notify/channels', { name: CHANNEL, type: 'webhook', config: { url: hookUrl } });

    await page.getByTestId('nav-checks').click();
    await page.getByTestId('checks-page').waitFor();
    await page.getByText('还没有检查项').waitFor();
    // The empty list's next step: add the first check.
    await page.getByTestId('create-check-empty').getByText('添加第一个检查').waitFor();
  });

  it('[L3-2.1.1] adds an HTTP check of the service in one form — retries before down and notify via — and a bad URL is refused on the field', async () => {
    await page.getByTestId('create-check').click();
    const drawer = page.getByTestId('check-form');
    await drawer.getByText('新建检查').first().waitFor();
    await drawer.getByTestId('check-name').fill(CHECK);
    await drawer.getByTestId('check-settings-url').fill('ftp://127.0.0.1/');
    await drawer.getByTestId('check-settings-bodyMatch').fill('healthy');
    // A shorter interval than the timeout (10 s) takes the timeout down with it, as the server requires.
    await drawer.getByTestId('check-interval').fill('5');
    await drawer.getByTestId('check-name').click();
    await expect.poll(() => drawer.getByTestId('check-timeout').inputValue()).toBe('5000');
    await drawer.getByTestId('check-interval').fill('30');
    // Uptime Kuma's "retries": two failed probes in a row are tolerated, the third is down and alerts.
    await drawer.getByLabel('失败重试次数').fill('2');
    await drawer.getByTestId('check-notify-via').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: CHANNEL }).click();
    await drawer.getByTestId('check-name').click(); // closes the dropdown (Escape would close the drawer)
    await drawer.getByTestId('check-form-submit').click();
    // The server names the field; the form shows it there, in the page's language.
    await drawer.getByText(/须是 http 或 https 地址|must be http or https/).waitFor();

    await drawer.getByTestId('check-settings-url').fill(serviceUrl);
    await drawer.getByTestId('check-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await checkRow().waitFor();
  });

  it('[L3-2.1.1] its first result shows without pressing 立即执行: 正常, its heartbeat bar and uptime', async () => {
    // Probed as it was saved (its interval is 30 s): the list asks again every 2 s until it has a result.
    await expect.poll(async () => checkRow().locator('[data-status]').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('up');
    const row = checkRow();
    expect(Number(await row.getByTestId('check-heartbeat').getAttribute('data-beats'))).toBeGreaterThanOrEqual(1);
    expect(await row.getByTestId('check-heartbeat').locator('[data-status="up"]').count()).toBeGreaterThanOrEqual(1);
    expect(await row.getByTestId('check-uptime-day').innerText()).toBe('24 小时 100%');
    expect(await row.getByTestId('check-uptime-month').innerText()).toBe('30 天 100%');
    expect(await row.getByTestId('check-latency').innerText()).toMatch(/^\d+\.\d ms$/);
    // The probe's message in the page's language.
    expect(await row.getByTestId('check-message').innerText()).toMatch(/^HTTP 200，耗时 [\d.]+ 毫秒$/);
    await row.getByTestId('check-heartbeat').locator('[data-status="up"]').last().hover();
    await page.locator('.ant-tooltip:visible').filter({ hasText: /正常/ }).waitFor();
    await screenshot(page, 'checks-list');
  });

  it('runs it now: the history\'s latency chart has its results, and the detail links the alert rule and notification policy the form made', async () => {
    await checkRow().getByRole('button', { name: named('立即执行') }).click();
    await page.getByText(/执行结果：正常 — HTTP 200，耗时/).waitFor();

    await checkRow().getByText(CHECK).click();
    const history = page.getByTestId('check-results');
    await history.getByTestId('check-latency-chart').waitFor();
    // The save's result and the run's at least (the schedule may have added another meanwhile).
    await expect.poll(async () => Number(await history.getByTestId('check-latency-chart').getAttribute('data-points'))).toBeGreaterThanOrEqual(2);
    await history.getByText(/^HTTP 200，耗时/).first().waitFor();
    expect(await history.getByTestId('check-retries-shown').innerText()).toBe('允许连续失败 2 次');
    expect(await history.getByTestId('check-alert-rule').innerText()).toBe(`检查「${CHECK}」不可用`);
    expect(await history.getByTestId('check-notification-policy').innerText()).toBe(`检查「${CHECK}」的通知`);
    expect(await history.getByTestId('check-notify-channels').innerText()).toContain(CHANNEL);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' }); // the messages fade out
    await screenshot(page, 'checks-results');

    // The link opens the rule on the alert rules page, where an administrator may change it.
    await history.getByTestId('check-alert-rule').click();
    await page.waitForURL('**/alerts/rules**');
    await page.getByTestId('rules-page').waitFor();
    const ruleForm = page.getByTestId('rule-form');
    await ruleForm.getByText(`检查「${CHECK}」不可用`).first().waitFor();
    expect(await ruleForm.getByTestId('rule-name').inputValue()).toBe(`检查「${CHECK}」不可用`);
    // Bound to this one check, by name: saving the rule here keeps it so.
    await expect.poll(() => ruleForm.getByTestId('rule-check-names').innerText()).toBe(CHECK);
    await screenshot(page, 'checks-alert-rule');
  });

  it('in English: the list, the heartbeat and uptime, the message and the form\'s retries and notify via read in English', async () => {
    await page.keyboard.press('Escape');
    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await page.getByTestId('nav-checks').click();
    await page.getByTestId('checks-page').waitFor();
    const table = page.getByTestId('checks-table');
    await table.getByRole('columnheader', { name: 'Latest results · uptime' }).waitFor();
    const row = checkRow();
    expect(await row.locator('[data-status]').first().innerText()).toBe('Up');
    expect(await row.getByTestId('check-message').innerText()).toMatch(/^HTTP 200 in [\d.]+ ms$/);
    expect(await row.getByTestId('check-uptime-day').innerText()).toBe('24 h 100%');
    expect(await row.getByTestId('check-uptime-month').innerText()).toBe('30 d 100%');

    await row.getByRole('button', { name: 'Edit' }).click();
    const drawer = page.getByTestId('check-form');
    await drawer.getByText('Retries before down').waitFor();
    expect(await drawer.getByLabel('Retries before down').inputValue()).toBe('2');
    await drawer.getByText('Notify via').waitFor();
    await drawer.getByTestId('check-notify-via').getByText(CHANNEL).waitFor();
    await drawer.getByTestId('check-notify-via').scrollIntoViewIfNeeded();
    await screenshot(page, 'checks-form-en');
  });
});
