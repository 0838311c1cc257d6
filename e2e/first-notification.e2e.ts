import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReceiver, type TestReceiver } from '../apps/server/src/platform/notify/notify.testing.js';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, named, totp } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * The first day, from nothing to a first notification, as a new administrator does it — once in zh-CN
 * and once in English, each on a fresh install whose public address is set (YUNWEI_PUBLIC_URL):
 * sign in (password change, MFA) → the 三员 wizard creates the security and audit administrators →
 * 首页 shows the getting-started checklist → one check form adds an HTTP check of a real local service,
 * with a new webhook channel created from inside the form → the first result arrives without pressing
 * anything → the service stops, the check goes down → the webhook receives a message that names the
 * check and its CI and links to the alert by an absolute URL → 首页 shows the problem → the header's
 * bell acknowledges it → the link from the message opens the alert.
 *
 * The host CI is created through the API (the CMDB journey covers creating CIs in the UI).
 * The `it` blocks of each language share state and run in order.
 */

interface Words {
  lang: 'zh-CN' | 'en';
  username: string;
  password: string;
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
  changePassword: string;
  duty: { username: string; displayName: string };
  createdHome: string;
  checkName: string;
  ciName: string;
  channelName: string;
  up: RegExp;
  /** What the message says the alert is (the check's rule fires "down"). */
  messageTitle: RegExp;
  messageCi: string;
  problems: string;
  acknowledged: string;
}

const WORDS: Words[] = [
  {
    lang: 'zh-CN',
    username: '用户名',
    password: '密码',
    currentPassword: '当前密码',
    newPassword: '新密码',
    confirmPassword: '确认新密码',
    changePassword: '修改密码',
    duty: { username: '用户名', displayName: '姓名' },
    createdHome: '我已记下密码，进入首页',
    checkName: '门户网站',
    ciName: '门户服务器 web-01',
    channelName: '值班群 Webhook',
    up: /正常/,
    messageTitle: /门户网站/,
    messageCi: '门户服务器 web-01',
    problems: '当前问题',
    acknowledged: '已确认',
  },
  {
    lang: 'en',
    username: 'User name',
    password: 'Password',
    currentPassword: 'Current password',
    newPassword: 'New password',
    confirmPassword: 'Confirm new password',
    changePassword: 'Change password',
    duty: { username: 'User name', displayName: 'Name' },
    createdHome: 'I have noted the passwords, go to the home page',
    checkName: 'Customer portal',
    ciName: 'portal server web-01',
    channelName: 'On-call webhook',
    up: /Up/,
    messageTitle: /Customer portal/,
    messageCi: 'portal server web-01',
    problems: 'Problems',
    acknowledged: 'Acknowledged',
  },
];

const TIMEOUT = 20_000;

