import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi, type Api, type Sample } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Inspections (巡检) in the browser, in zh-CN: an administrator runs the built-in 系统运行状态巡检 from
 * its template over a host whose agent series are in the store (memory at 95 % → 异常), ticks the
 * manual item, signs the record off with the password and sees it immutable and verified; then opens
 * the schedules, the monitoring policy and the coverage view, which names the host that is not
 * monitored as required.
 *
 * The `it` blocks share state and run in order.
 */

const HOST = 'e2e-host-01';
const SILENT = 'e2e-host-02';

describe.skipIf(!chromiumAvailable())('inspection journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney({ acceptDownloads: true });
    page = journey.page;
  });

  afterAll(async () => {
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in; two hosts are in the CMDB, one with the agent\'s system series', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    // The series the host agent sends (common contract names), for the last two minutes.
    const now = Date.now();
    const series = (ts: number): Sample[] => [
      { metric: 'host_cpu_usage_percent', value: 23, ts },
      { metric: 'host_memory_usage_percent', value: 95, ts },
      { metric: 'host_fs_usage_percent', labels: { mount: '/', fstype: 'ext4' }, value: 41, ts },
      { metric: 'host_load5', value: 0.8, ts },
      { metric: 'host_uptime_seconds', value: 1_000_000, ts },
    ];
    ids.set(HOST, await hostWithSamples(api, { name: HOST }, () => [now - 90_000, now - 30_000].flatMap(series)));
    ids.set(SILENT, await hostWithSamples(api, { name: SILENT }));
  });

  it('runs 系统运行状态巡检 from its template and sees the abnormal memory highlighted', async () => {
    await page.getByTestId('nav-inspectionTemplates').click();
    await page.getByTestId('inspection-templates-page').waitFor();
    await page.getByText('硬件平台巡检', { exact: true }).waitFor();
    await screenshot(page, 'inspections-templates');
    await page.getByTestId('run-template-system').click();
    await page.getByTestId('inspection-record-page').waitFor();
    const memory = page.getByTestId(`result-${HOST}-memory`);
    await memory.getByText('异常', { exact: true }).waitFor();
    await expect(memory.innerText()).resolves.toContain('95 %');
    await page.getByTestId(`result-${HOST}-cpu`).getByText('正常', { exact: true }).waitFor();
    await page.getByTestId(`result-${SILENT}-cpu`).getByText('无数据', { exact: true }).waitFor();
    await screenshot(page, 'inspections-record-open');
  });

  it('fills the manual items, signs with the password and sees the record immutable and verified', async () => {
    // The signature needs every manual item: tick both hosts' system-log check and note one.
    await page.getByTestId(`note-${HOST}-system_log`).fill('journalctl -p err 无新增错误');
    await page.getByTestId(`fill-${HOST}-system_log`).getByText('正常', { exact: true }).click();
    await page.getByTestId(`result-${HOST}-system_log`).getByTestId('verdict-normal').waitFor();
    await page.getByTestId(`fill-${SILENT}-system_log`).getByText('异常', { exact: true }).click();
    await page.getByTestId(`result-${SILENT}-system_log`).getByTestId('verdict-abnormal').waitFor();

    await page.getByTestId('sign').click();
    await page.getByTestId('sign-conclusion').fill('内存使用率偏高，已通知应用负责人');
    await page.getByTestId('sign-password').fill('wrong-password');
    await page.getByTestId('sign-confirm').click();
    await page.getByText('当前密码不正确').first().waitFor();
    await page.getByTestId('sign-password').fill(ADMIN.password);
    await screenshot(page, 'inspections-sign');
    await page.getByTestId('sign-confirm').click();

    await page.getByTestId('record-status').getByText('已签字').waitFor();
    await page.getByTestId('immutable-note').waitFor();
    // No more inputs: the record is read-only.
    expect(await page.getByTestId(`fill-${HOST}-system_log`).count()).toBe(0);
    await page.getByTestId('verify').click();
    await page.getByTestId('verify-result').getByText('记录完整，未被篡改').waitFor();
    await screenshot(page, 'inspections-record-signed');

    // The API refuses any change now (409 naming the record).
    const recordId = page.url().split('/').pop()!;
    const record = await api('GET', `/api/inspections/records/${recordId}`);
    const { csrfToken } = (await api('GET', '/api/auth/session')) as { csrfToken: string };
    const res = await page.request.fetch(`${yw.url}/api/inspections/records/${recordId}/results/${record.results[0].id}`, { method: 'PATCH', data: { note: 'late change' }, headers: { 'x-csrf-token': csrfToken } });
    expect(res.status()).toBe(409);
    expect((await res.json()).details.recordId).toBe(recordId);
  });

  it('lists the record and shows schedules', async () => {
    const system = ((await api('GET', '/api/inspections/templates')).items as { id: string; builtinKey: string | null }[]).find((x) => x.builtinKey === 'system')!;
    await api('POST', '/api/inspections/schedules', { templateId: system.id, name: '每日系统巡检', kind: 'daily', time: '08:30', responsibleRole: 'operator' });
    await page.getByTestId('nav-inspectionRecords').click();
    await page.getByTestId('inspection-records-page').waitFor();
    await page.getByText('已签字', { exact: true }).first().waitFor();
    await screenshot(page, 'inspections-records');
    await page.getByTestId('nav-inspectionSchedules').click();
    await page.getByTestId('inspection-schedules-page').waitFor();
    await page.getByText('每日系统巡检').waitFor();
    await screenshot(page, 'inspections-schedules');
  });

  it('opens the monitoring policy and the coverage view naming the host not monitored as required', async () => {
    const system = ((await api('GET', '/api/inspections/templates')).items as { id: string; builtinKey: string | null }[]).find((x) => x.builtinKey === 'system')!;
    await api('POST', '/api/inspections/policies', {
      name: '服务器监控制度',
      scope: { kind: 'class', classCode: 'server' },
      metrics: [{ metric: 'host_cpu_usage_percent', maxIntervalSeconds: 60 }],
      checks: [],
      inspections: [{ templateId: system.id, everyDays: 1 }],
      responsibleRole: 'operator',
    });
    await page.getByTestId('nav-monitoringPolicy').click();
    await page.getByTestId('monitoring-policy-page').waitFor();
    await page.getByText('服务器监控制度').waitFor();
    await screenshot(page, 'inspections-policy');

    await page.getByTestId('nav-monitoringCoverage').click();
    await page.getByTestId('monitoring-coverage-page').waitFor();
    await page.getByTestId('coverage-summary').getByText('2 个配置项中 1 个达标', { exact: false }).waitFor();
    const silentRow = page.locator('.ant-table-tbody tr.ant-table-row').filter({ hasText: SILENT });
    await silentRow.getByText('未达标', { exact: true }).waitFor();
    await expect(silentRow.innerText()).resolves.toContain('host_cpu_usage_percent');
    await expect(silentRow.innerText()).resolves.toContain('无数据');
    await screenshot(page, 'inspections-coverage');
  });
});
