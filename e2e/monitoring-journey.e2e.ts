import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxText } from '../apps/server/src/platform/documents/docx.testing.js';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn, named } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Monitoring in the browser, in zh-CN: a host CI whose agent-style samples (ci="<id>") arrive every
 * second through the push API while the administrator watches its host page — the live CPU chart
 * gains points without a reload; the overview counts it and names the business system relying on it;
 * the hardware tab says "not exposed" where the machine does not expose a component; the utilisation
 * page analyses a second host whose CPU climbs by a known ramp (the figures shown are checked against
 * ones computed here) and writes the analysis report; a custom dashboard with one panel is built in
 * the editor and shows the data.
 *
 * The `it` blocks share state and run in order.
 */

const HOST = 'srv-app-01';
const HOUR = 3_600_000;
const DAY = 86_400_000;

// Textbook formulas over the pushed values, independent of the server's analysis.
function p95(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const h = (s.length - 1) * 0.95;
  const lo = Math.floor(h);
  return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!);
}
function slopePerDay(points: readonly { ts: number; value: number }[]): number {
  const xs = points.map((p) => p.ts / DAY);
  const mx = xs.reduce((a, b) => a + b, 0) / points.length;
  const my = points.reduce((a, p) => a + p.value, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i]! - mx) * (p.value - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den;
}
/** A percentage as the utilisation page prints one between 10 and 100: one decimal. */
function percentText(v: number): string {
  expect(Math.abs(v) >= 10 && Math.abs(v) < 100, `${v} is printed with one decimal`).toBe(true);
  return `${v.toFixed(1)}%`;
}

async function points(page: Page, testId: string): Promise<number> {
  return Number(await page.getByTestId(testId).getAttribute('data-points'));
}

