import { createServer, type Server } from 'node:http';
import type net from 'node:net';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * A public status page, in zh-CN: the administrator gives the business system 网上办事大厅 a status
 * page with one component — an HTTP check of a real service the test runs — and publishes it. A
 * visitor who never signed in (another browser context) opens /status/<slug> and reads 正常运行; the
 * service stops, the check goes DOWN and the page says 服务中断; a notice the administrator posts
 * appears. Desktop and a 390 px phone.
 *
 * The `it` blocks share state and run in order.
 */

const DESKTOP = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };
const TIMEOUT = 15_000;
const SLUG = 'service-hall';
/** The check runs every 5 s; the public answer is cached 10 s; the page re-reads every 30 s (or on reload). */
const STATE_CHANGE = 60_000;

describe.skipIf(!chromiumAvailable())('status page journey (browser + a real HTTP service)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let visitor: BrowserContext;
  let page: Page;
  let api: Api;
  let service: Server;
  let serviceUrl = '';
  let checkId = '';

  /** Reloads the visitor's page until the banner says `state` (check runs and the short cache take a few seconds). */
  async function bannerBecomes(view: Page, state: string): Promise<void> {
    await expect
      .poll(
        async () => {
          await view.reload();
          // Says what the page shows instead when there is no banner (an error, a spinner).
          return view
            .getByTestId('status-banner')
            .getAttribute('data-state', { timeout: TIMEOUT })
            .catch(async () => `no banner: ${(await view.locator('body').innerText()).slice(0, 300)}`);
        },
        { timeout: STATE_CHANGE, interval: 3000 },
      )
      .toBe(state);
  }

  beforeAll(async () => {
    service = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('service hall: healthy'));
    await new Promise<void>((r) => service.listen(0, '127.0.0.1', r));
    serviceUrl = `http://127.0.0.1:${(service.address() as net.AddressInfo).port}/health`;
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    await new Promise((r) => service?.close(r));
  });

  it('admin signs in; the business system and an HTTP check of its service exist', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const classes = (await api('GET', '/api/cmdb/classes')) as { id: string; code: string }[];
    await api('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'business_system')!.id, name: '网上办事大厅' });
    const check = await api('POST', '/api/checks', { name: 'hall-web-01 http', type: 'http', settings: { url: serviceUrl, bodyMatch: 'healthy' }, intervalSeconds: 5, timeoutMs: 2000 });
    checkId = check.id;
    expect((await api('POST', `/api/checks/${checkId}/run`)).status).toBe('up');
  });

  it('creates the status page in 状态页: business system and check picked by name, a public display name, published', async () => {
    await page.getByTestId('nav-statusPages').click();
    await page.getByTestId('status-pages-page').waitFor();
    await page.getByTestId('create-status-page').click();
    const drawer = page.getByTestId('status-page-form');
    await drawer.getByText('新建状态页').first().waitFor();
    await drawer.getByTestId('status-page-title').fill('网上办事大厅 服务状态');
    await drawer.getByTestId('status-page-title-en').fill('Online Service Hall status');
    await drawer.getByTestId('status-page-slug').fill('Service Hall');
    await drawer.getByTestId('status-page-business-system').click();
    await page.keyboard.type('办事大厅');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '网上办事大厅' }).click();
    await drawer.getByTestId('status-component-check-0').click();
    await page.keyboard.type('hall');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: 'hall-web-01 http' }).click();
    await drawer.getByTestId('status-component-name-0').fill('网上办事大厅网站');
    await drawer.getByTestId('status-page-published').click();
    // The address is refused on its field, in words.
    await drawer.getByTestId('status-page-form-submit').click();
    await drawer.getByText('只能包含小写字母、数字和 -，且不能以 - 开头或结尾').waitFor();
    await screenshot(page, 'status-page-form');
    await drawer.getByTestId('status-page-slug').fill(SLUG);
    await drawer.getByTestId('status-page-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    await page.getByTestId(`status-page-published-${SLUG}`).getByText('已发布').waitFor();
    await page.locator('.ant-message-notice').first().waitFor({ state: 'detached' });
    await screenshot(page, 'status-pages-admin');
  });

  it('a visitor who never signed in opens /status/<slug>: 所有服务正常运行, the component with its bars and uptime (desktop and phone)', async () => {
    const view = await journey.newPage();
    visitor = view.context();
    // A failing public answer is the first thing to know when this journey fails.
    view.on('response', (res) => {
      if (res.url().includes('/api/public/status/') && res.status() !== 200 && res.status() !== 404) {
        void res.text().then((body) => console.error(`[visitor] ${res.status()} ${res.url()} ${body.slice(0, 300)}`));
      }
    });
    const response = await view.goto(`${yw.url}/status/${SLUG}`);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    await view.getByTestId('status-banner').getByText('所有服务正常运行').waitFor();
    expect(await view.getByTestId('status-title').innerText()).toBe('网上办事大厅 服务状态');
    const component = view.getByTestId('status-component');
    expect(await component.count()).toBe(1);
    expect(await component.getAttribute('data-state')).toBe('operational');
    expect(await component.innerText()).toContain('网上办事大厅网站');
    expect(await component.getByTestId('status-component-state').innerText()).toBe('正常运行');
    expect(await component.getByTestId('uptime-bars').locator('[data-state]').count()).toBe(30);
    expect(await component.getByTestId('status-component-uptime').innerText()).toContain('24 小时 100.00%');
    // Nothing internal on the page: not the check's own name, not its target.
    const text = await view.locator('body').innerText();
    expect(text).not.toContain('hall-web-01');
    expect(text).not.toContain('127.0.0.1');
    // The visitor is not signed in: the menu and the sign-in cookie are nowhere.
    expect(await view.getByTestId('nav-statusPages').count()).toBe(0);
    expect((await visitor.cookies()).filter((c) => c.name === 'yw_session')).toEqual([]);
    await screenshot(view, 'status-page-public');

    // English, one click away.
    await view.getByTestId('language-switch').getByText('English').click();
    await view.getByTestId('status-banner').getByText('All systems operational').waitFor();
    expect(await view.getByTestId('status-title').innerText()).toBe('Online Service Hall status');
    expect(await view.getByTestId('status-component-state').innerText()).toBe('Operational');
    await screenshot(view, 'status-page-public-en');
    await view.getByTestId('language-switch').getByText('中文').click();
    await view.getByTestId('status-banner').getByText('所有服务正常运行').waitFor();

    await view.setViewportSize(PHONE);
    await view.getByTestId('status-banner').waitFor();
    // Nothing wider than the phone: no sideways scrolling.
    expect(await view.locator('html').evaluate((el) => el.scrollWidth)).toBeLessThanOrEqual(PHONE.width);
    await screenshot(view, 'status-page-public-phone');

    await view.setViewportSize(DESKTOP);
  });

  it('[L3-2.1.1] the service stops: the check goes down and the public page shows the outage', async () => {
    await new Promise((r) => service.close(r));
    const view = visitor.pages()[0]!;
    await bannerBecomes(view, 'outage');
    await view.getByTestId('status-banner').getByText('服务中断').waitFor();
    expect(await view.getByTestId('status-component').getAttribute('data-state')).toBe('outage');
    expect(await view.getByTestId('status-component-state').innerText()).toBe('服务中断');
    await screenshot(view, 'status-page-outage');
  });

  it('[L4-2.3.1] the administrator posts an incident notice; the visitor reads it on the page', async () => {
    await page.getByTestId(`status-page-notices-${SLUG}`).click();
    const drawer = page.getByTestId('notices-drawer');
    await drawer.getByTestId('notice-title').fill('网站无法访问');
    await drawer.getByTestId('notice-body').fill('网上办事大厅网站暂时无法访问，工程师正在处理，预计 30 分钟内恢复。');
    await drawer.getByTestId('notice-severity').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: '紧急' }).click();
    await drawer.getByTestId('notice-submit').click();
    await drawer.getByTestId('admin-notice').filter({ hasText: '网站无法访问' }).waitFor();
    await page.locator('.ant-drawer-close:visible').click();
    await drawer.waitFor({ state: 'hidden' });

    const view = visitor.pages()[0]!;
    await view.reload();
    const notice = view.getByTestId('status-current-notices').getByTestId('status-notice');
    await notice.filter({ hasText: '网站无法访问' }).waitFor();
    expect(await notice.innerText()).toContain('工程师正在处理');
    expect(await notice.innerText()).toContain('紧急');
    expect(await notice.getAttribute('data-phase')).toBe('active');
    // The notice does not name who posted it.
    expect(await view.locator('body').innerText()).not.toContain(ADMIN.username);
    await screenshot(view, 'status-page-notice');
    await view.setViewportSize(PHONE);
    await view.getByTestId('status-notice').first().waitFor();
    await screenshot(view, 'status-page-notice-phone');
  });

  it('an unpublished page is "not found" for the visitor, like a slug that never existed', async () => {
    await page.getByTestId(`status-page-toggle-${SLUG}`).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: named('停止发布') }).click();
    await page.getByTestId(`status-page-published-${SLUG}`).getByText('未发布').waitFor();
    const view = visitor.pages()[0]!;
    await view.setViewportSize(DESKTOP);
    await view.goto(`${yw.url}/status/${SLUG}`);
    await view.getByTestId('status-not-found').getByText('状态页不存在').waitFor();
    await view.goto(`${yw.url}/status/no-such-page`);
    await view.getByTestId('status-not-found').getByText('状态页不存在').waitFor();
  });
});
