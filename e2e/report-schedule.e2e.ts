import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSmtp, type TestSmtp } from '../apps/server/src/platform/notify/notify.testing.js';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * 定时报告 in the browser, in zh-CN: the administrator creates a monthly running-status schedule mailed
 * through an e-mail channel (a real SMTP server on this machine), runs it now and reads the run in the
 * history: the period, 成功, the Word file, and the e-mail received with the file attached.
 */
describe.skipIf(!chromiumAvailable())('report schedule journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let smtp: TestSmtp;
  const CHANNEL = '运维组邮箱';
  const NAME = '月度运行状况报告';

  beforeAll(async () => {
    smtp = await startSmtp();
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial, YUNWEI_NOTIFY_ALLOW_LOCAL: 'true', YUNWEI_PUBLIC_URL: 'https://yunwei.example.cn' });
    journey = await openJourney();
    page = journey.page;
    page.on('console', (message) => message.type() === 'error' && console.error(`[console] ${message.text()}`));
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
    await smtp?.stop();
  });

  it('admin signs in; an e-mail channel exists', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    await api('POST', '/api/notify/channels', { name: CHANNEL, type: 'email', config: { host: '127.0.0.1', port: smtp.port, security: 'none', from: 'yunwei@example.cn', to: ['ops@example.cn'] } });
  });

  it('[L2-2.1.2] creates a monthly schedule in the browser, runs it now and sees the run in the history', async () => {
    await page.getByTestId('nav-reportSchedules').click();
    await page.getByTestId('report-schedules-page').waitFor();
    await page.getByTestId('create-schedule-empty').click();
    const drawer = page.getByTestId('schedule-form');
    await drawer.waitFor();
    await drawer.getByTestId('schedule-name').fill(NAME);
    await drawer.getByTestId('schedule-channel').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option').filter({ hasText: CHANNEL }).click();
    await drawer.getByTestId('schedule-name').click(); // closes the dropdown (Escape would close the drawer)
    await drawer.getByTestId('schedule-emails').locator('input').fill('leader@example.cn');
    await drawer.getByTestId('schedule-emails').locator('input').press('Enter');
    await drawer.getByTestId('schedule-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
    const row = page.getByTestId('report-schedules-table').locator('tr', { hasText: NAME });
    await row.getByText('每月 1 日 8:00').waitFor();
    await row.getByText(CHANNEL, { exact: false }).waitFor();
    await screenshot(page, 'report-schedules-list');

    await row.getByTestId(`schedule-run-${NAME}`).click();
    await page.locator('.ant-popconfirm').getByRole('button', { name: named('立即运行') }).click();
    const history = page.getByTestId('run-history');
    await history.waitFor({ timeout: 60_000 });
    const run = history.locator('tr.ant-table-row').first();
    await run.getByText('成功').waitFor({ timeout: 30_000 });
    await run.getByText(/^\d{4}年\d{1,2}月$/).waitFor();
    await run.getByTestId('run-file-docx').waitFor();
    await screenshot(page, 'report-schedule-history');

    await expect.poll(() => smtp.messages.length, { timeout: 20_000 }).toBe(1);
    const mail = smtp.messages[0]!;
    expect(mail.rcptTo).toEqual(['leader@example.cn']);
    expect(mail.mail.subject).toMatch(/^【定时报告】系统运行状况报告（\d{4}年\d{1,2}月）$/);
    expect(mail.mail.attachments.map((a) => a.filename?.split('.').pop())).toEqual(['docx', 'pdf']);
  });
});
