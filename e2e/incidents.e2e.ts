import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chooseOption, chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * 故障管理 in the browser, in zh-CN: the administrator registers a fault on a database server (type,
 * nature with its guidance, impact × urgency → P1 live), finds it in the list with its SLA countdown,
 * opens it, starts it, puts it on hold waiting for the vendor (the SLA clocks show 已暂停), resumes and
 * resolves it with what was done; the activity shows each step.
 */
describe.skipIf(!chromiumAvailable())('incidents journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  const TITLE = '核心数据库主库连接数耗尽';
  const CI = 'db-primary-01';

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
    page.on('console', (message) => message.type() === 'error' && console.error(`[console] ${message.text()}`));
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in; a database server and an earlier, lesser incident exist', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    await hostWithSamples(api, { name: CI, ip: '10.0.8.21', hostname: 'db-primary-01' });
    await api('POST', '/api/incidents', { title: '打印服务偶发排队', impact: 3, urgency: 2 });
  });

  it('[L4-2.3.1] registers a fault with a CI in the browser and sees it in the list with its priority and SLA', async () => {
    await page.getByTestId('nav-incidents').click();
    await page.getByTestId('incidents-page').waitFor();
    await page.getByTestId('create-incident').click();
    const drawer = page.getByTestId('incident-form');
    await drawer.waitFor();
    await drawer.getByTestId('incident-title').fill(TITLE);
    await drawer.getByTestId('incident-description').fill('应用报 too many connections，订单提交失败。');
    await drawer.getByTestId('incident-type').click();
    await page.locator('.ant-select-dropdown:visible .ant-select-tree-title', { hasText: '数据库' }).first().click();
    await chooseOption(page, 'incident-nature', '容量不足');
    await drawer.getByTestId('nature-guidance').getByText('查看容量趋势').waitFor();
    await drawer.getByTestId('incident-impact').getByText('高', { exact: true }).click();
    await drawer.getByTestId('incident-urgency').getByText('高', { exact: true }).click();
    expect(await drawer.getByTestId('live-priority-tag').innerText()).toBe('P1');
    await drawer.getByTestId('incident-cis').click();
    await page.keyboard.type('db-primary');
    await page.locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: CI }).first().click();
    await drawer.getByTestId('incident-title').click(); // closes the dropdown (Escape would close the drawer)
    await drawer.getByTestId('incident-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });

    const row = page.getByTestId('incidents-table').locator('tr', { hasText: TITLE });
    await row.getByText('P1', { exact: true }).waitFor();
    await row.getByText('新建', { exact: true }).waitFor();
    await row.getByText(CI).waitFor();
    await row.getByText('数据库', { exact: true }).waitFor();
    expect(await row.innerText()).toMatch(/剩余 \d+ (小时 \d+ )?分/);
    await page.getByTestId('incidents-table').locator('tr', { hasText: '打印服务偶发排队' }).getByText('P4', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'incident-list');
  });

  it('[L4-2.3.1] opens it, starts, holds waiting for the vendor (SLA paused), resumes and resolves it', async () => {
    await page.getByTestId('incidents-table').locator('tr', { hasText: TITLE }).getByRole('link').first().click();
    await page.getByTestId('incident-page').waitFor();
    const status = page.getByTestId('incident-status');
    expect(await status.innerText()).toBe('新建');
    expect(await page.getByTestId('incident-priority').innerText()).toBe('P1');
    await page.getByTestId('incident-cis-card').getByRole('link', { name: CI }).waitFor();

    await page.getByTestId('incident-action-start').click();
    await expect.poll(() => status.innerText()).toBe('处理中');

    await page.getByTestId('incident-action-hold').click();
    const hold = page.getByTestId('incident-transition');
    await chooseOption(page, 'incident-pause-reason', '等待厂商/供应商');
    await hold.getByTestId('incident-transition-note').fill('已提交厂商工单，等待补丁');
    await hold.getByRole('button', { name: named('挂起') }).click();
    await expect.poll(() => status.innerText()).toBe('挂起');
    await page.getByTestId('sla-resolution-paused').waitFor();
    expect(await page.getByTestId('incident-pause-reason-shown').innerText()).toBe('等待厂商/供应商');

    await page.getByTestId('incident-action-resume').click();
    await expect.poll(() => status.innerText()).toBe('处理中');
    expect(await page.getByTestId('sla-resolution-paused').count()).toBe(0);

    await page.getByTestId('incident-action-resolve').click();
    const resolve = page.getByTestId('incident-transition');
    await resolve.getByTestId('incident-transition-note').fill('调大连接池上限并重启连接泄漏的服务，订单恢复正常');
    await resolve.getByRole('button', { name: named('解决') }).click();
    await expect.poll(() => status.innerText()).toBe('已解决');
    await page.getByTestId('incident-resolution').getByText('调大连接池上限').waitFor();
    await page.getByTestId('incident-activity').getByText('已提交厂商工单，等待补丁').waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'incident-detail');
  });

  it('[L4-2.3.1] reports a fault through 自助报障 and follows it under 我的报障', async () => {
    await page.getByTestId('nav-incidentReport').click();
    await page.getByTestId('incident-report-page').waitFor();
    await page.getByTestId('report-title').fill('OA 系统打不开');
    await page.getByTestId('report-description').fill('上午 9 点起打开 OA 首页一直转圈。');
    await page.getByTestId('report-impact').getByText('我的部门').click();
    await page.getByTestId('report-urgency').getByText('工作已停止').click();
    await page.getByTestId('report-submit').click();
    const row = page.getByTestId('my-reports').locator('tr', { hasText: 'OA 系统打不开' });
    await row.getByText('新建', { exact: true }).waitFor();
    await screenshot(page, 'incident-report');
  });

  it('the configuration page shows the fault types, the priority matrix and the SLA targets', async () => {
    await page.getByTestId('nav-incidentConfig').click();
    await page.getByTestId('incident-config-page').waitFor();
    await page.getByTestId('types-table').getByText('数据库', { exact: true }).waitFor();
    await screenshot(page, 'incident-config-types');
    await page.getByRole('tab', { name: '优先级矩阵' }).click();
    expect(await page.getByTestId('matrix-1-1').innerText()).toContain('P1');
    await page.getByRole('tab', { name: /SLA/ }).click();
    await page.getByTestId('sla-P1-response').waitFor();
    await screenshot(page, 'incident-config-sla');
  });

  it('reads the list and the detail page in English', async () => {
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('yunwei.language', 'en'));
    await page.goto(`${yw.url}/incidents?all=1`);
    const row = page.getByTestId('incidents-table').locator('tr', { hasText: TITLE });
    await row.getByText('Resolved', { exact: true }).waitFor();
    await page.getByTestId('incidents-table').locator('tr', { hasText: '打印服务偶发排队' }).getByText(/min left|h left/).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'incident-list-en');
    await row.getByRole('link').first().click();
    await page.getByTestId('incident-page').waitFor();
    await page.getByTestId('incident-sla').getByText('Response', { exact: true }).waitFor();
    await page.waitForLoadState('networkidle');
    await screenshot(page, 'incident-detail-en');
    await page.evaluate(() => (globalThis as unknown as { localStorage: { setItem(k: string, v: string): void } }).localStorage.setItem('yunwei.language', 'zh-CN'));
  });
});
