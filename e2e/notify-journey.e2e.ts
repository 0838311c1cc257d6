import { createHmac } from 'node:crypto';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../apps/server/src/platform/notify/notify.testing.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Notification channels in the browser, in zh-CN: the administrator opens 通知渠道, adds a signed
 * webhook (a real receiver run by the test checks the signature) and a DingTalk robot whose endpoint
 * refuses the signature, sends a test message to each and sees the outcome, then finds both in the
 * delivery log (已发送 / 失败 with the robot's error) and retries the failed one.
 *
 * The `it` blocks share state and run in order.
 */

const SECRET = 'e2e-hook-secret';

describe.skipIf(!chromiumAvailable())('notification channels journey (browser + real receivers)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let hook: TestReceiver;
  let robot: TestReceiver;

  const row = (name: string) => page.getByTestId('notify-channels-table').locator('tr.ant-table-row').filter({ hasText: name });
  const dropdown = () => page.locator('.ant-select-dropdown:visible');

  beforeAll(async () => {
    hook = await startReceiver(() => ({ status: 200, json: { ok: true } }));
    robot = await startReceiver(() => ({ status: 200, json: { errcode: 310000, errmsg: 'sign not match' } }));
    // The receivers listen on 127.0.0.1, which channels may not reach by default (outbound policy).
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial, YUNWEI_NOTIFY_ALLOW_LOCAL: 'true' });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    await hook?.stop();
    await robot?.stop();
  });

  it('admin signs in and opens 通知渠道 under 告警通知 (empty)', async () => {
    await firstAdminSignIn(page, yw.url);
    await page.getByTestId('nav-notifyChannels').click();
    await page.getByTestId('notify-page').waitFor();
    await page.getByText('还没有通知渠道').waitFor();
    // The empty list's next step: the first channel, which can be the default one.
    expect(await page.getByTestId('list-empty').innerText()).toContain('默认渠道');
    await page.getByTestId('notify-create-empty').waitFor();
    // The empty delivery log says how to get a first entry, and links to where it is done.
    await page.getByTestId('notify-tab-deliveries').click();
    // The delivery log's own empty state (the channels tab's stays in the page while the panes switch).
    const emptyLog = page.getByTestId('list-empty').filter({ has: page.getByTestId('notify-deliveries-empty-link') });
    expect(await emptyLog.innerText()).toContain('发送测试消息');
    await page.getByTestId('notify-deliveries-empty-link').click();
    await page.getByTestId('notify-create-empty').waitFor();
    // Started without YUNWEI_PUBLIC_URL: links in messages cannot open from a phone, and the page says so.
    expect(await page.getByTestId('public-url-missing').innerText()).toContain('YUNWEI_PUBLIC_URL');
  });

  it('adds a signed webhook, the first channel, offered as the default for critical alerts: a bad URL is refused on the field, the secret shows as 已设置, the list says 默认', async () => {
    await page.getByTestId('notify-create').click();
    const drawer = page.getByTestId('notify-channel-form');
    await drawer.getByText('新建通知渠道').first().waitFor();
    // The first channel: critical alerts have nowhere else to go, so it is offered as the default (checked) and the form says why.
    await expect.poll(() => drawer.getByTestId('notify-is-default').getAttribute('aria-checked')).toBe('true');
    expect(await drawer.getByTestId('notify-is-default-help').innerText()).toContain('这是第一个通知渠道');
    await drawer.getByTestId('notify-name').fill('值班 Webhook');
    await drawer.getByTestId('notify-type').click();
    await dropdown().getByText('Webhook', { exact: true }).click();
    await drawer.getByTestId('notify-config-url').fill('ftp://127.0.0.1/hook');
    await drawer.getByTestId('notify-config-secret').fill(SECRET);
    await drawer.getByTestId('notify-channel-form-submit').click();
    await drawer.getByText(/must match pattern|必须是 http 或 https 地址/).waitFor();

    await drawer.getByTestId('notify-config-url').fill(`${hook.url}/yunwei`);
    await drawer.getByTestId('notify-channel-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await row('值班 Webhook').waitFor();
    expect(await row('值班 Webhook').innerText()).toContain('签名密钥 · 已设置');
    expect(await row('值班 Webhook').innerText()).not.toContain(SECRET);
    await row('值班 Webhook').getByTestId('notify-default-tag').getByText('默认').waitFor();
    // The built-in default policy sends critical alerts to it: nothing else to set up.
    const channels = (await page.evaluate(async () => (await (await fetch('/api/notify/channels')).json()) as { items: { name: string; isDefault: boolean }[] })).items;
    expect(channels.find((c) => c.name === '值班 Webhook')?.isDefault).toBe(true);
  });

  it('[L3-2.1.3] sends a test message: the receiver gets it signed, the page says it was sent', async () => {
    await row('值班 Webhook').getByRole('button', { name: named('发送测试消息') }).click();
    await page.getByTestId('notify-test-result').getByText(/测试消息已发送到“值班 Webhook”/).waitFor();
    const req = hook.requests[0]!;
    const timestamp = String(req.headers['x-yunwei-timestamp']);
    expect(req.headers['x-yunwei-signature']).toBe(`sha256=${createHmac('sha256', SECRET).update(`${timestamp}.${req.body}`).digest('hex')}`);
    expect(req.json.title).toBe('【运维】测试消息：值班 Webhook');
    // One time format with the zone (YUNWEI_TIME_ZONE, Asia/Shanghai by default); a relative link while no public URL is set.
    expect(req.json.text).toMatch(/时间：\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \(UTC\+08:00\)/);
    expect(req.json.url).toBe('/alerts/channels');
  });

  it('a DingTalk robot that refuses the signature: the test shows the robot\'s error', async () => {
    await page.getByTestId('notify-create').click();
    const drawer = page.getByTestId('notify-channel-form');
    await drawer.getByTestId('notify-name').fill('运维钉钉群');
    // A later channel shows the same switch, off.
    await expect.poll(() => drawer.getByTestId('notify-is-default').getAttribute('aria-checked')).toBe('false');
    expect(await drawer.getByTestId('notify-is-default-help').innerText()).toContain('严重告警发到所有默认渠道');
    await drawer.getByTestId('notify-config-accessToken').fill('token-1');
    await drawer.getByTestId('notify-config-signSecret').fill('SECwrong');
    await drawer.getByTestId('notify-config-baseUrl').fill(`${robot.url}/robot/send`);
    await screenshot(page, 'notify-channel-form');
    await drawer.getByTestId('notify-channel-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await row('运维钉钉群').getByRole('button', { name: named('发送测试消息') }).click();
    const result = page.getByTestId('notify-test-result');
    await result.getByText('测试消息发送到“运维钉钉群”失败').waitFor();
    // The robot's own words stay as it said them, inside the reader's language.
    await result.getByText('机器人返回错误 errcode 310000：sign not match').waitFor();
    expect(await row('运维钉钉群').getByTestId('notify-default-tag').count()).toBe(0);
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' }).catch(() => undefined);
    await screenshot(page, 'notify-channels');
  });

  it('the delivery log shows 已发送 and 失败 with the error; retry queues the failed one again', async () => {
    await page.getByTestId('notify-tab-deliveries').click();
    const table = page.getByTestId('notify-deliveries-table');
    const sent = table.locator('tr.ant-table-row').filter({ hasText: '值班 Webhook' });
    const failed = table.locator('tr.ant-table-row').filter({ hasText: '运维钉钉群' });
    await expect.poll(() => sent.locator('[data-status]').getAttribute('data-status')).toBe('sent');
    await expect.poll(() => failed.locator('[data-status]').getAttribute('data-status')).toBe('failed');
    expect(await failed.getByTestId('notify-delivery-error').innerText()).toBe('机器人返回错误 errcode 310000：sign not match');
    await page.waitForTimeout(400); // the tab's animation
    await screenshot(page, 'notify-deliveries');

    // Filters live in the URL: a filtered log survives a reload; a filter matching nothing offers to clear it.
    const rows = table.locator('tr.ant-table-row');
    await page.getByTestId('filter-status').click();
    await dropdown().getByText('失败', { exact: true }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('status')).toBe('failed');
    await expect.poll(() => rows.count()).toBe(1);
    await page.reload();
    await failed.waitFor();
    expect(await rows.count()).toBe(1);
    expect(new URL(page.url()).searchParams.get('tab')).toBe('deliveries');
    await page.getByTestId('filter-status').click();
    await dropdown().getByText('排队中', { exact: true }).click();
    await page.getByTestId('list-clear-filters').click();
    await expect.poll(() => rows.count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('status')).toBeNull();

    const before = robot.requests.length;
    await failed.getByRole('button', { name: named('重试') }).click();
    await page.getByText('已重新排队发送').waitFor();
    // The server's delivery worker sends it again (the robot still refuses: retrying, attempts counted).
    await expect.poll(() => robot.requests.length, { timeout: 10_000 }).toBeGreaterThan(before);
    await expect.poll(() => failed.locator('[data-status]').getAttribute('data-status'), { timeout: 10_000 }).toBe('retrying');
  });

  it('in English: the same log with English labels (messages stay in the channel\'s language)', async () => {
    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await page.getByTestId('notify-tab-deliveries').getByText('Delivery log').waitFor();
    const table = page.getByTestId('notify-deliveries-table');
    await table.getByText('Sent', { exact: true }).waitFor();
    await table.getByText('Retrying', { exact: true }).waitFor();
    await table.getByText('errcode 310000: sign not match', { exact: true }).waitFor();
    await page.getByText('Notification channels').first().waitFor();
    await page.waitForTimeout(400);
    await screenshot(page, 'notify-deliveries-en');
    await page.getByTestId('language-switch').getByText('中文', { exact: true }).click();
  });
});