describe.skipIf(!chromiumAvailable())('monitoring journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;
  let hostId = '';
  let pusher: ReturnType<typeof setInterval> | undefined;
  let pushed = 0;

  /** One agent-like push: every host metric the host page draws, stamped now, with ci = the host. */
  async function pushSamples(ts = Date.now()): Promise<void> {
    const k = pushed++;
    const labels = { ci: hostId, agent: 'e2e-agent' };
    const wave = (base: number, amp: number) => base + amp * Math.sin(k / 5);
    await api('POST', '/api/v1/metrics', {
      samples: [
        { metric: 'host_cpu_usage_percent', labels, ts, value: wave(35, 15) },
        { metric: 'host_memory_usage_percent', labels, ts, value: wave(62, 3) },
        { metric: 'host_load1', labels, ts, value: wave(1.2, 0.5) },
        { metric: 'host_load5', labels, ts, value: wave(1.0, 0.2) },
        { metric: 'host_load15', labels, ts, value: 0.9 },
        { metric: 'host_fs_usage_percent', labels: { ...labels, mount: '/', fstype: 'ext4' }, ts, value: 48 },
        { metric: 'host_fs_usage_percent', labels: { ...labels, mount: '/data', fstype: 'xfs' }, ts, value: 93.5 },
        { metric: 'host_net_rx_bytes_per_second', labels: { ...labels, iface: 'eth0' }, ts, value: wave(2_000_000, 800_000) },
        { metric: 'host_net_tx_bytes_per_second', labels: { ...labels, iface: 'eth0' }, ts, value: wave(900_000, 300_000) },
        { metric: 'host_disk_read_bytes_per_second', labels: { ...labels, device: 'sda' }, ts, value: wave(5_000_000, 2_000_000) },
        { metric: 'host_disk_write_bytes_per_second', labels: { ...labels, device: 'sda' }, ts, value: wave(3_000_000, 1_000_000) },
        { metric: 'host_hw_available', labels: { ...labels, component: 'temperature' }, ts, value: 1 },
        { metric: 'host_hw_temperature_celsius', labels: { ...labels, sensor: 'cpu0' }, ts, value: 52 },
        { metric: 'host_hw_available', labels: { ...labels, component: 'fan' }, ts, value: 0 },
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
    await journey?.close();
    await yw?.stop();
  });

  it('admin signs in; a host CI and a business system relying on it exist; samples arrive every second', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);

    hostId = await hostWithSamples(api, { name: HOST, ip: '10.20.1.11', hostname: 'srv-app-01.dc.local' });
    const classes = (await api('GET', '/api/cmdb/classes')) as { id: string; code: string }[];
    const bs = await api('POST', '/api/cmdb/cis', { classId: classes.find((c) => c.code === 'business_system')!.id, name: '网上营业厅' });
    await api('POST', '/api/cmdb/relations', { sourceId: bs.id, targetId: hostId, type: 'depends_on' });

    // The last ten minutes, so the charts and the utilisation analysis have a history to start from.
    const now = Date.now();
    for (let s = 600; s > 0; s -= 15) {
      await pushSamples(now - s * 1000);
    }
    pusher = setInterval(() => void pushSamples().catch((error: unknown) => console.error('push failed', error)), 1000);
  });

  it('the overview counts the host as up, lists the full file system and the business system', async () => {
    await page.getByTestId('nav-monitoringOverview').click();
    await page.getByTestId('monitoring-overview').waitFor();
    await page.getByTestId('overview-cis').getByRole('link', { name: HOST }).waitFor();
    await expect.poll(async () => page.getByTestId('overview-counts').innerText()).toMatch(/正常\s*1/);
    await page.getByTestId('overview-problems').getByText('/data').waitFor();
    await page.getByTestId('overview-business-systems').getByText('网上营业厅').waitFor();
    await screenshot(page, 'monitoring-overview');
  });

  it('[L3-2.1.1] the host page draws the last hour and its live CPU chart grows without a reload', async () => {
    await page.evaluate(() => ((globalThis as unknown as { ywMarker: number }).ywMarker = 42));
    await page.getByTestId('overview-cis').getByRole('link', { name: HOST }).click();
    await page.getByTestId('host-page').waitFor();
    await page.getByTestId('host-facts').getByText('10.20.1.11').waitFor();
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-status')).toBe('open');
    await expect.poll(() => points(page, 'chart-cpu')).toBeGreaterThan(0);
    const before = await points(page, 'chart-cpu');
    await expect.poll(() => points(page, 'chart-cpu'), { timeout: 10_000 }).toBeGreaterThanOrEqual(before + 3);
    // Same document: the marker set before navigating is still there (client-side routing, no reload).
    expect(await page.evaluate(() => (globalThis as unknown as { ywMarker?: number }).ywMarker)).toBe(42);
    for (const chart of ['chart-memory', 'chart-load', 'chart-fs', 'chart-net', 'chart-disk']) {
      expect(await points(page, chart), chart).toBeGreaterThan(0);
    }
    await screenshot(page, 'monitoring-host');

    // A fixed (custom) range stops the live updates; going back to 1 小时 resumes them.
    await page.getByTestId('time-range').getByText('6 小时').click();
    await expect.poll(() => points(page, 'chart-cpu')).toBeGreaterThan(0);
    await page.getByTestId('time-range').getByText('1 小时').click();

    await page.getByRole('tab', { name: '硬件状态' }).click();
    await page.getByTestId('hw-fan').getByText('未提供（本机不暴露此项）').waitFor();
    await page.getByTestId('hw-temperature').getByText('cpu0').waitFor();
    await screenshot(page, 'monitoring-host-hardware');
    await page.getByRole('tab', { name: '资产清单' }).click();
    await page.getByTestId('inventory-empty').or(page.getByTestId('inventory')).waitFor();
    await page.getByRole('tab', { name: '检查' }).click();
    await page.getByTestId('checks-empty').or(page.getByTestId('checks-table')).waitFor();
    await page.getByRole('tab', { name: '关系' }).click();
    await page.getByTestId('relations-table').getByText('网上营业厅').waitFor();
    await screenshot(page, 'monitoring-host-relations');
  });

  it('[L3-2.1.2] the utilisation page analyses a host’s CPU: p95, trend and headroom as computed from the pushed samples, the busiest bar chart, and the written judgement (需扩容) on screen and in Word', async () => {
    // A second host whose CPU climbed 1.5 points an hour for the last 40 hours, one sample on each
    // whole hour (so each is alone in its 5-minute bucket): p95, trend and the judgement are known.
    const lastHour = Math.floor(Date.now() / HOUR) * HOUR - HOUR;
    const ramp = Array.from({ length: 41 }, (_, i) => ({ ts: lastHour - (40 - i) * HOUR, value: 10 + 1.5 * i }));
    await hostWithSamples(api, { name: 'srv-db-01', ip: '10.20.1.21' }, () => ramp.map((p) => ({ metric: 'host_cpu_usage_percent', ...p })));
    const values = ramp.map((p) => p.value);
    const expected = {
      avg: percentText(values.reduce((a, b) => a + b, 0) / values.length),
      p95: percentText(p95(values)),
      max: percentText(Math.max(...values)),
      trend: `${percentText(slopePerDay(ramp))}/天`,
      headroom: (80 - p95(values)).toFixed(1),
    };

    await page.getByTestId('nav-monitoringUtilisation').click();
    await page.getByTestId('utilisation-page').waitFor();
    await page.getByTestId('utilisation-table').getByRole('link', { name: HOST }).waitFor();
    const row = page.getByTestId('utilisation-table').locator('tr.ant-table-row').filter({ has: page.getByRole('link', { name: 'srv-db-01' }) });
    await row.waitFor();
    // Columns: host, average, P95, maximum, trend, headroom, ETA, points.
    const cells = (await row.locator('td').allInnerTexts()).map((c) => c.trim());
    expect({ avg: cells[1], p95: cells[2], max: cells[3], trend: cells[4], headroom: cells[5], points: cells[7] }).toEqual({ ...expected, points: '41' });
    // The ramp host is the busiest: two bars, the first one its p95.
    await page.getByTestId('utilisation-top').waitFor();
    expect(Number(await page.getByTestId('utilisation-top').getAttribute('data-bars'))).toBe(2);
    await page.getByTestId('headroom').first().waitFor();
    await screenshot(page, 'monitoring-utilisation');

    // The written analysis: the ramp reaches 80 % within a day (需扩容), /data is over 90 % (需扩容).
    await page.getByTestId('utilisation-report-generate').click();
    const report = page.getByTestId('utilisation-report');
    await report.waitFor();
    const sentence = `srv-db-01 的CPU 使用率：P95 ${expected.p95}，峰值 ${expected.max}，每天上升 ${slopePerDay(ramp).toFixed(1)} 个百分点。按当前趋势不到 1 天后达到阈值 80.0%，需扩容`;
    await report.getByText(sentence).waitFor();
    await report.getByText(`${HOST} 的文件系统 /data 使用率：P95 93.5%`).waitFor();
    await screenshot(page, 'monitoring-utilisation-report');
    const download = page.waitForEvent('download');
    await page.getByTestId('utilisation-report-download').click();
    const file = await (await download).path();
    const text = await docxText(await readFile(file));
    expect(text.split('\n')[0]).toBe('资源使用率分析报告');
    expect(text).toContain(sentence);
    // The same report as PDF (to send or print as it is).
    const pdf = page.waitForEvent('download');
    await page.getByTestId('utilisation-report-download-pdf').click();
    expect((await pdf).suggestedFilename()).toMatch(/\.pdf$/);
    expect((await readFile(await (await pdf).path())).subarray(0, 5).toString()).toBe('%PDF-');

    await page.getByText('按业务系统').click();
    await page.getByTestId('utilisation-table').getByRole('link', { name: '网上营业厅' }).waitFor();
  });

  it('a custom dashboard with one panel is built in the editor and shows the host’s CPU', async () => {
    await page.getByTestId('nav-monitoringDashboards').click();
    await page.getByTestId('dashboard-list').waitFor();
    await page.getByTestId('dashboard-new').click();
    const form = page.getByTestId('dashboard-form');
    await form.getByLabel('名称').fill('应用主机');
    await page.getByRole('dialog').getByRole('button', { name: named('保存') }).click();
    await page.waitForURL('**/edit');
    await page.getByTestId('panel-add').click();
    const panel = page.getByTestId('panel-form');
    await panel.getByLabel('标题').fill('CPU 使用率');
    await panel.getByLabel('查询（序列选择器）').fill(`host_cpu_usage_percent{ci="${hostId}"}`);
    await page.getByTestId('panel-preview-button').click();
    await expect.poll(async () => Number(await page.getByTestId('panel-preview').locator('[data-points]').first().getAttribute('data-points'))).toBeGreaterThan(0);
    await screenshot(page, 'monitoring-panel-editor');
    await page.getByTestId('panel-save').click();
    await page.getByTestId('dashboard-save').click();
    await page.waitForURL((url) => !url.pathname.endsWith('/edit'));
    await page.getByTestId('dashboard-grid').waitFor();
    await expect.poll(async () => Number(await page.getByTestId('dashboard-grid').locator('[data-points]').first().getAttribute('data-points'))).toBeGreaterThan(0);
    await screenshot(page, 'monitoring-dashboard');
    const saved = await api('GET', '/api/dashboards');
    expect(saved.items.map((d: { name: string }) => d.name)).toContain('应用主机');
  });
});
