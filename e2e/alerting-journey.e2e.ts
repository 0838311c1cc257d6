import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostWithSamples, signedInApi, type Api, type Sample } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Alerting in the browser, in zh-CN: a host's CPU samples arrive through the push API; from the host
 * page's CPU chart the administrator opens "新建告警规则" (the selector comes pre-filled), sets a warning
 * threshold below the pushed value and a short pending duration, previews it and saves it. The
 * evaluator (a real server, 15 s cycles) makes the alert pending, then firing: it appears on the live
 * alert list without a reload. The administrator acknowledges it in its drawer (timeline), then
 * silences it ("静默", the routing half's form), and the list shows it as suppressed.
 *
 * The `it` blocks share state and run in order.
 */

/** Two evaluation cycles (15 s each) and some slack. */
const FIRE_TIMEOUT = 60_000;
const HOST = 'srv-alert-01';

describe.skipIf(!chromiumAvailable())('alerting journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let hostId = '';
  let pusher: ReturnType<typeof setInterval> | undefined;

  const cpu = (ts: number): Sample => ({ metric: 'host_cpu_usage_percent', ts, value: 85 + (ts % 7) });
  const push = (ts = Date.now()) => api('POST', '/api/v1/metrics', { samples: [{ ...cpu(ts), labels: { ci: hostId, agent: 'e2e-agent' } }] });
  const row = (text: string) => page.getByTestId('alerts-table').locator('tr.ant-table-row').filter({ hasText: text });

  beforeAll(async () => {
    yw = await startYunwei({ YUNWEI_ADMIN_PASSWORD: ADMIN.initial });
    journey = await openJourney();
    page = journey.page;
  });

  afterAll(async () => {
    clearInterval(pusher);
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in; a host CI exists and its CPU samples arrive through the push API', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    // The last five minutes, a sample every 15 s.
    const now = Date.now();
    hostId = await hostWithSamples(api, { name: HOST, ip: '10.20.9.1' }, () => Array.from({ length: 20 }, (_, i) => cpu(now - (300 - 15 * i) * 1000)));
    pusher = setInterval(() => void push().catch((error: unknown) => console.error('push failed', error)), 2000);
  });

  it("[L3-2.1.3] creates a rule from the host's CPU chart: selector pre-filled, preview shows the breach", async () => {
    await page.goto(`${yw.url}/monitoring/hosts/${hostId}`);
    await page.getByTestId('host-page').waitFor();
    await page.getByTestId('create-rule-from-chart-cpu').click();
    const drawer = page.getByTestId('rule-form');
    await drawer.waitFor();
    expect(await drawer.getByTestId('rule-selector').inputValue()).toBe(`host_cpu_usage_percent{ci="${hostId}"}`);
    await drawer.getByTestId('rule-name').fill('主机 CPU 过高（e2e）');
    await drawer.getByTestId('rule-warning').fill('50');
    await drawer.getByTestId('rule-for').fill('10');
    await drawer.getByTestId('rule-preview').click();
    await drawer.getByTestId('rule-preview-table').getByText('警告').waitFor();
    // The preview names the host (its id is only in the selector people typed or were given).
    expect(await drawer.getByTestId('rule-preview-table').innerText()).toContain(HOST);
    expect(await drawer.getByTestId('rule-preview-table').innerText()).not.toContain(hostId);
    await screenshot(page, 'alerting-rule-from-chart');
    await drawer.getByTestId('rule-form-submit').click();
    await drawer.waitFor({ state: 'hidden' });
  });

  it('[L3-2.1.3] the alert fires and appears on the live list without a reload', async () => {
    await page.getByTestId('nav-alerts').click();
    await page.getByTestId('alerts-page').waitFor();
    await expect.poll(() => page.getByTestId('alerts-live-status').innerText()).toContain('实时推送中');
    await page.evaluate(() => ((globalThis as unknown as { ywMarker: number }).ywMarker = 7));
    await row('主机 CPU 过高（e2e）').getByTestId('alert-state-firing').waitFor({ timeout: FIRE_TIMEOUT });
    expect(await page.evaluate(() => (globalThis as unknown as { ywMarker?: number }).ywMarker)).toBe(7);
    // By name: the summary and the line under it say the host, never its id.
    expect(await row('主机 CPU 过高（e2e）').innerText()).toContain(HOST);
    expect(await row('主机 CPU 过高（e2e）').innerText()).not.toContain(hostId);
    await screenshot(page, 'alerting-live-list');
  });

  it('[L3-2.1.3] acknowledges the alert in its drawer, then silences it; the list shows it suppressed', async () => {
    await page.getByTestId('alert-row-主机 CPU 过高（e2e）').click();
    const drawer = page.getByTestId('alert-detail');
    await drawer.getByTestId('alert-ack').click();
    await drawer.getByTestId('alert-state-acknowledged').waitFor();
    await drawer.getByTestId('alert-timeline').getByText('已确认').waitFor();
    expect(await drawer.getByTestId('alert-object').innerText()).toBe(HOST);
    expect(await drawer.innerText()).not.toContain(hostId);
    await screenshot(page, 'alerting-alert-drawer');

    await drawer.getByTestId('silence-from-alert').click();
    const silence = page.getByTestId('silence-form');
    await silence.getByTestId('silence-comment').fill('CPU 压测中，静默 2 小时');
    await silence.getByTestId('silence-form-submit').click();
    await silence.waitFor({ state: 'hidden' });
    const silences = (await api('GET', '/api/alerting/silences')).items as { comment: string; matchers: { name: string; value: string }[] }[];
    expect(silences.find((s) => s.comment === 'CPU 压测中，静默 2 小时')?.matchers).toEqual(expect.arrayContaining([{ name: 'alertname', op: '=', value: '主机 CPU 过高（e2e）' }]));

    await page.locator('.ant-drawer-close').first().click();
    await row('主机 CPU 过高（e2e）').getByTestId('alert-state-acknowledged').waitFor();
    await row('主机 CPU 过高（e2e）').getByTestId('alert-suppressed-badge').waitFor({ timeout: FIRE_TIMEOUT });
    await screenshot(page, 'alerting-silenced');

    // An older notification's link (`/alerts?alert=<id>`) opens that alert's drawer over the list.
    const alert = ((await api('GET', '/api/alerting/alerts')).items as { id: string; ruleName: string }[]).find((a) => a.ruleName === '主机 CPU 过高（e2e）')!;
    await page.goto(`${yw.url}/alerts?alert=${alert.id}`);
    await page.getByTestId('alert-detail').getByTestId('alert-object').getByText(HOST).waitFor();
    await page.locator('.ant-drawer-close').first().click();
    await expect.poll(() => new URL(page.url()).searchParams.get('alert')).toBeNull();

    // Today's link (`/alerts/<id>`) is the alert's own page; the drawer opens it too.
    await page.goto(`${yw.url}/alerts/${alert.id}`);
    const alertPage = page.getByTestId('alert-page');
    await alertPage.getByTestId('alert-object').getByText(HOST).waitFor();
    await alertPage.getByTestId('alert-state-acknowledged').waitFor();
    await alertPage.getByTestId('alert-suppressed').waitFor();
    await screenshot(page, 'alerting-alert-page');
    await alertPage.getByTestId('alert-page-back').click();
    await row('主机 CPU 过高（e2e）').getByTestId('alert-row-主机 CPU 过高（e2e）').click();
    await page.getByTestId('alert-detail').getByTestId('alert-open-page').click();
    await page.waitForURL(`**/alerts/${alert.id}`);
    await page.getByTestId('alert-page').waitFor();
  });

  it('lists the rule with its open alert, its statistics, and the default rule packs with what each binds to', async () => {
    await page.getByTestId('nav-alertRules').click();
    await page.getByTestId('rules-table').locator('tr.ant-table-row').filter({ hasText: '主机 CPU 过高（e2e）' }).waitFor();
    await screenshot(page, 'alerting-rules');
    await page.getByRole('tab', { name: '规则统计' }).click();
    await page.getByTestId('rule-stats').locator('tr.ant-table-row').filter({ hasText: '主机 CPU 过高（e2e）' }).waitFor();
    await page.getByRole('tab', { name: '默认规则包' }).click();
    // Packs bind by what a thing is, not by the CI class it is filed under.
    expect(await page.getByTestId('pack-binds-hosts').innerText()).toBe('适用于：服务器类配置项及有 Agent 的主机');
    expect(await page.getByTestId('pack-binds-databases').innerText()).toBe('适用于：每个 PostgreSQL、MySQL 检查');
    expect(await page.getByTestId('pack-binds-http').innerText()).toBe('适用于：每个 HTTP 检查');
    await page.getByTestId('pack-install-hosts').click();
    await page.getByTestId('pack-installed-hosts').waitFor();
    await screenshot(page, 'alerting-rule-packs');

    // In English the packs say it in English, and the installed rules have their English names.
    await page.getByTestId('language-switch').getByText('English', { exact: true }).click();
    await page.getByTestId('pack-binds-http').getByText('Applies to: every HTTP check').waitFor();
    await page.getByRole('tab', { name: 'Rules', exact: true }).click();
    await page.getByTestId('rules-table').locator('tr.ant-table-row').filter({ hasText: 'Host CPU usage high' }).waitFor();
    expect(await page.getByTestId('rules-table').innerText()).not.toContain('主机 CPU 使用率过高');
    await page.getByTestId('language-switch').getByText('中文', { exact: true }).click();
    await page.getByTestId('rules-table').locator('tr.ant-table-row').filter({ hasText: '主机 CPU 使用率过高' }).waitFor();
  });
});
