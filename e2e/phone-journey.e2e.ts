import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import { hostWithSamples, signedInApi, type Api, type Sample } from './support/api.js';
import { chromiumAvailable, openJourney, SCREENSHOTS, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * The on-call administrator on a phone (390×844, touch, zh-CN): the alert link from DingTalk or WeCom
 * opens in the phone's browser. The menu is a drawer behind the hamburger, the header is one line, no
 * page is wider than the screen, lists are cards, and the alert's page is worked with one thumb:
 * acknowledge and silence from the bar at the bottom of the screen (the silence form rises from the
 * bottom). The same pages are looked at in English at the end.
 *
 * The `it` blocks share state and run in order.
 */

const PHONE = { width: 390, height: 844 };
/** Two evaluation cycles (15 s each) and some slack. */
const FIRE_TIMEOUT = 90_000;
/** Apple's and Material's smallest comfortable touch target. */
const THUMB = 44;
const HOST = 'srv-phone-01';
const RULE = '主机 CPU 过高（手机）';

describe.skipIf(!chromiumAvailable())('phone journey (browser, 390×844)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let hostId = '';
  let alertId = '';
  let pusher: ReturnType<typeof setInterval> | undefined;

  const cpu = (ts: number): Sample => ({ metric: 'host_cpu_usage_percent', ts, value: 85 + (ts % 7) });
  const push = (ts = Date.now()) => api('POST', '/api/v1/metrics', { samples: [{ ...cpu(ts), labels: { ci: hostId, agent: 'e2e-agent' } }] });

  /** Nothing on the page is wider than the phone (a cut-off table or a wrapped breadcrumb would be). */
  async function expectFitsScreen(where: string): Promise<void> {
    const width = Math.max(await page.locator('html').evaluate((el) => el.scrollWidth), await page.locator('body').evaluate((el) => el.scrollWidth));
    expect(width, `${where}: page width`).toBeLessThanOrEqual(PHONE.width);
  }
  /** The header is one line (56 px, the theme's height) and its title does not wrap. */
  async function expectOneLineHeader(title: string): Promise<void> {
    const header = await page.locator('header.ant-layout-header').boundingBox();
    expect(header?.height).toBe(56);
    const shown = page.getByTestId('header-title');
    expect(await shown.innerText()).toBe(title);
    expect((await shown.boundingBox())!.height).toBeLessThan(30);
  }
  /** What the phone's screen shows (a full-page picture of a phone page is a ribbon nobody can read). */
  const screenshot = (p: Page, name: string) => p.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
  async function expectThumbSized(target: Locator, name: string): Promise<void> {
    const box = (await target.boundingBox())!;
    expect(box.height, `${name} height`).toBeGreaterThanOrEqual(THUMB);
    expect(box.width, `${name} width`).toBeGreaterThanOrEqual(THUMB);
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney({ viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    page = journey.page;
  });

  afterAll(async () => {
    clearInterval(pusher);
    await journey?.close();
    await yw?.stop();
  });

  it('signs in on the phone; a host sends CPU samples above the threshold of a new rule', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    // The last five minutes, a sample every 15 s.
    const now = Date.now();
    hostId = await hostWithSamples(api, { name: HOST, ip: '10.20.9.2' }, () => Array.from({ length: 20 }, (_, i) => cpu(now - (300 - 15 * i) * 1000)));
    pusher = setInterval(() => void push().catch((error: unknown) => console.error('push failed', error)), 2000);
    await api('POST', '/api/alerting/rules', {
      name: RULE,
      spec: { kind: 'metric', selector: `host_cpu_usage_percent{ci="${hostId}"}`, reducer: 'last', windowSeconds: 60, op: '>', thresholds: { critical: 50 } },
      forSeconds: 10,
    });
  });

  it('the menu is a drawer behind the hamburger; choosing a page closes it; the header stays one line', async () => {
    await page.getByTestId('home-page').waitFor();
    expect(await page.getByTestId('nav-sider').count()).toBe(0);
    expect(await page.getByTestId('side-menu').isVisible()).toBe(false);
    await expectOneLineHeader('首页');
    for (const id of ['menu-toggle', 'api-docs-link', 'language-switch', 'user-menu']) {
      await expectThumbSized(page.getByTestId(id), id);
    }
    await expectFitsScreen('home');
    await screenshot(page, 'phone-home');

    await page.getByTestId('menu-toggle').tap();
    const drawer = page.getByTestId('nav-drawer');
    await drawer.getByTestId('side-menu').waitFor();
    // The drawer leaves a strip of the page to tap away; it is no wider than the screen.
    expect((await drawer.getByTestId('side-menu').boundingBox())!.width).toBeLessThan(PHONE.width);
    await screenshot(page, 'phone-menu-drawer');
    await drawer.getByTestId('nav-cmdbCis').tap();
    await page.waitForURL('**/cmdb/cis');
    await page.getByTestId('side-menu').waitFor({ state: 'hidden' });
    await page.getByTestId('ci-list-page').waitFor();
    await expectOneLineHeader('配置项');
  });

  it('lists are cards on a phone: the CI list', async () => {
    const card = page.getByTestId('row-card').filter({ hasText: HOST });
    await card.waitFor();
    expect(await card.innerText()).toContain('10.20.9.2');
    expect(await page.getByTestId('ci-list-page').locator('table').count()).toBe(0);
    await expectFitsScreen('CI list');
    await screenshot(page, 'phone-ci-cards');
    await card.getByTestId(`ci-link-${HOST}`).tap();
    await page.waitForURL(`**/cmdb/cis/${hostId}`);
    await page.getByTestId('ci-basics').waitFor();
    await expectFitsScreen('CI detail');
    await screenshot(page, 'phone-ci-detail');
  });

  it('the checks list is cards too; a table not made into cards scrolls inside its card', async () => {
    await api('POST', '/api/checks', { name: '商城接口端口', type: 'tcp', settings: { host: 'shop.invalid', port: 8443 }, ciId: hostId });
    await page.getByTestId('menu-toggle').tap();
    await page.getByTestId('nav-drawer').getByTestId('nav-checks').tap();
    const card = page.getByTestId('checks-table').getByTestId('row-card').filter({ hasText: '商城接口端口' });
    await card.waitFor();
    expect(await card.innerText()).toContain('shop.invalid');
    expect(await card.innerText()).toContain(HOST);
    await expectFitsScreen('checks');
    await screenshot(page, 'phone-check-cards');

    await page.getByTestId('menu-toggle').tap();
    await page.getByTestId('nav-drawer').getByTestId('nav-notifyChannels').tap();
    await page.waitForURL('**/alerts/channels');
    await page.locator('.ant-table-wrapper').first().waitFor();
    await expectFitsScreen('notification channels');
    await screenshot(page, 'phone-notify-channels');
    await page.getByTestId('notify-tab-deliveries').tap();
    expect(await page.getByTestId('notify-deliveries-table').getAttribute('data-layout')).toBe('cards');
    await expectFitsScreen('notification deliveries');
  });

  it('the alert list shows the firing alert as a card', async () => {
    await page.getByTestId('menu-toggle').tap();
    await page.getByTestId('nav-drawer').getByTestId('nav-alerts').tap();
    await page.getByTestId('alerts-page').waitFor();
    const list = page.getByTestId('alerts-table');
    expect(await list.getAttribute('data-layout')).toBe('cards');
    const card = list.getByTestId('row-card').filter({ hasText: RULE });
    await card.getByTestId('alert-state-firing').waitFor({ timeout: FIRE_TIMEOUT });
    expect(await card.innerText()).toContain(HOST);
    expect(await card.innerText()).not.toContain(hostId);
    expect(await list.locator('table').count()).toBe(0);
    alertId = (await card.getAttribute('data-row-key'))!;
    await expectOneLineHeader('告警列表');
    await expectFitsScreen('alert list');
    await screenshot(page, 'phone-alert-cards');
  });

  it("the message's absolute link opens the alert's own page: details stacked, actions in a bar under the thumb", async () => {
    await page.goto(`${yw.url}/alerts/${alertId}`);
    const alertPage = page.getByTestId('alert-page');
    await alertPage.waitFor();
    expect(await alertPage.getByTestId('alert-object').innerText()).toBe(HOST);
    expect(await alertPage.getByTestId('alert-summary').innerText()).toContain(HOST);
    expect(await alertPage.innerText()).not.toContain(hostId);
    await expectFitsScreen('alert page');

    const bar = page.getByTestId('alert-action-bar');
    const barBox = (await bar.boundingBox())!;
    expect(barBox.y + barBox.height).toBeCloseTo(PHONE.height, 0);
    expect(barBox.width).toBe(PHONE.width);
    for (const id of ['alert-ack', 'silence-from-alert']) {
      await expectThumbSized(bar.getByTestId(id), id);
      // Two buttons share the width: each is a broad target, not an icon.
      expect((await bar.getByTestId(id).boundingBox())!.width).toBeGreaterThan(PHONE.width / 3);
    }
    await screenshot(page, 'phone-alert-page');

    // An older message's link (`/alerts?alert=<id>`) lands on the same page.
    await page.goto(`${yw.url}/alerts?alert=${alertId}`);
    await page.waitForURL(`**/alerts/${alertId}`);
    await page.getByTestId('alert-page').waitFor();
  });

  it('[L3-2.1.3] acknowledges and silences the alert by tapping the bottom bar', async () => {
    const alertPage = page.getByTestId('alert-page');
    const bar = page.getByTestId('alert-action-bar');
    await bar.getByTestId('alert-ack').tap();
    await alertPage.getByTestId('alert-state-acknowledged').waitFor();
    await alertPage.getByTestId('alert-timeline').getByText('已确认').waitFor();
    // Acknowledged: only silencing is left, and it takes the whole bar.
    expect(await bar.getByTestId('alert-ack').count()).toBe(0);
    expect((await bar.getByTestId('silence-from-alert').boundingBox())!.width).toBeGreaterThan(PHONE.width * 0.8);

    await bar.getByTestId('silence-from-alert').tap();
    const form = page.getByTestId('silence-form');
    await form.getByTestId('silence-comment').waitFor();
    // The short form rises from the bottom of the screen and names what it silences.
    const panel = page.locator('.ant-drawer-bottom .ant-drawer-section');
    await expect.poll(async () => Math.round(await panel.evaluate((el) => el.getBoundingClientRect().bottom))).toBe(PHONE.height);
    expect((await panel.boundingBox())!.height).toBeLessThan(PHONE.height);
    expect(await form.innerText()).toContain(RULE);
    expect(await form.innerText()).toContain(HOST);
    const fourHours = form.getByTestId('silence-hours').getByText('4 小时', { exact: true });
    await expectThumbSized(fourHours.locator('xpath=ancestor::label[1]'), '4 小时');
    await fourHours.tap();
    await form.getByTestId('silence-comment').fill('手机上静默：扩容中');
    await expectFitsScreen('silence form');
    await screenshot(page, 'phone-silence-form');
    await expectThumbSized(form.getByTestId('silence-form-submit'), 'silence submit');
    const before = Date.now();
    await form.getByTestId('silence-form-submit').tap();
    await form.getByTestId('silence-comment').waitFor({ state: 'hidden' });

    const silences = (await api('GET', '/api/alerting/silences')).items as { comment: string; endsAt: number; matchers: { name: string; op: string; value: string }[] }[];
    const silence = silences.find((s) => s.comment === '手机上静默：扩容中')!;
    expect(silence.matchers).toEqual(expect.arrayContaining([{ name: 'alertname', op: '=', value: RULE }]));
    expect(silence.endsAt - before).toBeGreaterThan(4 * 3600_000 - 60_000);
    expect(silence.endsAt - before).toBeLessThan(4 * 3600_000 + 60_000);
    await alertPage.getByTestId('alert-suppressed').getByText('手机上静默：扩容中').waitFor({ timeout: FIRE_TIMEOUT });
    await expectFitsScreen('alert page, silenced');
    await screenshot(page, 'phone-alert-silenced');
  });

  it('in English too: the header, the cards and the alert page fit the phone', async () => {
    await page.getByTestId('language-switch').tap();
    await page.getByRole('menuitemcheckbox', { name: 'English' }).or(page.getByRole('menuitem', { name: 'English' })).tap();
    await page.getByTestId('alert-page').getByText('Back to alerts').waitFor();
    await expectOneLineHeader('Alerts');
    await expectFitsScreen('alert page (en)');
    await screenshot(page, 'phone-alert-page-en');

    await page.getByTestId('alert-page-back').tap();
    await page.getByTestId('alerts-page').waitFor();
    await page.getByTestId('alerts-table').getByTestId('row-card').filter({ hasText: RULE }).waitFor();
    await expectFitsScreen('alert list (en)');
    await screenshot(page, 'phone-alert-cards-en');

    await page.getByTestId('menu-toggle').tap();
    await page.getByTestId('nav-drawer').getByTestId('side-menu').waitFor();
    await screenshot(page, 'phone-menu-drawer-en');
    await page.getByTestId('nav-drawer').getByTestId('nav-cmdbCis').tap();
    await page.getByTestId('ci-list-page').waitFor();
    await page.getByTestId('row-card').filter({ hasText: HOST }).waitFor();
    await expectFitsScreen('CI list (en)');
    await screenshot(page, 'phone-ci-cards-en');
  });
});
