import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Finding metrics without typing selectors, in zh-CN: two hosts push samples; the administrator opens
 * 最新数据, searches by CI name and a label, reads the newest value with its unit and age, clicks the row
 * for a chart, adds the series to a dashboard from the row; in the alert rule form the selector field
 * offers metric names and CI names from the store and previews what it matches; so does the monitoring
 * policy's metric field.
 *
 * The `it` blocks share state and run in order.
 */

const DB = 'srv-db-01';
const WEB = 'srv-web-01';

describe.skipIf(!chromiumAvailable())('latest data journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  const ids: Record<string, string> = {};
  let dashboardId = '';
  let pusher: ReturnType<typeof setInterval> | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  async function push(ts: number): Promise<void> {
    const at = (host: string) => ({ ci: ids[host]!, agent: 'e2e' });
    await api('POST', '/api/v1/metrics', {
      samples: [
        { metric: 'host_cpu_usage_percent', labels: at(DB), ts, value: 40 + 10 * Math.sin(ts / 60_000) },
        { metric: 'host_cpu_usage_percent', labels: at(WEB), ts, value: 12 },
        { metric: 'host_fs_usage_percent', labels: { ...at(DB), mount: '/', fstype: 'ext4' }, ts, value: 48 },
        { metric: 'host_fs_usage_percent', labels: { ...at(DB), mount: '/data', fstype: 'xfs' }, ts, value: 93.5 },
        { metric: 'host_net_rx_bytes_per_second', labels: { ...at(WEB), iface: 'eth0' }, ts, value: 2_097_152 },
      ],
    });
  }

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
    page.on('console', (message) => message.type() === 'error' && console.error(`[console] ${message.text()}`));
  });

  afterAll(async () => {
    clearInterval(pusher);
    await inFlight;
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in; two host CIs push samples; a dashboard exists', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const classes = (await api('GET', '/api/cmdb/classes')) as { id: string; code: string }[];
    const server = classes.find((c) => c.code === 'server')!.id;
    for (const name of [DB, WEB]) {
      ids[name] = (await api('POST', '/api/cmdb/cis', { classId: server, name })).id;
    }
    const now = Date.now();
    for (let s = 600; s > 0; s -= 15) {
      await push(now - s * 1000);
    }
    pusher = setInterval(() => {
      inFlight = push(Date.now()).catch((error: unknown) => console.error('push failed', error));
    }, 5000);
    dashboardId = (await api('POST', '/api/dashboards', { name: '数据库主机' })).id;
  });

  it('最新数据: searching by CI name and a label finds the series; its value has a unit, its age is in seconds', async () => {
    await page.getByTestId('nav-monitoringLatest').click();
    await page.getByTestId('latest-page').waitFor();
    const table = page.getByTestId('latest-table');
    // Unfiltered: every series, CIs by name, never by id.
    await table.getByText(WEB).first().waitFor();
    expect(await table.innerText()).not.toContain(ids[DB]);

    await page.getByTestId('latest-search').locator('input').fill('srv-db mount=/data');
    await page.getByTestId('latest-search').getByRole('button', { name: named('查询') }).click();
    await expect.poll(async () => table.locator('tbody tr.ant-table-row').count()).toBe(1);
    const row = table.locator('tbody tr.ant-table-row').first();
    expect(await row.innerText()).toContain('host_fs_usage_percent');
    await row.getByTestId('series-ci').getByText(DB).waitFor();
    await row.getByText('mount=/data').waitFor();
    expect(await row.getByTestId('latest-value').innerText()).toBe('93.5%');
    expect(await row.getByTestId('latest-age').innerText()).toMatch(/^\d+ 秒前$/);
    expect(page.url()).toContain('q=srv-db');

    // A plain word finds the metric name too; the bytes-per-second value carries its unit.
    await page.getByTestId('latest-search').locator('input').fill('rx_bytes');
    await page.getByTestId('latest-search').getByRole('button', { name: named('查询') }).click();
    await expect.poll(async () => table.locator('tbody tr.ant-table-row').allInnerTexts()).toEqual([expect.stringContaining('host_net_rx_bytes_per_second')]);
    expect(await table.getByTestId('latest-value').innerText()).toBe('2.00 MiB/s');

    await page.getByTestId('latest-search').locator('input').fill(DB);
    await page.getByTestId('latest-search').getByRole('button', { name: named('查询') }).click();
    await expect.poll(async () => table.locator('tbody tr.ant-table-row').count()).toBe(3);
    expect(await table.innerText()).not.toContain(WEB);
    await screenshot(page, 'latest-data');
  });

  it('a click on a row draws the series over the last hour', async () => {
    const row = page.getByTestId('latest-table').locator('tbody tr.ant-table-row').filter({ hasText: 'host_cpu_usage_percent' });
    expect(await row.count()).toBe(1);
    await row.getByText('host_cpu_usage_percent').click();
    const drawer = page.getByTestId('latest-chart-drawer');
    await drawer.waitFor();
    await drawer.getByText(DB).first().waitFor();
    await expect.poll(async () => Number(await drawer.getByTestId('latest-chart').getAttribute('data-points'))).toBeGreaterThan(30);
    // The drawer slides in: wait until it stands still before the screenshot.
    let last = -1;
    await expect.poll(async () => {
      const x = (await drawer.getByTestId('latest-chart').boundingBox())?.x ?? -2;
      const still = x === last;
      last = x;
      return still;
    }).toBe(true);
    await screenshot(page, 'latest-data-chart');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
  });

  it('from a row: a new alert rule starts with the series’ selector; the series goes onto a dashboard', async () => {
    const row = page.getByTestId('latest-table').locator('tbody tr.ant-table-row').filter({ hasText: 'mount=/data' });
    await row.getByRole('button', { name: named('新建告警规则') }).click();
    const ruleForm = page.getByTestId('rule-form');
    await ruleForm.waitFor();
    const selector = await ruleForm.getByTestId('rule-selector').inputValue();
    expect(selector).toBe(`host_fs_usage_percent{agent="e2e",ci="${ids[DB]}",fstype="xfs",mount="/data"}`);
    // The preview under the field names the CI and the value.
    await expect.poll(async () => ruleForm.getByTestId('rule-selector-preview').getAttribute('data-total')).toBe('1');
    await ruleForm.getByTestId('rule-selector-preview').getByText(DB).waitFor();
    await page.getByTestId('rule-form').getByRole('button', { name: named('取消') }).click();
    await ruleForm.waitFor({ state: 'hidden' });

    await row.getByRole('button', { name: named('添加到仪表盘') }).click();
    const form = page.getByTestId('add-to-dashboard-form');
    await form.waitFor();
    await page.getByRole('dialog').getByRole('button', { name: named('确定') }).click();
    await page.getByTestId('added-to-dashboard').waitFor();
    const dashboard = await api('GET', `/api/dashboards/${dashboardId}`);
    expect(dashboard.panels.map((p: { query: { selector: string }; unit: string }) => [p.query.selector, p.unit])).toEqual([[selector, 'percent']]);
    expect(dashboard.panels[0].title).toBe(`${DB} host_fs_usage_percent`);
  });

  it('the alert rule form offers metric names and CI names from the store, and previews the matching series', async () => {
    await page.getByTestId('nav-alertRules').click();
    await page.getByTestId('create-rule').click();
    const ruleForm = page.getByTestId('rule-form');
    const input = ruleForm.getByTestId('rule-selector');
    await input.click();
    await input.pressSequentially('host_c');
    const option = (choice: string) => page.locator(`.ant-select-dropdown:visible [data-choice="${choice}"]`);
    await option('host_cpu_usage_percent').waitFor();
    expect(await page.locator('.ant-select-dropdown:visible [data-testid="selector-option"]').count()).toBe(1);
    await option('host_cpu_usage_percent').click();
    expect(await input.inputValue()).toBe('host_cpu_usage_percent');
    await expect.poll(async () => ruleForm.getByTestId('rule-selector-preview').getAttribute('data-total')).toBe('2');

    // Label names for this metric, then a CI picked by its name (the selector gets its id).
    await input.pressSequentially('{');
    await option('ci').click();
    expect(await input.inputValue()).toBe('host_cpu_usage_percent{ci=""}');
    await input.pressSequentially('srv-d');
    await option(ids[DB]!).getByText(DB).waitFor();
    await screenshot(page, 'latest-data-autocomplete');
    await option(ids[DB]!).click();
    expect(await input.inputValue()).toBe(`host_cpu_usage_percent{ci="${ids[DB]}"}`);
    await expect.poll(async () => ruleForm.getByTestId('rule-selector-preview').getAttribute('data-total')).toBe('1');
    await ruleForm.getByTestId('rule-selector-preview').getByText(DB).waitFor();
    await screenshot(page, 'latest-data-rule-preview');
  });

  it('the monitoring policy’s metric field offers the metric names the store holds', async () => {
    // Closing the changed rule form asks first: nothing was meant to be saved.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: named('放弃修改') }).click();
    // The question's dialog is gone before anything behind it is clicked.
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
    await page.getByTestId('nav-monitoringPolicy').click();
    await page.getByRole('button', { name: named('新建监控制度') }).click();
    const input = page.getByTestId('policy-metric').first();
    await input.fill('');
    await input.pressSequentially('rx_b');
    await page.locator('.ant-select-dropdown:visible [data-choice="host_net_rx_bytes_per_second"]').click();
    expect(await input.inputValue()).toBe('host_net_rx_bytes_per_second');
    await expect.poll(async () => page.getByTestId('policy-metric-preview').first().getAttribute('data-total')).toBe('1');
    await screenshot(page, 'latest-data-policy-metric');
    // Closing the changed form asks first: nothing was meant to be saved.
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: named('放弃修改') }).click();
    // The question's dialog is gone before anything behind it is clicked.
    await expect.poll(() => page.locator('.ant-modal-wrap:visible').count()).toBe(0);
  });

  it('the utilisation page’s custom selector completes too, and Enter runs the analysis', async () => {
    await page.getByTestId('nav-monitoringUtilisation').click();
    await page.getByTestId('utilisation-page').getByText('自定义选择器').click();
    const input = page.getByTestId('utilisation-selector');
    await input.pressSequentially('host_fs');
    await page.locator('.ant-select-dropdown:visible [data-choice="host_fs_usage_percent"]').click();
    await input.press('Enter');
    await page.getByTestId('utilisation-table').getByRole('link', { name: DB }).waitFor();
  });
});
