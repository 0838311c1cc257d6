import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * What the server refuses shows on the field it is about, in the reader's language (not only in a
 * passing toast): a taken user name under 用户名, and a panel selector the dashboard's save refused
 * under the panel's 查询 field (the panel editor opens again to show it).
 *
 * The `it` blocks share state and run in order.
 */

const TIMEOUT = 15_000;

describe.skipIf(!chromiumAvailable())('server field errors on their fields (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  /** Fills the new-user drawer with a user name that exists (the server's 409 names body.username) and saves. */
  async function createUserNamedAdmin(labels: { create: string; username: string; name: string; password: string; confirm: string; save: string }) {
    await page.goto(`${yw.url}/platform/users`);
    await page.getByRole('button', { name: named(labels.create) }).click();
    const drawer = page.locator('.ant-drawer').filter({ has: page.locator('#user-form_username') });
    await drawer.getByLabel(labels.username, { exact: true }).fill('admin');
    await drawer.getByLabel(labels.name, { exact: true }).fill('Another admin');
    await drawer.getByLabel(labels.password, { exact: true }).fill('Another#Admin2024');
    await drawer.getByLabel(labels.confirm, { exact: true }).fill('Another#Admin2024');
    await drawer.getByRole('button', { name: named(labels.save) }).click();
    return drawer;
  }

  it('a taken user name is said under 用户名, in Chinese, without the API path', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const drawer = await createUserNamedAdmin({ create: '新建用户', username: '用户名', name: '姓名', password: '初始密码', confirm: '确认新密码', save: '保存' });
    const help = drawer.locator('#user-form_username_help');
    await help.waitFor();
    expect(await help.innerText()).toBe('用户名已存在');
    await screenshot(page, 'field-error-username-zh');
  });

  it('and in English after switching the language', async () => {
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('yunwei.language', 'en'));
    const drawer = await createUserNamedAdmin({ create: 'New user', username: 'User name', name: 'Name', password: 'Initial password', confirm: 'Confirm new password', save: 'Save' });
    const help = drawer.locator('#user-form_username_help');
    await help.waitFor();
    expect(await help.innerText()).toBe('The user name is already taken');
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('yunwei.language', 'zh-CN'));
  });

  it('a panel selector the server refuses reopens the panel with the reason on its 查询 field', async () => {
    const dashboard = (await api('POST', '/api/dashboards', { name: '应用主机' })) as { id: string };
    await page.goto(`${yw.url}/monitoring/dashboards/${dashboard.id}/edit`);
    await page.getByTestId('panel-add').click();
    const panel = page.getByTestId('panel-form');
    await panel.getByLabel('标题').fill('请求速率');
    // A PromQL function: the editor accepts the text, the server (which answers series selectors only) does not.
    await panel.getByLabel('查询（序列选择器）').fill('rate(http_requests_total[5m])');
    await page.getByTestId('panel-save').click();
    await panel.waitFor({ state: 'hidden' });
    await page.getByTestId('dashboard-save').click();
    await panel.waitFor();
    const error = panel.locator('.ant-form-item-explain-error');
    // The selector's own problem, worded for people: neither the API path nor the request's generic title.
    await expect.poll(() => error.allInnerTexts(), { timeout: TIMEOUT }).toEqual(['第 5 个字符处出现了多余的“(http_requ”（只支持序列选择器，不支持 PromQL 函数）']);
    expect(await panel.getByLabel('查询（序列选择器）').inputValue()).toBe('rate(http_requests_total[5m])');
    await screenshot(page, 'field-error-panel-selector');
    // Nothing was saved.
    expect(((await api('GET', `/api/dashboards/${dashboard.id}`)) as { panels: unknown[] }).panels).toEqual([]);
  });
});
