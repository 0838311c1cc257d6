import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docxText } from '../apps/server/src/platform/documents/docx.testing.js';
import { pdfPages, popplerAvailable } from '../apps/server/src/platform/documents/pdf.testing.js';
import { hostWithSamples, signedInApi, type Api } from './support/api.js';
import { chromiumAvailable, openJourney, screenshot, type Journey } from './support/browser.js';
import { ADMIN, firstAdminSignIn } from './support/sign-in.js';
import { startYunwei, type RunningYunwei } from './support/yunwei-server.js';

/**
 * Reports in the browser, in zh-CN: a host with two months of hourly CPU samples and check results; the
 * administrator opens 运行报告, generates the running-status report for last month, reads the preview
 * (the document with its sections and figures) and downloads it as PDF; then edits the generated
 * 结论与建议 and downloads the Word file with the edit.
 */

const HOUR = 3_600_000;
const DAY = 86_400_000;

describe.skipIf(!chromiumAvailable())('reports journey (browser)', () => {
  let yw: RunningYunwei;
  let journey: Journey;
  let page: Page;
  let api: Api;

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

  it('admin signs in; a host has two months of samples', async () => {
    await firstAdminSignIn(page, yw.url);
    api = await signedInApi(page, yw.url);
    const hostId = await hostWithSamples(api, { name: 'srv-report-01' });
    const start = Math.floor(Date.now() / HOUR) * HOUR - 62 * DAY;
    const samples = Array.from({ length: 62 * 24 }, (_, i) => start + i * HOUR).flatMap((ts, i) => [
      { metric: 'host_cpu_usage_percent', labels: { ci: hostId }, ts, value: 30 + (i % 24) },
      { metric: 'check_up', labels: { ci: hostId, check: 'e2e' }, ts, value: i % 500 === 7 ? 0 : 1 },
    ]);
    for (let i = 0; i < samples.length; i += 1000) {
      await api('POST', '/api/v1/metrics', { samples: samples.slice(i, i + 1000) });
    }
  });

  it('[L2-2.1.2] generates the running-status report for last month, previews it and downloads the PDF', async () => {
    await page.getByTestId('nav-reports').click();
    await page.getByTestId('reports-page').waitFor();
    // Defaults: 系统运行状况报告, 上月, 全部配置项.
    await page.getByTestId('reports-generate').click();
    const preview = page.getByTestId('reports-preview');
    await preview.waitFor({ timeout: 30_000 });
    await preview.getByText('一、总体概况').waitFor();
    await preview.getByText('二、运行状态分析').waitFor();
    await preview.getByText('srv-report-01').first().waitFor();
    await preview.getByText('八、结论与建议').waitFor();
    await screenshot(page, 'reports-running-status');

    const download = page.waitForEvent('download');
    await page.getByTestId('reports-download-pdf').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^系统运行状况报告-.*\.pdf$/);
    const body = await readFile(await file.path());
    expect(body.subarray(0, 5).toString()).toBe('%PDF-');
    if (popplerAvailable()) {
      const text = (await pdfPages(body)).join('\n').replace(/\s+/g, '');
      expect(text).toContain('系统运行状况报告');
      expect(text).toContain('srv-report-01');
    }
  });

  it('[L2-2.1.2] the author edits the generated 结论与建议 and the downloaded Word file carries the edit', async () => {
    const box = page.getByTestId('reports-conclusions-text');
    expect(await box.inputValue()).toContain('srv-report-01');
    await box.fill('本月系统运行平稳，可用率达标。\n下月安排 srv-report-01 例行维护。');
    await page.getByTestId('reports-conclusions').getByText('已修改').waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('reports-download').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^系统运行状况报告-.*\.docx$/);
    const text = await docxText(await readFile(await file.path()));
    expect(text).toContain('本月系统运行平稳，可用率达标。');
    expect(text).toContain('下月安排 srv-report-01 例行维护。');
    expect(text).not.toContain('以下为根据上述数据自动生成的初稿');
  });
});