/** A web service that answers 200 "healthy" until it is stopped. */
async function startService(): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.end('healthy');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/health`, server };
}

(chromiumAvailable() ? describe : describe.skip).each(WORDS)('first notification in minutes, in $lang (browser)', (w) => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let hook: TestReceiver;
  let service: { url: string; server: Server };
  let ciId = '';
  let alertUrl = '';

  beforeAll(async () => {
    service = await startService();
    hook = await startReceiver(() => ({ status: 200, json: { ok: true } }));
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial, YUNWEI_NOTIFY_ALLOW_LOCAL: 'true' }, { publicUrl: true });
    journey = await openJourney({ locale: w.lang, timeoutMs: TIMEOUT });
    page = journey.page;
    page.on('response', async (res) => {
      if (res.status() >= 400 && res.url().includes('/api/')) {
        console.error(`[api] ${res.request().method()} ${res.url()} → ${res.status()} ${await res.text().catch(() => '')}`);
      }
    });
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    await hook?.stop();
    await new Promise((r) => (service?.server.listening ? service.server.close(r) : r(undefined)));
  });

  it('signs in for the first time (password, MFA) and the wizard creates the security and the audit administrator', async () => {
    await page.goto(`${yw.url}/login`);
    if (w.lang === 'en') {
      await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    }
    await page.getByLabel(w.username).fill(ADMIN.username);
    await page.getByLabel(w.password, { exact: true }).fill(ADMIN.initial);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/change-password');
    await page.getByLabel(w.currentPassword).fill(ADMIN.initial);
    await page.getByLabel(w.newPassword, { exact: true }).fill(ADMIN.password);
    await page.getByLabel(w.confirmPassword).fill(ADMIN.password);
    await page.getByRole('button', { name: named(w.changePassword) }).click();
    await page.waitForURL('**/mfa-enrol');
    const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/[^A-Z2-7]/g, '');
    await page.getByTestId('mfa-code').locator('input').first().click();
    await page.keyboard.type(totp(secret));

    await page.waitForURL('**/setup/duty-accounts');
    for (const [section, username, displayName] of [
      ['securityAdmin', 'anquan01', w.lang === 'en' ? 'Sam Security' : '王安全'],
      ['auditAdmin', 'shenji01', w.lang === 'en' ? 'Alex Audit' : '李审计'],
    ] as const) {
      const part = page.getByTestId(`duty-section-${section}`);
      await part.getByLabel(w.duty.username, { exact: true }).fill(username);
      await part.getByLabel(w.duty.displayName, { exact: true }).fill(displayName);
    }
    await page.getByTestId('duty-accounts-submit').click();
    await page.getByTestId('duty-accounts-created').getByRole('button', { name: named(w.createdHome) }).click();
    await page.getByTestId('home-page').waitFor();
    api = await signedInApi(page, yw.url);
  });

  it('an empty 首页 shows the getting-started checklist, nothing done yet', async () => {
    const checklist = page.getByTestId('home-getting-started');
    await checklist.waitFor();
    for (const step of ['hasHostOrCheck', 'hasChannel', 'hasSentTest', 'hasSeenAlert']) {
      expect(await checklist.getByTestId(`home-getting-started-${step}`).getAttribute('data-done'), step).toBe('false');
    }
    await screenshot(page, `first-notification-${w.lang}-home-empty`);
  });

  it('adds an HTTP check of the service in one form: its CI, one retry, and a webhook channel created from inside the form', async () => {
    const classes = (await api('GET', '/api/cmdb/classes')) as { id: string; code: string }[];
    ciId = ((await api('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'server')!.id, name: w.ciName, ip: '127.0.0.1' })) as { id: string }).id;

    await page.getByTestId('nav-checks').click();
    await page.getByTestId('create-check').click();
    const form = page.getByTestId('check-form');
    await form.getByTestId('check-name').fill(w.checkName);
    await form.getByTestId('check-settings-url').fill(service.url);
    await form.getByTestId('check-settings-bodyMatch').fill('healthy');
    await form.getByTestId('check-interval').fill('10');
    await form.getByTestId('check-retries').fill('1');
    await form.getByTestId('check-ci').click();
    await page.keyboard.type('web-01');
    await page.locator('.ant-select-dropdown:visible').getByText(w.ciName).click();

    // No channel yet: one is made from the form and comes back selected.
    await form.getByTestId('check-notify-new-channel').click();
    const channel = page.getByTestId('notify-channel-form');
    await channel.getByTestId('notify-name').fill(w.channelName);
    await channel.getByTestId('notify-type').click();
    await page.locator('.ant-select-dropdown:visible').getByText('Webhook', { exact: true }).click();
    await channel.getByTestId('notify-config-url').fill(`${hook.url}/yunwei`);
    // The first channel of the install is offered as the default for critical alerts.
    expect(await channel.getByTestId('notify-is-default').getAttribute('aria-checked')).toBe('true');
    await channel.getByTestId('notify-channel-form-submit').click();
    await channel.waitFor({ state: 'hidden' });
    await expect.poll(() => form.getByTestId('check-notify-via').innerText()).toContain(w.channelName);
    await screenshot(page, `first-notification-${w.lang}-check-form`);

    await form.getByTestId('check-form-submit').click();
    await form.waitFor({ state: 'hidden' });
    // Probed on save: the first result arrives without "run now".
    const row = page.locator('tr', { hasText: w.checkName });
    await expect.poll(async () => row.locator('[data-status]').first().getAttribute('data-status'), { timeout: TIMEOUT }).toBe('up');
    expect(await row.innerText()).toMatch(w.up);
    expect(await row.innerText()).toContain(w.ciName);
    await screenshot(page, `first-notification-${w.lang}-check-up`);
  });

  it('the service stops: the check goes down and the webhook gets a message naming the check and its CI, with an absolute link to the alert', async () => {
    await new Promise((r) => service.server.close(r));
    service.server.closeAllConnections();
    const row = page.locator('tr', { hasText: w.checkName });
    await expect.poll(async () => row.locator('[data-status]').first().getAttribute('data-status'), { timeout: 30_000 }).toBe('down');

    await expect.poll(() => hook.requests.filter((r) => r.json?.status === 'firing').length, { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    const message = hook.requests.find((r) => r.json?.status === 'firing')!.json as { title: string; text: string; url: string; severity: string };
    expect(message.title).toMatch(w.messageTitle);
    expect(`${message.title}\n${message.text}`).toContain(w.messageCi);
    expect(message.text).not.toContain(ciId);
    expect(message.severity).toBe('critical');
    expect(message.url.startsWith(`${yw.url}/alerts/`), message.url).toBe(true);
    alertUrl = message.url;
    if (w.lang === 'en') {
      // The channel was created in English: its messages are in English.
      expect(`${message.title}\n${message.text}`).not.toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('首页 shows the problem by name, and the bell acknowledges it', async () => {
    await page.getByTestId('nav-home').click();
    const problems = page.getByTestId('home-problems');
    await expect.poll(() => problems.innerText(), { timeout: TIMEOUT }).toContain(w.ciName);
    expect(await problems.innerText()).toContain(w.problems);
    expect(await page.getByTestId('home-severity-critical').getAttribute('data-count')).toBe('1');
    expect(await page.getByTestId('home-checks-down').innerText()).toContain(w.checkName);
    await screenshot(page, `first-notification-${w.lang}-home-problem`);

    const id = alertUrl.slice(alertUrl.lastIndexOf('/') + 1);
    await expect.poll(() => page.getByTestId('alert-bell-count').getAttribute('data-count')).toBe('1');
    await page.getByTestId('alert-bell').click();
    const popover = page.getByTestId('alert-bell-popover');
    expect(await popover.innerText()).toContain(w.ciName);
    await popover.getByTestId(`alert-bell-ack-${id}`).click();
    await expect.poll(() => page.getByTestId('alert-bell-count').getAttribute('data-count'), { timeout: TIMEOUT }).toBe('0');
    expect(((await api('GET', `/api/alerting/alerts/${id}`)) as { state: string }).state).toBe('acknowledged');
    await page.keyboard.press('Escape');
  });

  it('the link in the message opens the alert, acknowledged, named by check and CI', async () => {
    await page.goto(alertUrl);
    const detail = page.getByTestId('alert-detail');
    await expect.poll(() => detail.innerText(), { timeout: TIMEOUT }).toContain(w.ciName);
    const text = await detail.innerText();
    expect(text).toContain(w.checkName);
    expect(text).toContain(w.acknowledged);
    await screenshot(page, `first-notification-${w.lang}-alert`);
  });
});
