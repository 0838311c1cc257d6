import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * 故障处理方案 in the browser, in zh-CN: a published runbook for server faults is listed on its page and
 * suggested on a server incident's 处理方案 tab; the handler executes it, marks the first step done with a
 * note, hands the second to someone (分派任务) who completes the task on the 任务 card — which finishes the
 * step and the run.
 */
describe.skipIf(!chromiumAvailable())('runbooks journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let incidentId = '';

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

  it('a published runbook for server faults and an incident on a server exist', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const ciId = await hostWithSamples(api, { name: 'app-server-07', ip: '10.0.8.27', hostname: 'app-server-07' });
    const types = (await api('GET', '/api/incidents/types')) as { id: string; code: string }[];
    const runbook = await api('POST', '/api/incidents/runbooks', {
      name: '应用服务器无响应处理',
      typeIds: [types.find((x) => x.code === 'hardware.server')!.id],
      ciClasses: ['server'],
      steps: [
        { kind: 'manual', title: '登录控制台确认主机状态', expected: '主机在线' },
        { kind: 'manual', title: '联系机房检查电源', expected: '电源正常' },
      ],
    });
    await api('POST', `/api/incidents/runbooks/${runbook.id}/submit`, {});
    incidentId = (await api('POST', '/api/incidents', { title: '应用服务器无响应', impact: 2, urgency: 2, typeId: types.find((x) => x.code === 'hardware.server')!.id, ciIds: [ciId] })).id;
  });

  it('[L3-2.3.3] the runbooks page lists it with the version in force', async () => {
    await page.getByTestId('nav-runbooks').click();
    const table = page.getByTestId('runbooks-table');
    await table.getByText('应用服务器无响应处理').waitFor();
    await table.getByText('1.0').first().waitFor();
    await screenshot(page, 'runbooks-list');
    // The next version: a step added in the editor is a 1.1 draft; 1.0 stays in force.
    await table.getByText('应用服务器无响应处理').click();
    const drawer = page.getByTestId('runbook-form');
    await drawer.getByTestId('runbook-step-1-title').waitFor();
    await drawer.getByTestId('runbook-add-step').click();
    await drawer.getByTestId('runbook-step-2-title').fill('通知业务部门');
    await drawer.getByTestId('runbook-form-submit').click();
    await table.getByText('1.1 · 草稿').waitFor();
    expect(await table.innerText()).toContain('1.0');
  });

  it('[L3-2.3.3] executes the suggested runbook step by step and hands a step to someone (组织排除)', async () => {
    await page.goto(`${yw.url}/incidents/${incidentId}`);
    await page.getByTestId('incident-page').waitFor();
    await page.getByRole('tab', { name: '处理方案' }).click();
    const tab = page.getByTestId('incident-runbooks-tab');
    await tab.getByTestId('runbook-suggestions').getByText('应用服务器无响应处理').waitFor();
    await tab.locator('[data-testid^="runbook-start-"]').first().click();
    await tab.getByTestId('runbook-step-0-note').waitFor();
    await tab.getByTestId('runbook-step-0-note').fill('控制台可见，主机在线');
    await tab.getByTestId('runbook-step-0-done').click();
    await tab.getByTestId('runbook-run-step-0').getByText('符合预期').waitFor();

    await tab.getByTestId('runbook-step-1-assign').click();
    const modal = page.getByTestId('runbook-step-task-form');
    await modal.getByTestId('incident-task-assignee').click();
    await page.locator('.ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option').filter({ hasText: 'admin' }).first().click();
    await page.locator('.ant-modal:visible').getByRole('button', { name: '分 派' }).or(page.locator('.ant-modal:visible').getByRole('button', { name: '分派' })).click();
    const card = page.getByTestId('incident-tasks-card');
    await card.getByText('来自处理方案第 2 步「联系机房检查电源」').waitFor();
    await card.getByPlaceholder('完成情况').fill('机房确认电源正常，已重启');
    await card.locator('[data-testid^="incident-task-complete-"]').click();
    await card.locator('.ant-tag', { hasText: '已完成' }).waitFor();
    await tab.locator('[data-testid^="runbook-run-"] .ant-card-head .ant-tag', { hasText: '已完成' }).waitFor();
    expect(await tab.getByTestId('runbook-run-step-1').innerText()).toContain('机房确认电源正常，已重启');
    await screenshot(page, 'runbook-run-completed');
  });
});
