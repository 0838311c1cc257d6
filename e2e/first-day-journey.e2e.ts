import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, named, totp } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * The first day of a fresh install, in zh-CN: the system administrator's first sign-in (password, MFA)
 * leads to the 三员 wizard; "later" leaves a reminder on the home page and the user list; the wizard
 * then creates the security and the audit administrator with one-time passwords shown once; both sign
 * in (password change, MFA), and the auditor finds the set-up in the audit trail.
 *
 * The `it` blocks share state and run in order.
 */

const SECURITY = { username: 'anquan01', displayName: '王安全', password: 'Secure#Duty2025' };
const AUDITOR = { username: 'shenji01', displayName: '李审计', password: 'Audit#Duty2025' };
const TIMEOUT = 15_000;

describe.skipIf(!chromiumAvailable())('first day: 三员分立 from the first start (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let admin: Page;
  const initial = new Map<string, string>();

  /** Sign-in with the forced password change and MFA enrolment; stops where the app leads next. */
  async function firstSignIn(page: Page, username: string, current: string, next: string): Promise<void> {
    await page.goto(`${yw.url}/login`);
    await page.getByLabel('用户名').fill(username);
    await page.getByLabel('密码', { exact: true }).fill(current);
    await page.getByTestId('login-submit').click();
    await page.waitForURL('**/change-password');
    await page.getByLabel('当前密码').fill(current);
    await page.getByLabel('新密码', { exact: true }).fill(next);
    await page.getByLabel('确认新密码').fill(next);
    await page.getByRole('button', { name: named('修改密码') }).click();
    await page.waitForURL('**/mfa-enrol');
    const secret = (await page.getByTestId('mfa-secret').innerText()).replace(/[^A-Z2-7]/g, '');
    await page.getByTestId('mfa-code').locator('input').first().click();
    await page.keyboard.type(totp(secret));
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    admin = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('after the password change and MFA enrolment the wizard asks for the two duty accounts; "later" leaves a reminder on the home page and the user list', async () => {
    await firstSignIn(admin, ADMIN.username, ADMIN.initial, ADMIN.password);
    await admin.waitForURL('**/setup/duty-accounts');
    const wizard = admin.getByTestId('duty-accounts-setup');
    await wizard.getByText('安全管理员', { exact: true }).waitFor();
    await wizard.getByText('审计管理员', { exact: true }).waitFor();
    await wizard.getByText('安全管理员账号建立后，您将不再兼任安全管理员', { exact: false }).waitFor();
    await screenshot(admin, 'first-day-wizard');

    await admin.getByTestId('duty-accounts-later').click();
    await admin.getByTestId('home-page').waitFor();
    const reminder = admin.getByTestId('duty-accounts-reminder');
    await reminder.getByText('三员分立尚未完成').waitFor();
    const text = await reminder.innerText();
    expect(text).toContain('尚无专职安全管理员：目前由 admin 兼任。');
    expect(text).toContain('尚无审计管理员：审计日志无人查阅。');
    await screenshot(admin, 'first-day-reminder-home');

    await admin.getByTestId('nav-users').click();
    await admin.getByTestId('user-list-page').getByTestId('duty-accounts-reminder').waitFor();
    await screenshot(admin, 'first-day-reminder-users');
  });

  it('the wizard creates the security and the audit administrator, each with a one-time password shown once with copy buttons', async () => {
    await admin.getByTestId('duty-accounts-reminder').getByRole('button', { name: named('设置三员账号') }).click();
    await admin.waitForURL('**/setup/duty-accounts');
    const security = admin.getByTestId('duty-section-securityAdmin');
    await security.getByLabel('用户名').fill(SECURITY.username);
    await security.getByLabel('姓名').fill(SECURITY.displayName);
    const audit = admin.getByTestId('duty-section-auditAdmin');
    await audit.getByLabel('用户名').fill(AUDITOR.username);
    await audit.getByLabel('姓名').fill(AUDITOR.displayName);
    await screenshot(admin, 'first-day-wizard-filled');
    await admin.getByTestId('duty-accounts-submit').click();

    const created = admin.getByTestId('duty-accounts-created');
    await created.getByText('三员账号已创建').waitFor();
    await created.getByText('初始密码只显示这一次', { exact: false }).waitFor();
    await created.getByText('admin 已不再兼任安全管理员（三员分立）。').waitFor();
    for (const [kind, person] of [['security_admin', SECURITY], ['audit_admin', AUDITOR]] as const) {
      const card = created.getByTestId(`duty-created-${kind}`);
      expect(await card.getByTestId('duty-created-username').innerText()).toBe(person.username);
      const password = (await card.getByTestId('duty-created-password').innerText()).trim();
      expect(password.length).toBeGreaterThanOrEqual(16);
      initial.set(person.username, password);
      // Copy buttons for the user name and the password.
      expect(await card.locator('.ant-typography-copy').count()).toBe(2);
    }
    await screenshot(admin, 'first-day-created');

    await created.getByRole('button', { name: named('我已记下密码，进入首页') }).click();
    await admin.getByTestId('home-page').waitFor();
    await admin.waitForLoadState('networkidle');
    expect(await admin.getByTestId('duty-accounts-reminder').count()).toBe(0);
    // admin keeps the system duty only: no security policy edits, no audit trail.
    const roles = await admin.getByTestId('home-page').locator('.ant-tag').allInnerTexts();
    expect(roles).toContain('系统管理员');
    expect(roles).not.toContain('安全管理员');
    expect(await admin.getByTestId('nav-audit').count()).toBe(0);
  });

  it('the security administrator and the audit administrator sign in (password change, MFA); the auditor reads the set-up in the audit trail', async () => {
    const security = await journey.newPage();
    await firstSignIn(security, SECURITY.username, initial.get(SECURITY.username)!, SECURITY.password);
    await security.getByTestId('home-page').getByText('安全管理员', { exact: true }).waitFor();
    expect(new URL(security.url()).pathname).toBe('/');

    const auditor = await journey.newPage();
    await firstSignIn(auditor, AUDITOR.username, initial.get(AUDITOR.username)!, AUDITOR.password);
    await auditor.getByTestId('home-page').getByText('审计管理员', { exact: true }).waitFor();
    await auditor.getByTestId('nav-audit').click();
    await auditor.getByTestId('audit-log-page').waitFor();
    await auditor.getByPlaceholder('操作，如 identity.user.create').fill('identity.duty.setup');
    const rows = auditor.locator('.ant-table-tbody tr.ant-table-row');
    // Until the filter has applied, the rows are the unfiltered trail's.
    await expect.poll(async () => (await rows.allInnerTexts()).map((text) => text.includes('identity.duty.setup')), { timeout: TIMEOUT }).toEqual([true]);
    expect(await rows.first().innerText()).toContain(ADMIN.username);
    await screenshot(auditor, 'first-day-audit');
  });
});
